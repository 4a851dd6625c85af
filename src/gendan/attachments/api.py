"""Files on an order over HTTP: list, attach (multipart), download, remove."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from gendan.apiconventions import caller, errors
from gendan.attachments import selectors, services
from gendan.attachments.models import Attachment
from gendan.attachments.views import serve

router = Router(tags=["attachments"])
ORDER = "orders.order"


class AttachmentOut(Schema):
    id: int
    name: str
    size: int
    mime_type: str
    sha256: str
    attached_by: str
    attached_at: datetime
    download_url: str
    thumbnail_url: str | None
    page_url: str | None


def attachment_out(a: Attachment, number: str) -> dict[str, Any]:
    return {
        "id": a.pk,
        "name": a.name,
        "size": a.size,
        "mime_type": a.mime_type,
        "sha256": a.sha256,
        "attached_by": a.attached_by.username,
        "attached_at": a.attached_at,
        "download_url": f"/api/v1/orders/{number}/attachments/{a.pk}",
        "thumbnail_url": reverse("web:attachment_image", args=[a.pk, "thumb"])
        if a.thumbnail
        else None,
        "page_url": reverse("web:attachment_image", args=[a.pk, "page"]) if a.page_copy else None,
    }


@router.get("/{number}/attachments", response={200: list[AttachmentOut], **errors(404)})
def list_attachments(request: HttpRequest, number: str):
    """The order's files, newest first."""
    order, files = selectors.files_for(caller(request), ORDER, number)
    return [attachment_out(a, order.number) for a in files]


@router.post("/{number}/attachments", response={201: AttachmentOut, **errors(403, 404)})
def attach(request: HttpRequest, number: str, file: File[UploadedFile]):
    """Attach a file (multipart field ``file``): PDF, JPEG, PNG, WebP, HEIC, XLSX, DOCX or text,
    checked by its content; 422 with ``file_too_large``, ``file_type_not_allowed`` or
    ``file_type_mismatch`` otherwise."""
    attachment = services.attach_file(actor=caller(request), model=ORDER, key=number, file=file)
    return Status(201, attachment_out(attachment, number))


@router.get(
    "/{number}/attachments/{attachment_id}",
    response={200: bytes, **errors(404)},
    openapi_extra={"responses": {"200": {"description": "The file's bytes"}}},
)
def download(request: HttpRequest, number: str, attachment_id: int):
    """The file's bytes, with its name and content type."""
    attachment = selectors.get_attachment_for(
        caller(request), attachment_id, model=ORDER, key=number
    )
    return serve(attachment, attachment.file, content_type=attachment.mime_type, inline=False)


@router.delete(
    "/{number}/attachments/{attachment_id}", response={204: None, **errors(403, 404, 409)}
)
def remove(request: HttpRequest, number: str, attachment_id: int):
    """Remove a file (its row stays with who removed it; the bytes are deleted)."""
    selectors.get_attachment_for(caller(request), attachment_id, model=ORDER, key=number)
    services.remove_attachment(actor=caller(request), attachment_id=attachment_id)
    return Status(204, None)
