"""Product and stock pages: search, on hand / reserved / available, no prices for production."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gendan.accounts.models import User
from gendan.catalog.models import Product
from gendan.inventory.models import StockLevel
from gendan.inventory.services import default_warehouse
from gendan.orders.workflow import Status

pytestmark = pytest.mark.django_db


def _login(client, user, lang="en"):
    User.objects.filter(pk=user.pk).update(language=lang)
    client.force_login(user)
    return client


def test_product_list_searches(client, world, users):
    c = _login(client, users["production"])
    html = c.get(reverse("web:product_list")).content.decode()
    assert 'data-product="BC-101"' in html and 'data-product="FN-101"' in html
    html = c.get(reverse("web:product_list"), {"q": "FN-1"}).content.decode()
    assert 'data-product="FN-101"' in html and 'data-product="BC-101"' not in html
    html = c.get(reverse("web:product_list"), {"q": "湿巾"}).content.decode()
    assert 'data-product="BC-101"' in html and 'data-product="FN-101"' not in html


def test_product_detail_shows_stock_and_open_lines(client, world, users):
    order = world.order(to=Status.RELEASED)
    c = _login(client, users["merch"])
    html = c.get(reverse("web:product_detail", args=["BC-101"])).content.decode()
    assert f'data-order="{order.number}"' in html
    assert 'data-testid="on-hand"' in html
    assert "12.50" in html  # the merchandiser sees the unit price
    assert c.get(reverse("web:product_detail", args=["NOPE"])).status_code == 404


def test_production_sees_no_price_on_a_product(client, world, users):
    order = world.order(to=Status.RELEASED)
    c = _login(client, users["production"])
    html = c.get(reverse("web:product_detail", args=["BC-101"])).content.decode()
    assert f'data-order="{order.number}"' in html
    assert "12.50" not in html and "Unit price" not in html


def test_stock_shows_on_hand_reserved_available(client, world, users):
    StockLevel.objects.filter(product__code="BC-101").update(on_hand=500, reserved=120)
    level = StockLevel.objects.get(product__code="BC-101")
    assert level.available == 380
    c = _login(client, users["warehouse"])
    html = c.get(reverse("web:stock_list")).content.decode()
    row = html[html.index('data-product="BC-101"') :].split("</tr>")[0]
    assert f'data-testid="on-hand">{level.on_hand}<' in row
    assert f'data-testid="reserved">{level.reserved}<' in row
    assert f'data-testid="available">{level.available}<' in row
    html = c.get(reverse("web:stock_list"), {"q": "BC-101"}).content.decode()
    assert html.count("data-warehouse=") == 1


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _grow(n):
    warehouse = default_warehouse()
    have = Product.objects.filter(code__startswith="ZZ-").count()
    made = Product.objects.bulk_create(
        Product(code=f"ZZ-{i:03}", name=f"Bulk {i}") for i in range(have, n)
    )
    StockLevel.objects.bulk_create(
        StockLevel(product=p, warehouse=warehouse, on_hand=10) for p in made
    )


def test_query_counts_do_not_grow_with_rows(client, world, users):
    c = _login(client, users["merch"])
    urls = [reverse("web:product_list"), reverse("web:stock_list")]
    detail = reverse("web:product_detail", args=["BC-101"])
    _grow(10)
    for _ in range(2):
        world.order(to=Status.SUBMITTED)
    small = [_count(c, u) for u in urls] + [_count(c, detail)]
    _grow(30)
    for _ in range(6):
        world.order(to=Status.SUBMITTED)
    assert [_count(c, u) for u in urls] + [_count(c, detail)] == small
