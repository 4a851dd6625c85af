"""The floor's phone page, the merchandiser's Today sections and the cockpit's chart."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gendan.orders.workflow import Status
from gendan.production.models import DailyReport
from gendan.production.services import reports
from gendan.production.tests.factories import factory, released_order, work_orders

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}
TODAY = timezone.localdate()
YESTERDAY = TODAY - timedelta(days=1)


@pytest.fixture
def released(world):
    factory(world.users["admin"])
    return released_order(world)


def floor_url(code="CUT-1", day=YESTERDAY):
    return reverse("web:production_floor", args=[code]) + f"?day={day.isoformat()}"


def test_a_shortfall_without_a_reason_is_refused_on_the_phone_and_nothing_typed_is_lost(
    client, world, released
):
    cut, *_ = work_orders(released)
    client.force_login(world.users["production"])
    page = client.get(floor_url(), headers=EN).content.decode()
    assert f'data-work-order="{cut.number}"' in page and 'data-testid="planned">80<' in page
    typed = {
        "work_order": cut.number,
        "day": YESTERDAY.isoformat(),
        "good_qty": "50",
        "hours": "8",
        "defect_qty": "3",
        "scrap_qty": "1",
        "note": "",
        "slip_reason": "",
    }
    response = client.post(floor_url(), typed, headers=EN)
    html = response.content.decode()
    assert response.status_code == 422
    assert "30 below the day&#x27;s plan of 80" in html
    assert 'value="50"' in html and 'value="3"' in html  # what was typed is still there
    assert not DailyReport.objects.exists()
    response = client.post(
        floor_url(), {**typed, "slip_reason": "machine", "note": "锯片断了"}, headers=EN
    )
    assert response.status_code == 302
    assert DailyReport.objects.get().slip_reason == "machine"


def test_the_floor_is_for_those_who_report(client, world, released):
    client.force_login(world.users["sales"])
    assert client.get(floor_url()).status_code == 403
    client.force_login(world.users["production"])
    assert client.get(reverse("web:production_floor", args=["NOPE"])).status_code == 404
    page = client.get(reverse("web:production_home"), headers=EN).content.decode()
    assert 'data-line="CUT-1"' in page and 'data-routing="北欧系列"' in page
    assert "300" not in page  # the chair's price


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_floor_page_costs_the_same_queries_for_one_and_four_orders(client, world, released):
    client.force_login(world.users["production"])
    one = _count(client, floor_url())
    for _ in range(3):
        world.order(lines=[("FN-101", 20, "300"), ("FN-102", 3, "900")], to=Status.RELEASED)
    assert _count(client, floor_url()) == one


def test_today_shows_the_merchandiser_the_order_behind_plan_with_its_reason(
    client, world, released
):
    cut, *_ = work_orders(released)
    reports.record_report(
        work_order=cut.number,
        day=YESTERDAY,
        good_qty=50,
        slip_reason="material",
        note="板材未到",
        actor=world.users["production"],
    )
    client.force_login(world.users["merch"])
    today = client.get(reverse("web:today"), headers=EN).content.decode()
    lazy = reverse("web:production_today_section", args=["production_behind_plan"])
    assert f'hx-get="{lazy}"' in today  # drawn after Today has loaded
    html = client.get(lazy, headers=EN).content.decode()
    section = html[html.index('data-section="production_behind_plan"') :]
    section = section[: section.index("</section>")]
    assert released.number in section
    assert 'data-testid="behind">30<' in section
    assert "Material late" in section and "板材未到" in section


def test_today_lists_the_work_orders_that_sent_no_report_yesterday(client, world, released):
    client.force_login(world.users["merch"])
    url = reverse("web:production_today_section", args=["production_no_report"])
    html = client.get(url, headers=EN).content.decode()
    section = html[html.index('data-section="production_no_report"') :]
    section = section[: section.index("</section>")]
    cut, asm, _ = work_orders(released)
    assert cut.number in section and asm.number not in section  # 组装 has nothing to work on


def test_the_cockpit_draws_plan_against_actual_per_step(client, world, released):
    cut, *_ = work_orders(released)
    reports.record_report(
        work_order=cut.number, day=YESTERDAY, good_qty=80, actor=world.users["production"]
    )
    client.force_login(world.users["production"])
    html = client.get(reverse("web:order_detail", args=[released.number]), headers=EN)
    html = html.content.decode()
    panel = html[html.index('data-panel="production_progress"') :]
    panel = panel[: panel.index("</section>")]
    assert "<svg" in panel and "Plan against actual per step" in panel
    assert '<tr data-step="1"><td>1. 开料' in panel


def test_the_lazy_sections_are_the_merchandisers_and_cost_bounded_queries(client, world, released):
    url = reverse("web:production_today_section", args=["production_behind_plan"])
    client.force_login(world.users["production"])
    assert client.get(url).status_code == 404  # not a section of their Today
    client.force_login(world.users["merch"])
    assert client.get(reverse("web:production_today_section", args=["review"])).status_code == 404

    def behind(order):
        cut = work_orders(order)[0]
        reports.record_report(
            work_order=cut.number,
            day=YESTERDAY,
            good_qty=10,
            slip_reason="staffing",
            note="请假",
            actor=world.users["production"],
        )

    behind(released)
    one = _count(client, url)
    for _ in range(3):
        behind(world.order(lines=[("FN-101", 20, "300")], to=Status.RELEASED))
    assert _count(client, url) == one


def test_the_three_agree_the_day_plan_on_its_page(client, world, released):
    from gendan.production.models import DayPlan, Post, StaffPost

    StaffPost.objects.create(user=world.users["production"], post=Post.WORKSHOP_SUPERVISOR)
    StaffPost.objects.create(user=world.users["admin"], post=Post.PACKING_SUPERVISOR)
    url = reverse("web:production_day_plan", args=["CUT-1"])
    day = {"day": TODAY.isoformat()}
    client.force_login(world.users["sales"])
    assert client.get(url).status_code == 403
    client.force_login(world.users["merch"])
    client.post(url, {**day, "what": "propose"})
    cut = work_orders(released)[0]
    client.post(url, {**day, "what": "edit", "work_order": cut.number, "planned_qty": "70"})
    client.post(url, {**day, "what": "confirm", "as": "merchandiser"})
    response = client.post(
        url, {**day, "what": "confirm", "as": "workshop_supervisor"}, follow=True
    )
    assert "not the" in response.content.decode() or "不是" in response.content.decode()
    for who, as_ in (("production", "workshop_supervisor"), ("admin", "packing_supervisor")):
        client.force_login(world.users[who])
        client.post(url, {**day, "what": "confirm", "as": as_})
    plan = DayPlan.objects.get()
    assert plan.confirmed and plan.items.get().planned_qty == 70
    page = client.get(url + f"?day={TODAY.isoformat()}", headers=EN).content.decode()
    assert "Confirmed by all three" in page and 'value="70"' in page
    assert _count(client, url + f"?day={TODAY.isoformat()}") <= 12
