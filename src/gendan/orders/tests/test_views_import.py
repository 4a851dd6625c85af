"""The Excel import page: preview writes nothing, a bad cell is shown with its reason, confirm imports."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from gendan.accounts.models import User
from gendan.orders.excel import HEADER
from gendan.orders.models import Order
from gendan.orders.views.imports import SESSION_KEY
from gendan.timeline.models import Event

pytestmark = pytest.mark.django_db

URL = "/import/"


def _xlsx(rows: list[dict[str, object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "orders"
    sheet.append(list(HEADER))
    for values in rows:
        sheet.append([values.get(c, "") for c in HEADER])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _row(ref: str, **over: object) -> dict[str, object]:
    return {
        "order_ref": ref,
        "customer": "EXP001",
        "salesperson": "sales",
        "merchandiser": "merch",
        "channel": "export",
        "currency": "USD",
        "incoterm": "FOB",
        "contract_date": date(2026, 11, 1),
        "delivery_date": date(2026, 12, 20),
        "customer_po": f"PO-{ref}",
        "product": "BC-101",
        "quantity": 10,
        "packs": 1,
        "unit_price": "12.5",
        **over,
    }


def _upload(data: bytes, name: str = "orders.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


@pytest.fixture
def merch(client, world, users):
    User.objects.filter(pk=users["merch"].pk).update(language="en")
    client.force_login(users["merch"])
    return client


def _counts() -> tuple[int, int]:
    return Order.objects.count(), Event.objects.count()


def test_the_page_offers_a_file_input(merch):
    assert reverse("web:order_import") == URL
    html = merch.get(URL).content.decode()
    assert 'name="file"' in html and 'type="file"' in html


def test_preview_writes_nothing(merch):
    data = _xlsx([_row("A"), _row("A", product="FN-101"), _row("B", customer="DIST01")])
    before = _counts()
    response = merch.post(URL, {"step": "preview", "file": _upload(data)})
    assert response.status_code == 200
    html = response.content.decode()
    assert _counts() == before
    assert 'data-testid="confirm-import"' in html
    assert 'data-testid="import-errors"' not in html
    assert html.count("<tr data-row=") == 3
    assert "2 orders will be created" in html
    assert merch.session[SESSION_KEY]["name"] == "orders.xlsx"  # the bytes wait in the session


def test_a_bad_row_shows_its_cell_and_reason_and_offers_no_confirm(merch):
    data = _xlsx([_row("A"), _row("B", quantity=0), _row("C", product="NOPE-1")])
    before = _counts()
    response = merch.post(URL, {"step": "preview", "file": _upload(data)})
    html = response.content.decode()
    assert _counts() == before
    assert 'data-testid="import-errors"' in html
    assert 'data-testid="confirm-import"' not in html
    # row 3 (order B) has quantity 0: the cell N3 is marked and explained
    assert 'data-cell="N3"' in html
    assert "A whole number from 1 to 100,000,000 is required." in html
    row3 = html[html.index('<tr data-row="3"') :].split("</tr>")[0]
    assert 'class="bad" data-column="quantity"' in row3
    assert SESSION_KEY not in merch.session


def test_an_unknown_product_is_found_by_the_dry_run(merch):
    data = _xlsx([_row("A"), _row("C", product="NOPE-1")])
    before = _counts()
    html = merch.post(URL, {"step": "preview", "file": _upload(data)}).content.decode()
    assert _counts() == before
    assert 'data-testid="import-errors"' in html
    assert 'data-testid="confirm-import"' not in html
    row3 = html[html.index('<tr data-row="3"') :].split("</tr>")[0]
    assert 'class="bad" data-column="product"' in row3


def test_a_good_files_confirm_creates_the_orders(merch):
    data = _xlsx([_row("A"), _row("A", product="FN-101"), _row("B", customer="DIST01")])
    merch.post(URL, {"step": "preview", "file": _upload(data)})
    token = merch.session[SESSION_KEY]["token"]
    assert Order.objects.count() == 0
    response = merch.post(URL, {"step": "confirm", "token": token})
    assert response.status_code == 200
    html = response.content.decode()
    orders = list(Order.objects.order_by("number"))
    assert len(orders) == 2
    assert {o.customer.code for o in orders} == {"EXP001", "DIST01"}
    for order in orders:
        assert f'href="{reverse("web:order_detail", args=[order.number])}"' in html
    assert 'data-testid="imported-orders"' in html
    assert SESSION_KEY not in merch.session
    # a second confirm imports nothing more
    again = merch.post(URL, {"step": "confirm", "token": token})
    assert again.status_code == 409
    assert Order.objects.count() == 2


def test_a_file_over_5_mb_is_refused_with_a_clear_message(merch):
    big = _upload(b"x" * (5 * 1024 * 1024 + 1), "big.xlsx")
    response = merch.post(URL, {"step": "preview", "file": big})
    assert response.status_code == 413
    assert "files over 5 MB are refused" in response.content.decode()
    assert SESSION_KEY not in merch.session


def test_not_an_excel_file(merch):
    response = merch.post(URL, {"step": "preview", "file": _upload(b"hello", "x.xlsx")})
    html = response.content.decode()
    assert 'data-testid="import-errors"' in html
    assert "not an Excel .xlsx workbook" in html
    assert 'data-testid="confirm-import"' not in html


def test_who_may_not_import_gets_403(client, world, users):
    client.force_login(users["production"])
    assert client.get(URL).status_code == 403
    data = _xlsx([_row("A")])
    assert client.post(URL, {"step": "preview", "file": _upload(data)}).status_code == 403
    assert Order.objects.count() == 0
