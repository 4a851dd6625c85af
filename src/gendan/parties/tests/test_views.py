"""Customer pages: who sees which customer, what production may not see, the quick-add log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gendan.accounts.models import User
from gendan.accounts.permissions import Role
from gendan.parties.models import Channel, Communication, CommunicationKind, Customer
from gendan.timeline.models import Event, EventKind

pytestmark = pytest.mark.django_db


def _user(username: str, role: str) -> User:
    user = User.objects.create_user(username=username, password="x")
    user.groups.add(Group.objects.get(name=role))
    return user


def _login(client, user, lang="en"):
    User.objects.filter(pk=user.pk).update(language=lang)
    client.force_login(user)
    return client


def test_a_salesperson_sees_only_their_customers(client, world):
    other = _user("sales2", Role.SALESPERSON)
    Customer.objects.create(
        code="MINE01", name="Mine Ltd", channel=Channel.DOMESTIC, salesperson=other
    )
    c = _login(client, other)
    html = c.get(reverse("web:customer_list")).content.decode()
    assert 'data-customer="MINE01"' in html
    assert 'data-customer="EXP001"' not in html
    assert c.get(reverse("web:customer_detail", args=["EXP001"])).status_code == 404
    assert c.get(reverse("web:customer_detail", args=["MINE01"])).status_code == 200
    post = c.post(
        reverse("web:communication_add", args=["EXP001"]), {"kind": "call", "summary": "x"}
    )
    assert post.status_code == 404
    assert not Communication.objects.filter(customer__code="EXP001").exists()


def test_the_list_searches(client, world, users):
    c = _login(client, users["merch"])
    html = c.get(reverse("web:customer_list"), {"q": "Nordic"}).content.decode()
    assert 'data-customer="EXP001"' in html and 'data-customer="STORE01"' not in html


def test_detail_shows_terms_contacts_open_orders_and_receivable(client, world, users):
    from gendan.orders.workflow import Status

    order = world.order(customer="STORE01", to=Status.SHIPPED)
    c = _login(client, users["finance"])
    html = c.get(reverse("web:customer_detail", args=["STORE01"])).content.decode()
    assert 'data-testid="credit-limit"' in html and "2,000,000.00 CNY" in html
    assert 'data-testid="receivable"' in html
    assert f'data-order="{order.number}"' in html
    assert "王店长" in html  # the contact
    assert 'data-testid="deposit-percent"' in html


def test_production_sees_no_credit_limit_receivable_or_amounts(client, world, users):
    from gendan.orders.workflow import Status

    order = world.order(customer="STORE01", to=Status.SHIPPED)
    c = _login(client, users["production"])
    html = c.get(reverse("web:customer_detail", args=["STORE01"])).content.decode()
    assert f'data-order="{order.number}"' in html
    for absent in (
        'data-testid="credit-limit"',
        'data-testid="receivable"',
        "2,000,000",
        " CNY</td>",
    ):
        assert absent not in html
    assert str(order.total_amount) not in html.replace(",", "")
    assert 'data-testid="communication-form"' not in html  # production may not log


def test_quick_add_logs_a_communication_over_htmx(client, world, users):
    order = world.order(customer="EXP001")
    c = _login(client, users["sales"])
    follow = timezone.localdate() + timedelta(days=3)
    response = c.post(
        reverse("web:communication_add", args=["EXP001"]),
        {
            "kind": CommunicationKind.EMAIL,
            "summary": "Asked for the carton spec",
            "follow_up_on": follow.isoformat(),
            "order": order.number,
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="communication-saved"' in html
    assert "Asked for the carton spec" in html
    comm = Communication.objects.get(customer__code="EXP001")
    assert comm.kind == "email" and comm.follow_up_on == follow and comm.order == order
    assert comm.created_by == users["sales"]
    assert Event.objects.filter(kind=EventKind.COMMUNICATION_LOGGED, actor=users["sales"]).exists()


def test_quick_add_without_javascript_redirects(client, world, users):
    c = _login(client, users["merch"])
    response = c.post(
        reverse("web:communication_add", args=["DIST01"]), {"kind": "call", "summary": "Called"}
    )
    assert response.status_code == 302
    assert Communication.objects.filter(customer__code="DIST01", summary="Called").exists()


def test_quick_add_shows_errors_at_the_field_and_keeps_the_input(client, world, users):
    c = _login(client, users["merch"])
    url = reverse("web:communication_add", args=["EXP001"])
    response = c.post(
        url,
        {"kind": "fax", "summary": "  ", "follow_up_on": "2026-02-30"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert 'data-error-for="follow_up_on"' in html
    assert 'value="2026-02-30"' in html
    assert '<option value="fax" selected>' in html
    response = c.post(
        url, {"kind": "fax", "summary": "   ", "follow_up_on": ""}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert 'data-error-for="summary"' in html and "A summary is required." in html
    response = c.post(url, {"kind": "fax", "summary": "kept text", "order": "SO-NOPE"})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'data-error-for="order"' in html and "kept text" in html
    assert not Communication.objects.exists()


def test_production_may_not_log(client, world, users):
    c = _login(client, users["production"])
    response = c.post(
        reverse("web:communication_add", args=["EXP001"]), {"kind": "call", "summary": "x"}
    )
    assert response.status_code == 403
    assert not Communication.objects.exists()


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _customers(n, salesperson):
    Customer.objects.bulk_create(
        Customer(
            code=f"BULK{i:03}", name=f"Bulk {i}", channel=Channel.DOMESTIC, salesperson=salesperson
        )
        for i in range(Customer.objects.filter(code__startswith="BULK").count(), n)
    )


def _comms(customer, n, user):
    have = Communication.objects.filter(customer=customer).count()
    Communication.objects.bulk_create(
        Communication(customer=customer, kind="call", summary=f"c{i}", created_by=user)
        for i in range(have, n)
    )


@pytest.mark.parametrize("who", ["merch", "sales", "production"])
def test_query_counts_do_not_grow_with_rows(client, world, users, who):
    c = _login(client, users[who])
    list_url = reverse("web:customer_list")
    detail_url = reverse("web:customer_detail", args=["DIST01"])
    customer = world.customers["DIST01"]
    _customers(10, users["sales"])
    for _ in range(10 - customer.orders.count()):
        world.order(customer="DIST01")
    _comms(customer, 10, users["merch"])
    small = (_count(c, list_url), _count(c, detail_url))
    _customers(30, users["sales"])
    for _ in range(30 - customer.orders.count()):
        world.order(customer="DIST01", lines=[("BC-101", 10, "1")])
    _comms(customer, 30, users["merch"])
    assert (_count(c, list_url), _count(c, detail_url)) == small
