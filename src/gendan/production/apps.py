from django.apps import AppConfig


class ProductionConfig(AppConfig):
    name = "gendan.production"
    label = "production"

    def ready(self) -> None:
        from gendan import extensions
        from gendan.production import sections, services

        sections.register()
        extensions.add_effect(action="release", run=services.on_release, app="production")
        extensions.add_effect(
            action="complete_production", run=services.on_complete, app="production"
        )
        extensions.add_effect(action="cancel", run=services.on_cancel, app="production")
