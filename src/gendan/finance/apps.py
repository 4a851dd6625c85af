from django.apps import AppConfig


class FinanceConfig(AppConfig):
    name = "gendan.finance"
    label = "finance"

    def ready(self) -> None:
        from gendan.finance import permissions, sections

        permissions.register()
        sections.register()
