from django.apps import AppConfig


class ProductionConfig(AppConfig):
    name = "gendan.production"
    label = "production"
