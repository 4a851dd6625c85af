"""Production's editable master data: a line (create, update), its calendar exceptions and
capacities, the company holidays, a routing with its steps. Every write goes through
``services.masterdata`` (permission ``manage_production_lines``); a refusal is shown next to
its field in the user's language, with everything typed kept."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext

from gendan import prices
from gendan.errors import DomainError, invalid
from gendan.production import permissions as p
from gendan.production.errors import Code
from gendan.production.models import CompanyHoliday, ProductionLine, Routing
from gendan.production.services import masterdata

#: blank step rows a routing form offers after its steps
SPARE_STEPS = 3
MAX_STEPS = 30


def _require(request: HttpRequest) -> None:
    if not request.user.can(p.MANAGE_LINES):
        raise PermissionDenied


def _attempt(request: HttpRequest, write: Callable[[], Any]) -> tuple[str, str] | None:
    """Run a write; a refusal as (field, message in the user's language)."""
    try:
        write()
    except DomainError as exc:
        return str(exc.details.get("field", "")), prices.error_text(exc, request.user)
    return None


def _int(raw: str, field: str) -> int:
    try:
        return int((raw or "").strip())
    except ValueError as exc:
        raise invalid(
            Code.INVALID_MASTER_DATA, gettext("Not a whole number."), field=field
        ) from exc


def _day(raw: str, field: str = "day") -> date:
    try:
        return date.fromisoformat((raw or "").strip())
    except ValueError as exc:
        raise invalid(
            Code.INVALID_MASTER_DATA, gettext("Not a date (YYYY-MM-DD)."), field=field
        ) from exc


LINE_INPUTS = ("code", "name", "kind", "shifts_per_day", "hours_per_shift")


@login_required
def line_form(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """A line's form (new when ``code`` is None); on its page also its exceptions and
    capacities."""
    _require(request)
    line = None
    if code is not None:
        line = (
            ProductionLine.objects.prefetch_related("exceptions", "capacities")
            .filter(code=code)
            .first()
        )
        if line is None:
            raise Http404
    typed: dict[str, Any] = {}
    error: tuple[str, str] | None = None
    what = request.POST.get("what", "line") if request.method == "POST" else ""
    if what == "line":
        typed = {k: request.POST.get(k, "").strip() for k in LINE_INPUTS}
        typed["days_off"] = request.POST.getlist("days_off")
        typed["active"] = bool(request.POST.get("active"))

        def write() -> None:
            values = {
                "name": typed["name"],
                "kind": typed["kind"],
                "shifts_per_day": _int(typed["shifts_per_day"], "shifts_per_day"),
                "hours_per_shift": typed["hours_per_shift"],
                "days_off": [_int(d, "days_off") for d in typed["days_off"]],
                "active": typed["active"],
            }
            if line is None:
                masterdata.create_line(code=typed["code"], actor=request.user, **values)
            else:
                masterdata.update_line(code=line.code, actor=request.user, **values)

        error = _attempt(request, write)
        if error is None:
            messages.success(request, gettext("Saved."))
            return redirect(reverse("web:production_line_edit", args=[typed["code"] or code]))
    elif what == "exception" and line is not None:
        typed = {k: request.POST.get(k, "") for k in ("day", "hours", "note")}
        error = _attempt(
            request,
            lambda: masterdata.set_line_exception(
                line=line.code,
                day=_day(typed["day"]),
                hours=typed["hours"],
                note=typed["note"],
                actor=request.user,
            ),
        )
    elif what == "capacity" and line is not None:
        typed = {k: request.POST.get(k, "").strip() for k in ("family", "units_per_hour")}
        error = _attempt(
            request,
            lambda: masterdata.set_capacity(
                line=line.code,
                family=typed["family"],
                units_per_hour=typed["units_per_hour"],
                actor=request.user,
            ),
        )
    elif what:
        raise Http404
    if what in ("exception", "capacity") and error is None:
        messages.success(request, gettext("Saved."))
        return redirect(request.path)
    if line is not None and what != "line":
        values = {
            "code": line.code,
            "name": line.name,
            "kind": line.kind,
            "shifts_per_day": line.shifts_per_day,
            "hours_per_shift": line.hours_per_shift,
            "days_off": [str(d) for d in line.days_off],
            "active": line.active,
        }
    elif what == "line":
        values = typed
    else:
        values = {
            "shifts_per_day": "1",
            "hours_per_shift": "8",
            "days_off": ["5", "6"],
            "active": True,
        }
    context = {
        "line": line,
        "values": values,
        "what": what,
        "typed": typed,
        "error": error,
        "weekdays": [(str(d), WEEKDAYS[d]) for d in range(7)],
    }
    return render(request, "production/line_form.html", context, status=422 if error else 200)


@login_required
def holidays(request: HttpRequest) -> HttpResponse:
    """The company calendar: its holidays, and a form to add or rename one."""
    _require(request)
    typed: dict[str, str] = {}
    error = None
    if request.method == "POST":
        typed = {k: request.POST.get(k, "") for k in ("day", "name")}
        error = _attempt(
            request,
            lambda: masterdata.set_holiday(
                day=_day(typed["day"]), name=typed["name"], actor=request.user
            ),
        )
        if error is None:
            messages.success(request, gettext("Saved."))
            return redirect(request.path)
    context = {
        "holidays": list(CompanyHoliday.objects.order_by("-day")[:200]),
        "typed": typed,
        "error": error,
    }
    return render(request, "production/holidays.html", context, status=422 if error else 200)


STEP_INPUTS = ("name", "line_kind", "rate_per_hour", "supplier", "lead_time_days")


def _typed_steps(request: HttpRequest) -> list[dict[str, Any]]:
    rows = []
    raw = request.POST.get("step_count", "0")
    count = min(int(raw) if raw.isdigit() else 0, MAX_STEPS)
    for i in range(count):
        row = {k: request.POST.get(f"step-{i}-{k}", "").strip() for k in STEP_INPUTS}
        row["outsourced"] = bool(request.POST.get(f"step-{i}-outsourced"))
        rows.append(row)
    return rows


def _step_input(row: dict[str, Any], seq: int) -> dict[str, Any]:
    lead = row["lead_time_days"]
    return {
        "name": row["name"],
        "line_kind": row["line_kind"],
        "rate_per_hour": row["rate_per_hour"] or None,
        "outsourced": row["outsourced"],
        "supplier": row["supplier"],
        "lead_time_days": _int(lead, f"steps[{seq}]") if lead else None,
    }


@login_required
def routing_form(request: HttpRequest, family: str | None = None) -> HttpResponse:
    """A routing (new when ``family`` is None): its name and its steps in order; a step row
    left without a name is dropped."""
    _require(request)
    routing = None
    if family is not None:
        routing = Routing.objects.prefetch_related("steps__supplier").filter(family=family).first()
        if routing is None:
            raise Http404
    error = None
    if request.method == "POST":
        head = {
            "family": routing.family if routing else request.POST.get("family", "").strip(),
            "name": request.POST.get("name", "").strip(),
        }
        steps = _typed_steps(request)

        def write() -> None:
            kept = [s for s in steps if any(s[k] for k in STEP_INPUTS) or s["outsourced"]]
            masterdata.save_routing(
                family=head["family"],
                name=head["name"],
                steps=[_step_input(s, i) for i, s in enumerate(kept, start=1)],
                actor=request.user,
            )

        error = _attempt(request, write)
        if error is None:
            messages.success(request, gettext("Saved."))
            return redirect(reverse("web:production_routing_edit", args=[head["family"]]))
    else:
        head = {
            "family": routing.family if routing else "",
            "name": routing.name if routing else "",
        }
        steps = [
            {
                "name": s.name,
                "line_kind": s.line_kind,
                "rate_per_hour": s.rate_per_hour if s.rate_per_hour is not None else "",
                "outsourced": s.outsourced,
                "supplier": s.supplier.code if s.supplier else "",
                "lead_time_days": s.lead_time_days if s.lead_time_days is not None else "",
            }
            for s in (routing.steps.all() if routing else [])
        ]
    blank = {k: "" for k in STEP_INPUTS} | {"outsourced": False}
    rows = [*steps, *([blank] * SPARE_STEPS)][:MAX_STEPS]
    context = {"routing": routing, "head": head, "rows": rows, "error": error}
    return render(request, "production/routing_form.html", context, status=422 if error else 200)
