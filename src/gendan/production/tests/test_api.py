"""Production over /api/v1/production: master data, reports with their refusals, closing
short, progress, day plans; no prices; bounded queries."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gendan.accounts.services import issue_token
from gendan.orders.models import Order
from gendan.orders.workflow import Status
from gendan.production.models import DailyReport, Post, ProductionLine, StaffPost
from gendan.production.tests.factories import factory, released_order, work_orders

pytestmark = pytest.mark.django_db
YESTERDAY = timezone.localdate() - timedelta(days=1)


class Api:
    def __init__(self, client, world):
        self.client, self.tokens = client, {}
        self.world = world

    def __call__(self, who, method, path, body=None):
        if who not in self.tokens:
            user = self.world.users[who]
            self.tokens[who] = issue_token(user=user, actor=user)[1]
        response = self.client.generic(
            method,
            f"/api/v1/production{path}",
            data=json.dumps(body) if body is not None else "",
            content_type="application/json",
            headers={"Authorization": f"Bearer {self.tokens[who]}", "Accept-Language": "en"},
        )
        return response.status_code, response.json()


@pytest.fixture
def api(client, world):
    return Api(client, world)


@pytest.fixture
def released(world):
    factory(world.users["admin"])
    return released_order(world)


def test_lines_are_created_by_production_and_refused_to_others(api):
    body = {"code": "SEW-1", "name": "缝制一线", "kind": "sewing", "days_off": [6]}
    status, refused = api("sales", "POST", "/lines", body)
    assert (status, refused["code"]) == (403, "permission_denied")
    assert not ProductionLine.objects.exists()
    status, line = api("production", "POST", "/lines", body)
    assert status == 201
    assert (line["code"], line["days_off"], line["shifts_per_day"]) == ("SEW-1", [6], 1)
    status, bad = api("production", "POST", "/lines", {**body, "code": "SEW-2", "days_off": [9]})
    assert (status, bad["code"]) == (422, "production_invalid_master_data")
    status, line = api("production", "PUT", f"/lines/SEW-1/exceptions/{YESTERDAY}", {"hours": 4})
    assert status == 200 and line["exceptions"][0]["hours"] == "4.00"
    status, line = api("production", "PATCH", "/lines/SEW-1", {"shifts_per_day": 2})
    assert (status, line["shifts_per_day"]) == (200, 2)
    assert ProductionLine.objects.get().history.count() == 2


def test_a_routing_is_saved_with_an_outsourced_step(api, world):
    from gendan.parties.models import Supplier

    Supplier.objects.create(code="SUP-PAINT", name="喷漆厂")
    steps = [
        {"name": "开料", "line_kind": "cutting", "rate_per_hour": "10"},
        {"name": "喷漆", "outsourced": True, "supplier": "SUP-PAINT", "lead_time_days": 3},
    ]
    status, routing = api(
        "production", "PUT", "/routings/客厅系列", {"name": "客厅", "steps": steps}
    )
    assert status == 200
    assert [(s["seq"], s["name"], s["outsourced"]) for s in routing["steps"]] == [
        (1, "开料", False),
        (2, "喷漆", True),
    ]
    bad = [{"name": "喷漆", "outsourced": True, "lead_time_days": 3}]
    status, error = api("production", "PUT", "/routings/客厅系列", {"steps": bad})
    assert (status, error["details"]["field"]) == (422, "steps[1]")
    _, routings = api("merch", "GET", "/routings")
    assert routings["next_cursor"] is None
    assert [s["name"] for s in routings["items"][0]["steps"]] == ["开料", "喷漆"]  # unchanged


def test_a_shortfall_without_a_reason_is_refused_then_accepted_with_one(api, released):
    cut, *_ = work_orders(released)
    body = {"work_order": cut.number, "day": str(YESTERDAY), "good_qty": 50, "hours": 8}
    status, refused = api("production", "POST", "/reports", body)
    assert (status, refused["code"]) == (422, "production_slip_reason_required")
    assert "30 below the day's plan of 80" in refused["message"]
    assert not DailyReport.objects.exists()
    status, report = api(
        "production", "POST", "/reports", {**body, "slip_reason": "material", "note": "布料未到"}
    )
    assert status == 201
    assert (report["planned_qty"], report["slip_reason"], report["reported_by"]) == (
        80,
        "material",
        "production",
    )
    status, corrected = api(
        "production", "PUT", f"/reports/{cut.number}/{YESTERDAY}", {"good_qty": 80, "hours": 8}
    )
    assert (status, corrected["good_qty"], corrected["slip_reason"]) == (200, 80, "")


def test_the_last_report_over_the_api_moves_the_order_and_progress_says_so(api, released):
    for wo in work_orders(released):
        body = {"work_order": wo.number, "day": str(YESTERDAY), "good_qty": 100}
        status, report = api("production", "POST", "/reports", body)
        assert status == 201, report
    assert report["order_status"] == "produced"
    assert Order.objects.get(pk=released.pk).status == Status.PRODUCED
    status, progress = api("merch", "GET", f"/orders/{released.number}/progress")
    assert status == 200
    assert [(s["step"], s["good"], s["quantity"]) for s in progress["steps"]] == [
        ("开料", 100, 100),
        ("组装", 100, 100),
        ("包装", 100, 100),
    ]


def test_the_order_api_shows_why_it_is_not_produced_yet(api, client, world, released):
    token = issue_token(user=world.users["production"], actor=world.users["production"])[1]
    response = client.get(
        f"/api/v1/orders/{released.number}/actions",
        headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"},
    )
    actions = {a["action"]: a for a in response.json()}
    [reason] = actions["complete_production"]["reasons"]
    assert reason["code"] == "production_work_orders_open"
    assert "包装 0 / 100" in reason["message"]


def test_closing_short_over_the_api(api, released):
    notice = released.production_notices.get().number
    status, error = api("production", "POST", f"/notices/{notice}/close-short", {"reason": " "})
    assert (status, error["code"]) == (422, "production_reason_required")
    status, closure = api(
        "production", "POST", f"/notices/{notice}/close-short", {"reason": "客户同意少交"}
    )
    assert status == 201
    assert list(closure["shortfall"].values()) == [100]


def test_the_day_plan_is_proposed_and_confirmed_by_the_three(api, world, released):
    StaffPost.objects.create(user=world.users["production"], post=Post.WORKSHOP_SUPERVISOR)
    day = str(YESTERDAY)
    status, plan = api("merch", "POST", f"/plans/CUT-1/{day}/propose")
    assert status == 201
    assert [(i["step"], i["planned_qty"]) for i in plan["items"]] == [("开料", 80)]
    cut = work_orders(released)[0]
    status, plan = api(
        "merch", "PUT", f"/plans/CUT-1/{day}/items/{cut.number}", {"planned_qty": 60}
    )
    assert (status, plan["items"][0]["planned_qty"]) == (200, 60)
    status, refused = api(
        "production", "POST", f"/plans/CUT-1/{day}/confirm", {"as": "packing_supervisor"}
    )
    assert (status, refused["code"]) == (403, "production_wrong_post")
    api("merch", "POST", f"/plans/CUT-1/{day}/confirm", {"as": "merchandiser"})
    api("production", "POST", f"/plans/CUT-1/{day}/confirm", {"as": "workshop_supervisor"})
    StaffPost.objects.create(user=world.users["admin"], post=Post.PACKING_SUPERVISOR)
    status, plan = api("admin", "POST", f"/plans/CUT-1/{day}/confirm", {"as": "packing_supervisor"})
    assert status == 200 and plan["confirmed"] is True
    assert (plan["merchandiser"], plan["workshop_supervisor"]) == ("merch", "production")
    # the confirmed plan (60) is what the day's report is measured against
    status, report = api(
        "production", "POST", "/reports", {"work_order": cut.number, "day": day, "good_qty": 60}
    )
    assert (status, report["planned_qty"]) == (201, 60)


def test_no_price_in_any_production_answer(api, released):
    for wo in work_orders(released)[:1]:
        api(
            "production",
            "POST",
            "/reports",
            {"work_order": wo.number, "day": str(YESTERDAY), "good_qty": 80},
        )
    for path in ("/lines", "/routings", "/work-orders", f"/orders/{released.number}/progress"):
        status, body = api("production", "GET", path)
        text = json.dumps(body)
        assert status == 200
        assert "price" not in text and "amount" not in text and "300" not in text


def _count(api, who, path):
    with CaptureQueriesContext(connection) as ctx:
        status, _ = api(who, "GET", path)
    assert status == 200
    return len(ctx.captured_queries)


def test_reads_do_not_grow_with_work_orders(api, world, released):
    paths = ["/lines", "/routings", "/work-orders", f"/orders/{released.number}/progress"]
    for p in paths:
        api("merch", "GET", p)  # warm the token
    small = {p: _count(api, "merch", p) for p in paths}
    for _ in range(3):
        world.order(lines=[("FN-101", 20, "300"), ("FN-102", 5, "900")], to=Status.RELEASED)
    assert {p: _count(api, "merch", p) for p in paths} == small
