from django.apps import AppConfig


class InventoryConfig(AppConfig):
    name = "gendan.inventory"
    label = "inventory"
