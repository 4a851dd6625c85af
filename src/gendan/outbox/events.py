"""The timeline event kinds outbox declares (registered in the app's ready())."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gendan import extensions


class MailEvent(models.TextChoices):
    MAIL_SENT = "mail.sent", _("Mail sent")
    MAIL_FAILED = "mail.failed", _("Mail not sent")


def register() -> None:
    for kind in MailEvent:
        extensions.add_event_kind(code=kind.value, label=kind.label, app="outbox")
