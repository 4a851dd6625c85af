"""The permissions exports declares, and the roles that hold them (the administrator holds every
permission); registered in the app's ready(), given to the role groups after each migrate."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gendan import extensions


class ExportPerm(models.TextChoices):
    VIEW_EXPORT_LOG = "view_export_log", _("Read the export log")


ROLES: dict[str, frozenset[str]] = {
    ExportPerm.VIEW_EXPORT_LOG: frozenset({"regional_manager", "sales_manager"}),
}


def register() -> None:
    for perm in ExportPerm:
        extensions.add_permission(
            code=perm.value, label=perm.label, roles=ROLES[perm], app="exports"
        )
