"""Customers, products and stock over real HTTP: the rough edges of issue 11 settled. Codes that
survive a URL, ISO 4217 currencies ("usd" is kept as USD, "XXX" refused), bounded texts, the
receivable to the cent, and every list in the {items, next_cursor} envelope."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gendan.catalog.models import Product
from gendan.errors import DomainError
from gendan.orders.models import Order
from gendan.orders.tests.test_api import Http, new_order_body
from gendan.parties import services
from gendan.parties.models import Customer

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def http(live_server) -> Http:
    return Http(live_server.url)


@pytest.fixture
def merch(http, world) -> str:
    return http.token("merch")


def customer(**kw):
    return {"code": "NEW01", "name": "新客户", "channel": "export"} | kw


@pytest.mark.parametrize("code", ["A/B", "A B", "..", "-A", "A?B", "客户1", "A%2FB"])
def test_a_code_that_would_not_survive_a_url_is_refused(http, merch, code):
    answer = http.post("/customers", merch, customer(code=code))
    assert answer.status == 422, answer.body
    assert answer.body["details"]["errors"][0]["type"] == "string_pattern_mismatch"
    product = http.post("/products", merch, {"code": code, "name": "x"})
    assert product.status == 422
    assert not Customer.objects.filter(code=code).exists()
    assert not Product.objects.filter(code=code).exists()


@pytest.mark.parametrize("code", ["A-B_1.2", "exp-9", "X"])
def test_a_url_safe_code_is_taken_and_read_back(http, merch, code):
    assert http.post("/customers", merch, customer(code=code)).status == 201
    assert http.get(f"/customers/{code}", merch).body["code"] == code


def test_the_services_refuse_what_the_schema_refuses(world):
    """The admin's and any other caller's way in: the service, and the model's validator."""
    with pytest.raises(DomainError) as refused:
        services.create_customer(actor=world.users["merch"], code="A/B", name="x", channel="export")
    assert refused.value.code == "invalid_code"
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        Customer(code="A/B", name="x", channel="export").full_clean()


def test_currencies_are_iso_4217(http, merch):
    lower = http.post("/customers", merch, customer(currency="usd"))
    assert lower.status == 201 and lower.body["currency"] == "USD"
    for code in ("XXX", "ABC", "XAU"):
        refused = http.post("/customers", merch, customer(code="NEW02", currency=code))
        assert (refused.status, refused.body["code"]) == (422, "invalid_currency"), code
    patch = http.call("PATCH", "/customers/NEW01", token=merch, body={"currency": "XXX"})
    assert (patch.status, patch.body["code"]) == (422, "invalid_currency")
    assert Customer.objects.get(code="NEW01").currency == "USD"
    # an order's currency as well, on entry and on amendment
    order = http.post("/orders", merch, new_order_body(currency="eur"))
    assert order.status == 201 and order.body["currency"] == "EUR"
    bad = http.post("/orders", merch, new_order_body(currency="XXX"))
    assert bad.status == 422 and bad.body["details"]["fields"]["currency"].startswith("“XXX”")
    number = order.body["number"]
    amend = http.call("PATCH", f"/orders/{number}", token=merch, body={"currency": "XTS"})
    assert amend.status == 422 and "currency" in amend.body["details"]["fields"]
    assert Order.objects.get(number=number).currency == "EUR"


@pytest.mark.parametrize(
    ("field", "limit"), [("notes", 4000), ("address", 500), ("region", 100), ("name", 200)]
)
def test_texts_have_a_maximum_length(http, merch, field, limit):
    assert http.post("/customers", merch, customer(**{field: "长" * limit})).status == 201
    Customer.objects.filter(code="NEW01").delete()
    answer = http.post("/customers", merch, customer(**{field: "长" * (limit + 1)}))
    assert answer.status == 422
    assert answer.body["details"]["errors"][0]["type"] == "string_too_long"


def test_a_communication_summary_is_bounded(http, merch):
    body = {"customer": "EXP001", "kind": "call", "summary": "长" * 4001}
    assert http.post("/communications", merch, body).status == 422
    assert http.post("/communications", merch, body | {"summary": "长" * 4000}).status == 201


def test_the_receivable_is_a_two_decimal_string(http, merch, world):
    from gendan.orders.workflow import RECEIVABLE, Status

    assert http.get("/customers/EXP001", merch).body["receivable"] == "0.00"
    world.order(customer="STORE01", to=Status.DELIVERED)
    owed = sum(
        (o.total_amount - o.paid_amount)
        for o in Order.objects.filter(customer__code="STORE01", status__in=RECEIVABLE)
    )
    assert owed > 0
    assert http.get("/customers/STORE01", merch).body["receivable"] == f"{owed:.2f}"
    # the blind do not get it at all
    assert "receivable" not in http.get("/customers/STORE01", http.token("warehouse")).body


#: GETs that answer one report (an object, or the fixed index of reports), not a list of records
REPORTS = {
    "/api/v1/finance/aging",
    "/api/v1/reports/",
    "/api/v1/reports/daily-sales",
    "/api/v1/aftersales/complaints/summary",
    "/api/v1/aftersales/samples/rate",
    "/api/v1/patrol/by-kind-and-line",
    "/api/v1/prospects/stock",  # at most 200 rows of stock levels, bounded
    "/api/v1/prospects/hit-rate",
    "/api/v1/logistics/scores",
}


def test_every_list_is_a_page(http, merch, world):
    from gendan.api import api

    lists = []
    for path, item in api.get_openapi_schema()["paths"].items():
        op = item.get("get")
        if op is None or "{" in path or path.endswith(".xlsx") or path.endswith("/me"):
            continue
        ref = op["responses"][200]["content"]["application/json"]["schema"]
        lists.append((path, ref))
    assert {p for p, _ in lists} == {
        "/api/v1/customers",
        "/api/v1/communications",
        "/api/v1/products",
        "/api/v1/stock",
        "/api/v1/orders",
        "/api/v1/loading/container-types",
        "/api/v1/loading/counting-errors",
        "/api/v1/people",
        "/api/v1/exports/",
        "/api/v1/production/lines",
        "/api/v1/production/routings",
        "/api/v1/production/work-orders",
        "/api/v1/production/first-articles",
        "/api/v1/production/outsourcing",
        "/api/v1/quality/inspections",
        "/api/v1/quality/plans",
        "/api/v1/purchasing/suppliers",
        "/api/v1/purchasing/materials",
        "/api/v1/purchasing/plates",
        "/api/v1/purchasing/plan",
        "/api/v1/purchasing/orders",
        "/api/v1/purchasing/in-transit",
        "/api/v1/purchasing/late",
        "/api/v1/purchasing/supplier-figures",
        "/api/v1/aftersales/samples",
        "/api/v1/aftersales/complaints",
        "/api/v1/aftersales/campaigns",
        "/api/v1/finance/credit-notes",
        "/api/v1/reports/daily",
        "/api/v1/contracts/",
        "/api/v1/patrol/exceptions",
        "/api/v1/prospects/",
        "/api/v1/prospects/offers",
        "/api/v1/logistics/vehicles",
        "/api/v1/logistics/drivers",
        "/api/v1/logistics/requests",
        "/api/v1/logistics/trips",
        "/api/v1/logistics/driver/stops",
        "/api/v1/logistics/cash",
        *REPORTS,
    }
    components = api.get_openapi_schema()["components"]["schemas"]
    bare = []
    for path, ref in lists:
        if path in REPORTS:
            continue
        if "$ref" not in ref:
            bare.append(path)
            continue
        schema = components[ref["$ref"].rsplit("/", 1)[1]]
        if set(schema["properties"]) != {"items", "next_cursor"}:
            bare.append(path)
    assert bare == []


def test_products_and_stock_come_in_pages(http, merch):
    first = http.get("/products?limit=3", merch).body
    assert len(first["items"]) == 3 and first["next_cursor"] == first["items"][2]["code"]
    rest = http.get(f"/products?limit=500&after={first['next_cursor']}", merch).body
    codes = [p["code"] for p in first["items"] + rest["items"]]
    assert codes == sorted(Product.objects.values_list("code", flat=True))
    assert rest["next_cursor"] is None
    stock = http.get("/stock?limit=2", merch).body
    assert len(stock["items"]) == 2 and stock["next_cursor"] is not None
    after = http.get(f"/stock?limit=1000&after={stock['next_cursor']}", merch).body
    assert not {(s["product"], s["warehouse"]) for s in stock["items"]} & {
        (s["product"], s["warehouse"]) for s in after["items"]
    }
    comms = http.get("/communications", merch).body
    assert set(comms) == {"items", "next_cursor"}


def test_a_customers_credit_limit_keeps_two_decimals(http, merch):
    created = http.post("/customers", merch, customer(credit_limit="1380.6"))
    assert Decimal(created.body["credit_limit"]) == Decimal("1380.6")
