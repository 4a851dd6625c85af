"""Reads of the outbox: the mails of a record the caller already fetched through its selector."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from gendan.outbox.models import MailMessage


def mails_of(record: Any) -> QuerySet[MailMessage]:
    return MailMessage.objects.filter(
        content_type=ContentType.objects.get_for_model(record), object_id=record.pk
    ).select_related("created_by")
