from django.apps import AppConfig


class TestappConfig(AppConfig):
    name = "gendan.testapp"
    label = "testapp"

    def ready(self) -> None:
        from gendan.testapp import contributions

        contributions.register()
