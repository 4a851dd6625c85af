from django.apps import AppConfig


class LoadingConfig(AppConfig):
    name = "gendan.loading"
    label = "loading"
    verbose_name = "Loading"
