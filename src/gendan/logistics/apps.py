from django.apps import AppConfig


class LogisticsConfig(AppConfig):
    name = "gendan.logistics"
    label = "logistics"

    def ready(self) -> None:
        from gendan.logistics import contributions

        contributions.register()
