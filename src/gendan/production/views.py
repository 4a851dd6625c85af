"""Production's pages: the lines and routings (master data overview), the floor's phone page
(a line's open work orders, a few taps to report the day), and the cockpit panel's chart."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext

from gendan import prices
from gendan.errors import DomainError
from gendan.production import permissions as p
from gendan.production import selectors
from gendan.production.models import DayPlan, ProductionLine, ScheduleBlock, SlipReason
from gendan.production.services import reports

PAGE_PERMS = (p.MANAGE_LINES, p.REPORT, p.CONFIRM_PLAN)


def _may_see(user: Any) -> None:
    if not any(user.can(code) for code in PAGE_PERMS):
        raise PermissionDenied


@login_required
def production_home(request: HttpRequest) -> HttpResponse:
    """The lines with their calendars and capacities, and the routings."""
    _may_see(request.user)
    context = {
        "lines": list(selectors.lines()),
        "routings": list(selectors.routings()),
        "weekdays": [WEEKDAYS_ABBR[d] for d in range(7)],
        "user_can_manage": request.user.can(p.MANAGE_LINES),
        "user_can_report": request.user.can(p.REPORT),
    }
    return render(request, "production/home.html", context)


def _day(raw: str | None) -> date:
    today = timezone.localdate()
    if not raw:
        return today
    try:
        day = date.fromisoformat(raw)
    except ValueError as exc:
        raise Http404 from exc
    return min(day, today)


def _int(raw: str | None) -> int:
    try:
        return int((raw or "0").strip() or 0)
    except ValueError:
        return -1


@login_required
def floor(request: HttpRequest, code: str) -> HttpResponse:
    """The phone page of a line (390 px wide): each open work order with the day's plan, what
    was reported, and a form. A refusal is shown on the work order's card with what was typed."""
    if not request.user.can(p.REPORT):
        raise PermissionDenied
    line = ProductionLine.objects.filter(code=code).first()
    if line is None:
        raise Http404
    day = _day(request.POST.get("day") or request.GET.get("day"))
    typed: dict[str, str] = {}
    error: tuple[str, str] | None = None
    if request.method == "POST":
        typed = {
            k: request.POST.get(k, "")
            for k in (
                "work_order",
                "good_qty",
                "defect_qty",
                "scrap_qty",
                "hours",
                "slip_reason",
                "note",
            )
        }
        try:
            hours = Decimal(typed["hours"] or "0")
        except InvalidOperation:
            hours = Decimal("-1")
        verb = reports.correct_report if request.POST.get("correct") else reports.record_report
        try:
            verb(
                work_order=typed["work_order"],
                day=day,
                good_qty=_int(typed["good_qty"]),
                defect_qty=_int(typed["defect_qty"]),
                scrap_qty=_int(typed["scrap_qty"]),
                hours=hours,
                slip_reason=typed["slip_reason"],
                note=typed["note"],
                actor=request.user,
            )
        except DomainError as exc:
            error = (typed["work_order"], prices.error_text(exc, request.user))
        else:
            messages.success(request, gettext("%(wo)s reported.") % {"wo": typed["work_order"]})
            return redirect(f"{request.path}?day={day.isoformat()}")
    rows = selectors.floor(line, day)
    plan = DayPlan.objects.filter(line=line, day=day).first()
    context = {
        "plan": plan,
        "line": line,
        "day": day,
        "yesterday": day - timedelta(days=1),
        "tomorrow": day + timedelta(days=1) if day < timezone.localdate() else None,
        "rows": rows,
        "reasons": SlipReason.choices,
        "typed": typed,
        "error": error,
        "lines": ProductionLine.objects.filter(active=True).order_by("code"),
    }
    return render(request, "production/floor.html", context, status=422 if error else 200)


@login_required
def today_section(request: HttpRequest, key: str) -> HttpResponse:
    """One of production's Today sections, drawn after Today has loaded (``sections.LAZY``)."""
    from gendan import extensions
    from gendan.accounts.roles import role_names
    from gendan.production.sections import LAZY

    section = extensions.registry.today_sections.get(key)
    if key not in LAZY or section is None or not section.roles & set(role_names(request.user)):
        raise Http404
    request.production_section = True  # type: ignore[attr-defined]
    data = section.build(request.user, timezone.localdate(), 50, request)
    return render(request, section.template, {"section": section, "data": data})


@login_required
def day_plan(request: HttpRequest, code: str) -> HttpResponse:
    """The day's plan of a line (default: tomorrow): propose it from the standard rates, edit a
    quantity, and confirm as the merchandiser, the workshop or the packing supervisor."""
    from gendan.production.services import plans

    if not request.user.can(p.CONFIRM_PLAN):
        raise PermissionDenied
    line = ProductionLine.objects.filter(code=code).first()
    if line is None:
        raise Http404
    raw = request.POST.get("day") or request.GET.get("day")
    try:
        day = date.fromisoformat(raw) if raw else timezone.localdate() + timedelta(days=1)
    except ValueError as exc:
        raise Http404 from exc
    if request.method == "POST":
        what = request.POST.get("what", "")
        try:
            if what == "propose":
                plans.propose_plan(line=code, day=day, actor=request.user)
            elif what == "edit":
                plans.edit_plan_item(
                    line=code,
                    day=day,
                    work_order=request.POST.get("work_order", ""),
                    planned_qty=_int(request.POST.get("planned_qty")),
                    note=request.POST.get("note", "")[:500],
                    actor=request.user,
                )
            elif what == "confirm":
                plans.confirm_plan(
                    line=code, day=day, as_=request.POST.get("as", ""), actor=request.user
                )
            else:
                raise Http404
        except DomainError as exc:
            messages.error(request, prices.error_text(exc, request.user))
        else:
            messages.success(request, gettext("Saved."))
        return redirect(f"{request.path}?day={day.isoformat()}")
    plan = (
        DayPlan.objects.filter(line=line, day=day)
        .select_related("merchandiser", "workshop_supervisor", "packing_supervisor")
        .prefetch_related("items__work_order__order")
        .first()
    )
    confirmations = []
    if plan is not None:
        for key, label in (
            ("merchandiser", gettext("Merchandiser")),
            ("workshop_supervisor", gettext("Workshop supervisor")),
            ("packing_supervisor", gettext("Packing supervisor")),
        ):
            confirmations.append(
                {
                    "key": key,
                    "label": label,
                    "who": getattr(plan, key),
                    "at": getattr(plan, f"{key}_at"),
                }
            )
    context = {"line": line, "day": day, "plan": plan, "confirmations": confirmations}
    return render(request, "production/day_plan.html", context)


@login_required
def outsourcing(request: HttpRequest) -> HttpResponse:
    """外发加工 on a phone: each open outsourced work order with what was sent, what came back
    and what is still out; a form to send goods out and one to count them back in (QC inspects
    the receipt; its good quantity then counts for the step)."""
    from gendan.production.services import outsourcing as out

    if not request.user.can(p.OUTSOURCE):
        raise PermissionDenied
    error: tuple[str, str] | None = None
    if request.method == "POST":
        wo = request.POST.get("work_order", "")
        what = request.POST.get("what", "")
        raw = request.POST.get("day") or ""
        try:
            day = date.fromisoformat(raw) if raw else None
        except ValueError:
            day = None
        try:
            if what == "send":
                out.send_out(
                    work_order=wo,
                    quantity=_int(request.POST.get("quantity")),
                    sent_on=day,
                    note=request.POST.get("note", "")[:500],
                    actor=request.user,
                )
            elif what == "receive":
                out.receive_back(
                    work_order=wo,
                    quantity=_int(request.POST.get("quantity")),
                    received_on=day,
                    note=request.POST.get("note", "")[:500],
                    actor=request.user,
                )
            else:
                raise Http404
        except DomainError as exc:
            error = (wo, prices.error_text(exc, request.user))
        else:
            messages.success(request, gettext("%(wo)s saved.") % {"wo": wo})
            return redirect(request.path)
    today = timezone.localdate()
    rows = selectors.outsourced(_visible_pks(request.user))
    context = {"rows": rows, "today": today, "error": error}
    return render(request, "production/outsourcing.html", context, status=422 if error else 200)


def _visible_pks(user: Any) -> Any:
    from gendan.orders.selectors import visible_orders

    return visible_orders(user).values("pk")


# ---- the weekly schedule ----------------------------------------------------------------------


def _week(raw: str | None) -> date:
    from gendan.production.services.schedule import week_of

    if not raw:
        return week_of(timezone.localdate())
    try:
        return week_of(date.fromisoformat(raw))
    except ValueError as exc:
        raise Http404 from exc


@login_required
def schedule(request: HttpRequest) -> HttpResponse:
    """The week's schedule (Gantt-like: a row per line, a column per day), each order's expected
    finish against its delivery date; generate it, and move a block (its effect, or why not)."""
    from gendan.production.services import schedule as service

    if not request.user.can(p.PLAN):
        raise PermissionDenied
    week = _week(request.POST.get("week") or request.GET.get("week"))
    url = f"{request.path}?week={week.isoformat()}"
    effect = None
    refusal = ""
    selected = _int(request.POST.get("block") or request.GET.get("block"))
    if request.method == "POST":
        what = request.POST.get("what", "")
        try:
            if what == "generate":
                service.generate_schedule(week=week, actor=request.user)
                messages.success(request, gettext("The schedule of the week is generated."))
                return redirect(url)
            if what == "move":
                raw_day = request.POST.get("day", "")
                try:
                    to_day = date.fromisoformat(raw_day)
                except ValueError:
                    to_day = None
                if to_day is None:
                    refusal = gettext("Choose a day.")
                else:
                    effect = service.move_block(
                        block=selected,
                        line=request.POST.get("line") or None,
                        day=to_day,
                        actor=request.user,
                    )
                    selected = -1
            else:
                raise Http404
        except DomainError as exc:
            refusal = prices.error_text(exc, request.user)
    run = service.run_covering(week)
    data = selectors.schedule_week(run, week) if run is not None else None
    block = None
    if run is not None and selected > 0:
        block = (
            ScheduleBlock.objects.filter(pk=selected, run=run)
            .select_related("work_order__order", "line")
            .first()
        )
    if data is not None:
        for row in data.rows:
            row["html"] = _row_html(row, week, block.pk if block else None)
    context = {
        "week": week,
        "previous": week - timedelta(days=7),
        "next": week + timedelta(days=7),
        "run": run,
        "data": data,
        "chosen": block,
        "effect": effect,
        "refusal": refusal,
        "lines": ProductionLine.objects.filter(active=True).order_by("code")
        if block is not None
        else [],
        "today": timezone.localdate(),
    }
    return render(request, "production/schedule.html", context, status=422 if refusal else 200)


def _row_html(row: dict[str, Any], week: date, chosen: int | None) -> str:
    """A line's seven cells, written here rather than in the template: the busiest week of a
    large factory has thousands of blocks, and the template's loop cost most of the page."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    code = escape(row["line"].code) if row["line"] is not None else "outsourced"
    monday = week.isoformat()
    out = []
    for i, cell in enumerate(row["cells"]):
        chips = []
        for b in cell.blocks:
            css = "blk" + (" late" if b["late"] else "") + (" sel" if b["pk"] == chosen else "")
            tail = f"→{b['until']:%m-%d}" if b["until"] else f"{b['hours']}h"
            order = escape(b["order"])
            chips.append(
                f'<a class="{css}" href="?week={monday}&amp;block={b["pk"]}#move" '
                f'data-block="{b["pk"]}" data-work-order="{escape(b["work_order"])}" '
                f'data-order="{order}">{order} {escape(b["step"])} <b>{b["quantity"]}</b> '
                f"<small>{tail}</small></a>"
            )
        out.append(f'<div role="cell" data-line="{code}" data-day="{i}">{"".join(chips)}</div>')
    return mark_safe("".join(out))  # every value above is escaped or a number


@login_required
def schedule_status(request: HttpRequest) -> HttpResponse:
    """The improvement's status, polled by htmx while the worker solves; reloads when done."""
    from gendan.production.models import ScheduleStatus
    from gendan.production.services import schedule as service

    if not request.user.can(p.PLAN):
        raise PermissionDenied
    week = _week(request.GET.get("week"))
    run = service.run_covering(week)
    response = render(request, "production/_schedule_status.html", {"run": run, "week": week})
    waiting = (ScheduleStatus.QUEUED, ScheduleStatus.RUNNING)
    if request.htmx and run is not None and run.status not in waiting:
        response["HX-Refresh"] = "true"
    return response
