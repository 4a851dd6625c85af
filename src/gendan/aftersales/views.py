"""After-sales' pages: the sample register and one sample's steps (photos from the phone), the
complaints and one complaint (confirm or reject, resolve, close), the daily complaint summary
(and its Excel), the new-product campaigns and the sample-to-order rate."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext

from gendan import prices
from gendan.accounts.permissions import Perm
from gendan.aftersales import excel, selectors, services
from gendan.aftersales import permissions as p
from gendan.aftersales.models import (
    ComplaintKind,
    ExchangeStep,
    SampleSource,
)
from gendan.attachments import filetypes
from gendan.attachments import services as attachments
from gendan.attachments.selectors import files_of
from gendan.catalog.models import Product
from gendan.errors import DomainError
from gendan.finance.permissions import ISSUE_CREDIT_NOTE
from gendan.loading.permissions import LoadingPerm
from gendan.parties.models import Channel, Customer
from gendan.parties.selectors import visible_customers

SAMPLE_PERMS = (p.REQUEST_SAMPLE, p.HANDLE_SAMPLES)
COMPLAINT_PERMS = (p.LOG_COMPLAINT, p.DECIDE_COMPLAINT, p.RESOLVE_COMPLAINT, p.REQUEST_SAMPLE)


def _may(user: Any, perms: tuple[str, ...]) -> None:
    if not any(user.can(code) for code in perms):
        raise PermissionDenied


def _date(raw: str | None) -> date | None:
    try:
        return parse_date((raw or "").strip()) if raw else None
    except ValueError:
        return None


def _int(raw: str | None, default: int = 0) -> int:
    try:
        return int((raw or "").strip() or default)
    except ValueError:
        return -1


def _photos(request: HttpRequest, model: str, key: str) -> list[str]:
    """Attach the photos sent with a form; a refused file is said, the rest kept."""
    problems = []
    for upload in request.FILES.getlist("photos"):
        try:
            attachments.attach_file(
                actor=request.user, model=model, key=key, file=upload, name=upload.name
            )
        except DomainError as exc:
            problems.append(f"{upload.name}: {prices.error_text(exc, request.user)}")
    return problems


def _typed(request: HttpRequest) -> dict[str, str]:
    return {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}


def _products() -> list[Product]:
    return list(Product.objects.filter(active=True).order_by("code").only("code", "name"))


# ---- samples -----------------------------------------------------------------------------------


@login_required
def samples(request: HttpRequest) -> HttpResponse:
    """The sample register and the request form."""
    _may(request.user, SAMPLE_PERMS)
    error, typed = "", {}
    if request.method == "POST":
        if not request.user.can(p.REQUEST_SAMPLE):
            raise PermissionDenied
        typed = _typed(request)
        try:
            sample = services.request_sample(
                actor=request.user,
                customer=request.POST.get("customer", ""),
                prospect=request.POST.get("prospect", ""),
                product=request.POST.get("product", ""),
                description=request.POST.get("description", ""),
                quantity=_int(request.POST.get("quantity"), 1),
                purpose=request.POST.get("purpose", ""),
                needed_by=_date(request.POST.get("needed_by")),
            )
        except DomainError as exc:
            error = prices.error_text(exc, request.user)
        else:
            messages.success(request, gettext("%(n)s requested.") % {"n": sample.number})
            return redirect("web:aftersales_sample", sample.number)
    status = request.GET.get("status", "")
    qs = selectors.samples(request.user)
    if status:
        qs = qs.filter(status=status)
    context = {
        "samples": list(qs[:200]),
        "status": status,
        "customers": list(visible_customers(request.user).order_by("code").only("code", "name")),
        "products": _products(),
        "may_request": request.user.can(p.REQUEST_SAMPLE),
        "typed": typed,
        "error": error,
    }
    return render(request, "aftersales/samples.html", context, status=422 if error else 200)


SAMPLE_STEPS = {
    "accept": lambda r, n: services.accept_sample(actor=r.user, number=n),
    "made": lambda r, n: services.record_sample_made(
        actor=r.user,
        number=n,
        source=r.POST.get("source", ""),
        started_on=_date(r.POST.get("started_on")),
        made_on=_date(r.POST.get("made_on")),
    ),
    "review": lambda r, n: services.review_sample(
        actor=r.user, number=n, note=r.POST.get("note", "")
    ),
    "send": lambda r, n: services.send_sample(
        actor=r.user,
        number=n,
        courier=r.POST.get("courier", ""),
        tracking_number=r.POST.get("tracking_number", ""),
        sent_on=_date(r.POST.get("sent_on")),
    ),
    "received": lambda r, n: services.confirm_sample_received(
        actor=r.user,
        number=n,
        received_by=r.POST.get("received_by", ""),
        received_on=_date(r.POST.get("received_on")),
    ),
    "feedback": lambda r, n: services.record_sample_feedback(
        actor=r.user, number=n, feedback=r.POST.get("feedback", "")
    ),
    "order": lambda r, n: services.link_sample_order(
        actor=r.user, number=n, order_number=r.POST.get("order", "").strip()
    ),
    "keep": lambda r, n: services.keep_sample(
        actor=r.user, number=n, where=r.POST.get("where", "")
    ),
}


@login_required
def sample_detail(request: HttpRequest, number: str) -> HttpResponse:
    """One sample: its steps, its photos (from the phone's camera), the form of the next step."""
    _may(request.user, SAMPLE_PERMS)
    try:
        sample = selectors.get_sample_for(request.user, number)
    except DomainError as exc:
        raise Http404 from exc
    error, typed = "", {}
    if request.method == "POST":
        what = request.POST.get("what", "")
        typed = _typed(request)
        if what == "photo":
            problems = _photos(request, "aftersales.sample", sample.number)
            if not request.FILES.getlist("photos"):
                error = gettext("Choose a photo to attach.")
            elif problems:
                error = "; ".join(problems)
            else:
                messages.success(request, gettext("Photo filed."))
                return redirect(request.path)
        elif what in SAMPLE_STEPS:
            try:
                SAMPLE_STEPS[what](request, number)
            except DomainError as exc:
                error = prices.error_text(exc, request.user)
            else:
                messages.success(request, gettext("Saved."))
                return redirect(request.path)
        else:
            raise Http404
    photos = list(files_of(sample))
    context = {
        "sample": sample,
        "photos": photos,
        "send_reasons": services.send_reasons(sample, photos=len(photos)),
        "may_handle": request.user.can(p.HANDLE_SAMPLES),
        "may_request": request.user.can(p.REQUEST_SAMPLE),
        "may_attach": request.user.can("attach_files"),
        "accept": filetypes.accept_attribute(attachments.allowed_kinds()),
        "sources": SampleSource.choices,
        "today": timezone.localdate(),
        "typed": typed,
        "error": error,
    }
    return render(request, "aftersales/sample.html", context, status=422 if error else 200)


@login_required
def sample_rate(request: HttpRequest) -> HttpResponse:
    """The sample-to-order rate per salesperson and product."""
    _may(request.user, SAMPLE_PERMS)
    return render(request, "aftersales/rate.html", {"rows": selectors.sample_rate(request.user)})


@login_required
def campaigns(request: HttpRequest) -> HttpResponse:
    """New-product campaigns: one product sent to every store of a region (or all)."""
    _may(request.user, SAMPLE_PERMS)
    error, typed = "", {}
    if request.method == "POST":
        if not request.user.can(p.HANDLE_SAMPLES):
            raise PermissionDenied
        typed = _typed(request)
        try:
            campaign = services.launch_campaign(
                actor=request.user,
                product=request.POST.get("product", ""),
                region=request.POST.get("region", ""),
                quantity=_int(request.POST.get("quantity"), 1),
                note=request.POST.get("note", ""),
                needed_by=_date(request.POST.get("needed_by")),
            )
        except DomainError as exc:
            error = prices.error_text(exc, request.user)
        else:
            messages.success(request, gettext("%(n)s launched.") % {"n": campaign.number})
            return redirect(request.path)
    regions = (
        Customer.objects.filter(channel=Channel.STORE)
        .exclude(region="")
        .values_list("region", flat=True)
        .distinct()
        .order_by("region")
    )
    context = {
        "campaigns": list(selectors.campaigns(request.user)[:100]),
        "products": _products(),
        "regions": list(regions),
        "may_launch": request.user.can(p.HANDLE_SAMPLES),
        "typed": typed,
        "error": error,
    }
    return render(request, "aftersales/campaigns.html", context, status=422 if error else 200)


# ---- complaints --------------------------------------------------------------------------------


@login_required
def complaints(request: HttpRequest) -> HttpResponse:
    """The complaints and the form to log one (from a call, a letter or a visit)."""
    _may(request.user, COMPLAINT_PERMS)
    error, typed = "", {}
    if request.method == "POST":
        if not request.user.can(p.LOG_COMPLAINT):
            raise PermissionDenied
        typed = _typed(request)
        try:
            complaint = services.log_complaint(
                actor=request.user,
                customer=request.POST.get("customer", ""),
                kind=request.POST.get("kind", ""),
                description=request.POST.get("description", ""),
                order=request.POST.get("order", "").strip(),
                line_no=_int(request.POST.get("line_no")) or None,
                product=request.POST.get("product", ""),
                quantity=_int(request.POST.get("quantity")),
                communication=_int(request.POST.get("communication")) or None,
                cause_code=request.POST.get("cause_code", ""),
            )
        except DomainError as exc:
            error = prices.error_text(exc, request.user)
        else:
            problems = _photos(request, "aftersales.complaint", complaint.number)
            for problem in problems:
                messages.warning(request, problem)
            messages.success(request, gettext("%(n)s logged.") % {"n": complaint.number})
            return redirect("web:aftersales_complaint", complaint.number)
    status = request.GET.get("status", "")
    qs = selectors.complaints(request.user)
    if status:
        qs = qs.filter(status=status)
    context = {
        "complaints": list(qs[:200]),
        "status": status,
        "customers": list(visible_customers(request.user).order_by("code").only("code", "name")),
        "products": _products(),
        "kinds": ComplaintKind.choices,
        "may_log": request.user.can(p.LOG_COMPLAINT),
        "typed": typed,
        "error": error,
    }
    return render(request, "aftersales/complaints.html", context, status=422 if error else 200)


def _money(raw: str | None) -> Decimal:
    try:
        return Decimal((raw or "0").strip() or "0")
    except InvalidOperation:
        return Decimal("-1")


def _replacement(request: HttpRequest, number: str) -> Any:
    sees = request.user.can(Perm.VIEW_PRICES)
    lines = []
    for i in range(5):
        product = request.POST.get(f"lines-{i}-product", "").strip()
        if not product:
            continue
        lines.append(
            services.ReplacementLine(
                product=product,
                quantity=_int(request.POST.get(f"lines-{i}-quantity")),
                unit_price=_money(request.POST.get(f"lines-{i}-unit_price"))
                if sees
                else Decimal(0),
            )
        )
    return services.issue_replacement_order(
        actor=request.user,
        number=number,
        lines=lines,
        due_on=_date(request.POST.get("due_on")),
        owner=request.POST.get("owner", ""),
        note=request.POST.get("note", ""),
    )


COMPLAINT_STEPS = {
    "confirm": lambda r, n: services.confirm_complaint(actor=r.user, number=n),
    "reject": lambda r, n: services.reject_complaint(
        actor=r.user, number=n, reason=r.POST.get("reason", "")
    ),
    "replacement": _replacement,
    "exchange": lambda r, n: services.open_exchange(
        actor=r.user,
        number=n,
        due_on=_date(r.POST.get("due_on")),
        owner=r.POST.get("owner", ""),
        note=r.POST.get("note", ""),
    ),
    "exchange_step": lambda r, n: services.record_exchange_step(
        actor=r.user,
        resolution=_int(r.POST.get("resolution")),
        step=r.POST.get("step", ""),
        on=_date(r.POST.get("on")),
    ),
    "credit_note": lambda r, n: services.resolve_by_credit_note(
        actor=r.user,
        number=n,
        amount=_money(r.POST.get("amount")),
        reason=r.POST.get("reason", ""),
        due_on=_date(r.POST.get("due_on")),
        owner=r.POST.get("owner", ""),
        note=r.POST.get("note", ""),
    ),
    "count_error": lambda r, n: services.record_count_error(
        actor=r.user,
        number=n,
        plan=r.POST.get("plan", ""),
        person=r.POST.get("person", "").strip(),
        expected=_int(r.POST.get("expected")),
        actual=_int(r.POST.get("actual")),
        note=r.POST.get("note", ""),
    ),
    "close_resolution": lambda r, n: services.close_resolution(
        actor=r.user, resolution=_int(r.POST.get("resolution"))
    ),
    "close": lambda r, n: services.close_complaint(actor=r.user, number=n),
}


@login_required
def complaint_detail(request: HttpRequest, number: str) -> HttpResponse:
    _may(request.user, COMPLAINT_PERMS)
    try:
        complaint = selectors.get_complaint_for(request.user, number)
    except DomainError as exc:
        raise Http404 from exc
    error, typed = "", {}
    if request.method == "POST":
        what = request.POST.get("what", "")
        typed = _typed(request)
        if what == "photo":
            problems = _photos(request, "aftersales.complaint", complaint.number)
            if problems:
                error = "; ".join(problems)
            else:
                return redirect(request.path)
        elif what in COMPLAINT_STEPS:
            try:
                COMPLAINT_STEPS[what](request, number)
            except DomainError as exc:
                error = prices.error_text(exc, request.user)
            else:
                messages.success(request, gettext("Saved."))
                return redirect(request.path)
        else:
            raise Http404
    resolutions = selectors.resolutions_of(complaint)
    for r in resolutions:
        r.close_reasons = services.close_reasons(r)  # type: ignore[attr-defined]
        if r.kind == "exchange":
            done = [s for s in services.EXCHANGE_ORDER if getattr(r, f"{s}_on")]
            r.next_step = (  # type: ignore[attr-defined]
                ExchangeStep(services.EXCHANGE_ORDER[len(done)])
                if len(done) < len(services.EXCHANGE_ORDER)
                else None
            )
    user = request.user
    may_decide = user.can(p.DECIDE_COMPLAINT) and (
        complaint.manager_id is None or complaint.manager_id == user.pk
    )
    context = {
        "complaint": complaint,
        "photos": list(files_of(complaint)),
        "resolutions": resolutions,
        "resolve_reasons": services.resolve_reasons(complaint),
        "may_decide": may_decide and complaint.status == "logged",
        "may_resolve": user.can(p.RESOLVE_COMPLAINT),
        "may_credit": user.can(ISSUE_CREDIT_NOTE) and user.can(Perm.VIEW_PRICES),
        "count_plans": selectors.loading_plans_of(complaint)
        if complaint.kind == "count"
        and not complaint.counting_error_id
        and user.can(LoadingPerm.RECORD_COUNTING_ERROR)
        else [],
        "may_attach": user.can("attach_files"),
        "show_prices": user.can(Perm.VIEW_PRICES),
        "accept": filetypes.accept_attribute(attachments.allowed_kinds()),
        "products": _products(),
        "line_rows": range(3),
        "typed": typed,
        "error": error,
    }
    return render(request, "aftersales/complaint.html", context, status=422 if error else 200)


@login_required
def complaint_summary(request: HttpRequest) -> HttpResponse:
    """每天的客户投诉进行汇总: the day's complaints and the open ones with their age; Excel."""
    _may(request.user, COMPLAINT_PERMS)
    day = _date(request.GET.get("day")) or timezone.localdate()
    data = selectors.summary_rows(request.user, day)
    if request.GET.get("format") == "xlsx":
        try:
            body = excel.export_complaint_summary(data, actor=request.user)
        except DomainError as exc:
            raise PermissionDenied from exc
        response = HttpResponse(
            body,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="complaints-{day:%Y-%m-%d}.xlsx"'
        return response
    kinds = dict(ComplaintKind.choices)
    context = {
        **data,
        "kind_counts": [(kinds.get(k, k), n) for k, n in sorted(data["by_kind"].items())],
        "may_export": request.user.can(p.EXPORT_SUMMARY),
    }
    return render(request, "aftersales/summary.html", context)


@login_required
def today_section(request: HttpRequest, key: str) -> HttpResponse:
    """One of after-sales' Today sections, drawn after Today has loaded."""
    from gendan import extensions
    from gendan.accounts.roles import role_names
    from gendan.aftersales.contributions import SECTIONS

    section = extensions.registry.today_sections.get(key)
    if key not in SECTIONS or section is None or not section.roles & set(role_names(request.user)):
        raise Http404
    request.aftersales_section = True  # type: ignore[attr-defined]
    data = section.build(request.user, timezone.localdate(), 50, request)
    return render(request, section.template, {"section": section, "data": data})
