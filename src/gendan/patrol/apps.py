from django.apps import AppConfig


class PatrolConfig(AppConfig):
    name = "gendan.patrol"
    label = "patrol"

    def ready(self) -> None:
        from gendan.patrol import contributions

        contributions.register()
