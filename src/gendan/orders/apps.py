from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "gendan.orders"
    label = "orders"

    def ready(self) -> None:
        from gendan.orders import sections

        sections.register()
