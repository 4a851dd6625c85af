from django.apps import AppConfig


class ContractsConfig(AppConfig):
    name = "gendan.contracts"
    label = "contracts"

    def ready(self) -> None:
        from gendan.contracts import contributions

        contributions.register()
