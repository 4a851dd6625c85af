"""Whom an order names (issue 11, defect 10): a salesperson files orders in their own name; giving
one to another salesperson is the merchandiser's or a manager's act (`assign_orders`). Refused in
the services, so the API, the entry page and the Excel import refuse alike; GET /people lists
whom the caller may name."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from gendan.accounts.assignment import ASSIGN_ORDERS
from gendan.accounts.models import User
from gendan.accounts.permissions import Role
from gendan.demodata import DEMO_PASSWORD
from gendan.errors import DomainError
from gendan.orders import services
from gendan.orders.entry import LineInput
from gendan.orders.models import Order
from gendan.orders.tests.test_api import Http, new_order_body
from gendan.orders.tests.test_views_entry import THREE, entry_post, error_at
from gendan.parties.models import Customer


@pytest.fixture
def other(world) -> User:
    """A second salesperson, with no customer of their own."""
    user = User.objects.create_user("sales2", password=DEMO_PASSWORD, display_name="钱业务")
    user.groups.add(Group.objects.get(name=Role.SALESPERSON))
    return user


@pytest.fixture
def http(live_server) -> Http:
    return Http(live_server.url)


@pytest.mark.django_db
def test_the_permission_is_the_merchandisers_and_the_managers(world):
    holders = {u.groups.get().name for u in world.users.values() if u.can(ASSIGN_ORDERS)}
    assert holders == {"merchandiser", "sales_manager", "admin"}


# ---- the service ---------------------------------------------------------------------------------


def _create(actor: User, **kw):
    from django.utils import timezone

    today = timezone.localdate()
    return services.create_order(
        actor=actor,
        customer="EXP001",
        contract_date=today,
        delivery_date=today,
        merchandiser="merch",
        lines=[LineInput(product="BC-101", quantity=1, unit_price=1)],
        **kw,
    )


@pytest.mark.django_db
def test_a_salesperson_cannot_file_an_order_in_another_salespersons_name(world, other):
    with pytest.raises(DomainError) as refused:
        _create(world.users["sales"], salesperson="sales2")
    assert refused.value.code == "assign_not_allowed"
    assert refused.value.details == {"field": "salesperson", "permission": ASSIGN_ORDERS}
    assert Order.objects.count() == 0
    mine = _create(world.users["sales"], salesperson="sales")
    assert mine.salesperson == world.users["sales"]
    handed = _create(world.users["merch"], salesperson="sales2")
    assert handed.salesperson == other


# ---- the API -------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_api_refuses_and_changes_nothing(http, world, other):
    sales = http.token("sales")
    body = new_order_body(salesperson="sales2", merchandiser="merch")
    answer = http.post("/orders", sales, body, headers={"Accept-Language": "en"})
    assert answer.status == 409
    assert answer.body["code"] == "assign_not_allowed"
    assert answer.body["message"].startswith("You may file orders only in your own name")
    assert Order.objects.count() == 0
    # the merchandiser may; an amendment never reassigns
    merch = http.token("merch")
    created = http.post("/orders", merch, body)
    assert created.status == 201 and created.body["salesperson"] == "sales2"
    number = http.post("/orders", sales, new_order_body(merchandiser="merch")).body["number"]
    patch = http.call(
        "PATCH", f"/orders/{number}", token=sales, body={"salesperson": "sales2", "notes": "x"}
    )
    assert patch.status == 200 and patch.body["salesperson"] == "sales"


@pytest.mark.django_db(transaction=True)
def test_a_salesperson_cannot_give_a_new_customer_to_another(http, world, other):
    sales = http.token("sales")
    body = {"code": "NEW01", "name": "新客户", "channel": "export", "salesperson": "sales2"}
    answer = http.post("/customers", sales, body)
    assert (answer.status, answer.body["code"]) == (409, "assign_not_allowed")
    assert not Customer.objects.filter(code="NEW01").exists()
    unknown = http.post("/customers", sales, body | {"salesperson": "nobody"})
    assert (unknown.status, unknown.body["code"]) == (422, "unknown_user")
    assert http.post("/customers", http.token("merch"), body).status == 201
    assert Customer.objects.get(code="NEW01").salesperson == other


# ---- the page ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_entry_page_refuses_and_says_why(client, world, other):
    client.force_login(world.users["sales"])
    answer = client.post(
        "/orders/new/", entry_post(THREE, salesperson="sales2"), headers={"Accept-Language": "en"}
    )
    assert answer.status_code == 422
    assert error_at(answer.content.decode(), "salesperson").startswith(
        "You may file orders only in your own name"
    )
    assert Order.objects.count() == 0
    client.force_login(world.users["merch"])
    assert client.post("/orders/new/", entry_post(THREE, salesperson="sales2")).status_code == 302
    assert Order.objects.get().salesperson == other


# ---- whom one may name ---------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_people_one_may_name(http, world, other):
    sales, merch = http.token("sales"), http.token("merch")
    mine = http.get("/people?role=salesperson", sales)
    assert mine.status == 200
    assert mine.body == {
        "items": [{"username": "sales", "display_name": "王业务", "roles": ["salesperson"]}],
        "next_cursor": None,
    }
    every = http.get("/people?role=salesperson", merch).body
    assert [p["username"] for p in every["items"]] == ["sales", "sales2"]
    merchandisers = http.get("/people?role=merchandiser", sales).body
    assert [p["username"] for p in merchandisers["items"]] == ["merch"]
    first = http.get("/people?role=salesperson&limit=1", merch).body
    assert [p["username"] for p in first["items"]] == ["sales"] and first["next_cursor"] == "sales"
    rest = http.get(f"/people?role=salesperson&after={first['next_cursor']}", merch).body
    assert [p["username"] for p in rest["items"]] == ["sales2"] and rest["next_cursor"] is None
    assert (
        http.get("/people?role=salesperson&q=%E9%92%B1", merch).body["items"][0]["username"]
        == "sales2"
    )
    refused = http.get("/people?role=driver", merch)
    assert (refused.status, refused.body["code"]) == (422, "invalid_input")
    assert http.get("/people", merch).status == 422
    User.objects.filter(username="sales2").update(is_active=False)
    assert [p["username"] for p in http.get("/people?role=salesperson", merch).body["items"]] == [
        "sales"
    ]
