"""Excel import: upload, a preview of every row with each bad cell explained, then confirm.

Nothing is written before the confirm: the preview runs the import's own checks as a dry run
(rolled back). Between preview and confirm the uploaded bytes wait in the session, not on disk.
"""

from __future__ import annotations

import base64
import hashlib
import io
from datetime import date, datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from gendan.accounts.permissions import Perm
from gendan.errors import DomainError, Kind
from gendan.orders import excel

MAX_BYTES = 5 * 1024 * 1024
SESSION_KEY = "order_import"


def _rows(data: bytes) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    """The workbook's rows as the import reads them (row numbers as in Excel)."""
    rows = excel._read_rows(io.BytesIO(data), excel.ImportReport())
    columns = [c for c in excel.HEADER if any(c in r for _, r in rows)] or list(excel.HEADER)
    return columns, rows


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    return excel._text(value)


def _preview(data: bytes, errors: list[dict[str, Any]]) -> dict[str, Any]:
    """Every row with its cells; a cell the import refused carries its reasons."""
    columns, rows = _rows(data)
    by_cell: dict[tuple[int, str], list[str]] = {}
    for e in errors:
        by_cell.setdefault((e["row"], e["column"]), []).append(str(e["reason"]))
    table = []
    for number, row in rows:
        cells = [
            {
                "column": column,
                "value": _shown(row.get(column)),
                "reasons": by_cell.get((number, column), []),
            }
            for column in columns
        ]
        table.append({"number": number, "cells": cells, "bad": any(c["reasons"] for c in cells)})
    refs = {excel._text(r.get("order_ref")) for _, r in rows} - {""}
    return {"columns": columns, "rows": table, "order_count": len(refs)}


def _run(request: HttpRequest, data: bytes, *, dry_run: bool) -> excel.ImportReport:
    try:
        return excel.import_orders(io.BytesIO(data), actor=request.user, dry_run=dry_run)
    except DomainError as exc:
        if exc.kind == Kind.FORBIDDEN:
            raise PermissionDenied(str(exc.message)) from exc
        raise


@login_required
def order_import(request: HttpRequest) -> HttpResponse:
    if not request.user.can(Perm.IMPORT_ORDERS):
        raise PermissionDenied
    context: dict[str, Any] = {"max_mb": MAX_BYTES // (1024 * 1024)}
    if request.method != "POST":
        return render(request, "orders/import.html", context)

    if request.POST.get("step") == "confirm":
        stored = request.session.get(SESSION_KEY)
        if not stored or stored.get("token") != request.POST.get("token"):
            context["upload_error"] = gettext(
                "The uploaded file is no longer waiting to be imported. Upload it again."
            )
            return render(request, "orders/import.html", context, status=409)
        data = base64.b64decode(stored["data"])
        report = _run(request, data, dry_run=False)
        if report.errors:  # something changed since the preview: show why, import nothing
            context.update(
                name=stored["name"],
                token=stored["token"],
                errors=report.errors,
                **_preview(data, report.errors),
            )
            return render(request, "orders/import.html", context, status=422)
        del request.session[SESSION_KEY]
        context["imported"] = report.imported
        return render(request, "orders/import.html", context)

    upload = request.FILES.get("file")
    if upload is None:
        context["upload_error"] = gettext("Choose an Excel .xlsx file to upload.")
        return render(request, "orders/import.html", context, status=422)
    if upload.size > MAX_BYTES:
        context["upload_error"] = gettext(
            "The file is %(size)s MB; files over %(max)s MB are refused. Split it into smaller files."
        ) % {"size": f"{upload.size / 1024 / 1024:.1f}", "max": context["max_mb"]}
        return render(request, "orders/import.html", context, status=413)
    data = upload.read()
    request.session.pop(SESSION_KEY, None)
    report = _run(request, data, dry_run=True)
    token = hashlib.sha256(data).hexdigest()[:16]
    if not report.errors:
        request.session[SESSION_KEY] = {
            "name": upload.name,
            "token": token,
            "data": base64.b64encode(data).decode("ascii"),
        }
    context.update(
        name=upload.name,
        token=token,
        errors=report.errors,
        **_preview(data, report.errors),
    )
    return render(request, "orders/import.html", context, status=200)
