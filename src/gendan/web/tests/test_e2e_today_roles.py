"""Each role's Today in a real browser shows that role's own work and nobody else's (issue 10)."""

from __future__ import annotations

import pytest

from gendan.orders.workflow import Status
from gendan.shipping import services as shipping_services
from gendan.web.tests.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# the sections each role must see, and some it must not
EXPECTED = {
    "finance": (
        {"sign_finance", "confirm_deposit", "outbound_slips"},
        {"review", "production_notices", "deliveries", "goods_to_ship"},
    ),
    "warehouse": (
        {"delivery_notes", "goods_to_ship", "loadings"},
        {"review", "sign_finance", "confirm_deposit", "deliveries"},
    ),
    "driver": ({"deliveries"}, {"review", "sign_finance", "goods_to_ship", "loadings"}),
    "production": ({"production_notices"}, {"review", "sign_finance", "deliveries"}),
    "cashier": ({"reconcile_cod"}, {"review", "sign_finance", "deliveries"}),
    "merch": ({"review", "loadings"}, {"sign_finance", "deliveries", "production_notices"}),
}


def test_each_role_sees_its_own_work_on_today(browser_page, world):
    submitted = world.order(to=Status.SUBMITTED)
    requested = world.order(to=Status.DEPOSIT_REQUESTED)
    released = world.order(
        lines=[("BC-101", 90_000, "12.50")], to=Status.RELEASED
    )  # more than in stock: a production notice stays open
    ready = world.order(customer="DIST01", to=Status.READY_TO_SHIP)
    shipping_services.issue_shipping_notice(order_number=ready.number, actor=world.users["merch"])
    shipped = world.order(customer="DIST01", to=Status.SHIPPED)
    page = browser_page
    for login, (present, absent) in EXPECTED.items():
        sign_in(page, login)
        page.goto(page.base_url + "/")
        shown = set(
            page.locator("[data-section]").evaluate_all("els => els.map(e => e.dataset.section)")
        )
        assert present <= shown, (login, shown)
        assert not (absent & shown), (login, shown)
    # the rows are the role's own: the driver's delivery, production's notice, finance's queue
    sign_in(page, "driver")
    page.goto(page.base_url + "/")
    assert page.locator(f'[data-section="deliveries"] [data-order="{shipped.number}"]').count() == 1
    sign_in(page, "production")
    page.goto(page.base_url + "/")
    section = page.locator('[data-section="production_notices"]')
    assert section.locator(f'[data-order="{released.number}"]').count() == 1
    sign_in(page, "finance")
    page.goto(page.base_url + "/")
    assert (
        page.locator(f'[data-section="sign_finance"] [data-order="{submitted.number}"]').count()
        == 1
    )
    assert (
        page.locator(f'[data-section="confirm_deposit"] [data-order="{requested.number}"]').count()
        == 1
    )
    assert (
        page.locator(f'[data-section="outbound_slips"] [data-order="{ready.number}"]').count() == 1
    )
    # a role with no work of its own today says so
    sign_in(page, "purchaser")
    page.goto(page.base_url + "/")
    assert page.locator('[data-testid="nothing-to-do"]').count() == 1
