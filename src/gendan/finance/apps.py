from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "gendan.finance"
    label = "finance"
