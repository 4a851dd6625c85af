"""The order list, its Excel export and the inbox through the Django test client."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gendan.orders.models import Order
from gendan.orders.tests.test_views_today import (
    count_of,
    make,
    page,
    queries_of,
    rows_of,
    second_merchandiser,
    spread_orders,
)
from gendan.orders.views import lists
from gendan.orders.workflow import Status

S = Status


def numbers_in(html: str) -> list[str]:
    return re.findall(r"<tr[^>]*\sdata-order=\"([^\"]+)\"", html)


@pytest.fixture
def book(world):
    """Seven orders of two merchandisers, three customers, several statuses and dates."""
    merch2 = second_merchandiser()
    o = {
        "exp_draft": make(world, due=10),
        "exp_submitted": make(world, to=S.SUBMITTED, due=20),
        "store_signed": make(world, to=S.SIGNED, customer="STORE01", due=15),
        "dist_draft": make(world, customer="DIST01", due=40),
        "exp_released": make(world, to=S.RELEASED, due=5),
        "merch2_draft": make(world, due=25, merchandiser=merch2),
        "late": make(world, to=S.DEPOSIT_REQUESTED, due=-3),
    }
    Order.objects.filter(pk=o["exp_draft"].pk).update(customer_po="PO-ZEBRA-7")
    return {k: v.number for k, v in o.items()}


def list_of(client: Any, user: Any, query: str = "") -> str:
    return page(client, user, reverse("web:order_list") + query)


def test_filters_are_read_from_the_url(client, world, book):
    merch = world.users["merch"]
    assert set(numbers_in(list_of(client, merch))) == set(book.values())
    html = list_of(client, merch, "?status=draft&status=submitted")
    assert set(numbers_in(html)) == {
        book["exp_draft"],
        book["exp_submitted"],
        book["dist_draft"],
        book["merch2_draft"],
    }
    assert set(numbers_in(list_of(client, merch, "?customer=STORE01"))) == {book["store_signed"]}
    assert set(numbers_in(list_of(client, merch, "?customer=DIST01&status=draft"))) == {
        book["dist_draft"]
    }
    assert set(numbers_in(list_of(client, merch, "?merchandiser=merch2"))) == {book["merch2_draft"]}
    assert set(numbers_in(list_of(client, merch, "?channel=store"))) == {book["store_signed"]}
    html = list_of(client, merch, "?salesperson=sales&status=released")
    assert set(numbers_in(html)) == {book["exp_released"]}
    html = list_of(client, merch, "?q=zebra")
    assert numbers_in(html) == [book["exp_draft"]]
    html = list_of(client, merch, "?q=" + book["late"][-4:])
    assert book["late"] in numbers_in(html)


def test_the_due_date_range_and_a_bad_date(client, world, book):
    from datetime import timedelta

    from django.utils import timezone

    today = timezone.localdate()
    after, before = today + timedelta(days=10), today + timedelta(days=20)
    html = list_of(client, world.users["merch"], f"?due_after={after}&due_before={before}")
    assert set(numbers_in(html)) == {
        book["exp_draft"],
        book["exp_submitted"],
        book["store_signed"],
    }
    # a bad date is shown at its field and ignored; the other filters still apply
    html = list_of(client, world.users["merch"], "?due_after=not-a-date&customer=STORE01")
    assert 'class="errorlist' in html
    assert numbers_in(html) == [book["store_signed"]]
    # an unknown status is refused the same way
    html = list_of(client, world.users["merch"], "?status=bogus")
    assert 'class="errorlist' in html and len(numbers_in(html)) == len(book)


def test_the_filters_stay_in_the_form_and_the_links(client, world, book):
    html = list_of(client, world.users["merch"], "?status=draft&customer=EXP001&q=SO")
    assert re.search(r'<input[^>]*value="draft"[^>]*checked', html)
    assert re.search(r'name="customer" value="EXP001"', html)
    assert 'value="SO"' in html
    sort_link = re.search(r'href="([^"]*)"[^>]*data-sort="number"', html).group(1)
    assert "status=draft" in sort_link and "customer=EXP001" in sort_link
    assert "sort=number" in sort_link
    export = re.search(r'href="([^"]*)"[^>]*data-testid="export-orders"', html).group(1)
    assert export.startswith(reverse("web:order_export"))
    assert "status=draft" in export and "customer=EXP001" in export


def test_sorting_by_number_and_by_delivery_date(client, world, book):
    merch = world.users["merch"]
    ordered = Order.objects.order_by("number").values_list("number", flat=True)
    assert numbers_in(list_of(client, merch, "?sort=number")) == list(ordered)
    assert numbers_in(list_of(client, merch, "?sort=-number")) == list(ordered)[::-1]
    by_due = list(Order.objects.order_by("delivery_date", "id").values_list("number", flat=True))
    assert numbers_in(list_of(client, merch)) == by_due
    by_due_desc = list(
        Order.objects.order_by("-delivery_date", "-id").values_list("number", flat=True)
    )
    assert numbers_in(list_of(client, merch, "?sort=-delivery_date")) == by_due_desc
    # the current sort's header offers the other direction
    html = list_of(client, merch, "?sort=number")
    assert re.search(r'href="\?sort=-number"[^>]*aria-sort="ascending"', html)


@pytest.mark.parametrize("sort", ["delivery_date", "-delivery_date", "number", "-number"])
def test_keyset_pages_walk_the_whole_list_once(client, world, book, monkeypatch, sort):
    merch = world.users["merch"]
    expected = numbers_in(list_of(client, merch, f"?sort={sort}&status=draft&status=submitted"))
    monkeypatch.setattr(lists, "PAGE_SIZE", 2)
    seen: list[str] = []
    url = f"?sort={sort}&status=draft&status=submitted"
    for _ in range(10):
        html = list_of(client, merch, url)
        seen += numbers_in(html)
        nxt = re.search(r'href="([^"]*)"[^>]*data-testid="next-page"', html)
        if not nxt:
            break
        url = nxt.group(1).replace("&amp;", "&")
        assert "status=draft" in url and f"sort={sort}" in url
    assert seen == expected and len(seen) == 4
    assert 'data-testid="first-page"' in html


def test_a_bad_cursor_says_so_and_shows_the_first_page(client, world, book):
    client.force_login(world.users["merch"])
    response = client.get(reverse("web:order_list") + "?cursor=garbage", follow=True)
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]]
    # a cursor of another sort is refused too
    monkey = lists.PAGE_SIZE
    try:
        lists.PAGE_SIZE = 2
        html = client.get(reverse("web:order_list") + "?sort=number").content.decode()
        cursor = re.search(r"cursor=([^&\"]+)", html).group(1)
        response = client.get(reverse("web:order_list") + f"?sort=-number&cursor={cursor}")
        assert [str(m) for m in response.context["messages"]]
    finally:
        lists.PAGE_SIZE = monkey


def test_the_api_keeps_its_default_cursor(world, book):
    """page_of_orders without a sort pages by delivery date with the cursors it always gave."""
    from gendan.orders import selectors

    merch = world.users["merch"]
    rows, cursor = selectors.page_of_orders(
        selectors.filter_orders(merch, selectors.OrderFilter()), cursor=None, limit=3
    )
    first = rows[2]
    assert cursor == selectors.encode_cursor(first)
    import base64
    import json

    raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    assert raw == [first.delivery_date.isoformat(), first.pk]


# ---- prices -------------------------------------------------------------------------------------

# the default order: 100 x 12.50 + 10 x 300 + 40 x 8.80
TOTAL = "4,602.00"


def test_prices_show_to_the_merchandiser_and_to_nobody_who_may_not_see_them(client, world, book):
    html = list_of(client, world.users["merch"])
    assert TOTAL in html and "Total" in html
    for login in ("production", "warehouse", "driver"):
        html = list_of(client, world.users[login])
        assert set(numbers_in(html)) == set(book.values())
        assert TOTAL not in html and "4602" not in html
        assert "Total" not in html and "Paid" not in html
        assert not re.search(r"\d\.\d\d (USD|CNY)", html)


# ---- export -------------------------------------------------------------------------------------


def test_export_gives_an_xlsx_of_the_filtered_rows(client, world, book):
    client.force_login(world.users["merch"])
    response = client.get(reverse("web:order_export") + "?status=draft&customer=EXP001")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    numbers = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}
    assert numbers == {book["exp_draft"], book["merch2_draft"]}
    header = [c.value for c in sheet[1]]
    price = header.index(next(h for h in header if "price" in str(h).lower()))
    assert all(row[price] is not None for row in sheet.iter_rows(min_row=2, values_only=True))


def test_export_is_refused_to_a_role_without_it(client, world, book):
    html = list_of(client, world.users["production"])
    assert 'data-testid="export-orders"' not in html
    response = client.get(reverse("web:order_export") + "?status=draft", follow=True)
    assert response.redirect_chain[-1][0] == reverse("web:order_list") + "?status=draft"
    assert [str(m) for m in response.context["messages"]]


# ---- the inbox ----------------------------------------------------------------------------------


@pytest.fixture
def waiting(world):
    from gendan.orders import services

    o = {
        "submitted": make(world, to=S.SUBMITTED),
        "finance_signed": make(world, to=S.SUBMITTED),
        "deposit": make(world, to=S.DEPOSIT_REQUESTED),
        "balance": make(world, to=S.BALANCE_REQUESTED),
        "cod": make(world, to=S.DELIVERED, customer="STORE01"),
        "closed": make(world, to=S.CLOSED, customer="STORE01"),
        "draft": make(world),
    }
    services.ACTION_VERBS["sign_finance"](
        order_number=o["finance_signed"].number, actor=world.users["finance"]
    )
    return {k: v.number for k, v in o.items()}


def inbox_of(client: Any, user: Any) -> str:
    return page(client, user, reverse("web:inbox"))


def test_the_inbox_of_each_role(client, world, waiting):
    n = waiting
    html = inbox_of(client, world.users["finance"])
    assert rows_of(html, "sign_finance", "data-inbox") == {n["submitted"]}
    assert rows_of(html, "confirm_deposit", "data-inbox") == {n["deposit"]}
    assert rows_of(html, "confirm_balance", "data-inbox") == {n["balance"]}
    assert count_of(html, "confirm_balance", "data-inbox") == 1
    assert 'data-inbox="sign_manager"' not in html and 'data-inbox="reconcile_cod"' not in html
    assert f'href="{reverse("web:order_detail", args=[n["deposit"]])}"' in html

    html = inbox_of(client, world.users["manager"])
    assert rows_of(html, "sign_manager", "data-inbox") == {n["submitted"], n["finance_signed"]}
    assert 'data-inbox="sign_finance"' not in html

    html = inbox_of(client, world.users["cashier"])
    assert rows_of(html, "reconcile_cod", "data-inbox") == {n["cod"]}
    assert re.search(r"\d\.\d\d CNY", html)  # the cashier sees the cash collected

    html = inbox_of(client, world.users["production"])
    assert 'data-testid="inbox-empty"' in html and "data-order" not in html


@pytest.mark.parametrize("login", ["merch", "production"])
def test_the_list_runs_the_same_queries_for_10_and_30_orders(client, world, login):
    client.force_login(world.users[login])
    url = reverse("web:order_list") + "?sort=-number"
    spread_orders(world, 10)
    client.get(url)
    ten = queries_of(client, url)
    spread_orders(world, 20)
    thirty = queries_of(client, url)
    assert ten == thirty
    assert len(numbers_in(client.get(url).content.decode())) == 30


@pytest.mark.parametrize("login", ["finance", "cashier", "manager"])
def test_the_inbox_runs_the_same_queries_for_10_and_30_orders(client, world, login):
    make(world, to=S.DELIVERED, customer="STORE01")  # cash to reconcile
    spread_orders(world, 10)
    client.force_login(world.users[login])
    url = reverse("web:inbox")
    client.get(url)
    ten = queries_of(client, url)
    spread_orders(world, 20)
    thirty = queries_of(client, url)
    assert ten == thirty
