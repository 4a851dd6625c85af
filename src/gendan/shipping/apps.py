from django.apps import AppConfig


class ShippingConfig(AppConfig):
    name = "gendan.shipping"
    label = "shipping"
