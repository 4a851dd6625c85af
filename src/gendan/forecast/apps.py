from django.apps import AppConfig


class ForecastConfig(AppConfig):
    name = "gendan.forecast"
    label = "forecast"

    def ready(self) -> None:
        from gendan.forecast import contributions

        contributions.register()
