"""Outsourced processing (外发加工): an outsourced step is sent (never more than the step before
made), received (never more than is out; partial, several receipts), inspected on receipt by
QC, and what the inspection accepts is the step's good quantity, so the next step can report.
Late returns show on the merchandiser's Today. Each refusal changes nothing."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gendan.accounts.services import issue_token
from gendan.errors import DomainError, Kind
from gendan.production import selectors
from gendan.production.errors import Code
from gendan.production.models import OutsourceReceipt, OutsourceShipment, ReceiptStatus
from gendan.production.services import outsourcing, reports
from gendan.production.tests.factories import released_order, work_orders
from gendan.quality.services import record_inspection
from gendan.quality.tests.factories import outsourced_routing
from gendan.timeline.models import Event

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
YESTERDAY = TODAY - timedelta(days=1)
EN = {"accept-language": "en"}


@pytest.fixture
def released(world):
    """20 one-seat sofas (客厅系列): 开料 -> 软包 (outsourced, 5 days) -> 包装."""
    outsourced_routing(world.users["admin"])
    return released_order(world, lines=[("FN-202", 20, "900")])


def state(order) -> tuple:
    return (
        list(order.work_orders.order_by("seq").values_list("good_qty", "status")),
        OutsourceShipment.objects.count(),
        OutsourceReceipt.objects.count(),
        Event.objects.filter(order=order).count(),
    )


def refused(order, call, code: str) -> None:
    before = state(order)
    with pytest.raises(DomainError) as exc:
        call()
    assert exc.value.code == code, exc.value.message
    assert state(order) == before


def cut_all(world, cut, good=20):
    reports.record_report(
        work_order=cut.number,
        day=YESTERDAY,
        good_qty=good,
        slip_reason="material",
        note="布料晚到",
        actor=world.users["production"],
    )


def inspect_receipt(world, receipt, **defects):
    return record_inspection(
        kind="outsourced", receipt=receipt.pk, defects=defects, actor=world.users["qc"]
    )


def test_the_outsourced_step_sends_no_more_than_the_step_before_made(world, released):
    cut, soft, _pack = work_orders(released)
    assert soft.outsourced and soft.line is None
    production = world.users["production"]
    refused(
        released,
        lambda: outsourcing.send_out(work_order=soft.number, quantity=5, actor=production),
        Code.BEYOND_PREDECESSOR,
    )
    cut_all(world, cut, good=12)
    shipment = outsourcing.send_out(
        work_order=soft.number, quantity=12, sent_on=TODAY - timedelta(days=2), actor=production
    )
    assert shipment.expected_back == TODAY + timedelta(days=3)  # sent + the 5-day lead time
    assert shipment.supplier.code == "SUP-OUT1"
    refused(
        released,
        lambda: outsourcing.send_out(work_order=soft.number, quantity=1, actor=production),
        Code.BEYOND_PREDECESSOR,
    )
    refused(
        released,
        lambda: outsourcing.send_out(work_order=cut.number, quantity=1, actor=production),
        Code.NOT_OUTSOURCED,
    )


def test_receipts_are_partial_inspected_and_count_as_the_steps_good(world, released):
    cut, soft, pack = work_orders(released)
    production = world.users["production"]
    cut_all(world, cut)
    outsourcing.send_out(work_order=soft.number, quantity=20, actor=production)
    refused(
        released,
        lambda: outsourcing.receive_back(work_order=soft.number, quantity=21, actor=production),
        Code.BEYOND_SENT,
    )
    first = outsourcing.receive_back(work_order=soft.number, quantity=8, actor=production)
    soft.refresh_from_db()
    assert (first.status, soft.good_qty) == (ReceiptStatus.AWAITING_INSPECTION, 0)
    # packing cannot report what is not yet accepted from the supplier
    with pytest.raises(DomainError) as exc:
        reports.record_report(work_order=pack.number, day=YESTERDAY, good_qty=1, actor=production)
    assert exc.value.code == Code.BEYOND_PREDECESSOR
    # QC accepts the first receipt less the defective found (lot 8: the whole lot is sampled)
    inspection = inspect_receipt(world, first)
    assert (inspection.result, inspection.sample_size) == ("passed", 5)
    first.refresh_from_db()
    soft.refresh_from_db()
    assert (first.status, first.good_qty, soft.good_qty) == ("accepted", 8, 8)
    reports.record_report(
        work_order=pack.number,
        day=YESTERDAY,
        good_qty=8,
        slip_reason="upstream",
        note="外发未回",
        actor=production,
    )
    # a failed receipt goes back to the supplier: nothing counts, and it is out again
    second = outsourcing.receive_back(work_order=soft.number, quantity=12, actor=production)
    failed = inspect_receipt(world, second, appearance=2)
    second.refresh_from_db()
    soft.refresh_from_db()
    assert (failed.result, second.status, second.good_qty, soft.good_qty) == (
        "failed",
        "rejected",
        0,
        8,
    )
    third = outsourcing.receive_back(work_order=soft.number, quantity=12, actor=production)
    inspect_receipt(world, third)
    soft.refresh_from_db()
    assert (soft.good_qty, soft.status) == (20, "done")
    kinds = list(
        Event.objects.filter(order=released, kind__startswith="production.outsource").values_list(
            "kind", flat=True
        )
    )
    assert kinds.count("production.outsource_received") == 3
    assert kinds.count("production.outsource_settled") == 3


def test_a_receipt_is_inspected_once(world, released):
    cut, soft, _ = work_orders(released)
    production = world.users["production"]
    cut_all(world, cut)
    outsourcing.send_out(work_order=soft.number, quantity=20, actor=production)
    receipt = outsourcing.receive_back(work_order=soft.number, quantity=20, actor=production)
    inspect_receipt(world, receipt)
    with pytest.raises(DomainError) as exc:
        inspect_receipt(world, receipt)
    assert exc.value.kind == Kind.REFUSED


def test_sending_and_receiving_are_the_production_roles(world, released):
    cut, soft, _ = work_orders(released)
    cut_all(world, cut)
    for who in ("qc", "merch", "warehouse"):
        with pytest.raises(DomainError) as exc:
            outsourcing.send_out(work_order=soft.number, quantity=1, actor=world.users[who])
        assert exc.value.kind == Kind.FORBIDDEN
        with pytest.raises(DomainError) as exc:
            outsourcing.receive_back(work_order=soft.number, quantity=1, actor=world.users[who])
        assert exc.value.kind == Kind.FORBIDDEN


def test_late_returns_show_on_the_merchandisers_today(client, world, released):
    cut, soft, _ = work_orders(released)
    production = world.users["production"]
    cut_all(world, cut)
    outsourcing.send_out(
        work_order=soft.number, quantity=12, sent_on=TODAY - timedelta(days=7), actor=production
    )
    outsourcing.send_out(work_order=soft.number, quantity=8, actor=production)
    count, rows = selectors.late_returns(world.users["merch"], TODAY, 10)
    assert count == 1
    assert (rows[0].out, rows[0].expected_back, rows[0].days_late(TODAY)) == (
        20,
        TODAY - timedelta(days=2),
        2,
    )
    client.force_login(world.users["merch"])
    today = client.get(reverse("web:today"), headers=EN).content.decode()
    assert 'data-section="production_late_returns"' in today  # drawn after Today has loaded
    url = reverse("web:production_today_section", args=["production_late_returns"])
    html = client.get(url, headers=EN).content.decode()
    assert f'data-work-order="{soft.number}"' in html and "Late from outsourcing" in html
    # the oldest shipment back in full: what is out now is not yet due
    outsourcing.receive_back(work_order=soft.number, quantity=12, actor=production)
    assert selectors.late_returns(world.users["merch"], TODAY, 10)[0] == 0
    html = client.get(url, headers=EN).content.decode()
    assert f'data-work-order="{soft.number}"' not in html


def test_the_phone_page_sends_and_receives(client, world, released):
    cut, soft, _ = work_orders(released)
    cut_all(world, cut)
    client.force_login(world.users["production"])
    url = reverse("web:production_outsourcing")
    page = client.get(url, headers=EN).content.decode()
    assert f'data-work-order="{soft.number}"' in page
    response = client.post(
        url, {"work_order": soft.number, "what": "send", "quantity": "25"}, headers=EN
    )
    assert response.status_code == 422 and 'data-testid="refusal"' in response.content.decode()
    response = client.post(
        url, {"work_order": soft.number, "what": "send", "quantity": "20"}, headers=EN
    )
    assert response.status_code == 302
    response = client.post(
        url, {"work_order": soft.number, "what": "receive", "quantity": "5"}, headers=EN
    )
    assert response.status_code == 302
    assert OutsourceReceipt.objects.get().quantity == 5
    client.force_login(world.users["qc"])
    assert client.get(url).status_code == 403


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_the_page_and_the_api_list_cost_the_same_queries_for_more_work_orders(
    client, world, released
):
    production = world.users["production"]
    token = issue_token(user=production, actor=production)[1]
    headers = {"Authorization": f"Bearer {token}"}

    def one_more():
        order = released_order(world, lines=[("FN-502", 10, "900")])
        cut, soft, _ = work_orders(order)
        cut_all(world, cut, good=10)
        outsourcing.send_out(work_order=soft.number, quantity=10, actor=production)
        outsourcing.receive_back(work_order=soft.number, quantity=4, actor=production)

    one_more()
    client.force_login(production)
    page = reverse("web:production_outsourcing")
    api = "/api/v1/production/outsourcing"
    client.get(page)
    client.get(api, headers=headers)
    counts = [_queries(client, page)]
    with CaptureQueriesContext(connection) as ctx:
        client.get(api, headers=headers)
    api_counts = [len(ctx)]
    for _ in range(3):
        one_more()
    counts.append(_queries(client, page))
    with CaptureQueriesContext(connection) as ctx:
        client.get(api, headers=headers)
    api_counts.append(len(ctx))
    assert counts[0] == counts[1], counts
    assert api_counts[0] == api_counts[1], api_counts
    items = client.get(api, headers=headers).json()["items"]
    assert len(items) == 5 and all(set(i) >= {"sent", "received", "out"} for i in items)


def test_the_api_sends_and_receives(client, world, released):
    cut, soft, _ = work_orders(released)
    cut_all(world, cut)
    production = world.users["production"]
    token = issue_token(user=production, actor=production)[1]

    def post(path, body):
        response = client.post(
            f"/api/v1/production/work-orders/{soft.number}/{path}",
            data=json.dumps(body),
            content_type="application/json",
            headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"},
        )
        return response.status_code, response.json()

    status, body = post("send", {"quantity": 20, "day": (TODAY - timedelta(days=1)).isoformat()})
    assert status == 201 and (body["sent"], body["out"]) == (20, 20)
    assert body["expected_back"] == (TODAY + timedelta(days=4)).isoformat()
    status, body = post("receive", {"quantity": 30})
    assert status == 422 and body["code"] == Code.BEYOND_SENT
    status, body = post("receive", {"quantity": 15})
    assert status == 201 and (body["received"], body["out"]) == (15, 5)
    assert body["receipts"][0]["status"] == "awaiting"


def test_goods_at_the_supplier_count_in_the_schedule_until_the_day_promised(world, released):
    from gendan.production.services import schedule

    cut, soft, _pack = work_orders(released)
    week = schedule.week_of(TODAY)

    def supplier_days() -> int:
        snap = schedule.read_problem(week, today=TODAY)
        [wo] = [w for w in snap["work_orders"] if w["order_ref"] == released.number]
        [step] = [s for s in wo["steps"] if s["number"] == soft.number]
        return step["days"]

    assert supplier_days() == 5  # not sent yet: the routing's lead time
    cut_all(world, cut)
    outsourcing.send_out(work_order=soft.number, quantity=20, actor=world.users["production"])
    OutsourceShipment.objects.update(expected_back=TODAY + timedelta(days=12))  # as promised
    assert supplier_days() == 12
