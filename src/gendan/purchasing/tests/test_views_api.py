"""Purchasing's pages and endpoints: the plan turned into a purchase order on the page, a
refusal said with its figures and the input kept, the salesperson's confirmation, receipts,
the lazy Today sections and the cockpit's panel; the API's errors as elsewhere, purchase
prices only for who may see them; query counts that do not grow with the data."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gendan.accounts.services import issue_token
from gendan.purchasing import services
from gendan.purchasing.errors import Code
from gendan.purchasing.models import LineStatus, PurchaseLine, PurchaseOrder
from gendan.purchasing.tests.factories import master, notice_line, released

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}


@pytest.fixture
def order(world):
    master(world)
    return released(world)


class Api:
    def __init__(self, client, world):
        self.client, self.world, self.tokens = client, world, {}

    def __call__(self, who, method, path, body=None):
        if who not in self.tokens:
            user = self.world.users[who]
            self.tokens[who] = issue_token(user=user, actor=user)[1]
        response = self.client.generic(
            method,
            f"/api/v1/purchasing{path}",
            data=json.dumps(body) if body is not None else "",
            content_type="application/json",
            headers={"Authorization": f"Bearer {self.tokens[who]}", "Accept-Language": "en"},
        )
        return response.status_code, response.json()


def test_the_purchaser_buys_the_plan_on_the_pages(client, world, order):
    nl = notice_line(order)
    client.force_login(world.users["purchaser"])
    plan = client.get(reverse("web:purchasing_plan"), headers=EN).content.decode()
    assert f'data-plan-row="{nl.pk}:BAG-W"' in plan
    response = client.post(
        reverse("web:purchasing_plan"),
        {"pick": [f"{nl.pk}:BAG-W"], f"qty-{nl.pk}:BAG-W": "1250"},
        headers=EN,
    )
    po = PurchaseOrder.objects.get()
    assert response["Location"] == reverse("web:purchasing_po", args=[po.number])
    line = po.lines.get()
    url = reverse("web:purchasing_po", args=[po.number])
    refused = client.post(url, {"what": "confirm", "line": line.pk}, headers=EN)
    assert refused.status_code == 422
    text = refused.content.decode()
    assert "Bags at most 120 % of the need: need 1,000" in text
    assert "this line 1,250 makes 125.0 %; at most 1,200 in all." in text
    assert PurchaseLine.objects.get(pk=line.pk).status == LineStatus.DRAFT
    client.post(url, {"what": "amend", "line": line.pk, "quantity": "1180"}, headers=EN)
    client.post(url, {"what": "confirm", "line": line.pk}, headers=EN)
    line.refresh_from_db()
    assert (line.quantity, line.status) == (Decimal(1180), LineStatus.CONFIRMED)
    client.post(url, {"what": "receive", "line": line.pk, "quantity": "500"}, headers=EN)
    line.refresh_from_db()
    assert line.received_qty == Decimal(500)
    over = client.post(url, {"what": "receive", "line": line.pk, "quantity": "681"}, headers=EN)
    assert over.status_code == 422
    assert "at most 680 is still open" in over.content.decode()


def test_the_salesperson_confirms_the_carton_spec_on_the_packing_page(client, world, order):
    client.force_login(world.users["purchaser"])
    page = client.get(reverse("web:purchasing_packing"), headers=EN).content.decode()
    assert 'data-action="confirm-spec"' not in page
    client.force_login(world.users["sales"])
    page = client.get(reverse("web:purchasing_packing"), headers=EN).content.decode()
    assert 'data-action="confirm-spec"' in page
    client.post(reverse("web:purchasing_packing"), {"what": "confirm_spec", "product": "BC-101"})
    from gendan.purchasing.models import CartonSpec

    spec = CartonSpec.objects.get(product__code="BC-101")
    assert spec.confirmed_by == world.users["sales"]


def test_the_api_refuses_with_the_code_and_the_figures_and_hides_prices(client, world, order):
    api = Api(client, world)
    nl = notice_line(order)
    status, body = api(
        "purchaser",
        "POST",
        "/orders",
        {
            "supplier": "SUP-CT",
            "lines": [
                {"material": "CTN-B", "quantity": "51", "notice_line": nl.pk, "unit_price": "3.5"}
            ],
        },
    )
    assert status == 201 and body["lines"][0]["unit_price"] == "3.5000"
    line = body["lines"][0]["id"]
    status, body = api("purchaser", "POST", f"/lines/{line}/confirm")
    assert status == 409 and body["code"] == Code.CARTON_SPEC_UNCONFIRMED
    assert [r["code"] for r in body["details"]["reasons"]] == [
        Code.CARTON_SPEC_UNCONFIRMED,
        Code.CARTON_OVER,
    ]
    assert body["details"]["figures"]["most"] == "50"
    status, body = api("sales", "POST", "/carton-specs/BC-101/confirm")
    assert status == 200 and body["confirmed_by"] == "sales"
    status, body = api("purchaser", "POST", f"/lines/{line}/override", {"reason": "x"})
    assert status == 403
    status, body = api("purchaser", "PATCH", f"/lines/{line}", {"quantity": "50"})
    assert status == 200
    status, body = api("purchaser", "POST", f"/lines/{line}/confirm")
    assert status == 200 and body["lines"][0]["status"] == "confirmed"
    status, body = api("merch", "GET", f"/orders/{body['number']}")
    assert status == 200 and body["lines"][0]["unit_price"] is None
    status, body = api("driver", "GET", "/orders")
    assert status == 403
    status, body = api("merch", "GET", f"/readiness/{order.number}")
    assert status == 200 and body["complete"] is False
    assert {s["material"] for s in body["shortages"]} == {"BAG-W", "CTN-B", "LBL-01", "RAW-NW"}
    status, body = api("purchaser", "GET", "/plan")
    assert status == 200 and {r["material"] for r in body["items"]} == {
        "BAG-W",
        "LBL-01",
        "RAW-NW",
    }
    status, body = api(
        "purchaser",
        "POST",
        "/plan/orders",
        {"selection": [{"notice_line": nl.pk, "material": "RAW-NW", "quantity": "20.6"}]},
    )
    assert status == 201 and body[0]["supplier"] == "SUP-RM"


def test_today_and_the_cockpit_show_the_shortage_and_the_late_line(client, world, order):
    nl = notice_line(order)
    buyer = world.users["purchaser"]
    po = services.create_purchase_order(
        supplier="SUP-RM",
        lines=[
            services.LineInput(
                material="RAW-NW",
                quantity="20.6",
                notice_line=nl.pk,
                promised_on=timezone.localdate() - timedelta(days=2),
            )
        ],
        actor=buyer,
    )
    services.confirm_purchase_order(po=po.number, actor=buyer)
    client.force_login(world.users["merch"])
    today = client.get(reverse("web:today"), headers=EN).content.decode()
    assert reverse("web:purchasing_today_section", args=["purchasing_short"]) in today
    short = client.get(
        reverse("web:purchasing_today_section", args=["purchasing_short"]), headers=EN
    ).content.decode()
    assert f'data-order="{order.number}"' in short
    assert "short 1000 of 湿巾包装袋, not ordered" in short
    late = client.get(
        reverse("web:purchasing_today_section", args=["purchasing_late_mine"]), headers=EN
    ).content.decode()
    assert f'href="{reverse("web:purchasing_po", args=[po.number])}"' in late
    cockpit = client.get(reverse("web:order_detail", args=[order.number]), headers=EN)
    assert reverse("web:purchasing_readiness", args=[order.number]) in cockpit.content.decode()
    panel = client.get(
        reverse("web:purchasing_readiness", args=[order.number]), headers=EN
    ).content.decode()
    expected = (timezone.localdate() - timedelta(days=2)).isoformat()
    assert f"short 20.6 of 无纺布, expected {expected}" in panel
    plate = services.order_plate(
        material="NPB-D",
        supplier="SUP-PK",
        due_on=timezone.localdate() - timedelta(days=1),
        actor=buyer,
    )
    client.force_login(world.users["purchaser"])
    plates = client.get(
        reverse("web:purchasing_today_section", args=["purchasing_plates"]), headers=EN
    ).content.decode()
    assert f'data-plate="{plate.pk}"' in plates
    with_buyer = client.get(
        reverse("web:purchasing_today_section", args=["purchasing_late"]), headers=EN
    )
    assert with_buyer.status_code == 200
    assert (
        client.get(reverse("web:purchasing_today_section", args=["purchasing_short"])).status_code
        == 404
    )


def test_every_page_answers_and_the_price_blind_see_no_price(client, world, order):
    nl = notice_line(order)
    po = services.create_purchase_order(
        supplier="SUP-RM",
        lines=[
            services.LineInput(
                material="RAW-NW", quantity=5, notice_line=nl.pk, unit_price="98765.43"
            )
        ],
        actor=world.users["purchaser"],
    )
    pages = [
        reverse("web:purchasing_home"),
        reverse("web:purchasing_plan"),
        reverse("web:purchasing_po", args=[po.number]),
        reverse("web:purchasing_materials"),
        reverse("web:purchasing_packing"),
        reverse("web:purchasing_suppliers"),
        reverse("web:purchasing_figures"),
        reverse("web:purchasing_slow"),
    ]
    client.force_login(world.users["purchaser"])
    assert "98765.43" in client.get(pages[2]).content.decode()
    for who in ("warehouse", "production"):
        client.force_login(world.users[who])
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, url
            assert "98765.43" not in response.content.decode()
    client.force_login(world.users["driver"])
    assert client.get(pages[0]).status_code == 403
    client.force_login(world.users["purchaser"])
    pdf = client.get(reverse("web:purchasing_po_pdf", args=[po.number]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    for url in ("materials_export", "figures_export", "slow_export"):
        response = client.get(reverse(f"web:purchasing_{url}"))
        assert response.status_code == 200 and response.content[:2] == b"PK"


def _count(client, url, headers=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, headers=headers or {}).status_code == 200
    return len(ctx)


def test_query_counts_do_not_grow_with_the_data(client, world, order):
    buyer = world.users["purchaser"]
    token = issue_token(user=buyer, actor=buyer)[1]
    auth = {"Authorization": f"Bearer {token}"}

    def more(n):
        for _ in range(n):
            o = released(world, quantity=100)
            nl = notice_line(o)
            po = services.create_purchase_order(
                supplier="SUP-RM",
                lines=[
                    services.LineInput(
                        material="RAW-NW",
                        quantity=1,
                        notice_line=nl.pk,
                        promised_on=timezone.localdate() - timedelta(days=1),
                    ),
                    services.LineInput(material="LBL-01", quantity=50, notice_line=nl.pk),
                ],
                actor=buyer,
            )
            first = po.lines.order_by("line_no").first()
            services.confirm_line(line=first.pk, actor=buyer)
            services.record_shipment(
                line=first.pk, quantity=1, expected_on=timezone.localdate(), actor=buyer
            )

    more(2)
    po = PurchaseOrder.objects.order_by("id").first()
    client.force_login(buyer)
    urls = [
        (reverse("web:purchasing_home"), None),
        (reverse("web:purchasing_plan"), None),
        (reverse("web:purchasing_po", args=[po.number]), None),
        (reverse("web:purchasing_materials"), None),
        (reverse("web:purchasing_figures"), None),
        (reverse("web:purchasing_slow"), None),
        (reverse("web:purchasing_readiness", args=[order.number]), None),
        (reverse("web:purchasing_today_section", args=["purchasing_late"]), None),
        (reverse("web:purchasing_today_section", args=["purchasing_transit"]), None),
        (reverse("web:purchasing_today_section", args=["purchasing_drafts"]), None),
        ("/api/v1/purchasing/orders", auth),
        ("/api/v1/purchasing/plan", auth),
        ("/api/v1/purchasing/in-transit", auth),
        ("/api/v1/purchasing/late", auth),
    ]
    for url, headers in urls:
        client.get(url, headers=headers or {})
    before = [_count(client, url, headers) for url, headers in urls]
    more(6)
    after = [_count(client, url, headers) for url, headers in urls]
    assert before == after
