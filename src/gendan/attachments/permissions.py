"""The permissions attachments declares, and the roles that hold them (the administrator holds every
permission); registered in the app's ready(), given to the role groups after each migrate."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gendan import extensions


class AttachmentPerm(models.TextChoices):
    ATTACH_FILES = "attach_files", _("Attach and remove files")


ROLES: dict[str, frozenset[str]] = {
    AttachmentPerm.ATTACH_FILES: frozenset(
        {
            "sales_manager",
            "salesperson",
            "merchandiser",
            "customer_service",
            "qc",
            "driver",
            "warehouse",
            "finance",
        }
    ),
}


def register() -> None:
    for perm in AttachmentPerm:
        extensions.add_permission(
            code=perm.value, label=perm.label, roles=ROLES[perm], app="attachments"
        )
