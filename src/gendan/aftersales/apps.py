from django.apps import AppConfig


class AftersalesConfig(AppConfig):
    name = "gendan.aftersales"
    label = "aftersales"

    def ready(self) -> None:
        from gendan.aftersales import contributions

        contributions.register()
