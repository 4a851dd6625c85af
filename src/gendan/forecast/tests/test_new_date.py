"""The customer's answer to a warning: an accepted later date becomes the order's agreed delivery
date through ``agree_new_date`` (the confirmation attached, the sales manager's one signature, in
production, the signed revision and its date kept, the forecast refreshed); "insist" tells the
production planners."""

from __future__ import annotations

from datetime import timedelta

import pytest

from gendan.attachments.services import attach_file
from gendan.attachments.tests.samples import fax
from gendan.errors import DomainError
from gendan.forecast import services
from gendan.forecast.models import OrderForecast, Risk
from gendan.forecast.tests.test_forecast import TODAY, short_days
from gendan.notifications.models import Notification
from gendan.orders.models import Order
from gendan.orders.services import agree_new_date
from gendan.orders.workflow import Status
from gendan.timeline.models import Event

pytestmark = pytest.mark.django_db


def _refused(code: str, **kw) -> None:
    with pytest.raises(DomainError) as caught:
        agree_new_date(**kw)
    codes = [r["code"] for r in caught.value.details.get("reasons", [])] or [caught.value.code]
    assert code in codes, codes


def test_an_accepted_later_date_becomes_the_agreed_date_in_production(
    world, floor, django_capture_on_commit_callbacks
):
    u = world.users
    short_days(world, floor)
    with django_capture_on_commit_callbacks(execute=True):
        services.refresh(today=TODAY, orders=[floor.pk])
    late = OrderForecast.objects.get(order=floor)
    assert late.risk == Risk.LATE
    signed = floor.delivery_date
    later = late.expected_date + timedelta(days=7)
    kw = dict(order_number=floor.number, new_date=later)

    # the salesperson may not sign it; without the confirmation the manager may not either
    _refused("permission_denied", actor=u["sales"], **kw)
    _refused("confirmation_missing", actor=u["manager"], **kw)
    attach_file(actor=u["sales"], model="orders.order", key=floor.number, file=fax())
    _refused("new_date_invalid", actor=u["manager"], order_number=floor.number, new_date=signed)
    assert Order.objects.get(pk=floor.pk).delivery_date == signed  # nothing changed

    with django_capture_on_commit_callbacks(execute=True):
        order = agree_new_date(actor=u["manager"], comment="客户邮件确认", **kw)
    assert (order.status, order.delivery_date) == (Status.RELEASED, later)
    assert order.manager_signed_at is not None  # the signatures stay
    kept = order.revisions.get()
    assert kept.snapshot["delivery_date"] == signed.isoformat()
    assert kept.snapshot["manager_signed_by"] == u["manager"].username
    event = Event.objects.filter(order=order, kind="order.transition").latest("id")
    assert event.payload["action"] == "agree_new_date"
    assert event.payload["original"] == signed.isoformat()
    assert event.payload["confirmation_name"] == "customer-fax.pdf"
    # the forecast is refreshed against the new date
    late.refresh_from_db()
    assert late.delivery_date == later and late.risk == Risk.ON_TIME

    # out of state: once production is done the date is no longer agreed this way
    Order.objects.filter(pk=floor.pk).update(status=Status.PRODUCED)
    _refused(
        "wrong_status",
        actor=u["manager"],
        order_number=floor.number,
        new_date=later + timedelta(days=1),
    )


def test_the_customer_insisting_tells_the_planners(world, floor):
    u = world.users
    services.insist_on_date(order_number=floor.number, actor=u["sales"], note="客户坚持原交期")
    told = Notification.objects.filter(kind="forecast.insisted")
    assert set(told.values_list("user__username", flat=True)) == {u["production"].username}
    assert floor.number in told.first().text
    assert Event.objects.filter(order=floor, kind="forecast.insisted").count() == 1
    with pytest.raises(Exception):  # noqa: B017  (the warehouse has no forecast)
        services.insist_on_date(order_number=floor.number, actor=u["warehouse"])
