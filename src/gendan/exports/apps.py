from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExportsConfig(AppConfig):
    name = "gendan.exports"
    label = "exports"
    verbose_name = _("Export log")

    def ready(self) -> None:
        from gendan import extensions
        from gendan.exports import permissions
        from gendan.exports.permissions import ExportPerm

        permissions.register()

        extensions.add_nav_entry(
            label=_("Export log"),
            url_name="web:export_log",
            perms=(ExportPerm.VIEW_EXPORT_LOG,),
            app="exports",
            order=95,
        )
