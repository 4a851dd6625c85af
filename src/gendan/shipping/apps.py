from django.apps import AppConfig


class ShippingConfig(AppConfig):
    name = "gendan.shipping"
    label = "shipping"

    def ready(self) -> None:
        from gendan.shipping import sections

        sections.register()
