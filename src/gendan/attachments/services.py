"""Every write of attachments: attach a file to a record, remove it.

A file is checked before its bytes are read in full: its declared size against
``GENDAN_ATTACHMENT_MAX_BYTES``, its first bytes against the allowed kinds
(``GENDAN_ATTACHMENT_TYPES``), and its name against the kind its bytes say. The bytes (and an
image's two smaller copies) are written to the storage before the row; if the row's transaction
fails they are deleted again, so a refused or failed attach leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import logging
import posixpath
import re
import uuid
from typing import IO, Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext

from gendan.accounts.guards import step, verb
from gendan.accounts.models import User
from gendan.attachments import access, filetypes, images
from gendan.attachments.errors import Code
from gendan.attachments.events import AttachmentEvent
from gendan.attachments.models import Attachment
from gendan.attachments.permissions import AttachmentPerm
from gendan.errors import DomainError, Kind, invalid, not_found
from gendan.timeline.services import record as record_event

log = logging.getLogger(__name__)

CHUNK = 64 * 1024
UNSAFE = re.compile(r"[^\w.\-]+", re.UNICODE)


def max_bytes() -> int:
    return int(settings.GENDAN_ATTACHMENT_MAX_BYTES)


def allowed_kinds() -> list[str]:
    return list(settings.GENDAN_ATTACHMENT_TYPES)


def _clean_name(name: str) -> str:
    base = posixpath.basename(name.replace("\\", "/")).strip().replace("\x00", "")
    return base[:255] or "file"


def _storage_name(name: str, suffix: str = "") -> str:
    """attachments/2026/11/<random>/<the name, safe for any storage>; copies add a suffix."""
    stem = UNSAFE.sub("_", name.rsplit(".", 1)[0])[:60].strip("._") or "file"
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}/{stem}{suffix or filetypes.extension(name)}"


def _check(stream: IO[bytes], name: str, size: int | None) -> filetypes.FileKind:
    """Size first (what the upload declares), then the magic of the first bytes, then the name."""
    limit = max_bytes()
    if size is not None and size > limit:
        raise invalid(
            Code.FILE_TOO_LARGE,
            gettext("The file is %(size)s; at most %(limit)s may be attached.")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            field="file",
            size=size,
            limit=limit,
        )
    if size == 0:
        raise invalid(Code.EMPTY_FILE, gettext("The file is empty."), field="file")
    stream.seek(0)
    head = stream.read(filetypes.HEAD_BYTES)
    if not head:
        raise invalid(Code.EMPTY_FILE, gettext("The file is empty."), field="file")
    allowed = allowed_kinds()
    kind = filetypes.sniff(head, stream, allowed)
    if kind is None:
        raise invalid(
            Code.FILE_TYPE_NOT_ALLOWED,
            gettext("This kind of file cannot be attached. Allowed: %(kinds)s.")
            % {"kinds": ", ".join(k.upper() for k in allowed)},
            field="file",
            allowed=allowed,
        )
    named = filetypes.by_name(name)
    if named is not None and named.code != kind.code:
        raise invalid(
            Code.FILE_TYPE_MISMATCH,
            gettext("The file is named %(name)s but its content is %(kind)s.")
            % {"name": name, "kind": kind.code.upper()},
            field="file",
            named=named.code,
            content=kind.code,
        )
    return kind


def check_file(file: IO[bytes] | None, name: str = "") -> None:
    """Refuse a file ``attach_file`` would refuse (size, kind, name), before anything is
    written: a verb that attaches several files after its own write checks them all first."""
    if file is None:
        raise invalid(Code.NO_FILE, gettext("Choose a file to attach."), field="file")
    name = _clean_name(name or getattr(file, "name", "") or "file")
    _check(file, name, getattr(file, "size", None))
    _digest(file)
    file.seek(0)


def _digest(stream: IO[bytes]) -> tuple[str, int]:
    """SHA-256 and the real size, read in chunks; stops at the limit (a size that lied)."""
    stream.seek(0)
    sha, total, limit = hashlib.sha256(), 0, max_bytes()
    while chunk := stream.read(CHUNK):
        total += len(chunk)
        if total > limit:
            raise invalid(
                Code.FILE_TOO_LARGE,
                gettext("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)},
                field="file",
                limit=limit,
            )
        sha.update(chunk)
    return sha.hexdigest(), total


def _delete_stored(names: list[str]) -> None:
    for stored in names:
        try:
            default_storage.delete(stored)
        except OSError:  # a storage that lost it already: the row says what it was
            log.warning("could not delete stored file %s", stored)


@verb(AttachmentPerm.ATTACH_FILES)
def attach_file(
    *, actor: User, model: str, key: str, file: IO[bytes] | None, name: str = ""
) -> Attachment:
    """Attach a file to the record ``key`` of ``model`` ("orders.order", an order number), which
    the actor must be allowed to see; a timeline event tells of it."""
    return store_attachment(actor=actor, model=model, key=key, file=file, name=name)


@step
def store_attachment(
    *, actor: User, model: str, key: str, file: IO[bytes] | None, name: str = ""
) -> Attachment:
    """What ``attach_file`` does, for a verb of another app that checked its own permission
    (a first-article sample's photos are production's to send, and production attaches no
    other file). The record must still be one the actor may see; the same checks hold."""
    if file is None:
        raise invalid(Code.NO_FILE, gettext("Choose a file to attach."), field="file")
    name = _clean_name(name or getattr(file, "name", "") or "file")
    target = access.record_for(actor, model, key)
    kind = _check(file, name, getattr(file, "size", None))
    sha256, size = _digest(file)
    shrunk = None
    if kind.image:
        try:
            shrunk = images.shrink(file)
        except images.UnreadableImage as exc:
            raise invalid(
                Code.IMAGE_UNREADABLE,
                gettext("The picture cannot be read: it may be damaged or too large."),
                field="file",
            ) from exc
    if not name.lower().endswith(kind.extensions):
        name = f"{name[: 255 - len(kind.extensions[0])]}{kind.extensions[0]}"
    stored: list[str] = []
    try:
        file.seek(0)
        stored.append(default_storage.save(_storage_name(name), File(file, name=name)))
        if shrunk is not None:
            for part, data in (("thumb", shrunk.thumbnail), ("page", shrunk.page_copy)):
                stored.append(
                    default_storage.save(
                        _storage_name(name, f".{part}{shrunk.extension}"), ContentFile(data)
                    )
                )
        with transaction.atomic(durable=True):
            attachment = Attachment.objects.create(
                content_type=ContentType.objects.get_for_model(target),
                object_id=target.pk,
                name=name,
                size=size,
                mime_type=kind.mime,
                sha256=sha256,
                file=stored[0],
                thumbnail=stored[1] if shrunk else "",
                page_copy=stored[2] if shrunk else "",
                width=shrunk.width if shrunk else None,
                height=shrunk.height if shrunk else None,
                attached_by=actor,
            )
            record_event(
                kind=AttachmentEvent.ATTACHMENT_ADDED,
                actor=actor,
                comment=name,
                payload={
                    "attachment": attachment.pk,
                    "model": access.model_of(target),
                    "key": key,
                    "name": name,
                    "size": size,
                    "mime_type": kind.mime,
                    "sha256": sha256,
                },
                **access.declared(model).timeline(target),
            )
    except BaseException:
        _delete_stored(stored)
        raise
    return attachment


@verb(AttachmentPerm.ATTACH_FILES)
def remove_attachment(*, actor: User, attachment_id: int, reason: str = "") -> Attachment:
    """Remove a file of a record the actor may see: the row stays (who attached and removed it,
    when, its name and SHA-256), the bytes are deleted from the storage after commit."""
    with transaction.atomic(durable=True):
        attachment = (
            Attachment.objects.select_for_update()
            .select_related("content_type")
            .filter(pk=attachment_id)
            .first()
        )
        if attachment is None:
            raise not_found("attachment")
        target = _visible_record(actor, attachment)
        if attachment.removed_at is not None:
            raise DomainError(
                Code.ALREADY_REMOVED,
                gettext("This file was removed already."),
                kind=Kind.REFUSED,
            )
        attachment.removed_at = timezone.now()
        attachment.removed_by = actor
        attachment.save(update_fields=["removed_at", "removed_by"])
        record_event(
            kind=AttachmentEvent.ATTACHMENT_REMOVED,
            actor=actor,
            comment=reason.strip() or attachment.name,
            payload={
                "attachment": attachment.pk,
                "name": attachment.name,
                "sha256": attachment.sha256,
                "reason": reason.strip(),
            },
            **access.declared(_label(attachment)).timeline(target),
        )
        names = [n for n in (attachment.file, attachment.thumbnail, attachment.page_copy) if n]
        transaction.on_commit(lambda: _delete_stored(names))
    return attachment


def _label(attachment: Attachment) -> str:
    ct = attachment.content_type
    return f"{ct.app_label}.{ct.model}"


def _visible_record(actor: User, attachment: Attachment) -> Any:
    """The attachment's record if the actor may see it; not found otherwise (same 404)."""
    entry = access.declared(_label(attachment))
    record = attachment.content_type.get_object_for_this_type(pk=attachment.object_id)
    try:
        return access.record_for(actor, entry.model, entry.key_of(record))
    except DomainError as exc:
        if exc.kind == Kind.NOT_FOUND:
            raise not_found("attachment") from exc
        raise
