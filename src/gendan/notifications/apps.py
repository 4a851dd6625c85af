from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "gendan.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        from gendan import extensions
        from gendan.notifications import today

        extensions.add_today_section(
            key="notifications",
            title=_("Notifications"),
            description=_("What you were told and have not read yet."),
            roles=extensions.ROLES,
            build=today.build,
            template="notifications/_today.html",
            app="notifications",
            order=5,
        )
