"""Excel import: upload, a preview of the rows with each bad cell explained, then confirm.

The upload is checked at once (type, size, the sheet's declared dimensions); the rows are read
and checked by the background worker, which also does the import after the confirm. The page
of the upload polls its progress (htmx), then shows the preview: nothing is written before the
confirm, and nothing at all if any row is wrong. The bytes wait in the upload's row, not on disk.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from gendan.accounts.permissions import Perm
from gendan.errors import DomainError, Kind
from gendan.orders import imports
from gendan.orders.models import ImportStatus, OrderImport

MAX_BYTES = imports.MAX_BYTES


def _allowed(request: HttpRequest) -> None:
    if not request.user.can(Perm.IMPORT_ORDERS):
        raise PermissionDenied


def _run(request: HttpRequest, key: UUID) -> OrderImport:
    try:
        return imports.get_import_for(request.user, key)
    except DomainError as exc:
        raise Http404(str(exc.message)) from exc


def _context(**extra: Any) -> dict[str, Any]:
    return {
        "max_mb": MAX_BYTES // (1024 * 1024),
        "max_rows": f"{imports.MAX_ROWS:,}",
        "max_errors": imports.MAX_ERRORS,
        **extra,
    }


@login_required
def order_import(request: HttpRequest) -> HttpResponse:
    """The upload form; a valid upload goes to the worker and the page of the upload."""
    _allowed(request)
    context = _context()
    if request.method != "POST":
        return render(request, "orders/import.html", context)
    upload = request.FILES.get("file")
    if upload is None:
        context["upload_error"] = gettext("Choose an Excel .xlsx file to upload.")
        return render(request, "orders/import.html", context, status=422)
    if upload.size is not None and upload.size > MAX_BYTES:
        context["upload_error"] = gettext(
            "The file is %(size)s MB; files over %(max)s MB are refused. Split it into smaller files."
        ) % {"size": f"{upload.size / 1024 / 1024:.1f}", "max": context["max_mb"]}
        return render(request, "orders/import.html", context, status=413)
    try:
        run = imports.start_import(
            actor=request.user, name=upload.name or "orders.xlsx", data=upload.read()
        )
    except DomainError as exc:
        if exc.kind == Kind.FORBIDDEN:
            raise PermissionDenied(str(exc.message)) from exc
        context["upload_error"] = str(exc.message)
        status = 413 if exc.code == imports.Code.FILE_TOO_LARGE else 422
        return render(request, "orders/import.html", context, status=status)
    return redirect("web:order_import_run", key=run.key)


def _run_context(run: OrderImport) -> dict[str, Any]:
    preview = run.preview or {}
    return _context(
        run=run,
        progress_pct=round(run.progress * 100),
        columns=preview.get("columns", []),
        rows=preview.get("rows", []),
        total_rows=preview.get("total_rows", run.rows),
        more_errors=run.error_count - len(run.errors),
    )


@login_required
def order_import_run(request: HttpRequest, key: UUID) -> HttpResponse:
    """One upload: its progress while the worker has it, then its preview or its result."""
    _allowed(request)
    run = _run(request, key)
    status = 422 if run.status == ImportStatus.INVALID and run.confirmed else 200
    return render(request, "orders/import_run.html", _run_context(run), status=status)


@login_required
def order_import_progress(request: HttpRequest, key: UUID) -> HttpResponse:
    """The progress, polled by htmx while the worker has the upload; reloads the page when done."""
    _allowed(request)
    run = _run(request, key)
    response = render(request, "orders/_import_progress.html", _run_context(run))
    if not run.running and request.htmx:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def order_import_confirm(request: HttpRequest, key: UUID) -> HttpResponse:
    """Import a checked upload without errors (the worker does it; the page shows how far)."""
    _allowed(request)
    run = _run(request, key)
    try:
        imports.confirm_import(actor=request.user, key=run.key)
    except DomainError as exc:
        if exc.kind == Kind.FORBIDDEN:
            raise PermissionDenied(str(exc.message)) from exc
        context = _run_context(run) | {"confirm_error": str(exc.message)}
        return render(request, "orders/import_run.html", context, status=409)
    return redirect("web:order_import_run", key=run.key)


@login_required
def order_import_errors(request: HttpRequest, key: UUID) -> HttpResponse:
    """The upload back as .xlsx, each refused cell marked, its reasons in a comment."""
    _allowed(request)
    run = _run(request, key)
    if not run.annotated:
        raise Http404(gettext("This upload has no errors."))
    response = HttpResponse(
        bytes(run.annotated),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="import-errors.xlsx"'
    return response
