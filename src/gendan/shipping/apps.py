from django.apps import AppConfig


class ShippingConfig(AppConfig):
    name = "gendan.shipping"
    label = "shipping"

    def ready(self) -> None:
        from gendan import extensions
        from gendan.shipping import sections, services

        sections.register()
        for action, verb in services.ACTION_VERBS.items():
            extensions.add_action_verb(action=action, verb=verb, app="shipping")
        extensions.add_effect(action="cancel", run=services.cancel_with_order, app="shipping")
