from django.apps import AppConfig


class NumberingConfig(AppConfig):
    name = "gendan.numbering"
    label = "numbering"
    verbose_name = "Numbering"
