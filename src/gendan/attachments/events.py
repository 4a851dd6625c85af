"""The timeline event kinds attachments declares (registered in the app's ready())."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gendan import extensions


class AttachmentEvent(models.TextChoices):
    ATTACHMENT_ADDED = "attachment.added", _("File attached")
    ATTACHMENT_REMOVED = "attachment.removed", _("File removed")


def register() -> None:
    for kind in AttachmentEvent:
        extensions.add_event_kind(code=kind.value, label=kind.label, app="attachments")
