"""Loading over real HTTP: plan, read the plan, record counts, close, the counting-error register."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gendan.orders.tests.test_api import Http

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def http(live_server) -> Http:
    return Http(live_server.url)


def test_plan_count_and_close_over_http(http, world, notices):
    merch, keeper = http.token("merch"), http.token("warehouse")
    answer = http.post(
        "/loading/plans",
        merch,
        {"notices": notices, "container_type": "40HQ", "time_limit_s": 1},
    )
    assert answer.status == 202, answer.body
    number = answer.body["number"]
    assert answer.body["status"] == "queued" and answer.body["check"] is None
    assert [i["cartons"] for i in answer.body["items"]] == [400, 200, 100]

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    plan = http.get(f"/loading/plans/{number}", keeper).body
    assert plan["status"] == "done" and plan["progress"] == 1
    (container,) = plan["containers"]
    assert container["placements"] is None  # only when asked
    assert container["cartons"] == 700 and plan["left_behind"] == []
    full = http.get(f"/loading/plans/{number}?placements=true", keeper).body
    assert len(full["containers"][0]["placements"]) == 700

    walls = container["walls"]
    for wall in walls:
        counted = wall["count"] - (1 if wall["number"] == 1 else 0)
        check = http.post(
            f"/loading/plans/{number}/counts",
            keeper,
            {"container": 1, "wall": wall["number"], "counted": counted},
        )
        assert check.status == 200, check.body
    assert check.body["matches"] is False
    assert [r["code"] for r in check.body["reasons"]] == ["count_differs"]

    refused = http.post(f"/loading/plans/{number}/close", keeper, {})
    assert refused.status == 409 and refused.body["code"] == "count_differs"
    assert refused.body["details"]["reasons"][0]["code"] == "count_differs"

    fixed = http.post(
        f"/loading/plans/{number}/counts",
        keeper,
        {"container": 1, "wall": 1, "counted": walls[0]["count"]},
    )
    assert fixed.body["matches"] is True
    closed = http.post(f"/loading/plans/{number}/close", keeper, {})
    assert closed.status == 200 and closed.body["loading_status"] == "closed"
    assert closed.body["closed_by"] == "warehouse"
    again = http.post(f"/loading/plans/{number}/counts", keeper, {"wall": 1, "counted": 3})
    assert again.status == 409 and again.body["code"] == "loading_closed"

    error = http.post(
        "/loading/counting-errors",
        merch,
        {
            "plan": number,
            "person": "warehouse",
            "product": "BC-101",
            "source": "customer_receipt",
            "expected": 400,
            "actual": 398,
            "note": "客户收货少两箱",
        },
    )
    assert error.status == 201, error.body
    assert error.body["penalty"] == "200.00" and error.body["difference"] == -2
    register = http.get("/loading/counting-errors?person=warehouse", merch)
    assert register.status == 200 and [e["id"] for e in register.body["items"]] == [
        error.body["id"]
    ]
    assert register.body["next_cursor"] is None
    assert http.get("/loading/counting-errors", keeper).status == 403


def test_refusals_are_coded(http, world, notices):
    merch = http.token("merch")
    bad = http.post("/loading/plans", merch, {"notices": notices, "container_type": "99XX"})
    assert bad.status == 422 and bad.body["code"] == "unknown_container_type"
    nobody = http.post("/loading/plans", http.token("finance"), {"notices": notices})
    assert nobody.status == 403
    assert http.get("/loading/plans/LP-2000-000001", merch).status == 404
    line = http.post(
        "/loading/plans",
        merch,
        {"lines": [{"order": "SO-1999-000001", "line": 1}], "container_type": "40HQ"},
    )
    assert line.status == 422 and line.body["code"] == "unknown_order"
    types = http.get("/loading/container-types", merch).body
    assert {"20GP", "40GP", "40HQ", "45HQ"} <= {t["code"] for t in types["items"]}


def test_reading_a_plan_costs_the_same_queries_whatever_its_size(client, world, notices, planned):
    small = planned(notices=notices[1:])  # one notice, one line
    large = planned()  # two notices, three lines
    assert small.items.count() == 1 and large.items.count() == 3
    client.force_login(world.users["merch"])
    counts = []
    for plan in (small, large):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/api/v1/loading/plans/{plan.number}").status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]
