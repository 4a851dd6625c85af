"""Reads of attachments: the files of a record, one file for download. Visibility is the
record's (see access.py): a file of a record the actor may not see is not found."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from gendan.accounts.models import User
from gendan.attachments import access
from gendan.attachments.models import Attachment
from gendan.errors import DomainError, Kind, not_found


def files_of(record: Any) -> QuerySet[Attachment]:
    """The live files of a record the caller has already fetched through its selector."""
    return Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(record),
        object_id=record.pk,
        removed_at__isnull=True,
    ).select_related("attached_by")


def files_for(actor: User, model: str, key: str) -> tuple[Any, list[Attachment]]:
    record = access.record_for(actor, model, key)
    return record, list(files_of(record))


def get_attachment_for(
    actor: User, attachment_id: int, *, model: str | None = None, key: str | None = None
) -> Attachment:
    """One live file whose record the actor may see ("not yours" and "not there": one 404).
    With ``model`` and ``key`` the file must also belong to that record (the API's path)."""
    attachment = (
        Attachment.objects.select_related("content_type", "attached_by")
        .filter(pk=attachment_id, removed_at__isnull=True)
        .first()
    )
    if attachment is None:
        raise not_found("attachment")
    ct = attachment.content_type
    label = f"{ct.app_label}.{ct.model}"
    try:
        entry = access.declared(label)
        if model is not None and key is not None:
            if label != model.lower():
                raise not_found("attachment")
            record = access.record_for(actor, label, key)
            if record.pk != attachment.object_id:
                raise not_found("attachment")
        else:
            record = ct.get_object_for_this_type(pk=attachment.object_id)
            record = access.record_for(actor, label, entry.key_of(record))
    except DomainError as exc:
        if exc.kind in (Kind.NOT_FOUND, Kind.INVALID):
            raise not_found("attachment") from exc
        raise
    attachment.record_obj = record  # type: ignore[attr-defined]
    return attachment
