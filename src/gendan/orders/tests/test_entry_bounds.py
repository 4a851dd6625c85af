"""One set of bounds for every entry path (orders.inputs): the API, the entry page and the Excel
import refuse the same quantities, prices, amounts, dates and lengths, each with a message at
its field; nothing any of them stores can break a read."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from gendan.demodata import DEMO_PASSWORD
from gendan.orders.models import Order
from gendan.orders.tests.test_views_entry import EN, entry_post, error_at

pytestmark = pytest.mark.django_db


def api(client, method: str, path: str, token: str, body: Any) -> tuple[int, Any]:
    response = getattr(client, method)(
        f"/api/v1{path}",
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"},
    )
    return response.status_code, response.json()


def token(client, username: str) -> str:
    response = client.post(
        "/api/v1/auth/token",
        json.dumps({"username": username, "password": DEMO_PASSWORD}),
        content_type="application/json",
    )
    assert response.status_code == 201
    return response.json()["token"]


def order_body(lines: list[dict[str, Any]], **over: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "customer": "EXP001",
        "merchandiser": "merch",
        "contract_date": today.isoformat(),
        "delivery_date": (today + timedelta(days=30)).isoformat(),
        "lines": lines,
    } | over


@pytest.mark.parametrize(
    ("line", "over", "where"),
    [
        ({"quantity": 10**13, "unit_price": "1"}, {}, "quantity"),
        ({"quantity": 1, "unit_price": "123456789012345.5"}, {}, "unit_price"),
        ({"quantity": 1, "unit_price": 1e308}, {}, "unit_price"),
        ({"quantity": 1, "unit_price": "1", "colour": "x" * 51}, {}, "colour"),
        ({"quantity": 1, "unit_price": "1"}, {"contract_date": "1900-01-01"}, "contract_date"),
        ({"quantity": 1, "unit_price": "1"}, {"notes": "x" * 4001}, "notes"),
    ],
)
def test_the_api_refuses_what_the_bounds_refuse(client, world, line, over, where):
    status, body = api(
        client,
        "post",
        "/orders",
        token(client, "merch"),
        order_body([{"product": "BC-101"} | line], **over),
    )
    assert status == 422, body
    assert where in json.dumps(body)
    assert Order.objects.count() == 0


def test_a_line_amount_or_total_over_what_the_columns_hold_is_refused_on_every_path(client, world):
    """Within each bound, 100,000,000 x 99,999,999 made an amount numeric(14, 2) cannot hold:
    a 500 on PostgreSQL, an unreadable order on SQLite."""
    merch = token(client, "merch")
    status, body = api(
        client,
        "post",
        "/orders",
        merch,
        order_body([{"product": "BC-101", "quantity": 100_000_000, "unit_price": "99999999"}]),
    )
    assert status == 422, body
    assert (
        "at most 999,999,999,999.99 is possible" in body["details"]["fields"]["lines[1].quantity"]
    )
    twice = {"product": "BC-101", "quantity": 10_000_000, "unit_price": "60000"}
    status, body = api(client, "post", "/orders", merch, order_body([twice, twice]))
    assert status == 422 and "total would be" in body["details"]["fields"]["lines"]
    # the entry page: the same rule, at the same field
    client.force_login(world.users["merch"])
    response = client.post(
        reverse("web:order_new"),
        entry_post([("BC-101", "100000000", "99999999")]),
        headers=EN,
    )
    assert response.status_code == 422
    assert "at most 999,999,999,999.99" in error_at(response.content.decode(), "lines-0-quantity")
    assert Order.objects.count() == 0


def test_the_entry_page_refuses_the_bounds_at_their_fields(client, world):
    client.force_login(world.users["merch"])
    cases = [
        ([("BC-101", str(10**13), "1")], {}, "lines-0-quantity"),
        ([("BC-101", "1", "123456789012345.5")], {}, "lines-0-unit_price"),
        ([("BC-101", "1", "1e308")], {}, "lines-0-unit_price"),
        ([("BC-101", "1", "1")], {"contract_date": "2100-01-01"}, "contract_date"),
        ([("BC-101", "1", "1")], {"customer_po": "P" * 61}, "customer_po"),
    ]
    for lines, header, field in cases:
        response = client.post(reverse("web:order_new"), entry_post(lines, **header), headers=EN)
        assert response.status_code == 422, (field, response.status_code)
        assert error_at(response.content.decode(), field), field
    assert Order.objects.count() == 0


def test_an_amendment_is_held_to_the_same_bounds(client, world):
    order = world.order()
    merch = token(client, "merch")
    for body in (
        {"delivery_date": "2100-01-01"},
        {"lines": [{"product": "BC-101", "quantity": 10**13, "unit_price": "1"}]},
        {"lines": [{"product": "BC-101", "quantity": 100_000_000, "unit_price": "99999999"}]},
    ):
        status, answer = api(client, "patch", f"/orders/{order.number}", merch, body)
        assert status == 422, (body, answer)
    assert (
        client.get(
            f"/api/v1/orders/{order.number}", headers={"Authorization": f"Bearer {merch}"}
        ).status_code
        == 200
    )
