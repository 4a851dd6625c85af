"""The sales contract's pages: issue it from the order's cockpit, read it (HTML), print it
(PDF, the same WeasyPrint path and vendored font as the order documents), attach the customer's
countersigned copy; the contracts list and a customer's contract terms."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.dateparse import parse_date
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from gendan import prices
from gendan.accounts.permissions import Perm
from gendan.contracts import excel, selectors, services
from gendan.contracts import permissions as p
from gendan.contracts.models import SalesContract
from gendan.errors import DomainError
from gendan.exports.models import ExportFormat, ExportKind
from gendan.exports.services import record_export
from gendan.parties.selectors import visible_customers
from gendan.shipping import documents

PAGE = 50


def _may(user: Any, *perms: str) -> None:
    if not any(user.can(code) for code in perms):
        raise PermissionDenied


def _contract(request: HttpRequest, number: str) -> SalesContract:
    _may(request.user, p.ISSUE, p.RECORD_COUNTERSIGNED)
    if not request.user.can(Perm.VIEW_PRICES):  # the contract is prices: never to the blind
        raise PermissionDenied
    try:
        return selectors.get_contract_for(request.user, number)
    except DomainError as exc:
        raise Http404(str(exc.message)) from exc


def document_context(contract: SalesContract, *, for_pdf: bool) -> dict[str, Any]:
    content = contract.content
    lines = [
        {**line, "unit_price": Decimal(line["unit_price"]), "amount": Decimal(line["amount"])}
        for line in content.get("lines", [])
    ]
    return {
        "contract": contract,
        "c": content,
        "lines": lines,
        "total": Decimal(content.get("total", "0")),
        "deposit": Decimal(content.get("deposit", "0")),
        "balance": Decimal(content.get("balance", "0")),
        "total_quantity": sum(x["quantity"] for x in lines),
        "font_url": documents.font_url(for_pdf=for_pdf),
    }


@login_required
def contracts(request: HttpRequest) -> HttpResponse:
    """The contracts the user sees, newest first (keyset pages), and a customer's terms."""
    _may(request.user, p.ISSUE, p.RECORD_COUNTERSIGNED, p.SET_TERMS)
    after = request.GET.get("after", "")
    qs = selectors.contracts(request.user).order_by("-id")
    if after.isdigit():
        qs = qs.filter(id__lt=int(after))
    rows = list(qs[: PAGE + 1])
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    context = {
        "contracts": rows,
        "next_after": rows[-1].pk if more else None,
        "may_set_terms": request.user.can(p.SET_TERMS),
        "customers": list(visible_customers(request.user).order_by("code").only("code", "name"))
        if request.user.can(p.SET_TERMS)
        else [],
    }
    return render(request, "contracts/contracts.html", context)


@login_required
def contracts_xlsx(request: HttpRequest) -> HttpResponse:
    _may(request.user, p.ISSUE)
    rows = list(selectors.contracts(request.user).order_by("-id")[: excel.MAX_ROWS])
    response = HttpResponse(
        excel.export_contracts(rows, actor=request.user),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="sales-contracts.xlsx"'
    return response


@login_required
@require_POST
def set_terms(request: HttpRequest) -> HttpResponse:
    try:
        terms = services.set_contract_terms(
            actor=request.user,
            customer=request.POST.get("customer", ""),
            needs_countersigned=request.POST.get("needs_countersigned") == "on",
            quality_terms=request.POST.get("quality_terms", ""),
        )
    except DomainError as exc:
        messages.error(request, prices.error_text(exc, request.user))
    else:
        messages.success(
            request, gettext("Contract terms of %(c)s saved.") % {"c": terms.customer.name}
        )
    return redirect("web:contracts")


@login_required
@require_POST
def issue(request: HttpRequest, number: str) -> HttpResponse:
    try:
        contract = services.issue_contract(actor=request.user, order=number)
    except DomainError as exc:
        messages.error(request, prices.error_text(exc, request.user))
        return redirect("web:order_detail", number)
    return redirect("web:contract_detail", contract.number)


def _date(raw: str | None) -> date | None:
    try:
        return parse_date((raw or "").strip()) if raw else None
    except ValueError:
        return None


@login_required
def contract_detail(request: HttpRequest, number: str) -> HttpResponse:
    contract = _contract(request, number)
    error = ""
    if request.method == "POST":
        upload = request.FILES.get("file") or request.FILES.get("photo")
        try:
            contract = services.record_countersigned(
                actor=request.user,
                number=number,
                file=upload,
                signed_on=_date(request.POST.get("signed_on")),
            )
        except DomainError as exc:
            error = prices.error_text(exc, request.user)
        else:
            messages.success(request, gettext("The countersigned copy is attached."))
            return redirect("web:contract_detail", number)
    context = {
        **document_context(contract, for_pdf=False),
        "error": error,
        "may_record": request.user.can(p.RECORD_COUNTERSIGNED) and not contract.signed,
        "is_current": contract.version == contract.order.revision,
    }
    return render(request, "contracts/contract_page.html", context, status=422 if error else 200)


@login_required
def contract_pdf(request: HttpRequest, number: str) -> HttpResponse:
    contract = _contract(request, number)
    html = render_to_string(
        "contracts/contract_pdf.html", document_context(contract, for_pdf=True), request=request
    )
    content = documents.render_pdf(html)
    record_export(
        actor=request.user,
        what=ExportKind.DOCUMENT,
        filters={"order": contract.order.number, "kind": "sales_contract", "document": number},
        rows=len(contract.content.get("lines", [])),
        fmt=ExportFormat.PDF,
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{number}.pdf"'
    return response
