from django.apps import AppConfig


class PurchasingConfig(AppConfig):
    name = "gendan.purchasing"
    label = "purchasing"

    def ready(self) -> None:
        from gendan.purchasing import permissions, sections

        permissions.register()
        sections.register()
