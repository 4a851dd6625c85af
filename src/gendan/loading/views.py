"""Loading pages: plan a container, watch the plan run, the pictures and the loading sheet, the
count on a phone, closing, and the counting-error register."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_POST

from gendan import prices
from gendan.accounts.permissions import Perm
from gendan.errors import DomainError, Kind
from gendan.exports.models import ExportFormat, ExportKind
from gendan.exports.services import record_export
from gendan.loading import pictures, selectors
from gendan.loading.excel import export_counting_errors
from gendan.loading.forms import ContainerTypeForm
from gendan.loading.models import ContainerType, ErrorSource, LoadingPlan, PlanStatus
from gendan.loading.permissions import LoadingPerm
from gendan.loading.services import container_types, counting_errors, counts, plans
from gendan.shipping.documents import font_url, render_pdf

TIME_LIMITS = (5, 30, 60)
COUNT_NUMBER_REQUIRED = gettext_lazy("Enter the number of cartons counted (0 or more).")
CHEAPEST = {"cheapest:container": "container", "cheapest:truck": "truck"}


def _plan(request: HttpRequest, number: str) -> LoadingPlan:
    try:
        return selectors.get_plan(request.user, number)
    except DomainError as exc:
        if exc.kind == Kind.FORBIDDEN:
            raise PermissionDenied(str(exc.message)) from exc
        raise Http404(str(exc.message)) from exc


def _to_plan(number: str, fragment: str = "") -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("web:loading_plan", args=[number]) + fragment)


@login_required
def loading_home(request: HttpRequest) -> HttpResponse:
    """Shipping notices waiting for a container, the form to plan them, the recent plans."""
    if not request.user.can(Perm.VIEW_ALL):
        raise PermissionDenied
    chosen = set(request.POST.getlist("notices") or request.GET.getlist("notice"))
    orders = request.POST.get("orders", request.GET.get("order", ""))
    form = {
        "orders": orders,
        "container": request.POST.get("container", "40HQ"),
        "time_limit": request.POST.get("time_limit", "5"),
        "keep_orders_together": request.POST.get("keep_orders_together") == "on",
    }
    if request.method == "POST":
        container = form["container"]
        try:
            plan = plans.request_loading_plan(
                actor=request.user,
                notices=sorted(chosen),
                orders=orders.replace(",", " ").split(),
                container_type=None if container in CHEAPEST else container,
                kind=CHEAPEST.get(container, "container"),
                time_limit_s=int(form["time_limit"]) if form["time_limit"].isdigit() else 0,
                keep_orders_together=form["keep_orders_together"],
            )
        except DomainError as exc:
            messages.error(request, prices.error_text(exc, request.user))
        else:
            return _to_plan(plan.number)
    context = {
        "notices": selectors.notices_waiting(request.user),
        "chosen": chosen,
        "types": selectors.container_types(),
        "time_limits": TIME_LIMITS,
        "form": form,
        "plans": selectors.recent_plans(request.user),
        "can_plan": request.user.can(LoadingPerm.PLAN_LOADING),
    }
    return render(request, "loading/home.html", context)


def _containers(plan: LoadingPlan, by: str) -> list[dict[str, Any]]:
    """Each planned container with its pictures and the items' names for its walls."""
    items = selectors.plan_items(plan)
    shown = []
    for c in plan.containers:
        shown.append(
            {
                **c,
                "volume_pct": round(c["volume_utilisation"] * 100, 1),
                "weight_pct": round(c["weight_utilisation"] * 100, 1),
                "cartons": len(c["placements"]),
                "iso": pictures.isometric_view(c, items, by=by),
                "side": pictures.side_view(c, items, by=by),
                "door": pictures.door_view(c, items, by=by, width_px=300),
            }
        )
    return shown


def _left_behind(plan: LoadingPlan) -> list[dict[str, Any]]:
    items = selectors.plan_items(plan)
    return [{**row, **items[row["item"]]} for row in plan.left_behind]


@login_required
def plan_detail(request: HttpRequest, number: str) -> HttpResponse:
    plan = _plan(request, number)
    by = "order" if request.GET.get("by") == "order" else "product"
    items = selectors.plan_items(plan)
    context: dict[str, Any] = {
        "plan": plan,
        "by": by,
        "running": plan.status in (PlanStatus.QUEUED, PlanStatus.RUNNING),
        "progress_pct": round(plan.progress * 100),
        "items": items,
        "legend": pictures.colour_key(items, by) if plan.is_planned else [],
        "containers": _containers(plan, by) if plan.is_planned else [],
        "left_behind": _left_behind(plan) if plan.is_planned else [],
        "check": counts.count_check(plan) if plan.is_planned else None,
        "counters": sorted({c.counted_by.username for c in plan.counts.all()})
        if plan.is_planned
        else [],
        "sources": ErrorSource.choices,
        "can_count": request.user.can(LoadingPerm.COUNT_LOADING),
        "can_close": request.user.can(LoadingPerm.CLOSE_LOADING),
        "can_accept": request.user.can(LoadingPerm.ACCEPT_LOADING_DIFFERENCE),
        "can_record_error": request.user.can(LoadingPerm.RECORD_COUNTING_ERROR),
        "errors": list(plan.counting_errors.select_related("person", "product"))
        if request.user.can(LoadingPerm.VIEW_COUNTING_ERRORS)
        else None,
    }
    return render(request, "loading/plan.html", context)


@login_required
def plan_progress(request: HttpRequest, number: str) -> HttpResponse:
    """The progress bar, polled by htmx while the plan runs; reloads the page when it is done."""
    plan = _plan(request, number)
    response = render(
        request,
        "loading/_progress.html",
        {"plan": plan, "progress_pct": round(plan.progress * 100)},
    )
    if plan.status not in (PlanStatus.QUEUED, PlanStatus.RUNNING) and request.htmx:
        response["HX-Refresh"] = "true"
    return response


def _count_rows(plan: LoadingPlan, check: counts.CountCheck, container: int, by: str) -> list[Any]:
    rows = [r for r in check.rows if r.container == container]
    if by == "product" and not any(r.product for r in rows):
        # Not counted by product yet: offer the products of this container.
        rows = counts.product_rows(plan, container)
    if by == "wall" and any(r.product for r in rows):
        rows = []
    return rows


@login_required
def plan_count(request: HttpRequest, number: str) -> HttpResponse:
    """The count on a phone: one line per wall (or product) of one container; each line is saved
    on its own and shows the difference at once."""
    plan = _plan(request, number)
    if not plan.is_planned:
        return _to_plan(number)
    by = "product" if request.GET.get("by", request.POST.get("by")) == "product" else "wall"
    try:
        container = int(request.GET.get("container", request.POST.get("container", "1")))
    except ValueError:
        container = 1
    if not any(c["index"] == container for c in plan.containers):
        container = 1
    error = ""
    if request.method == "POST":
        counted = request.POST.get("counted", "").strip()
        target = request.POST.get("target", "")
        scanned = request.POST.get("scan", "").strip()
        try:
            if scanned:
                by = "product"
                counts.record_scan(
                    actor=request.user, plan=number, container=container, product=scanned
                )
            elif not counted.isdigit():
                raise DomainError(
                    "invalid_quantity",
                    COUNT_NUMBER_REQUIRED,
                    kind=Kind.INVALID,
                )
            else:
                counts.record_count(
                    actor=request.user,
                    plan=number,
                    container=container,
                    counted=int(counted),
                    wall=int(target) if by == "wall" and target.isdigit() else None,
                    product=target if by == "product" else None,
                )
        except DomainError as exc:
            error = str(exc.message)
            if not request.htmx:
                messages.error(request, error)
        if not request.htmx:
            return HttpResponseRedirect(
                reverse("web:loading_count", args=[number]) + f"?container={container}&by={by}"
            )
        plan = _plan(request, number)
    entry = next((c for c in plan.containers if c["index"] == container), None)
    check = counts.count_check(plan)
    walls = {w["number"]: w for w in entry["walls"]} if entry else {}
    context = {
        "plan": plan,
        "by": by,
        "container": container,
        "entry": entry,
        "rows": [
            {"row": r, "wall": walls.get(r.wall)} for r in _count_rows(plan, check, container, by)
        ],
        "check": check,
        "error": error,
        "can_count": request.user.can(LoadingPerm.COUNT_LOADING) and not plan.is_closed,
    }
    if request.htmx and request.method == "POST":
        return render(request, "loading/_count_table.html", context)
    return render(request, "loading/count.html", context)


@login_required
@require_POST
def plan_close(request: HttpRequest, number: str) -> HttpResponse:
    try:
        counts.close_loading(
            actor=request.user,
            plan=number,
            accept_difference=request.POST.get("accept_difference", ""),
        )
    except DomainError as exc:
        messages.error(request, prices.error_text(exc, request.user))
        reasons = exc.details.get("reasons") or []
        for reason in reasons[1:]:
            messages.error(request, prices.redact_reason(reason, request.user)["message"])
    else:
        messages.success(request, gettext("The loading is closed."))
    return _to_plan(number, "#close")


@login_required
@require_POST
def counting_error_new(request: HttpRequest, number: str) -> HttpResponse:
    fields = ("expected", "actual")
    try:
        values = {f: int(request.POST.get(f, "")) for f in fields}
    except ValueError:
        messages.error(request, str(COUNT_NUMBER_REQUIRED))
        return _to_plan(number, "#errors")
    try:
        counting_errors.record_counting_error(
            actor=request.user,
            plan=number,
            person=request.POST.get("person", ""),
            product=request.POST.get("product") or None,
            source=request.POST.get("source", ErrorSource.RECOUNT),
            note=request.POST.get("note", ""),
            **values,
        )
    except DomainError as exc:
        messages.error(request, prices.error_text(exc, request.user))
    return _to_plan(number, "#errors")


def _sheet_context(request: HttpRequest, plan: LoadingPlan, *, for_pdf: bool) -> dict[str, Any]:
    items = selectors.plan_items(plan)
    containers = []
    for c in _containers(plan, "product"):
        # Each wall alone, seen from the door: what the crew builds at that step.
        c["wall_pictures"] = {
            w["number"]: pictures.door_view(
                {**c, "placements": [p for p in c["placements"] if p["wall"] == w["number"]]},
                items,
                width_px=160,
            )
            for w in c["walls"]
        }
        containers.append(c)
    return {
        "plan": plan,
        "items": items,
        "legend": pictures.colour_key(items, "product"),
        "containers": containers,
        "left_behind": _left_behind(plan),
        "font_url": font_url(for_pdf=for_pdf),
        "printed_at": timezone.now(),
    }


@login_required
def loading_sheet(request: HttpRequest, number: str) -> HttpResponse:
    plan = _plan(request, number)
    if not plan.is_planned:
        return _to_plan(number)
    return render(request, "loading/sheet_page.html", _sheet_context(request, plan, for_pdf=False))


@login_required
def loading_sheet_pdf(request: HttpRequest, number: str) -> HttpResponse:
    plan = _plan(request, number)
    if not plan.is_planned:
        return _to_plan(number)
    context = _sheet_context(request, plan, for_pdf=True)
    html = render_to_string("loading/sheet_pdf.html", context, request=request)
    content = render_pdf(html)
    record_export(
        actor=request.user,
        what=ExportKind.LOADING_SHEET,
        filters={"plan": plan.number},
        rows=len(context["items"]),
        fmt=ExportFormat.PDF,
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="loading-sheet-{plan.number}.pdf"'
    return response


def _register_filter(request: HttpRequest) -> dict[str, Any]:
    return {
        "person": request.GET.get("person", "").strip() or None,
        "since": parse_date(request.GET.get("since", "") or "") or None,
        "until": parse_date(request.GET.get("until", "") or "") or None,
    }


@login_required
def counting_error_register(request: HttpRequest) -> HttpResponse:
    filters = _register_filter(request)
    try:
        rows = selectors.counting_errors(request.user, **filters)
    except DomainError as exc:
        raise PermissionDenied(str(exc.message)) from exc
    context = {
        "rows": rows[:500],
        "totals": selectors.penalties_by_person(rows),
        "filters": filters,
        "query": request.GET.urlencode(),
    }
    return render(request, "loading/register.html", context)


@login_required
def counting_error_export(request: HttpRequest) -> HttpResponse:
    try:
        rows = selectors.counting_errors(request.user, **_register_filter(request))
        content = export_counting_errors(
            rows, actor=request.user, filters=_register_filter(request)
        )
    except DomainError as exc:
        raise PermissionDenied(str(exc.message)) from exc
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="counting-errors-{stamp}.xlsx"'
    return response


@login_required
def container_type_list(request: HttpRequest) -> HttpResponse:
    context = {
        "types": selectors.container_types(active_only=False),
        "can_edit": request.user.can(LoadingPerm.MANAGE_CONTAINER_TYPES),
    }
    return render(request, "loading/container_types.html", context)


@login_required
def container_type_edit(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """Create or change a container or truck type (the service checks sizes and the door)."""
    if not request.user.can(LoadingPerm.MANAGE_CONTAINER_TYPES):
        raise PermissionDenied
    existing = ContainerType.objects.filter(code=code).first() if code else None
    if code and existing is None:
        raise Http404(code)
    form = ContainerTypeForm(request.POST or None, instance=existing)
    if not prices.sees_prices(request.user):  # the cost is an amount: kept as it is, never shown
        del form.fields["cost"]
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "code"}
        try:
            container_types.save_container_type(
                actor=request.user, code=code or form.cleaned_data["code"], **values
            )
        except DomainError as exc:
            form.add_error(exc.details.get("field") or None, str(exc.message))
        else:
            messages.success(request, gettext("Saved."))
            return HttpResponseRedirect(reverse("web:container_types"))
    return render(request, "loading/container_type_form.html", {"form": form, "code": code})
