"""The whole life of an order through the browser, with the logins of the roles (issue: workbench)."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import Workbook
from playwright.sync_api import expect

from gendan.jobs.tests.worker_thread import run_worker_until
from gendan.orders.excel import HEADER
from gendan.orders.models import Order
from gendan.orders.tests.test_e2e_import import checked
from gendan.parties.models import Customer
from gendan.web.tests.conftest import ARTIFACTS, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LINES = [("BC-101", "100", "12.50"), ("FN-101", "10", "300"), ("BC-202", "40", "8.80")]


def open_cockpit(page, number: str) -> None:
    page.goto(f"{page.base_url}/orders/{number}/")
    page.wait_for_selector("[data-testid=order-status]")


def act(page, action: str, **fields: str) -> None:
    form = page.locator(f"form[data-action-form={action}]")
    for name, value in fields.items():
        form.locator(f"[name={name}]").fill(value)
    with page.expect_navigation():
        form.locator(f"button[data-action={action}]").click()
    errors = page.locator(".messages li.error")
    assert errors.count() == 0, errors.all_inner_texts()


def status(page) -> str:
    return page.locator("[data-testid=order-status]").get_attribute("data-status")


def as_role(page, username: str, number: str) -> None:
    sign_in(page, username)
    open_cockpit(page, number)


def test_the_whole_life_of_an_order_through_the_ui(browser_page, world):
    # a distributor with a 50 % deposit who may pay the rest in cash to the driver (credit terms)
    Customer.objects.filter(code="DIST01").update(credit_days=30, credit_limit=Decimal("10000000"))
    page = browser_page
    today = timezone.localdate()

    sign_in(page, "merch")
    page.goto(page.base_url + "/orders/new/")
    page.select_option("select[name=customer]", "DIST01")
    page.fill("input[name=contract_date]", today.isoformat())
    page.fill("input[name=delivery_date]", (today + timedelta(days=30)).isoformat())
    while page.locator("tr.line-row").count() < len(LINES):
        before = page.locator("tr.line-row").count()
        page.click("[data-testid=add-line]")
        expect(page.locator("tr.line-row")).to_have_count(before + 1)  # CSP: no eval strings
    for i, (product, quantity, price) in enumerate(LINES):
        page.fill(f"[name=lines-{i}-product]", product)
        page.fill(f"[name=lines-{i}-quantity]", quantity)
        page.fill(f"[name=lines-{i}-unit_price]", price)
    assert "4,602.00" in page.locator("[data-testid=order-total]").inner_text()
    page.click("[data-testid=save-order]")
    page.wait_for_url(re.compile(r"/orders/SO-\d{4}-\d{6}/$"))
    number = re.search(r"/orders/(SO-\d{4}-\d{6})/", page.url).group(1)
    page.wait_for_selector("[data-testid=order-status]")
    assert status(page) == "draft"
    act(page, "submit")

    as_role(page, "manager", number)
    act(page, "sign_manager")
    as_role(page, "finance", number)
    act(page, "sign_finance")
    assert status(page) == "signed"
    as_role(page, "merch", number)
    act(page, "request_deposit")
    as_role(page, "finance", number)
    act(page, "confirm_deposit", amount="2301.00", reference="TT-2026-1")
    assert status(page) == "deposit_confirmed"
    as_role(page, "merch", number)
    act(page, "release")
    assert status(page) == "released"

    as_role(page, "production", number)
    html = page.content()
    assert "4,602.00" not in html and "2,301.00" not in html and "12.50" not in html
    act(page, "complete_production")
    assert status(page) == "produced"

    as_role(page, "merch", number)
    act(page, "request_balance")
    as_role(page, "finance", number)
    act(page, "confirm_balance", amount="1000.00", reference="TT-2026-2")
    act(page, "allow_credit")
    assert status(page) == "ready_to_ship"
    as_role(page, "merch", number)
    act(page, "issue_shipping_notice")
    as_role(page, "finance", number)
    act(page, "issue_outbound_slip")
    as_role(page, "warehouse", number)
    act(page, "issue_delivery_note", cod_amount="1301.00")
    act(page, "ship")
    assert status(page) == "shipped"
    as_role(page, "driver", number)
    act(page, "deliver", received_by="王店长", proof_reference="POD-1", cod_collected="1301.00")
    assert status(page) == "delivered"
    as_role(page, "cashier", number)
    act(page, "reconcile_cod", amount="1301.00")
    assert status(page) == "closed"
    order = Order.objects.get(number=number)
    assert order.status == "closed" and order.paid_amount == order.total_amount == Decimal(
        "4602.00"
    )

    sign_in(page, "merch")
    open_cockpit(page, number)
    screenshot(page, "cockpit")
    pdf = page.request.get(
        f"{page.base_url}/orders/{number}/documents/delivery_note/{order.shipping_notices.get().delivery_note.number}.pdf"
    )
    assert pdf.status == 200 and pdf.body()[:4] == b"%PDF"
    _save_first_page(pdf.body(), "delivery-note-pdf")


def _save_first_page(content: bytes, name: str) -> None:
    import pypdfium2

    document = pypdfium2.PdfDocument(content)
    image = document[0].render(scale=1.5).to_pil()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    image.save(ARTIFACTS / f"{name}.png")


def test_an_action_out_of_turn_shows_its_reason_and_changes_nothing(browser_page, world):
    order = world.order()
    page = browser_page
    sign_in(page, "merch")
    open_cockpit(page, order.number)
    reasons = page.locator("[data-reasons-for=release]").inner_text()
    assert "Draft" in reasons
    assert page.locator("button[data-action=release]").is_disabled()
    # a second tab submits first; the first tab's stale form is refused and changes nothing
    other = page.context.new_page()
    other.goto(f"{page.base_url}/orders/{order.number}/")
    other.locator("form[data-action-form=submit] button").click()
    other.wait_for_load_state()
    version = Order.objects.get(pk=order.pk).version
    with page.expect_navigation():
        page.locator("form[data-action-form=submit] button").click()
    assert page.locator(".messages li.error").count() == 1
    order.refresh_from_db()
    assert order.status == "submitted" and order.version == version


def test_production_sees_no_price_on_the_cockpit_or_the_lists(browser_page, world):
    order = world.order(to="released")
    page = browser_page
    sign_in(page, "production")
    for path in ("/", "/orders/", f"/orders/{order.number}/"):
        page.goto(page.base_url + path)
        html = page.content()
        for amount in ("4,602.00", "1,380.60", "12.50", "300.00"):
            assert amount not in html, (path, amount)


def test_an_import_with_a_bad_row_shows_the_error_and_imports_nothing(
    browser_page, world, tmp_path
):
    book = Workbook()
    sheet = book.active
    sheet.title = "orders"
    sheet.append(list(HEADER))
    good = dict.fromkeys(HEADER, "")
    good |= {
        "order_ref": "A",
        "customer": "EXP001",
        "merchandiser": "merch",
        "contract_date": "2026-11-25",
        "delivery_date": "2026-12-30",
        "product": "BC-101",
        "quantity": 10,
        "unit_price": "12.5",
    }
    sheet.append([good[h] for h in HEADER])
    sheet.append([(good | {"quantity": "many"})[h] for h in HEADER])
    path = tmp_path / "orders.xlsx"
    book.save(path)
    before = Order.objects.count()
    page = browser_page
    sign_in(page, "merch")
    page.goto(page.base_url + "/import/")
    page.set_input_files("input[name=file]", str(path))
    with page.expect_navigation():
        page.click("[data-testid=preview-import]")
    worker = run_worker_until(checked)  # the worker checks the upload; the page polls
    errors = page.locator("[data-testid=import-errors]").inner_text(timeout=60_000)
    worker.join(timeout=60)
    assert "N3" in errors or "quantity" in errors
    assert page.locator("[data-testid=confirm-import]").count() == 0
    assert Order.objects.count() == before


def test_today_screenshot(browser_page, world):
    for to in ("submitted", "deposit_requested", "released", "ready_to_ship"):
        world.order(to=to)
    world.order(to="signed", delivery=timezone.localdate() - timedelta(days=2))
    page = browser_page
    sign_in(page, "merch")
    page.goto(page.base_url + "/")
    assert (
        page.locator("section[data-bucket=late] [data-testid=bucket-count]").inner_text().strip()
        == "1"
    )
    screenshot(page, "today")
