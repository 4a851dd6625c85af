"""Pages of attachments: attach and remove on the order's cockpit (htmx), and every download,
thumbnail and page copy through a view that asks the record's own selector first."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from gendan.attachments import panels, selectors, services
from gendan.attachments.models import Attachment
from gendan.errors import DomainError, Kind
from gendan.orders.selectors import get_order_for

ORDER = "orders.order"
INLINE = frozenset({"application/pdf", "image/jpeg", "image/png", "image/webp"})


def _order(request: HttpRequest, number: str) -> Any:
    try:
        return get_order_for(request.user, number)
    except DomainError as exc:
        raise Http404(str(exc.message)) from exc


def _panel(request: HttpRequest, order: Any, *, error: str = "", status: int = 200) -> HttpResponse:
    context = panels.order_panel(order, request.user, error=error)
    return render(request, "attachments/_panel.html", context, status=status)


def _back(request: HttpRequest, order: Any, *, error: str = "") -> HttpResponse:
    if request.htmx:
        # htmx swaps only 2xx answers: the refusal is shown inside the panel it replaces
        return _panel(request, order, error=error)
    if error:
        messages.error(request, error)
    return HttpResponseRedirect(reverse("web:order_detail", args=[order.number]) + "#files")


@login_required
@require_POST
def order_attachments(request: HttpRequest, number: str) -> HttpResponse:
    """Attach the chosen file (or the photo just taken) to the order."""
    order = _order(request, number)
    try:
        services.attach_file(
            actor=request.user,
            model=ORDER,
            key=order.number,
            file=request.FILES.get("file") or request.FILES.get("photo"),
        )
    except DomainError as exc:
        if exc.kind == Kind.NOT_FOUND:
            raise Http404(str(exc.message)) from exc
        return _back(request, order, error=str(exc.message))
    if not request.htmx:
        messages.success(request, gettext("File attached."))
    return _back(request, order)


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = _attachment(request, pk)
    order = attachment.record_obj  # type: ignore[attr-defined]
    try:
        services.remove_attachment(
            actor=request.user, attachment_id=pk, reason=request.POST.get("reason", "")
        )
    except DomainError as exc:
        if exc.kind == Kind.NOT_FOUND:
            raise Http404(str(exc.message)) from exc
        return _back(request, order, error=str(exc.message))
    return _back(request, order)


def _attachment(request: HttpRequest, pk: int) -> Attachment:
    try:
        return selectors.get_attachment_for(request.user, pk)
    except DomainError as exc:
        if exc.kind == Kind.FORBIDDEN:
            raise PermissionDenied(str(exc.message)) from exc
        raise Http404(str(exc.message)) from exc


def serve(attachment: Attachment, stored: str, *, content_type: str, inline: bool) -> FileResponse:
    """The stored bytes, streamed; a page may never run inside a served file (CSP sandbox)."""
    try:
        handle = default_storage.open(stored, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404(gettext("Not found.")) from exc
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=attachment.name,
        content_type=content_type,
    )
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; img-src 'self'"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = _attachment(request, pk)
    inline = attachment.mime_type in INLINE and request.GET.get("download") != "1"
    return serve(attachment, attachment.file, content_type=attachment.mime_type, inline=inline)


@login_required
@require_GET
def attachment_image(request: HttpRequest, pk: int, size: str) -> HttpResponse:
    """An image's thumbnail (``thumb``) or its copy sized for pages (``page``)."""
    attachment = _attachment(request, pk)
    stored = {"thumb": attachment.thumbnail, "page": attachment.page_copy}.get(size, "")
    if not stored:
        raise Http404(gettext("Not found."))
    content_type = "image/png" if stored.endswith(".png") else "image/jpeg"
    return serve(attachment, stored, content_type=content_type, inline=True)
