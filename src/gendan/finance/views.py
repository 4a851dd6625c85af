"""Finance's pages: the receivables aging (filters, drill into a bucket, log the chase in one
step), the sales ledger of a customer (Excel) and its statement of account (PDF, Chinese or
English), the credit notes (issue, confirm) and the lazy Today section."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from gendan import prices
from gendan.errors import DomainError
from gendan.finance import permissions as p
from gendan.finance import selectors, services, statements
from gendan.finance.models import CreditNoteStatus
from gendan.parties.models import Channel, CommunicationKind
from gendan.parties.selectors import get_customer_for, visible_customers

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _may(user: Any, perm: str) -> None:
    if not p.may(user, perm):
        raise PermissionDenied


def _file(content: bytes, name: str, content_type: str = XLSX) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _filters(request: HttpRequest) -> selectors.AgingFilter:
    get = request.GET
    return selectors.AgingFilter(
        salesperson=get.get("salesperson", "").strip()[:150],
        region=get.get("region", "").strip()[:100],
        channel=get.get("channel", "").strip()[:20],
        customer=get.get("customer", "").strip()[:30],
    )


@login_required
def aging_page(request: HttpRequest) -> HttpResponse:
    """应收账款账龄: per customer and in total; ``?customer=&bucket=`` drills into the orders."""
    _may(request.user, p.VIEW_RECEIVABLES)
    f = _filters(request)
    bucket = request.GET.get("bucket", "")
    if bucket and bucket not in selectors.BUCKETS:
        bucket = ""
    report = selectors.aging(request.user, filters=f)
    drill = report.orders_in(f.customer, bucket) if f.customer else []
    labels = statements.bucket_labels()
    today = timezone.localdate()
    return render(
        request,
        "finance/aging.html",
        {
            "report": report,
            "f": f,
            "bucket": bucket,
            "drill": drill,
            "bucket_heads": list(labels.items()),
            "bucket_label": labels.get(bucket, ""),
            "channels": Channel.choices,
            "kinds": CommunicationKind.choices,
            "may_chase": p.may(request.user, p.CHASE_RECEIVABLES),
            "follow_up": today + timedelta(days=7),
            "today": today,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def aging_xlsx(request: HttpRequest) -> HttpResponse:
    _may(request.user, p.VIEW_RECEIVABLES)
    report = selectors.aging(request.user, filters=_filters(request))
    content = statements.aging_workbook(actor=request.user, report=report)
    return _file(content, f"receivables-aging-{report.today:%Y%m%d}.xlsx")


@login_required
@require_POST
def chase(request: HttpRequest) -> HttpResponse:
    """Log the chase of an aged amount in one step, then back to the drill it came from."""
    _may(request.user, p.CHASE_RECEIVABLES)
    post = request.POST
    back = post.get("back", "")
    if not back.startswith("/") or back.startswith("//"):
        back = reverse("web:finance_aging")
    try:
        services.log_collection_chase(
            actor=request.user,
            customer=post.get("customer", ""),
            order=post.get("order") or None,
            kind=post.get("kind", "call"),
            summary=post.get("summary", "")[:2000],
            follow_up_on=parse_date(post.get("follow_up_on", "") or ""),
        )
    except DomainError as exc:
        messages.error(request, prices.error_text(exc, request.user))
    except ValueError:
        messages.error(request, gettext("Enter a valid date."))
    else:
        messages.success(request, gettext("The chase is logged, with its follow-up."))
    return redirect(back)


def _range(request: HttpRequest) -> tuple[date, date]:
    today = timezone.localdate()
    try:
        until = parse_date(request.GET.get("until", "") or "") or today
        since = parse_date(request.GET.get("since", "") or "") or until - timedelta(days=365)
    except ValueError as exc:
        raise Http404 from exc
    since = min(since, until)
    if (until - since).days > selectors.MAX_RANGE_DAYS:
        since = until - timedelta(days=selectors.MAX_RANGE_DAYS)
    return since, until


def _ledger(request: HttpRequest, code: str) -> selectors.Ledger:
    _may(request.user, p.VIEW_RECEIVABLES)
    try:
        customer = get_customer_for(request.user, code)
    except DomainError as exc:
        raise Http404 from exc
    since, until = _range(request)
    return selectors.ledger(customer, since=since, until=until)


@login_required
def ledger_page(request: HttpRequest, code: str) -> HttpResponse:
    """销售台账: the customer's bookings, payments and credit notes with the running balance."""
    ledger = _ledger(request, code)
    return render(
        request,
        "finance/ledger.html",
        {
            "ledger": ledger,
            "kinds": statements.kind_labels(),
            "receivable": selectors.customer_receivable(ledger.customer),
            "query": urlencode({"since": ledger.since, "until": ledger.until}),
        },
    )


@login_required
def ledger_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    ledger = _ledger(request, code)
    content = statements.ledger_workbook(actor=request.user, ledger=ledger)
    return _file(
        content, f"ledger-{ledger.customer.code}-{ledger.since:%Y%m%d}-{ledger.until:%Y%m%d}.xlsx"
    )


@login_required
def statement_pdf(request: HttpRequest, code: str) -> HttpResponse:
    ledger = _ledger(request, code)
    language = request.GET.get("lang", "zh-hans")
    content = statements.statement_pdf(actor=request.user, ledger=ledger, language=language)
    suffix = "en" if language == "en" else "zh"
    return _file(
        content,
        f"statement-{ledger.customer.code}-{ledger.until:%Y%m%d}-{suffix}.pdf",
        "application/pdf",
    )


@login_required
def credit_notes(request: HttpRequest) -> HttpResponse:
    """The credit notes: issue one (sales manager, finance, customer service), confirm it
    (finance), newest first."""
    user = request.user
    if not (p.may(user, p.VIEW_RECEIVABLES) or p.may(user, p.ISSUE_CREDIT_NOTE)):
        raise PermissionDenied
    typed: dict[str, str] = {}
    if request.method == "POST":
        post = request.POST
        try:
            if post.get("confirm"):
                note = services.confirm_credit_note(actor=user, number=post["confirm"])
                messages.success(
                    request, gettext("Credit note %(n)s confirmed.") % {"n": note.number}
                )
            else:
                typed = {k: post.get(k, "") for k in ("customer", "order", "amount", "reason")}
                try:
                    amount = Decimal(typed["amount"].strip() or "0")
                except InvalidOperation:
                    amount = Decimal("0")
                note = services.issue_credit_note(
                    actor=user,
                    customer=typed["customer"],
                    order=typed["order"] or None,
                    amount=amount,
                    reason=typed["reason"][:2000],
                    source="finance.manual",
                )
                messages.success(request, gettext("Credit note %(n)s issued.") % {"n": note.number})
                typed = {}
        except DomainError as exc:
            messages.error(request, prices.error_text(exc, user))
        else:
            return redirect("web:finance_credit_notes")
    notes = list(selectors.visible_credit_notes(user)[:100])
    return render(
        request,
        "finance/credit_notes.html",
        {
            "notes": notes,
            "typed": typed,
            "issued": CreditNoteStatus.ISSUED,
            "may_issue": p.may(user, p.ISSUE_CREDIT_NOTE),
            "may_confirm": p.may(user, p.CONFIRM_CREDIT_NOTE),
            "customers": visible_customers(user).order_by("code").values_list("code", "name")[:500],
        },
    )


@login_required
def today_section(request: HttpRequest, key: str) -> HttpResponse:
    """Finance's Today section, drawn after Today has loaded (``sections.LAZY``)."""
    from gendan import extensions
    from gendan.accounts.roles import role_names
    from gendan.finance.sections import LAZY

    section = extensions.registry.today_sections.get(key)
    if key not in LAZY or section is None or not section.roles & set(role_names(request.user)):
        raise Http404
    request.finance_section = True  # type: ignore[attr-defined]
    data = section.build(request.user, timezone.localdate(), 50, request)
    return render(request, section.template, {"section": section, "data": data})
