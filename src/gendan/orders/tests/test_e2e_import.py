"""The Excel import in a real browser with the real worker: the upload's page polls while the
worker checks, shows the bad cell and offers the annotated file; a clean file is confirmed, the
page polls again while the worker imports, then links the orders."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from gendan.jobs.tests.worker_thread import run_worker_until
from gendan.orders.excel import HEADER
from gendan.orders.models import Order, OrderImport
from gendan.web.tests.conftest import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def checked() -> bool:
    return OrderImport.objects.exclude(status__in=("queued", "checking", "importing")).exists()


def imported() -> bool:
    return OrderImport.objects.filter(status="done").exists()


GOOD = dict.fromkeys(HEADER, "") | {
    "order_ref": "A",
    "customer": "EXP001",
    "merchandiser": "merch",
    "contract_date": "2026-11-25",
    "delivery_date": "2026-12-30",
    "product": "BC-101",
    "quantity": 10,
    "unit_price": "12.5",
}


def workbook(path, rows: list[dict[str, object]]) -> str:
    book = Workbook()
    sheet = book.active
    sheet.title = "orders"
    sheet.append(list(HEADER))
    for row in rows:
        sheet.append([row[h] for h in HEADER])
    book.save(path)
    return str(path)


def upload(page, path: str) -> None:
    page.goto(page.base_url + "/import/")
    page.set_input_files("input[name=file]", path)
    with page.expect_navigation():
        page.click("[data-testid=preview-import]")


def test_a_bad_cell_is_shown_after_the_worker_checked_and_nothing_is_imported(
    browser_page, world, tmp_path
):
    path = workbook(tmp_path / "bad.xlsx", [GOOD, GOOD | {"unit_price": "1e308"}])
    page = browser_page
    sign_in(page, "merch")
    upload(page, path)
    assert page.locator("[data-testid=import-progress]").get_attribute("data-status") == "queued"
    worker = run_worker_until(checked)
    page.wait_for_selector("[data-testid=import-errors]", timeout=60_000)
    worker.join(timeout=60)
    errors = page.locator("[data-testid=import-errors]").inner_text()
    assert "P3" in errors
    assert page.locator("td.bad[data-column=unit_price]").count() == 1
    assert page.locator("[data-testid=confirm-import]").count() == 0
    with page.expect_download() as download:
        page.click("[data-testid=download-annotated]")
    assert download.value.suggested_filename == "import-errors.xlsx"
    screenshot(page, "import-errors")
    assert Order.objects.count() == 0


def test_a_clean_file_is_checked_confirmed_and_imported_by_the_worker(
    browser_page, world, tmp_path
):
    path = workbook(tmp_path / "good.xlsx", [GOOD, GOOD | {"product": "FN-101"}])
    page = browser_page
    sign_in(page, "merch")
    upload(page, path)
    worker = run_worker_until(checked)
    page.wait_for_selector("[data-testid=confirm-import]", timeout=60_000)
    worker.join(timeout=60)
    assert Order.objects.count() == 0
    worker = run_worker_until(imported)
    with page.expect_navigation():
        page.click("[data-testid=confirm-import]")
    page.wait_for_selector("[data-testid=imported-orders]", timeout=60_000)
    worker.join(timeout=60)
    (order,) = Order.objects.all()
    assert page.locator(f"[data-order='{order.number}']").count() == 1
    assert order.lines.count() == 2
