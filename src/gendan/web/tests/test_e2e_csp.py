"""The pages work under the Content-Security-Policy: the browser refuses nothing they use."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from gendan.web.tests.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch(page) -> list[str]:
    """What the browser reports refused by the policy, and any script error."""
    seen: list[str] = []
    page.on(
        "console",
        lambda m: seen.append(m.text) if "Content Security Policy" in m.text else None,
    )
    page.on("pageerror", lambda e: seen.append(f"page error: {e}"))
    return seen


def test_every_page_of_the_navigation_loads_without_a_refusal(browser_page, world):
    page = browser_page
    order = world.order(to="submitted")
    refused = watch(page)
    for who in ("merch", "manager", "warehouse"):
        sign_in(page, who)
        links = page.locator("nav.main-nav a").evaluate_all("els => els.map(e => e.href)")
        for href in [*links, f"{page.base_url}/orders/{order.number}/"]:
            page.goto(href)
            page.wait_for_load_state("networkidle")
    assert refused == []


def test_the_entry_page_scripts_run_under_the_policy(browser_page, world):
    page = browser_page
    refused = watch(page)
    sign_in(page, "merch")
    page.goto(page.base_url + "/orders/new/")
    rows = page.locator("#line-rows tr.line-row")
    before = rows.count()
    page.click("[data-testid=add-line]")
    expect(rows).to_have_count(before + 1)
    assert page.locator("#id_lines-TOTAL_FORMS").input_value() == str(before + 1)
    last = rows.nth(before)
    last.locator("input[name$='-quantity']").fill("3")
    last.locator("input[name$='-unit_price']").fill("2.50")
    assert page.locator("[data-testid=order-total]").inner_text() == "7.50"
    assert refused == []


def test_the_admin_works_under_the_policy(browser_page, users):
    users["admin"].is_staff = users["admin"].is_superuser = True
    users["admin"].save()
    page = browser_page
    refused = watch(page)
    page.goto(page.base_url + "/admin/login/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "gendan-demo")
    page.click("input[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)
    for path in ("/admin/", "/admin/jobs/workerheartbeat/", "/admin/accounts/user/"):
        page.goto(page.base_url + path)
        page.wait_for_load_state("networkidle")
    assert refused == []
