"""The weekly schedule (每周一主生产计划) from the database, through ``engines.schedule``.

``generate_schedule`` reads the open work orders and the lines' calendars into the engine's
Problem, saves the constructive (EDD) schedule at once, and queues CP-SAT in the worker
(``improve_run``), which replaces the blocks only when its schedule is better and nobody moved
a block meanwhile. ``move_block`` is the planner's hand move through the engine's ``move``:
refused with the engine's reason in the user's language (nothing changes), or applied with its
effect on the due dates.

The mapping (docs/production.md, "The weekly schedule"): an engine work order is a
production-notice line with its open steps (our WorkOrder rows, in their order); its due date is
the order's delivery date, its material-ready date the notice's release day. The engine carries
one quantity per work order, ours one per step (what remains of each): the engine's quantity is
the largest remaining, and each step's rate is scaled so that its minutes are those of what
remains of it; the blocks saved hold the step's own remaining quantity, shared over the blocks
in proportion to their minutes as the engine shares it. A line's working minutes come from
``production.calendars``; days before today count as 0 (nothing is planned in the past).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from gendan.accounts.guards import step, verb
from gendan.engines import schedule as engine
from gendan.engines.schedule.model import split_quantity, work_order_plans
from gendan.errors import DomainError, Kind, not_found
from gendan.production import permissions as p
from gendan.production.calendars import calendar_facts, hours_on
from gendan.production.errors import Code
from gendan.production.models import (
    LineCapacity,
    NoticeStatus,
    OutsourceShipment,
    ProductionLine,
    RoutingStep,
    ScheduleBlock,
    ScheduleFinish,
    ScheduleMove,
    ScheduleRun,
    ScheduleStatus,
    WorkOrder,
    WorkOrderStatus,
)
from gendan.timeline.services import record

#: the weeks a run plans ahead (the page shows one week at a time)
WEEKS = 8

#: Who knows when a notice line's materials are in hand (purchasing registers itself in its
#: ``ready()``; production does not import it): each maps notice-line ids to the day the last
#: short material is expected, or None when one is not on order. A line none of them names has
#: its materials; a line waits for the latest day any of them gives.
MaterialReady = Callable[[list[int]], dict[int, date | None]]
MATERIAL_READY: list[MaterialReady] = []


def material_ready(notice_lines: list[int]) -> dict[int, date | None]:
    found: dict[int, date | None] = {}
    for provider in MATERIAL_READY:
        for line, day in provider(notice_lines).items():
            known = found.get(line, date.min)
            found[line] = None if day is None or known is None else max(day, known)
    return found


def week_of(day: date) -> date:
    """The Monday of ``day``'s week."""
    return day - timedelta(days=day.weekday())


def improve_seconds() -> float:
    return float(getattr(settings, "GENDAN_SCHEDULE_IMPROVE_SECONDS", 20))


# ---- the problem, from the database ---------------------------------------------------------


def read_problem(week: date, *, today: date | None = None, weeks: int = WEEKS) -> dict[str, Any]:
    """The engine's input as plain JSON (the run keeps it): six queries whatever the size. An
    outsourced step whose goods are at the supplier takes until the latest day they are
    expected back (its shipments'), not its lead time from the start."""
    today = today or timezone.localdate()
    start = week_of(week)
    end = start + timedelta(days=7 * weeks - 1)
    lines = list(ProductionLine.objects.filter(active=True).order_by("code"))
    holidays, exceptions = calendar_facts(lines, start, end)
    snap_lines = []
    kinds: set[str] = set()
    for line in lines:
        calendar = {}
        day = max(start, today)
        while day <= end:
            minutes = int(hours_on(line, day, holidays=holidays, exceptions=exceptions) * 60)
            if minutes > 0:
                calendar[day.isoformat()] = minutes
            day += timedelta(days=1)
        snap_lines.append({"id": line.code, "pk": line.pk, "kind": line.kind, "calendar": calendar})
        kinds.add(line.kind)
    rows = list(
        WorkOrder.objects.filter(
            status=WorkOrderStatus.OPEN,
            routed=True,
            notice_line__notice__status=NoticeStatus.ISSUED,
        )
        .order_by("notice_line_id", "seq")
        .values_list(
            "pk",
            "number",
            "notice_line_id",
            "seq",
            "line_kind",
            "rate_per_hour",
            "outsourced",
            "quantity",
            "good_qty",
            "order_id",
            "order__number",
            "order__delivery_date",
            "notice_line__notice__issued_at",
            "notice_line__line__product__series",
        )
    )
    families = {r[13] for r in rows}
    lead: dict[tuple[str, int], int] = {}
    for family, days in (
        RoutingStep.objects.filter(routing__family__in=families)
        .order_by("routing_id", "seq")
        .values_list("routing__family", "lead_time_days")
    ):
        n = sum(1 for f, _s in lead if f == family) + 1
        lead[(family, n)] = days or 0
    capacity: dict[tuple[str, str], Decimal] = {}
    for kind, family, per_hour in LineCapacity.objects.filter(
        family__in=families, line__active=True
    ).values_list("line__kind", "family", "units_per_hour"):
        capacity[(kind, family)] = max(per_hour, capacity.get((kind, family), Decimal(0)))
    # goods already at the supplier come back when the supplier said, not a lead time from now
    back: dict[int, date] = dict(
        OutsourceShipment.objects.filter(work_order_id__in=[r[0] for r in rows if r[6]])
        .values("work_order_id")
        .annotate(last=Max("expected_back"))
        .values_list("work_order_id", "last")
    )
    by_line: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for r in rows:
        by_line[r[2]].append(r)
    work_orders = []
    skipped: list[str] = []
    for notice_line, steps in by_line.items():
        open_steps = [r for r in steps if r[7] - r[8] > 0]
        if not open_steps:
            continue
        quantity = max(r[7] - r[8] for r in open_steps)
        snap_steps = []
        for r in open_steps:
            remaining = r[7] - r[8]
            if r[6]:
                days = lead.get((r[13], r[3]), 0) or 1
                if r[0] in back and r is open_steps[0]:  # sent out: back on the day promised
                    days = max(1, (back[r[0]] - max(start, today)).days)
                snap_steps.append({"kind": f"out:{r[4] or r[3]}", "days": days})
            else:
                rate = r[5] or capacity.get((r[4], r[13]))
                if not rate or r[4] not in kinds:
                    snap_steps = []
                    break
                snap_steps.append(
                    {"kind": r[4], "rate": float(rate) * quantity / remaining, "base": float(rate)}
                )
            snap_steps[-1].update({"wo": r[0], "number": r[1], "qty": remaining})
        if not snap_steps:
            skipped += [r[1] for r in open_steps]
            continue
        first = open_steps[0]
        released = timezone.localtime(first[12]).date() if first[12] else start
        work_orders.append(
            {
                "id": str(notice_line),
                "order": first[9],
                "order_ref": first[10],
                "due": first[11].isoformat(),
                "ready": released.isoformat(),
                "quantity": quantity,
                "steps": snap_steps,
            }
        )
    # a line whose material is expected after its release starts when the material is in hand;
    # one whose material is not on order at all keeps its release day and is said so (the
    # merchandiser's Today shows it short: no date can be planned for what nobody ordered)
    materials = material_ready([int(w["id"]) for w in work_orders]) if work_orders else {}
    for w in work_orders:
        key = int(w["id"])
        if key not in materials:
            continue
        expected = materials[key]
        if expected is None:
            w["material"] = "not_on_order"
        elif expected > date.fromisoformat(w["ready"]):
            w["ready"], w["material"] = expected.isoformat(), "expected"
    return {
        "start": start.isoformat(),
        "weeks": weeks,
        "lines": snap_lines,
        "work_orders": work_orders,
        "skipped": skipped,
    }


def to_problem(snap: dict[str, Any]) -> engine.Problem:
    lines = tuple(
        engine.Line(
            line["id"],
            line["kind"],
            {date.fromisoformat(d): m for d, m in line["calendar"].items()},
        )
        for line in snap["lines"]
    )
    work_orders = tuple(
        engine.WorkOrder(
            w["id"],
            w["order_ref"],
            date.fromisoformat(w["due"]),
            date.fromisoformat(w["ready"]),
            w["quantity"],
            tuple(
                engine.Step.outsource(s["kind"], s["days"])
                if "days" in s
                else engine.Step(s["kind"], rate_per_hour=s["rate"])
                for s in w["steps"]
            ),
        )
        for w in snap["work_orders"]
    )
    horizon = engine.Horizon(date.fromisoformat(snap["start"]), snap["weeks"])
    return engine.Problem(lines, work_orders, horizon)


# ---- saving a schedule, reading it back -------------------------------------------------------


def _step_info(snap: dict[str, Any]) -> dict[tuple[str, int], dict[str, Any]]:
    return {(w["id"], i): s for w in snap["work_orders"] for i, s in enumerate(w["steps"])}


BLOCK_COLUMNS = (
    "run_id",
    "work_order_id",
    "ref",
    "step_index",
    "line_id",
    "day",
    "minutes",
    "quantity",
    "step_start",
    "step_end",
)
FINISH_COLUMNS = ("run_id", "ref", "order_id", "due", "finish", "tardiness")


def _block_rows(
    run: ScheduleRun, plans: tuple[engine.StepPlan, ...], snap: dict[str, Any]
) -> list[tuple[Any, ...]]:
    """The rows of ScheduleBlock (BLOCK_COLUMNS) of ``plans``, the real quantities shared."""
    info = _step_info(snap)
    line_pk = {line["id"]: line["pk"] for line in snap["lines"]}
    day = connection.ops.adapt_datefield_value
    rows = []
    for plan in plans:
        s = info[(plan.ref.work_order, plan.ref.index)]
        ref, index = plan.ref.work_order, plan.ref.index
        first, last = day(plan.start), day(plan.end)
        if not plan.blocks:
            rows.append((run.pk, s["wo"], ref, index, None, first, 0, s["qty"], first, last))
            continue
        shares = split_quantity(s["qty"], [b.minutes for b in plan.blocks])
        for b, qty in zip(plan.blocks, shares, strict=True):
            line, on = line_pk[b.line], day(b.date)
            rows.append((run.pk, s["wo"], ref, index, line, on, b.minutes, qty, first, last))
    return rows


def _finish_rows(
    run: ScheduleRun, plans: tuple[engine.WorkOrderPlan, ...], snap: dict[str, Any]
) -> list[tuple[Any, ...]]:
    order_of = {w["id"]: w["order"] for w in snap["work_orders"]}
    day = connection.ops.adapt_datefield_value
    return [(run.pk, w.id, order_of[w.id], day(w.due), day(w.finish), w.tardiness) for w in plans]


def _insert(model: Any, columns: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Many rows in one executemany (the ORM's bulk_create spends seconds building model
    instances and the SQL of thousands of rows; these have no defaults or signals to run)."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    marks = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":  # SQLite: executemany is one prepared statement
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES {marks}", rows)
            return
        # PostgreSQL: COPY (executemany is a round trip per row, a long VALUES list is slow
        # to bind on the client)
        with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _save(run: ScheduleRun, result: engine.Schedule, snap: dict[str, Any]) -> None:
    """Replace the run's blocks and finishes by ``result`` (four queries)."""
    ScheduleBlock.objects.filter(run=run).delete()
    ScheduleFinish.objects.filter(run=run).delete()
    _insert(ScheduleBlock, BLOCK_COLUMNS, _block_rows(run, result.steps, snap))
    _insert(ScheduleFinish, FINISH_COLUMNS, _finish_rows(run, result.work_orders, snap))
    run.total_tardiness = result.total_tardiness
    run.late_orders = result.late_orders
    run.unplanned = list(result.unplanned)


def schedule_of(run: ScheduleRun, problem: engine.Problem) -> engine.Schedule:
    """The run's saved blocks as the engine's Schedule (one query)."""
    quantity = {w.id: w.quantity for w in problem.work_orders}
    grouped: dict[tuple[str, int], list[tuple[Any, ...]]] = defaultdict(list)
    for row in (
        ScheduleBlock.objects.filter(run=run)
        .order_by("ref", "step_index", "day")
        .values_list("ref", "step_index", "line__code", "day", "minutes", "step_start", "step_end")
    ):
        grouped[(row[0], row[1])].append(row)
    steps: dict[engine.StepRef, engine.StepPlan] = {}
    for (ref, index), rows in grouped.items():
        key = engine.StepRef(ref, index)
        if rows[0][2] is None:
            steps[key] = engine.StepPlan(key, None, rows[0][5], rows[0][6], ())
            continue
        shares = split_quantity(quantity[ref], [r[4] for r in rows])
        blocks = tuple(engine.Block(r[2], r[3], r[4], q) for r, q in zip(rows, shares, strict=True))
        steps[key] = engine.StepPlan(key, rows[0][2], blocks[0].date, blocks[-1].date, blocks)
    return engine.Schedule(
        method=run.method,
        steps=tuple(steps.values()),
        work_orders=work_order_plans(problem, steps),
        unplanned=tuple(run.unplanned),
    )


# ---- generate, improve ------------------------------------------------------------------------


@verb(p.PLAN)
def generate_schedule(*, week: date, actor: Any, today: date | None = None) -> ScheduleRun:
    """The week's schedule: the constructive one saved at once, CP-SAT queued in the worker."""
    return _generate(week=week, actor=actor, today=today)


@step
def _generate(*, week: date, actor: Any, today: date | None = None) -> ScheduleRun:
    snap = read_problem(week, today=today)
    problem = to_problem(snap)
    began = time.perf_counter()
    result = engine.edd_schedule(problem)
    with transaction.atomic():
        run = ScheduleRun(
            week_start=week_of(week),
            weeks=snap["weeks"],
            generated_by=actor,
            status=ScheduleStatus.QUEUED,
            method=result.method,
            problem=snap,
            solve_seconds=round(time.perf_counter() - began, 3),
        )
        run.save()
        _save(run, result, snap)
        run.save()
        record(
            kind=p.SCHEDULE_GENERATED,
            actor=actor,
            subject=run,
            payload={
                "week": run.week_start.isoformat(),
                "work_orders": len(snap["work_orders"]),
                "tardiness": run.total_tardiness,
                "late": run.late_orders,
            },
        )
        transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def monday_job(period: Any) -> dict[str, Any]:
    """The periodic job: on a Monday, that week's schedule (once per day: the jobs' claim)."""
    day = period.day
    if day.weekday() != 0:
        return {"skipped": "not a Monday"}
    run = _generate(week=day, actor=None, today=day)
    return {"run": run.pk, "tardiness": run.total_tardiness, "late": run.late_orders}


def _enqueue(run_id: int) -> None:
    from gendan.production.tasks import improve_schedule

    improve_schedule.enqueue(run_id)


@step
def improve_run(run_id: int, *, time_limit: float | None = None) -> ScheduleRun | None:
    """CP-SAT on a queued run (the worker's task): its blocks are replaced only when the
    solver's schedule is better and no block was moved while it ran."""
    claimed = ScheduleRun.objects.filter(pk=run_id, status=ScheduleStatus.QUEUED).update(
        status=ScheduleStatus.RUNNING
    )
    if not claimed:
        return None
    run = ScheduleRun.objects.get(pk=run_id)
    version = run.version
    try:
        problem = to_problem(run.problem)
        if not problem.work_orders:
            ScheduleRun.objects.filter(pk=run_id).update(status=ScheduleStatus.KEPT)
            return ScheduleRun.objects.get(pk=run_id)
        improved = engine.improve(
            problem, time_limit=time_limit if time_limit is not None else improve_seconds()
        )
    except Exception as exc:  # kept on the run, never lost
        ScheduleRun.objects.filter(pk=run_id).update(
            status=ScheduleStatus.FAILED, error=str(exc)[:500]
        )
        raise
    report = improved.solver
    with transaction.atomic():
        run = ScheduleRun.objects.select_for_update().get(pk=run_id)
        current = schedule_of(run, problem)
        better = (improved.total_tardiness, improved.late_orders) < (
            current.total_tardiness,
            current.late_orders,
        )
        if report is not None:
            run.lower_bound = max(0, report.lower_bound)
            run.solve_seconds = round(report.wall_seconds, 3)
        if better and run.version == version:
            _save(run, improved, run.problem)
            run.method = "cpsat"
            run.status = ScheduleStatus.IMPROVED
            record(
                kind=p.SCHEDULE_IMPROVED,
                actor=None,
                subject=run,
                payload={
                    "week": run.week_start.isoformat(),
                    "tardiness": run.total_tardiness,
                    "late": run.late_orders,
                },
            )
        else:
            run.status = ScheduleStatus.KEPT
        run.save()
    return run


# ---- the planner's move -----------------------------------------------------------------------


@dataclass(frozen=True)
class Effect:
    """What a move does to one production-notice line's finish against its delivery date."""

    order: str
    due: date
    finish_before: date | None
    finish_after: date | None
    late_before: int
    late_after: int

    @property
    def change(self) -> int:
        """Days later (+) or earlier (-) it finishes."""
        if self.finish_before is None or self.finish_after is None:
            return 0
        return (self.finish_after - self.finish_before).days

    def as_dict(self) -> dict[str, Any]:
        return {
            "order": self.order,
            "due": self.due.isoformat(),
            "finish_before": self.finish_before.isoformat() if self.finish_before else None,
            "finish_after": self.finish_after.isoformat() if self.finish_after else None,
            "late_before": self.late_before,
            "late_after": self.late_after,
        }


def _d(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def refusal_text(result: engine.MoveResult, step_name: str) -> str:
    """The engine's refusal in the user's language."""
    d = result.details
    r = engine.Refusal
    code = result.refusal
    if code == r.UNKNOWN_LINE:
        return gettext("There is no line %(line)s.") % {"line": d.get("line") or ""}
    if code == r.WRONG_LINE_KIND:
        if "line_kind" not in d:
            return gettext("An outsourced step uses no line; choose a day only.")
        return gettext("%(line)s is a %(kind)s line; the step %(step)s needs a %(needs)s line.") % {
            "line": d["line"],
            "kind": d["line_kind"],
            "step": step_name,
            "needs": d["step_kind"],
        }
    if code == r.OUTSIDE_HORIZON:
        if "horizon" in d:
            return gettext("%(day)s is outside the schedule (%(start)s to %(end)s).") % {
                "day": _d(d["date"]),
                "start": _d(d["horizon"][0]),
                "end": _d(d["horizon"][1]),
            }
        return gettext("The step would come back after the schedule's last day.")
    if code == r.DAY_OFF:
        return gettext("Capacity: %(line)s does not work on %(day)s (calendar).") % {
            "line": d["line"],
            "day": _d(d["date"]),
        }
    if code == r.CAPACITY:
        if "minutes_short" in d:
            return gettext(
                "Capacity: %(line)s has not enough free time from %(day)s to the end of the "
                "schedule (%(hours)s h short)."
            ) % {
                "line": d["line"],
                "day": _d(d["date"]),
                "hours": f"{d['minutes_short'] / 60:.1f}",
            }
        return gettext("Capacity: %(line)s is fully planned on %(day)s.") % {
            "line": d["line"],
            "day": _d(d["date"]),
        }
    if code == r.MATERIAL:
        return gettext("The material of this work order is ready on %(day)s.") % {
            "day": _d(d["material_ready"])
        }
    if code == r.PRECEDENCE:
        if "predecessor_end" in d:
            return gettext(
                "Precedence: the step before ends on %(end)s, so %(step)s can start on "
                "%(next)s at the earliest."
            ) % {
                "end": _d(d["predecessor_end"]),
                "step": step_name,
                "next": _d(d["predecessor_end"] + timedelta(days=1)),
            }
        return gettext(
            "Precedence: %(step)s would end on %(end)s, but the next step starts on %(start)s."
        ) % {"step": step_name, "end": _d(d["end"]), "start": _d(d["successor_start"])}
    return gettext("This block is not in the schedule any more.")


@verb(p.PLAN)
def move_block(*, block: int, line: str | None, day: date, actor: Any) -> Effect:
    """Move the step of ``block`` to start on ``day`` on ``line`` (None: an outsourced step,
    by date only). Refused with the reason, nothing changed; or applied, and its effect on the
    order's finish against its delivery date returned."""
    with transaction.atomic(durable=True):
        found = (
            ScheduleBlock.objects.filter(pk=block)
            .values_list("run_id", "ref", "step_index", "line__code", "day", "work_order_id")
            .first()
        )
        if found is None:
            raise not_found("schedule_block")
        run_id, ref, index, from_line, from_day, wo_id = found
        run = ScheduleRun.objects.select_for_update().get(pk=run_id)
        problem = to_problem(run.problem)
        current = schedule_of(run, problem)
        info = _step_info(run.problem)[(ref, index)]
        wo = WorkOrder.objects.select_related("order").get(pk=wo_id)
        result = engine.move(problem, current, engine.StepRef(ref, index), line or None, day)
        if not result.ok or result.schedule is None:
            raise DomainError(
                Code.SCHEDULE_MOVE_REFUSED,
                refusal_text(result, wo.step_name),
                kind=Kind.REFUSED,
                details={"reason": str(result.refusal), "work_order": info["number"]},
            )
        moved = result.schedule
        new_plan = moved.step(engine.StepRef(ref, index))
        ScheduleBlock.objects.filter(run=run, ref=ref, step_index=index).delete()
        _insert(ScheduleBlock, BLOCK_COLUMNS, _block_rows(run, (new_plan,), run.problem))
        e = result.effects[0]
        ScheduleFinish.objects.filter(run=run, ref=ref).update(
            finish=e.finish_after, tardiness=e.tardiness_after
        )
        effect = Effect(
            wo.order.number,
            e.due,
            e.finish_before,
            e.finish_after,
            e.tardiness_before,
            e.tardiness_after,
        )
        run.total_tardiness = moved.total_tardiness
        run.late_orders = moved.late_orders
        run.method = run.method if run.method.endswith("+moved") else f"{run.method}+moved"
        run.version += 1
        run.save()
        ScheduleMove.objects.create(
            run=run,
            work_order=wo,
            from_line=from_line or "",
            from_day=from_day,
            to_line=line or "",
            to_day=day,
            effect=effect.as_dict(),
            moved_by=actor,
        )
        record(
            kind=p.SCHEDULE_MOVED,
            actor=actor,
            order=wo.order,
            subject=run,
            payload={
                "work_order": wo.number,
                "from": [from_line or "", from_day.isoformat()],
                "to": [line or "", day.isoformat()],
                **effect.as_dict(),
            },
        )
    return effect


# ---- reading ----------------------------------------------------------------------------------


def run_covering(day: date) -> ScheduleRun | None:
    """The latest schedule whose weeks include ``day`` (one query)."""
    earliest = week_of(day) - timedelta(days=7 * (WEEKS - 1))
    for run in (
        ScheduleRun.objects.filter(week_start__lte=day, week_start__gte=earliest)
        .defer("problem")
        .order_by("-generated_at", "-id")[:WEEKS]
    ):
        if run.week_start <= day <= run.week_end:
            return run
    return None
