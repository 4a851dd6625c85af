from django.apps import AppConfig


class LoadingConfig(AppConfig):
    name = "gendan.loading"
    label = "loading"
    verbose_name = "Loading"

    def ready(self) -> None:
        from gendan.loading import sections

        sections.register()
