"""Quality's pages: what waits for inspection (QC's list), the inspection form of an order
(on a phone: counts, defects by kind, photos), the concession, and the inspection plans."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from gendan import prices
from gendan.attachments import services as attachments
from gendan.errors import DomainError
from gendan.orders.selectors import get_order_for
from gendan.quality import aql, gates, selectors, services
from gendan.quality import permissions as p
from gendan.quality.models import DefectKind, InspectionKind, InspectionPlan, Method

PAGE_PERMS = (p.RECORD, p.MANAGE_PLANS, p.CONCEDE)


def _may_see(user: Any) -> None:
    if not any(user.can(code) for code in PAGE_PERMS):
        raise PermissionDenied


def _int(raw: str | None) -> int:
    try:
        return int((raw or "0").strip() or 0)
    except ValueError:
        return -1


def _defects(post: Any) -> dict[str, int]:
    return {kind: _int(post.get(f"defect_{kind}")) for kind in DefectKind.values}


def _photos(request: HttpRequest, inspection: Any) -> list[str]:
    """Attach the photos sent with an inspection; a refused file is said, the rest kept."""
    problems = []
    for upload in request.FILES.getlist("photos"):
        try:
            attachments.attach_file(
                actor=request.user,
                model="quality.inspection",
                key=str(inspection.pk),
                file=upload,
                name=upload.name,
            )
        except DomainError as exc:
            problems.append(f"{upload.name}: {prices.error_text(exc, request.user)}")
    return problems


@login_required
def quality_home(request: HttpRequest) -> HttpResponse:
    """QC's list: orders produced and waiting for the final inspection, receipts from outsourced
    steps to inspect (their form is here), and the latest inspections."""
    _may_see(request.user)
    error: tuple[int, str] | None = None
    if request.method == "POST":
        if not request.user.can(p.RECORD):
            raise PermissionDenied
        receipt = _int(request.POST.get("receipt"))
        try:
            inspection = services.record_inspection(
                kind=InspectionKind.OUTSOURCED,
                receipt=receipt,
                defects=_defects(request.POST),
                note=request.POST.get("note", "")[:500],
                actor=request.user,
            )
        except DomainError as exc:
            error = (receipt, prices.error_text(exc, request.user))
        else:
            for problem in _photos(request, inspection):
                messages.warning(request, problem)
            messages.success(
                request,
                gettext("%(n)s recorded: %(result)s.")
                % {"n": inspection.number, "result": inspection.get_result_display()},
            )
            return redirect(request.path)
    context = {
        "orders": list(selectors.awaiting_final(request.user)[:100]),
        "receipts": list(selectors.receipts_awaiting(request.user)[:100]),
        "recent": list(selectors.inspections(request.user)[:30]),
        "defect_kinds": DefectKind.choices,
        "error": error,
        "may_inspect": request.user.can(p.RECORD),
    }
    return render(request, "quality/home.html", context, status=422 if error else 200)


@login_required
def inspect(request: HttpRequest, number: str) -> HttpResponse:
    """An order's inspections and the form of a new one (final, or in-process while released);
    the sales manager's concession after a failed final inspection."""
    _may_see(request.user)
    try:
        order = get_order_for(request.user, number)
    except DomainError as exc:
        raise Http404 from exc
    error = ""
    typed: dict[str, Any] = {}
    if request.method == "POST":
        what = request.POST.get("what", "inspect")
        try:
            if what == "concession":
                services.accept_concession(
                    inspection=_int(request.POST.get("inspection")),
                    reason=request.POST.get("reason", "")[:500],
                    actor=request.user,
                )
                messages.success(request, gettext("Concession accepted."))
                return redirect(request.path)
            if what != "inspect":
                raise Http404
            typed = {k: v for k, v in request.POST.items() if k != "csrfmiddlewaretoken"}
            inspection = services.record_inspection(
                kind=request.POST.get("kind", InspectionKind.FINAL),
                order=number,
                lot_size=_int(request.POST.get("lot_size")) or None,
                defects=_defects(request.POST),
                checklist={item: True for item in request.POST.getlist("checked") if item.strip()},
                note=request.POST.get("note", "")[:500],
                actor=request.user,
            )
        except DomainError as exc:
            error = prices.error_text(exc, request.user)
        else:
            for problem in _photos(request, inspection):
                messages.warning(request, problem)
            messages.success(
                request,
                gettext("%(n)s recorded: %(result)s.")
                % {"n": inspection.number, "result": inspection.get_result_display()},
            )
            return redirect(request.path)
    families = services._families_of_order(order)
    method, level, items = services.method_of(services.plans_of(families))
    lot = services._lot_of_order(order)
    sampling = aql.plan_for(lot, level) if method == Method.AQL and level and lot else None
    history = selectors.of_order(order)
    planned, result, conceded = gates.gate_state(order)
    reasons = gates.reasons_of(planned, result, conceded)
    last_final = next((i for i in history if i.kind == InspectionKind.FINAL), None)
    context = {
        "order": order,
        "history": history,
        "planned": planned,
        "gate": reasons[0].message if reasons else "",
        "method": method,
        "aql": level,
        "items": items,
        "lot": lot,
        "sampling": sampling,
        "defect_kinds": DefectKind.choices,
        "kinds": [
            (InspectionKind.FINAL, InspectionKind.FINAL.label),
            (InspectionKind.IN_PROCESS, InspectionKind.IN_PROCESS.label),
        ],
        "typed": typed,
        "error": error,
        "may_inspect": request.user.can(p.RECORD),
        "concedable": (
            last_final
            if last_final is not None
            and last_final.result == "failed"
            and not hasattr(last_final, "concession")
            and request.user.can(p.CONCEDE)
            else None
        ),
        "today": timezone.localdate(),
    }
    return render(request, "quality/inspect.html", context, status=422 if error else 200)


@login_required
def plans(request: HttpRequest) -> HttpResponse:
    """The inspection plans per product family; QC edits them."""
    _may_see(request.user)
    if request.method == "POST":
        if not request.user.can(p.MANAGE_PLANS):
            raise PermissionDenied
        try:
            services.save_plan(
                family=request.POST.get("family", ""),
                final_required=bool(request.POST.get("final_required")),
                in_process_required=bool(request.POST.get("in_process_required")),
                method=request.POST.get("method", Method.AQL),
                aql_level=request.POST.get("aql") or None,
                checklist=request.POST.get("checklist", "").splitlines(),
                actor=request.user,
            )
        except DomainError as exc:
            messages.error(request, prices.error_text(exc, request.user))
        else:
            messages.success(request, gettext("Saved."))
        return redirect(request.path)
    context = {
        "plans": list(InspectionPlan.objects.order_by("family")),
        "levels": aql.LEVELS,
        "may_edit": request.user.can(p.MANAGE_PLANS),
    }
    return render(request, "quality/plans.html", context)


@login_required
def today_section(request: HttpRequest, key: str) -> HttpResponse:
    """One of quality's Today sections, drawn after Today has loaded (``sections.LAZY``)."""
    from gendan import extensions
    from gendan.accounts.roles import role_names
    from gendan.quality.sections import LAZY

    section = extensions.registry.today_sections.get(key)
    if key not in LAZY or section is None or not section.roles & set(role_names(request.user)):
        raise Http404
    request.quality_section = True  # type: ignore[attr-defined]
    data = section.build(request.user, timezone.localdate(), 50, request)
    return render(request, section.template, {"section": section, "data": data})
