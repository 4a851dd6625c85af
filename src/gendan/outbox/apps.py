from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "gendan.outbox"
    label = "outbox"
    verbose_name = "Outbox"

    def ready(self) -> None:
        from gendan import extensions
        from gendan.outbox import events, panels

        events.register()

        extensions.add_cockpit_panel(
            key="mails",
            title=_("Mails"),
            build=panels.order_panel,
            template="outbox/_panel.html",
            app="outbox",
            order=90,
        )
