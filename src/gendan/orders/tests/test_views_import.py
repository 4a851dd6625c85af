"""The Excel import page: the upload is checked at once and handed to the worker; its page polls
the progress, then the preview writes nothing, a bad cell is shown with its reason and marked in
a downloadable copy, and the confirm imports (the worker again)."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from gendan.accounts.models import User
from gendan.orders.excel import HEADER
from gendan.orders.imports import run_import
from gendan.orders.models import Order, OrderImport
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


def _upload_and_check(client, data: bytes) -> tuple[OrderImport, str]:
    """Upload, let the worker check it (its task, run here), and read the upload's page."""
    response = client.post(URL, {"step": "preview", "file": _upload(data)})
    assert response.status_code == 302, response.content[:500]
    run = OrderImport.objects.get()
    assert response["Location"] == reverse("web:order_import_run", args=[run.key])
    assert run_import(run.pk) in ("ready", "invalid")
    return run, client.get(response["Location"]).content.decode()


def test_the_page_offers_a_file_input(merch):
    assert reverse("web:order_import") == URL
    html = merch.get(URL).content.decode()
    assert 'name="file"' in html and 'type="file"' in html


def test_the_upload_is_handed_to_the_worker_and_its_page_polls_the_progress(merch):
    data = _xlsx([_row("A"), _row("A", product="FN-101"), _row("B", customer="DIST01")])
    before = _counts()
    response = merch.post(URL, {"step": "preview", "file": _upload(data)})
    assert response.status_code == 302
    run = OrderImport.objects.get()
    # the request read no row: the worker does that
    assert (run.status, run.rows, run.confirmed, bytes(run.data)) == ("queued", 0, False, data)
    html = merch.get(response["Location"]).content.decode()
    assert 'data-testid="import-progress" data-status="queued"' in html
    progress = reverse("web:order_import_progress", args=[run.key])
    assert f'hx-get="{progress}"' in html
    assert 'data-testid="confirm-import"' not in html
    assert merch.get(progress, headers={"HX-Request": "true"}).get("HX-Refresh") is None
    run_import(run.pk)
    done = merch.get(progress, headers={"HX-Request": "true"})
    assert done["HX-Refresh"] == "true" and "hx-get" not in done.content.decode()
    assert _counts() == before


def test_preview_writes_nothing(merch):
    data = _xlsx([_row("A"), _row("A", product="FN-101"), _row("B", customer="DIST01")])
    before = _counts()
    run, html = _upload_and_check(merch, data)
    assert _counts() == before
    assert 'data-testid="confirm-import"' in html
    assert 'data-testid="import-errors"' not in html
    assert html.count("<tr data-row=") == 3
    assert "2 orders will be created" in html
    run.refresh_from_db()
    assert (run.status, run.rows, run.order_count, run.annotated) == ("ready", 3, 2, None)


def test_a_bad_row_shows_its_cell_and_reason_and_offers_no_confirm(merch):
    data = _xlsx([_row("A"), _row("B", quantity=0), _row("C", product="NOPE-1")])
    before = _counts()
    run, html = _upload_and_check(merch, data)
    assert _counts() == before
    assert 'data-testid="import-errors"' in html
    assert 'data-testid="confirm-import"' not in html
    # row 3 (order B) has quantity 0: the cell N3 is marked and explained
    assert 'data-cell="N3"' in html
    assert "A whole number from 1 to 100,000,000 is required." in html
    row3 = html[html.index('<tr data-row="3"') :].split("</tr>")[0]
    assert 'class="bad" data-column="quantity"' in row3
    # the file comes back with the bad cell marked and explained
    link = reverse("web:order_import_errors", args=[run.key])
    assert f'href="{link}"' in html
    annotated = load_workbook(io.BytesIO(merch.get(link).content))["orders"]
    assert annotated["N3"].value == 0
    assert "A whole number from 1 to 100,000,000" in annotated["N3"].comment.text
    assert annotated["N3"].fill.fgColor.rgb == "FFF4CCCC"
    assert annotated["N2"].comment is None and annotated["A2"].value == "A"


def test_an_unknown_product_is_found_by_the_dry_run(merch):
    data = _xlsx([_row("A"), _row("C", product="NOPE-1")])
    before = _counts()
    _run, html = _upload_and_check(merch, data)
    assert _counts() == before
    assert 'data-testid="import-errors"' in html
    assert 'data-testid="confirm-import"' not in html
    row3 = html[html.index('<tr data-row="3"') :].split("</tr>")[0]
    assert 'class="bad" data-column="product"' in row3


def test_a_good_files_confirm_creates_the_orders(merch):
    data = _xlsx([_row("A"), _row("A", product="FN-101"), _row("B", customer="DIST01")])
    run, _html = _upload_and_check(merch, data)
    assert Order.objects.count() == 0
    confirm = reverse("web:order_import_confirm", args=[run.key])
    response = merch.post(confirm)
    assert response.status_code == 302
    run.refresh_from_db()
    assert (run.status, run.confirmed) == ("queued", True)
    assert Order.objects.count() == 0  # the worker imports, not the request
    assert run_import(run.pk) == "done"
    html = merch.get(response["Location"]).content.decode()
    orders = list(Order.objects.order_by("number"))
    assert len(orders) == 2
    assert {o.customer.code for o in orders} == {"EXP001", "DIST01"}
    for order in orders:
        assert f'href="{reverse("web:order_detail", args=[order.number])}"' in html
    assert 'data-testid="imported-orders"' in html
    # a second confirm imports nothing more
    again = merch.post(confirm)
    assert again.status_code == 409
    assert 'data-testid="confirm-error"' in again.content.decode()
    assert Order.objects.count() == 2


def test_a_file_over_5_mb_is_refused_with_a_clear_message(merch):
    big = _upload(b"x" * (5 * 1024 * 1024 + 1), "big.xlsx")
    response = merch.post(URL, {"step": "preview", "file": big})
    assert response.status_code == 413
    assert "files over 5 MB are refused" in response.content.decode()
    assert not OrderImport.objects.exists()


def test_not_an_excel_file_is_refused_at_once(merch):
    response = merch.post(URL, {"step": "preview", "file": _upload(b"hello", "x.xlsx")})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'data-testid="upload-error"' in html
    assert "not an Excel .xlsx workbook" in html
    assert not OrderImport.objects.exists()


def test_a_cell_at_xfd1048576_is_refused_at_once(merch):
    """Defect: a 5 KB file whose only cell is XFD1048576 kept the request busy for ever."""
    book = Workbook()
    book.active.title = "orders"
    book.active["XFD1048576"] = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    response = merch.post(URL, {"step": "preview", "file": _upload(buffer.getvalue())})
    assert response.status_code == 422
    assert "declares 1,048,576 rows and 16,384 columns" in response.content.decode()
    assert not OrderImport.objects.exists()


def test_the_errors_are_capped_at_200_with_the_count_of_the_rest(merch):
    data = _xlsx([_row(f"R{i}", quantity="many") for i in range(300)])
    _run, html = _upload_and_check(merch, data)
    assert html.count("<li data-cell=") == 200
    assert "300 problems" in html
    assert "… and 100 more problems, not listed (the first 200 are)." in html
    assert html.count("<tr data-row=") == 200
    assert "200 of 300 rows shown" in html


def test_who_may_not_import_gets_403_and_nobody_sees_anothers_upload(client, merch, users):
    data = _xlsx([_row("A")])
    run, _html = _upload_and_check(merch, data)
    client.force_login(users["production"])
    assert client.get(URL).status_code == 403
    assert client.post(URL, {"step": "preview", "file": _upload(data)}).status_code == 403
    assert client.get(reverse("web:order_import_run", args=[run.key])).status_code == 403
    other = User.objects.create_user("merch2", password="x" * 12)
    other.groups.set(users["merch"].groups.all())  # who may import, but did not upload this one
    client.force_login(other)
    assert client.get(reverse("web:order_import_run", args=[run.key])).status_code == 404
    assert client.post(reverse("web:order_import_confirm", args=[run.key])).status_code == 404
    assert Order.objects.count() == 0
