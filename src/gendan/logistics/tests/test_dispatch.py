"""Logistics, given a company with two delivery notes ready to go (one with cash on delivery),
a van and a driver: the cut-off, the capacity, the warehouse's steps, the driver's stops, the
cash handed in and the month's score."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gendan.attachments.services import attach_file
from gendan.errors import DomainError
from gendan.logistics import scores, selectors, services
from gendan.logistics.models import CashHandover, DeliveryRequest, Driver, Stop, Trip
from gendan.orders.models import Order
from gendan.orders.workflow import Status
from gendan.shipping.models import DeliveryNote, ShippingStatus

pytestmark = pytest.mark.django_db

COD = Decimal("456.70")


def _photo() -> SimpleUploadedFile:
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (20, 20), "white").save(buffer, format="PNG")
    return SimpleUploadedFile("签收单.png", buffer.getvalue(), content_type="image/png")


def ready(world: Any, customer: str) -> Order:
    """An order whose shipping notice has its outbound slip and delivery note, not shipped."""
    from gendan.demodata import drive

    order = world.order(customer=customer, lines=[("BC-101", 24, "19.03"), ("FN-101", 2, "300")])
    drive(
        order.number,
        Status.READY_TO_SHIP,
        world.users,
        cod=customer == "STORE01",
        last="issue_delivery_note",
    )
    return Order.objects.get(pk=order.pk)


@pytest.fixture
def company(world):
    u = world.users
    services.save_vehicle(
        actor=u["merch"], plate="粤A12345", capacity_m3="10", capacity_kg="2000", body="VAN-4.2"
    )
    services.save_driver(
        actor=u["merch"], username="driver", licence="440100123", phone="13900000001"
    )
    cod, plain = ready(world, "STORE01"), ready(world, "DIST01")
    return world, cod, plain


def notice_of(order: Order) -> str:
    return order.shipping_notices.get().number


def before_cutoff(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day - timedelta(days=1), time(16, 59)))


def test_the_cut_off_refuses_at_the_configured_minute_and_takes_the_merchandisers_reason(
    company, settings
):
    world, cod, _plain = company
    merch, sales = world.users["merch"], world.users["sales"]
    settings.GENDAN_DISPATCH_CUTOFF = "17:00"
    tomorrow = timezone.localdate() + timedelta(days=2)  # any day: "tomorrow" of its eve
    eve_1659 = before_cutoff(tomorrow)
    eve_1700 = eve_1659 + timedelta(minutes=1)
    # at 17:00 the salesperson is refused, with the reason
    with pytest.raises(DomainError) as refused:
        services.request_delivery(actor=sales, notice=notice_of(cod), day=tomorrow, now=eve_1700)
    assert refused.value.code == "logistics_after_cutoff"
    assert "17:00" in str(refused.value.message)
    assert not DeliveryRequest.objects.exists()
    # a salesperson cannot accept it late, even with a reason
    with pytest.raises(DomainError) as forbidden:
        services.request_delivery(
            actor=sales, notice=notice_of(cod), day=tomorrow, late_reason="急", now=eve_1700
        )
    assert forbidden.value.code == "permission_denied"
    # the merchandiser accepts it with a reason, recorded
    late = services.request_delivery(
        actor=merch, notice=notice_of(cod), day=tomorrow, late_reason="客户店庆", now=eve_1700
    )
    assert (late.late, late.late_reason, late.accepted_by) == (True, "客户店庆", merch)
    # at 16:59 it is in time; the configured minute moves the line
    settings.GENDAN_DISPATCH_CUTOFF = "16:30"
    assert services.lateness(tomorrow, eve_1659) != ""
    settings.GENDAN_DISPATCH_CUTOFF = "17:00"
    assert services.lateness(tomorrow, eve_1659) == ""
    # a request for today is refused whatever the hour
    assert services.lateness(timezone.localdate()) != ""
    # the load comes from the cartons: 2 of BC-101 (12 per carton) and 2 chairs
    assert late.cartons == 4
    assert late.volume_m3 > 0 and late.weight_kg > 0


def _requests(world: Any, cod: Order, plain: Order, day: date) -> None:
    for order in (cod, plain):
        services.request_delivery(
            actor=world.users["merch"], notice=notice_of(order), day=day, now=before_cutoff(day)
        )


def test_capacity_refuses_past_volume_or_weight_with_the_figures(company):
    world, cod, plain = company
    merch = world.users["merch"]
    day = timezone.localdate() + timedelta(days=1)
    _requests(world, cod, plain, day)
    services.save_vehicle(actor=merch, plate="SMALL1", capacity_m3="0.10", capacity_kg="5000")
    services.save_vehicle(actor=merch, plate="LIGHT1", capacity_m3="50", capacity_kg="5")
    for plate, word in (("SMALL1", "m³"), ("LIGHT1", "kg")):
        with pytest.raises(DomainError) as over:
            services.plan_trip(
                actor=merch,
                day=day,
                vehicle=plate,
                driver="driver",
                departure=time(7, 30),
                notices=[notice_of(cod), notice_of(plain)],
            )
        assert over.value.code == "logistics_over_capacity"
        assert word in str(over.value.message) and plate in str(over.value.message)
    assert not Trip.objects.exists()
    # the suggestion groups the day's requests by region
    regions = {s.region: len(s.requests) for s in selectors.suggest_trips(day)}
    assert sum(regions.values()) == 2


def test_the_walk_plan_prepare_leave_deliver_with_cash_and_hand_it_in_short(company, client):
    world, cod, plain = company
    u = world.users
    today = timezone.localdate()
    _requests(world, cod, plain, today + timedelta(days=1))
    # requests are moved to today for the walk (the trip of today is the driver's)
    DeliveryRequest.objects.update(day=today)
    trip = services.plan_trip(
        actor=u["merch"],
        day=today,
        vehicle="粤A12345",
        driver="driver",
        departure=time(7, 30),
        notices=[notice_of(cod), notice_of(plain)],
    )
    assert trip.stops.count() == 2
    # the warehouse cannot send it off before it is prepared; the merchandiser cannot prepare
    with pytest.raises(DomainError):
        services.depart_trip(actor=u["warehouse"], trip=trip.number)
    with pytest.raises(DomainError):
        services.prepare_trip(actor=u["merch"], trip=trip.number)
    services.prepare_trip(actor=u["warehouse"], trip=trip.number)
    services.depart_trip(actor=u["warehouse"], trip=trip.number)
    assert {n.status for n in cod.shipping_notices.all()} == {ShippingStatus.SHIPPED}
    cod_stop = Stop.objects.get(trip=trip, customer=cod.customer)
    plain_stop = Stop.objects.get(trip=trip, customer=plain.customer)
    owed = DeliveryNote.objects.get(notice__order=cod).cod_amount
    assert owed > 0
    assert selectors.cash_to_collect(cod_stop) == owed
    driver = u["driver"]
    # another driver does not see the stop
    other = _other_driver(u)
    assert not selectors.driver_stops(other).exists()
    with pytest.raises(DomainError) as hidden:
        services.deliver_stop(actor=other, stop=cod_stop.pk, received_by="王", cash_collected=owed)
    assert hidden.value.code == "not_found"
    # no photo yet: refused; the wrong cash names the expected figure
    with pytest.raises(DomainError) as no_photo:
        services.deliver_stop(
            actor=driver, stop=cod_stop.pk, received_by="王店长", cash_collected=owed
        )
    assert no_photo.value.details["field"] == "photos"
    attach_file(actor=driver, model="logistics.stop", key=str(cod_stop.pk), file=_photo())
    with pytest.raises(DomainError) as wrong:
        services.deliver_stop(
            actor=driver, stop=cod_stop.pk, received_by="王店长", cash_collected="1"
        )
    assert f"{owed}" in str(wrong.value.message)
    # the driver's page: own stops, the cash to collect, no price nor total
    client.force_login(driver)
    page = client.get(reverse("web:logistics_driver")).content.decode()
    assert f'data-testid="cash-to-collect">{owed}<' in page
    assert "19.03" not in page and "456.72" not in page  # the unit price, a line's amount
    api = client.get("/api/v1/logistics/driver/stops").json()
    assert {s["cash_to_collect"] for s in api["items"]} == {f"{owed}", "0.00"}
    assert "19.03" not in str(api) and "unit_price" not in str(api)
    # delivered once, with the cash
    services.deliver_stop(actor=driver, stop=cod_stop.pk, received_by="王店长", cash_collected=owed)
    with pytest.raises(DomainError) as twice:
        services.deliver_stop(
            actor=driver, stop=cod_stop.pk, received_by="王店长", cash_collected=owed
        )
    assert twice.value.code == "logistics_already_delivered"
    cod.refresh_from_db()
    assert cod.status == Status.DELIVERED
    attach_file(actor=driver, model="logistics.stop", key=str(plain_stop.pk), file=_photo())
    services.deliver_stop(actor=driver, stop=plain_stop.pk, received_by="李经理", installed=True)
    trip.refresh_from_db()
    assert trip.status == "done"
    # the cashier counts 100 short: refused without a reason, recorded with it, shown
    cashier, person = u["cashier"], Driver.objects.get(user=driver)
    short = owed - 100
    with pytest.raises(DomainError) as no_reason:
        services.record_cash_handover(actor=cashier, driver="driver", day=today, received=short)
    assert f"{owed}" in str(no_reason.value.message)
    handover = services.record_cash_handover(
        actor=cashier, driver="driver", day=today, received=short, reason="找零差额"
    )
    assert handover.difference == Decimal("-100.00")
    client.force_login(u["merch"])
    assert "找零差额" in client.get(reverse("web:logistics_cash")).content.decode()
    # and the month's score: two stops on time, one day of cash difference
    row = next(r for r in scores.monthly(today.replace(day=1)) if r.driver == person)
    assert (row.stops, row.on_time, row.cash_days) == (2, 2, 1)
    assert row.score == Decimal("90.0")
    assert CashHandover.objects.count() == 1
    # a transit-damage complaint on the plain order counts against the driver who delivered it;
    # one the sales manager rejects does not
    from gendan.aftersales import services as aftersales

    def damaged(order: Order, description: str) -> str:
        return aftersales.log_complaint(
            actor=u["service"],
            customer=order.customer.code,
            order=order.number,
            kind="transit_damage",
            description=description,
        ).number

    damaged(plain, "外箱压坏")
    rejected = damaged(cod, "运输途中受潮")
    aftersales.reject_complaint(actor=u["manager"], number=rejected, reason="签收时完好")
    row = next(r for r in scores.monthly(today.replace(day=1)) if r.driver == person)
    assert (row.complaints, row.score) == (1, Decimal("80.0"))
    assert (
        next(r for r in scores.monthly(today.replace(day=1)) if r.driver != person).complaints == 0
    )


def _other_driver(u: dict[str, Any]) -> Any:
    from django.contrib.auth.models import Group

    from gendan.accounts.models import User

    other = User.objects.create_user("driver2", password="x")
    other.groups.add(Group.objects.get(name="driver"))
    services.save_driver(actor=u["merch"], username="driver2", licence="L2", phone="1")
    return other


def test_the_score_formula_on_a_known_month(company):
    world, _cod, _plain = company
    person = Driver.objects.get(user__username="driver")
    month = date(2026, 3, 1)
    row = scores.ScoreRow(
        person,
        stops=10,
        on_time=8,
        problems={"nobody": 1, "damaged": 1},
        damages=1,
        cash_days=1,
        marks=5,
    )
    # 100 × 8/10 − 5 × 1 − 10 × 1 − 10 × 1 + 5
    assert row.score == Decimal("60.0")
    assert scores.ScoreRow(person).score == Decimal("100.0")
    services.mark_driver(
        actor=world.users["merch"], driver="driver", month=month, points=-3, note="迟到"
    )
    assert next(r for r in scores.monthly(month) if r.driver == person).score == Decimal("97.0")


def test_pages_cost_the_same_queries_whatever_the_number_of_trips(company, client):
    world, cod, plain = company
    u = world.users
    day = timezone.localdate() + timedelta(days=1)
    _requests(world, cod, plain, day)
    client.force_login(u["merch"])
    url = reverse("web:logistics_plan") + f"?day={day.isoformat()}"
    client.get(url)

    def cost() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    before = cost()
    services.plan_trip(
        actor=u["merch"],
        day=day,
        vehicle="粤A12345",
        driver="driver",
        departure=time(8, 0),
        notices=[notice_of(cod)],
    )
    one = cost()
    services.plan_trip(
        actor=u["merch"],
        day=day,
        vehicle="粤A12345",
        driver="driver",
        departure=time(9, 0),
        notices=[notice_of(plain)],
    )
    assert cost() == one
    assert before <= one
    for name in ("logistics_scores", "logistics_cash"):
        assert client.get(reverse(f"web:{name}")).status_code == 200
    # the warehouse's Today section lists tomorrow's two trips to prepare
    client.force_login(u["warehouse"])
    section = client.get(reverse("web:logistics_today_section", args=["logistics_to_prepare"]))
    assert section.content.decode().count("data-trip=") == 2
    # the driver may not open the plan; the warehouse may not record cash
    client.force_login(u["driver"])
    assert client.get(url).status_code == 403
    client.force_login(u["warehouse"])
    assert client.get(reverse("web:logistics_cash")).status_code == 403


def test_the_dispatch_prints_in_chinese(company, client):
    world, cod, plain = company
    day = timezone.localdate() + timedelta(days=1)
    _requests(world, cod, plain, day)
    services.plan_trip(
        actor=world.users["merch"],
        day=day,
        vehicle="粤A12345",
        driver="driver",
        departure=time(7, 0),
        notices=[notice_of(cod), notice_of(plain)],
    )
    client.force_login(world.users["warehouse"])
    response = client.get(reverse("web:logistics_plan_pdf") + f"?day={day.isoformat()}")
    assert response["Content-Type"] == "application/pdf"
    import pypdfium2

    pdf = pypdfium2.PdfDocument(response.content)
    text = "".join(page.get_textpage().get_text_range() for page in pdf).replace(" ", "")
    pdf.close()
    assert "车辆调度单" in text and "粤A12345" in text and "婴儿湿巾" in text
    assert "代收货款" not in text  # the warehouse sees no amount
