from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "gendan.reports"
    label = "reports"

    def ready(self) -> None:
        from gendan.reports import contributions

        contributions.register()
