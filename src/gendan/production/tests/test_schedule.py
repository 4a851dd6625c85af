"""The weekly schedule from the database: generated valid by the engine's own checker, improved
only when better, moved by hand (refused with the reason and nothing changed, or applied with
its effect on the due dates), the Monday job, the day plan proposed from it, the page and the
API with query counts that do not grow with the data."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from gendan.engines.schedule import validate
from gendan.errors import DomainError
from gendan.jobs.registry import Daily
from gendan.orders.workflow import Status
from gendan.production.models import (
    Post,
    ScheduleBlock,
    ScheduleFinish,
    ScheduleMove,
    ScheduleRun,
    ScheduleStatus,
    StaffPost,
)
from gendan.production.services import plans
from gendan.production.services import schedule as service
from gendan.production.tests.factories import factory, work_orders
from gendan.timeline.models import Event

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}
NEXT_WEEK = service.week_of(timezone.localdate()) + timedelta(days=7)


@pytest.fixture
def planner(world):
    user = world.users["production"]
    StaffPost.objects.get_or_create(user=user, defaults={"post": Post.PLANNER})
    return user


@pytest.fixture
def released(world):
    factory(world.users["admin"])
    return world.order(
        lines=[("FN-101", 100, "300")],
        to=Status.RELEASED,
        delivery=NEXT_WEEK + timedelta(days=10),
    )


def generate(planner, django_capture_on_commit_callbacks, week=NEXT_WEEK) -> ScheduleRun:
    with django_capture_on_commit_callbacks(execute=False):  # the worker's part is run below
        return service.generate_schedule(week=week, actor=planner)


def blocks_of(run: ScheduleRun) -> list[tuple]:
    return list(
        ScheduleBlock.objects.filter(run=run)
        .order_by("work_order_id", "day")
        .values_list("work_order__number", "line__code", "day", "minutes", "quantity")
    )


def steps(run: ScheduleRun) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = {}
    for b in ScheduleBlock.objects.filter(run=run).select_related("work_order", "line"):
        out.setdefault(b.work_order.step_name, []).append((b.pk, b.line.code, b.day, b.quantity))
    return {k: sorted(v, key=lambda x: x[2]) for k, v in out.items()}


def test_the_generated_schedule_is_valid_by_the_engines_checker(
    planner, released, django_capture_on_commit_callbacks
):
    run = generate(planner, django_capture_on_commit_callbacks)
    assert run.week_start == NEXT_WEEK and run.status == ScheduleStatus.QUEUED
    problem = service.to_problem(run.problem)
    assert validate(problem, service.schedule_of(run, problem)) == []
    by_step = steps(run)
    # 100 units: cutting at 10/h on 8 h days, assembly at 5/h, packing at 20/h
    assert [q for *_, q in by_step["开料"]] == [80, 20]
    assert sum(q for *_, q in by_step["组装"]) == 100
    assert by_step["组装"][0][2] > by_step["开料"][-1][2]  # the step after starts a day later
    assert by_step["包装"][0][2] > by_step["组装"][-1][2]
    finish = ScheduleFinish.objects.get(run=run)
    assert finish.finish == by_step["包装"][-1][2] and finish.due == released.delivery_date
    assert Event.objects.filter(kind="production.schedule_generated").count() == 1


def test_a_line_waits_for_the_day_its_material_is_expected(
    planner, released, django_capture_on_commit_callbacks, monkeypatch
):
    """The material-ready date (purchasing's, through ``MATERIAL_READY``) holds the start of
    the line's first step; a material not on order keeps the release day and is said so."""
    cut, *_ = work_orders(released)
    expected = NEXT_WEEK + timedelta(days=2)  # a Wednesday
    monkeypatch.setattr(
        service, "MATERIAL_READY", [lambda lines: {line: expected for line in lines}]
    )
    run = generate(planner, django_capture_on_commit_callbacks)
    (wo,) = run.problem["work_orders"]
    assert (wo["ready"], wo["material"]) == (expected.isoformat(), "expected")
    problem = service.to_problem(run.problem)
    assert validate(problem, service.schedule_of(run, problem)) == []
    first_cut = ScheduleBlock.objects.filter(run=run, work_order=cut).order_by("day").first()
    assert first_cut.day >= expected
    monkeypatch.setattr(service, "MATERIAL_READY", [lambda lines: dict.fromkeys(lines)])
    snap = service.read_problem(NEXT_WEEK)
    assert snap["work_orders"][0]["material"] == "not_on_order"
    assert date.fromisoformat(snap["work_orders"][0]["ready"]) < expected


def test_remaining_quantities_are_scheduled_with_the_rate_of_each_step(
    planner, released, django_capture_on_commit_callbacks
):
    cut, *_ = work_orders(released)
    cut.good_qty = 60
    cut.save()
    run = generate(planner, django_capture_on_commit_callbacks)
    problem = service.to_problem(run.problem)
    assert validate(problem, service.schedule_of(run, problem)) == []
    by_step = steps(run)
    assert [q for *_, q in by_step["开料"]] == [40]  # 40 left at 10/h: 4 h, one day
    assert ScheduleBlock.objects.get(run=run, work_order=cut).minutes == 240
    assert sum(q for *_, q in by_step["组装"]) == 100


def test_the_solver_replaces_the_blocks_only_when_better(
    planner, released, django_capture_on_commit_callbacks
):
    run = generate(planner, django_capture_on_commit_callbacks)
    before = blocks_of(run)
    done = service.improve_run(run.pk, time_limit=2)
    assert done is not None
    assert done.status in (ScheduleStatus.IMPROVED, ScheduleStatus.KEPT)
    assert done.lower_bound is not None and done.lower_bound <= done.total_tardiness
    problem = service.to_problem(done.problem)
    assert validate(problem, service.schedule_of(done, problem)) == []
    if done.status == ScheduleStatus.KEPT:
        assert blocks_of(done) == before
    assert service.improve_run(run.pk, time_limit=2) is None  # claimed once


def test_a_move_that_breaks_precedence_is_refused_and_changes_nothing(
    planner, released, django_capture_on_commit_callbacks
):
    run = generate(planner, django_capture_on_commit_callbacks)
    before = blocks_of(run)
    by_step = steps(run)
    asm_block = by_step["组装"][0][0]
    with translation.override("zh-hans"), pytest.raises(DomainError) as refused:
        service.move_block(block=asm_block, line="ASM-1", day=by_step["开料"][0][2], actor=planner)
    assert refused.value.code == "production_schedule_move_refused"
    assert refused.value.details["reason"] == "precedence"
    assert "工序顺序：上道工序" in str(refused.value.message)  # in the user's language
    assert blocks_of(run) == before
    assert not ScheduleMove.objects.exists()
    run.refresh_from_db()
    assert run.version == 0


def test_a_move_to_a_line_of_another_kind_is_refused(
    planner, released, django_capture_on_commit_callbacks
):
    run = generate(planner, django_capture_on_commit_callbacks)
    pack = steps(run)["包装"][0]
    with pytest.raises(DomainError) as refused:
        service.move_block(block=pack[0], line="CUT-1", day=pack[2], actor=planner)
    assert refused.value.details["reason"] == "wrong_line_kind"


def test_a_good_move_returns_and_keeps_its_effect_on_the_due_date(
    planner, released, django_capture_on_commit_callbacks
):
    run = generate(planner, django_capture_on_commit_callbacks)
    pack = steps(run)["包装"][0]
    later = pack[2] + timedelta(days=3)
    effect = service.move_block(block=pack[0], line="PACK-1", day=later, actor=planner)
    assert effect.order == released.number
    assert effect.finish_before == pack[2] and effect.finish_after == later
    assert effect.change == 3
    finish = ScheduleFinish.objects.get(run=run)
    assert finish.finish == later
    assert finish.tardiness == max(0, (later - released.delivery_date).days)
    run.refresh_from_db()
    assert run.version == 1 and run.method == "edd+moved"
    move = ScheduleMove.objects.get()
    assert (move.from_day, move.to_day, move.moved_by) == (pack[2], later, planner)
    assert Event.objects.filter(kind="production.schedule_moved", order=released).exists()
    problem = service.to_problem(run.problem)
    assert validate(problem, service.schedule_of(run, problem)) == []


def test_only_who_plans_production_generates_or_moves(world, released):
    from django.core.exceptions import PermissionDenied

    for who in ("merch", "sales", "qc"):
        with pytest.raises((PermissionDenied, DomainError)):
            service.generate_schedule(week=NEXT_WEEK, actor=world.users[who])
    assert not ScheduleRun.objects.exists()


def test_the_monday_job_generates_the_week_once_and_rests_on_other_days(world, released):
    job = Daily(at=time(6, 30))
    monday = NEXT_WEEK
    result = service.monday_job(job.period(monday.isoformat()))
    run = ScheduleRun.objects.get()
    assert result["run"] == run.pk and run.generated_by is None and run.week_start == monday
    assert service.monday_job(job.period((monday + timedelta(days=1)).isoformat())) == {
        "skipped": "not a Monday"
    }
    assert ScheduleRun.objects.count() == 1


def test_tomorrows_plan_is_proposed_from_the_schedule(
    planner, released, django_capture_on_commit_callbacks
):
    run = generate(planner, django_capture_on_commit_callbacks)
    cut = steps(run)["开料"]
    day = cut[1][2]  # the second day of cutting: 20 units in the schedule
    plan = plans.propose_plan(line="CUT-1", day=day, actor=planner)
    assert [(i.work_order.step_name, i.planned_qty) for i in plan.items.all()] == [("开料", 20)]
    # a day no schedule covers: the standard rate (10/h x 8 h)
    plan = plans.propose_plan(line="CUT-1", day=NEXT_WEEK + timedelta(days=70), actor=planner)
    assert [i.planned_qty for i in plan.items.all()] == [80]


# ---- the page and the API ---------------------------------------------------------------------


def page(week: date = NEXT_WEEK, **query: str) -> str:
    extra = "".join(f"&{k}={v}" for k, v in query.items())
    return reverse("web:production_schedule") + f"?week={week.isoformat()}{extra}"


def test_the_page_shows_the_blocks_and_each_orders_finish_against_its_delivery(
    client, world, planner, released
):
    client.force_login(planner)
    html = client.get(page(), headers=EN).content.decode()
    assert 'data-testid="no-schedule"' in html
    response = client.post(page(), {"what": "generate", "week": NEXT_WEEK.isoformat()})
    assert response.status_code == 302
    html = client.get(page(), headers=EN).content.decode()
    assert f'data-order="{released.number}"' in html and "开料 <b>80</b>" in html
    assert "No prices" not in html and "300" not in html.split('data-testid="schedule"')[1]
    assert 'data-line="CUT-1"' in html


def test_the_page_moves_a_block_and_shows_the_effect_or_the_refusal(
    client, world, planner, released, django_capture_on_commit_callbacks
):
    run = generate(planner, django_capture_on_commit_callbacks)
    by_step = steps(run)
    client.force_login(planner)
    asm = by_step["组装"][0]
    html = client.get(page(block=str(asm[0])), headers=EN).content.decode()
    assert 'data-testid="move-panel"' in html
    response = client.post(
        page(),
        {"what": "move", "block": asm[0], "line": "ASM-1", "day": by_step["开料"][0][2]},
        headers=EN,
    )
    assert response.status_code == 422
    assert "Precedence: the step before ends on" in response.content.decode()
    zh = client.post(
        page(),
        {"what": "move", "block": asm[0], "line": "ASM-1", "day": by_step["开料"][0][2]},
        headers={"accept-language": "zh-hans"},
    ).content.decode()
    assert "Precedence" not in zh
    pack = by_step["包装"][0]
    response = client.post(
        page(),
        {"what": "move", "block": pack[0], "line": "PACK-1", "day": pack[2] + timedelta(days=2)},
        headers=EN,
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="effect"' in html
    assert (pack[2] + timedelta(days=2)).isoformat() in html


def test_the_page_is_for_who_plans(client, world, released):
    client.force_login(world.users["merch"])
    assert client.get(page()).status_code == 403


def _more_orders(world, n: int) -> None:
    for k in range(n):
        world.order(
            lines=[("FN-101", 20 + k, "300")],
            to=Status.RELEASED,
            delivery=NEXT_WEEK + timedelta(days=5 + k),
        )


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, headers=EN)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_page_and_the_read_endpoint_cost_the_same_queries_whatever_the_size(
    client, world, planner, released, django_capture_on_commit_callbacks
):
    client.force_login(planner)
    generate(planner, django_capture_on_commit_callbacks)
    api = f"/api/v1/production/schedule/weeks/{NEXT_WEEK.isoformat()}"
    small = (_queries(client, page()), _queries(client, api))
    _more_orders(world, 4)
    run = generate(planner, django_capture_on_commit_callbacks)
    assert ScheduleBlock.objects.filter(run=run).count() > 12
    assert (_queries(client, page()), _queries(client, api)) == small


def test_the_api_generates_reads_moves_and_tells_the_solvers_status(
    client, world, planner, released, django_capture_on_commit_callbacks
):
    client.force_login(planner)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            "/api/v1/production/schedule/generate",
            {"week": NEXT_WEEK.isoformat()},
            content_type="application/json",
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["week"] == NEXT_WEEK.isoformat() and body["status"] == "queued"
    read = client.get(f"/api/v1/production/schedule/weeks/{NEXT_WEEK.isoformat()}?limit=2").json()
    assert len(read["items"]) == 2 and read["next_cursor"]
    rest = client.get(
        f"/api/v1/production/schedule/weeks/{NEXT_WEEK.isoformat()}?after={read['next_cursor']}"
    ).json()
    every = read["items"] + rest["items"]
    assert len(every) == ScheduleBlock.objects.filter(day__lt=NEXT_WEEK + timedelta(7)).count()
    asm = next(b for b in every if b["step"] == "组装")
    cut = next(b for b in every if b["step"] == "开料")
    refused = client.post(
        "/api/v1/production/schedule/move",
        {"block": asm["id"], "line": "ASM-1", "day": cut["day"]},
        content_type="application/json",
    )
    assert refused.status_code == 409
    assert refused.json()["code"] == "production_schedule_move_refused"
    status = client.get(f"/api/v1/production/schedule/weeks/{NEXT_WEEK.isoformat()}/status")
    assert status.json()["status"] == "queued"
