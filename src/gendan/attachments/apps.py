from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttachmentsConfig(AppConfig):
    name = "gendan.attachments"
    label = "attachments"
    verbose_name = "Attachments"

    def ready(self) -> None:
        from gendan import extensions
        from gendan.attachments import access, events, panels, permissions

        permissions.register()
        events.register()

        # Orders are attachable here until orders declares itself (its AppConfig is being
        # rewritten); other apps call access.register() in their own ready().
        access.register_orders()
        extensions.add_cockpit_panel(
            key="attachments",
            title=_("Files"),
            build=panels.order_panel,
            template="attachments/_panel.html",
            app="attachments",
            order=80,
        )
