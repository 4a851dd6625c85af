"""The shell in a real browser: sign in, the language switch, the navigation by role."""

from __future__ import annotations

import pytest

from gendan.web.tests.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_in_and_switch_to_chinese_keeps_the_choice(browser_page, users):
    page = browser_page
    sign_in(page, "merch")
    assert page.locator("[data-testid=who]").inner_text() == "李跟单"
    assert page.locator("nav.main-nav").inner_text().split("\n")[0] == "Today"
    page.click("button[data-lang=zh-hans]")
    page.wait_for_load_state()
    assert page.locator("nav.main-nav a").first.inner_text() == "今日跟单"
    users["merch"].refresh_from_db()
    assert users["merch"].language == "zh-hans"
    # the choice is kept on the user: a new browser in English still gets Chinese after sign-in
    page.context.clear_cookies()
    sign_in(page, "merch")
    assert page.locator("nav.main-nav a").first.inner_text() == "今日跟单"


def test_navigation_follows_the_roles(browser_page, users):
    page = browser_page
    sign_in(page, "production")
    links = page.locator("nav.main-nav a").all_inner_texts()
    assert "New order" not in links and "Import" not in links and "Customers" not in links
    sign_in(page, "merch")
    links = page.locator("nav.main-nav a").all_inner_texts()
    assert "New order" in links and "Import" in links
