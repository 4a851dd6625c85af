from django.apps import AppConfig


class PartiesConfig(AppConfig):
    name = "gendan.parties"
    label = "parties"
