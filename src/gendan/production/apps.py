from django.apps import AppConfig


class ProductionConfig(AppConfig):
    name = "gendan.production"
    label = "production"

    def ready(self) -> None:
        from gendan.production import sections

        sections.register()
