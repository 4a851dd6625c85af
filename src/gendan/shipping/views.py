"""Documents as printable pages and as PDF downloads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from gendan.errors import DomainError, Kind
from gendan.exports.models import ExportFormat, ExportKind
from gendan.exports.services import record_export
from gendan.shipping import documents


def _build(request: HttpRequest, number: str, kind: str, doc: str) -> documents.Document:
    try:
        return documents.build_document(request.user, number, kind, doc)
    except DomainError as exc:
        if exc.kind == Kind.FORBIDDEN:
            raise PermissionDenied(str(exc.message)) from exc
        raise Http404(str(exc.message)) from exc


@login_required
def document(request: HttpRequest, number: str, kind: str, doc: str) -> HttpResponse:
    document = _build(request, number, kind, doc)
    context = {"document": document, "font_url": documents.font_url(for_pdf=False)}
    return render(request, "shipping/document_page.html", context)


@login_required
def document_pdf(request: HttpRequest, number: str, kind: str, doc: str) -> HttpResponse:
    document = _build(request, number, kind, doc)
    context = {"document": document, "font_url": documents.font_url(for_pdf=True)}
    html = render_to_string("shipping/document_pdf.html", context, request=request)
    content = documents.render_pdf(html)
    record_export(
        actor=request.user,
        what=ExportKind.DOCUMENT,
        filters={"order": number, "kind": kind, "document": doc},
        rows=len(document.lines),
        fmt=ExportFormat.PDF,
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    return response
