"""Order entry and amendment through the Django test client: the form creates through the
service, errors come back at their fields with nothing written, and the htmx pieces answer."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from gendan.orders.models import Order, OrderRevision
from gendan.orders.workflow import Status

EN = {"accept-language": "en"}


def entry_post(lines: list[tuple[str, str, str]], **header: Any) -> dict[str, str]:
    """The POST of the entry page: header fields and the `lines` formset."""
    today = timezone.localdate()
    data = {
        "customer": "EXP001",
        "contract_date": today.isoformat(),
        "delivery_date": (today + timedelta(days=30)).isoformat(),
        "merchandiser": "merch",
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "500",
    }
    data |= {k: str(v) for k, v in header.items()}
    for i, (product, qty, price) in enumerate(lines):
        data |= {
            f"lines-{i}-product": product,
            f"lines-{i}-quantity": qty,
            f"lines-{i}-unit_price": price,
        }
    return data


THREE = [("BC-101", "100", "12.50"), ("FN-101", "10", "300"), ("BC-202", "40", "8.80")]


def error_at(html: str, name: str) -> str:
    match = re.search(rf'data-error-for="{re.escape(name)}">(.*?)</(?:div|span)>', html, re.S)
    assert match, f"no error at {name}"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def test_the_entry_page_has_its_hooks(client, world):
    client.force_login(world.users["merch"])
    html = client.get(reverse("web:order_new"), headers=EN).content.decode()
    for hook in (
        'name="customer"',
        'name="contract_date"',
        'name="delivery_date"',
        'name="merchandiser"',
        'name="lines-0-product"',
        'name="lines-0-quantity"',
        'name="lines-0-unit_price"',
        'name="lines-TOTAL_FORMS"',
        'data-testid="add-line"',
        'data-testid="order-total"',
        'data-testid="save-order"',
    ):
        assert hook in html, hook


def test_entering_three_lines_creates_the_order(client, world):
    client.force_login(world.users["merch"])
    before = Order.objects.count()
    response = client.post(
        reverse("web:order_new"), entry_post(THREE, customer_po="PO-77"), headers=EN
    )
    assert response.status_code == 302
    order = Order.objects.latest("id")
    assert Order.objects.count() == before + 1
    assert response["Location"] == reverse("web:order_detail", args=[order.number])
    assert order.status == Status.DRAFT
    assert order.customer_po == "PO-77"
    assert order.merchandiser.username == "merch"
    assert [(x.product.code, x.quantity) for x in order.lines.order_by("line_no")] == [
        ("BC-101", 100),
        ("FN-101", 10),
        ("BC-202", 40),
    ]
    assert str(order.total_amount) == "4602.00"  # 1250 + 3000 + 352


def test_blank_and_removed_rows_are_not_lines_and_submit_is_kept(client, world):
    client.force_login(world.users["merch"])
    data = entry_post([*THREE, ("", "", ""), ("BC-101", "5", "1")], submit="on")
    data["lines-4-DELETE"] = "on"  # removed with its box
    response = client.post(reverse("web:order_new"), data, headers=EN)
    assert response.status_code == 302
    order = Order.objects.latest("id")
    assert order.lines.count() == 3
    assert order.status == Status.SUBMITTED


def test_an_invalid_quantity_is_shown_at_its_field_and_nothing_is_written(client, world):
    client.force_login(world.users["merch"])
    before = Order.objects.count()
    bad = [THREE[0], ("FN-101", "0", "300"), THREE[2]]
    response = client.post(
        reverse("web:order_new"), entry_post(bad, customer_po="KEEP-ME"), headers=EN
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "at least 1" in error_at(html, "lines-1-quantity")
    assert 'data-error-for="lines-0-quantity"' not in html
    assert Order.objects.count() == before
    # the input is kept
    assert 'value="KEEP-ME"' in html
    assert 'name="lines-2-product" value="BC-202"' in html


def test_an_unknown_product_and_a_missing_date_are_shown_at_their_fields(client, world):
    client.force_login(world.users["merch"])
    bad = [THREE[0], ("NOPE-1", "3", "1")]
    response = client.post(reverse("web:order_new"), entry_post(bad, delivery_date=""), headers=EN)
    assert response.status_code == 422
    html = response.content.decode()
    assert "NOPE-1" in error_at(html, "lines-1-product")
    assert "required" in error_at(html, "delivery_date")
    # a removed row before it does not shift where the error lands
    data = entry_post([("BC-101", "1", "1"), THREE[0], ("NOPE-1", "3", "1")])
    data["lines-0-DELETE"] = "on"
    html = client.post(reverse("web:order_new"), data, headers=EN).content.decode()
    assert "NOPE-1" in error_at(html, "lines-2-product")


def test_a_text_quantity_is_refused_by_the_form(client, world):
    client.force_login(world.users["merch"])
    before = Order.objects.count()
    bad = [THREE[0], ("FN-101", "ten", "300")]
    response = client.post(reverse("web:order_new"), entry_post(bad), headers=EN)
    assert response.status_code == 422
    assert error_at(response.content.decode(), "lines-1-quantity")
    assert Order.objects.count() == before


def test_add_line_without_javascript_posts_back_one_more_row(client, world):
    client.force_login(world.users["merch"])
    data = entry_post(THREE) | {"add_line": "1"}
    before = Order.objects.count()
    response = client.post(reverse("web:order_new"), data, headers=EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="lines-3-product"' in html
    assert 'name="lines-TOTAL_FORMS" value="4"' in html
    assert Order.objects.count() == before


def test_a_role_without_entry_cannot_open_the_page(client, world):
    client.force_login(world.users["production"])
    assert client.get(reverse("web:order_new")).status_code == 403


def test_the_htmx_line_row(client, world):
    client.force_login(world.users["merch"])
    response = client.get(
        reverse("web:order_line_row") + "?index=3", headers={"HX-Request": "true", **EN}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<tr")
    for name in ("product", "quantity", "unit_price", "DELETE"):
        assert f'name="lines-3-{name}"' in html
    assert 'list="lines-3-options"' in html
    assert "<html" not in html


def test_the_product_lookup(client, world):
    client.force_login(world.users["merch"])
    url = reverse("web:product_lookup")
    html = client.get(url, {"lines-0-product": "BC-1"}, headers={"HX-Request": "true"})
    html = html.content.decode()
    assert 'value="BC-101"' in html
    assert 'value="FN-101"' not in html
    by_name = world.products[1]
    html = client.get(url, {"q": by_name.name[:3]}).content.decode()
    assert f'value="{by_name.code}"' in html
    assert html.count("<option") <= 10
    assert client.get(url, {"q": ""}).content.decode().strip() == ""


def test_amend_with_a_reason_makes_revision_two_and_the_cockpit_shows_the_diff(client, world):
    order = world.order(to=Status.SUBMITTED)
    merch = world.users["merch"]
    client.force_login(merch)
    url = reverse("web:order_amend", args=[order.number])
    html = client.get(url, headers=EN).content.decode()
    assert 'name="lines-1-product" value="FN-101"' in html
    assert f'name="version" value="{order.version}"' in html
    new_due = order.delivery_date + timedelta(days=7)
    data = {
        "version": str(order.version),
        "contract_date": order.contract_date.isoformat(),
        "delivery_date": new_due.isoformat(),
        "currency": order.currency,
        "incoterm": order.incoterm,
        "customer_po": "",
        "notes": "",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "3",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "500",
    }
    for i, (product, qty, price) in enumerate(THREE):
        data |= {
            f"lines-{i}-product": product,
            f"lines-{i}-quantity": "12" if i == 1 else qty,
            f"lines-{i}-unit_price": price,
        }
    # without a reason: refused at the reason, nothing changed
    response = client.post(url, data, headers=EN)
    assert response.status_code == 422
    assert "reason" in error_at(response.content.decode(), "reason").lower()
    assert Order.objects.get(pk=order.pk).revision == 1
    response = client.post(url, data | {"reason": "客户加量"}, headers=EN)
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.revision == 2
    assert order.delivery_date == new_due
    assert OrderRevision.objects.filter(order=order, revision=1).exists()
    html = client.get(reverse("web:order_detail", args=[order.number]), headers=EN)
    html = html.content.decode()
    assert 'data-revision="2"' in html
    assert "客户加量" in html
    assert "Delivery date" in html
    assert re.search(
        r"Line 2 \(FN-101\): Quantity</td><td><del>10</del></td><td><ins>12</ins>", html
    )


def test_amend_from_a_stale_page_is_refused(client, world):
    order = world.order()
    client.force_login(world.users["merch"])
    url = reverse("web:order_amend", args=[order.number])
    data = {
        "version": str(order.version - 1 if order.version > 1 else order.version + 5),
        "contract_date": order.contract_date.isoformat(),
        "delivery_date": order.delivery_date.isoformat(),
        "currency": order.currency,
        "customer_po": "STALE",
        "lines-TOTAL_FORMS": "0",
        "lines-INITIAL_FORMS": "0",
    }
    response = client.post(url, data, headers=EN, follow=True)
    assert "changed by someone else" in response.content.decode()
    assert Order.objects.get(pk=order.pk).customer_po == ""


def test_amend_is_refused_with_its_reason_once_released(client, world):
    order = world.order(to=Status.RELEASED)
    client.force_login(world.users["merch"])
    response = client.get(reverse("web:order_amend", args=[order.number]), headers=EN, follow=True)
    assert response.redirect_chain[-1][0] == reverse("web:order_detail", args=[order.number])
    assert "In production" in response.content.decode()
    client.force_login(world.users["production"])
    draft = world.order()
    response = client.get(reverse("web:order_amend", args=[draft.number]), headers=EN, follow=True)
    assert "permission" in response.content.decode()
