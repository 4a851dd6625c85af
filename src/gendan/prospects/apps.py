from django.apps import AppConfig


class ProspectsConfig(AppConfig):
    name = "gendan.prospects"
    label = "prospects"

    def ready(self) -> None:
        from gendan.prospects import contributions

        contributions.register()
