"""Prospects from new to won (a parties customer keeping the contact log) or lost with a
reason; stock that waits offered to the scattered and store customers who bought it (logged in
the communication log, mailed where there is an address), the order that followed linked, the
hit rate per product; pages, API and query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gendan.errors import DomainError, Kind
from gendan.inventory.models import StockLevel, StockMove
from gendan.orders.workflow import Status
from gendan.outbox.models import MailMessage
from gendan.parties.models import Channel, Communication, Customer
from gendan.prospects import selectors, services
from gendan.prospects.models import Prospect, ProspectStatus, StockOffer

pytestmark = pytest.mark.django_db


def test_a_prospect_from_new_to_won_keeps_its_history(world):
    sales = world.users["sales"]
    prospect = services.add_prospect(
        actor=sales,
        name="成都宝宝乐母婴店",
        source="fair",
        products=["BC-101", "BC-201"],
        contacts=[{"name": "刘老板", "phone": "13900000000", "email": "liu@baobao.example"}],
    )
    assert (prospect.status, prospect.owner) == (ProspectStatus.NEW, sales)
    with pytest.raises(DomainError) as early:
        services.win_prospect(actor=sales, number=prospect.number, code="CD01")
    assert early.value.code == "prospects_wrong_status"
    services.log_prospect_contact(
        actor=sales, number=prospect.number, kind="call", summary="展会后回访，要样品"
    )
    assert Prospect.objects.get(pk=prospect.pk).status == ProspectStatus.CONTACTED
    services.move_prospect(actor=sales, number=prospect.number, status="sample_sent")
    services.move_prospect(actor=sales, number=prospect.number, status="quoted")
    with pytest.raises(DomainError) as no_reason:
        services.move_prospect(actor=sales, number=prospect.number, status="lost")
    assert no_reason.value.code == "prospects_lost_needs_reason"
    # another salesperson's prospect is not there for them
    with pytest.raises(DomainError) as hidden:
        services.move_prospect(actor=world.users["merch"], number="PR-nope", status="quoted")
    assert hidden.value.kind == Kind.NOT_FOUND
    won = services.win_prospect(actor=sales, number=prospect.number, code="CD01")
    customer = Customer.objects.get(code="CD01")
    assert (won.status, won.customer, customer.salesperson) == ("won", customer, sales)
    assert list(customer.contacts.values_list("name", flat=True)) == ["刘老板"]
    log = Communication.objects.get(customer=customer)
    assert log.summary == "展会后回访，要样品"
    assert won.history.count() == 5
    with pytest.raises(DomainError):
        services.move_prospect(actor=sales, number=prospect.number, status="contacted")


def test_lost_with_a_reason(world):
    manager = world.users["manager"]
    prospect = services.add_prospect(actor=manager, name="某批发商", source="cold", owner="sales")
    assert prospect.owner == world.users["sales"]
    with pytest.raises(DomainError) as only_self:
        services.add_prospect(actor=world.users["sales"], name="x", source="cold", owner="merch")
    assert only_self.value.kind == Kind.FORBIDDEN
    lost = services.move_prospect(
        actor=manager, number=prospect.number, status="lost", reason="价格太高"
    )
    assert (lost.status, lost.lost_reason) == ("lost", "价格太高")


@pytest.fixture
def scattered(world):
    """A scattered customer who bought BC-101 before; BC-101 has stock received long ago."""
    customer = Customer.objects.create(
        code="SC01",
        name="零散客户张三",
        channel=Channel.SCATTERED,
        salesperson=world.users["sales"],
    )
    customer.contacts.create(name="张三", email="zhang@scattered.example")
    world.order(customer="STORE01", lines=[("BC-101", 10, "12.50")], to=Status.SIGNED)
    world.order(customer="STORE01", lines=[("BC-202", 10, "12.50")])  # a draft: not bought
    world.order(customer="SC01", lines=[("BC-101", 5, "12")], to=Status.SIGNED)
    stock = StockLevel.objects.filter(product__code="BC-101").first()
    StockMove.objects.create(
        stock=stock,
        quantity=100,
        reason="adjustment",
        actor=world.users["warehouse"],
        at=timezone.now() - timedelta(days=90),
    )
    return customer


def test_stock_offers_to_scattered_customers_and_the_order_that_followed(world, scattered):
    merch = world.users["merch"]
    stale = {s.product.code: s for s in selectors.stale_stock(merch, days=60)}
    assert [c.code for c in stale["BC-101"].buyers] == ["SC01", "STORE01"]
    assert [c.code for c in stale["BC-202"].buyers] == []
    assert stale["BC-101"].age_days == 90
    assert "BC-101" not in {s.product.code for s in selectors.stale_stock(merch, days=120)}
    with pytest.raises(DomainError) as export:
        services.send_offer(actor=merch, customer="EXP001", product="BC-101", quantity=5)
    assert export.value.code == "prospects_offer_not_scattered"
    with pytest.raises(DomainError) as too_many:
        services.send_offer(actor=merch, customer="SC01", product="BC-101", quantity=10**6)
    assert too_many.value.code == "prospects_offer_not_in_stock"
    offer = services.send_offer(
        actor=merch, customer="SC01", product="BC-101", quantity=50, days=90, note="九折"
    )
    assert offer.communication.customer == scattered and "BC-101" in offer.communication.summary
    mail = MailMessage.objects.get(template="stock_offer")
    assert mail.to_address == "zhang@scattered.example" and "BC-101" in mail.subject
    assert selectors.hit_rate(merch) == [
        {
            "product__code": "BC-101",
            "product__name": "婴儿湿巾 80抽",
            "sent": 1,
            "won": 0,
            "rate": 0,
        }
    ]
    earlier = scattered.orders.get()
    with pytest.raises(DomainError) as before:
        services.link_offer_order(actor=merch, number=offer.number, order=earlier.number)
    assert before.value.code == "prospects_order_does_not_follow"
    from gendan.orders import services as order_services
    from gendan.orders.entry import LineInput

    follow = order_services.create_order(
        actor=merch,
        customer="SC01",
        contract_date=timezone.localdate(),
        delivery_date=timezone.localdate() + timedelta(days=10),
        lines=[LineInput(product="BC-101", quantity=50, unit_price=11)],
    )
    linked = services.link_offer_order(actor=merch, number=offer.number, order=follow.number)
    assert linked.order == follow
    assert selectors.hit_rate(merch)[0]["rate"] == 100


def test_pages_api_and_query_counts(client, world, scattered):
    sales = world.users["sales"]
    client.force_login(sales)
    added = client.post(
        "/prospects/", {"name": "杭州新店", "source": "referral", "products": ["BC-101"]}
    )
    assert added.status_code == 302
    prospect = Prospect.objects.get()
    assert (
        client.post(
            f"/prospects/{prospect.number}/",
            {"step": "log", "kind": "visit", "summary": "上门拜访"},
        ).status_code
        == 302
    )
    assert (
        client.post(f"/prospects/{prospect.number}/", {"step": "win", "code": "HZ02"}).status_code
        == 302
    )
    assert Prospect.objects.get().customer.code == "HZ02"
    for i in range(9):
        services.add_prospect(actor=sales, name=f"潜在客户{i}", source="website")

    def listing(url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    ten = listing("/prospects/")
    for i in range(20):
        services.add_prospect(actor=sales, name=f"更多客户{i}", source="website")
    assert listing("/prospects/") == ten
    body = client.get("/api/v1/prospects/?limit=3").json()
    assert len(body["items"]) == 3 and body["next_cursor"] is not None
    made = client.post(
        "/api/v1/prospects/",
        {"name": "API 客户", "source": "other", "contacts": [{"name": "李"}]},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["contacts"][0]["name"] == "李"
    # stock offers: page, offer, link, API
    client.force_login(world.users["merch"])
    offers_page = client.get("/prospects/offers/?days=60").content.decode()
    assert 'data-product="BC-101"' in offers_page
    sent = client.post(
        "/prospects/offers/?days=60", {"customer": "SC01", "product": "BC-101", "quantity": "20"}
    )
    assert sent.status_code == 302 and StockOffer.objects.count() == 1
    offers_before = listing("/prospects/offers/?days=60")
    for _ in range(5):
        services.send_offer(
            actor=world.users["merch"], customer="STORE01", product="BC-101", quantity=1
        )
    assert listing("/prospects/offers/?days=60") == offers_before
    api = client.get("/api/v1/prospects/offers").json()
    assert len(api["items"]) == 6
    stale = client.get("/api/v1/prospects/stock?days=60").json()
    assert any(r["product"] == "BC-101" and "SC01" in r["buyers"] for r in stale)
    assert client.get("/api/v1/prospects/hit-rate").json()[0]["sent"] == 6
    assert client.get("/prospects/offers.xlsx").status_code == 200
    client.force_login(sales)
    assert client.get("/prospects/prospects.xlsx").content[:2] == b"PK"
