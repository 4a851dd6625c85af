"""A count complaint the customer found goes into loading's counting-error register against the
person who counted, once, from a plan that loaded the complaint's order."""

from __future__ import annotations

import pytest

from gendan.aftersales import services
from gendan.aftersales.errors import Code
from gendan.aftersales.models import Complaint
from gendan.errors import DomainError, Kind
from gendan.loading.models import CountingError, ErrorSource
from gendan.loading.selectors import orders_of_plan
from gendan.loading.tests.conftest import notices, planned  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def test_a_count_complaint_records_the_counting_error_once(world, planned):  # noqa: F811
    plan = planned()
    order = orders_of_plan(plan)[0]
    merch, service = world.users["merch"], world.users["service"]
    count = services.log_complaint(
        actor=service,
        customer=order.customer.code,
        order=order.number,
        line_no=1,
        kind="count",
        description="少一箱",
        quantity=1,
    )
    quality = services.log_complaint(
        actor=service,
        customer=order.customer.code,
        order=order.number,
        line_no=1,
        kind="quality",
        description="破损",
        quantity=1,
    )
    args = {"plan": plan.number, "person": "warehouse", "expected": 400, "actual": 399}
    with pytest.raises(DomainError) as wrong_kind:
        services.record_count_error(actor=merch, number=quality.number, **args)
    assert wrong_kind.value.code == Code.NOT_A_COUNT_COMPLAINT
    with pytest.raises(DomainError) as other_plan:
        services.record_count_error(actor=merch, number=count.number, **(args | {"plan": "LP-X"}))
    assert other_plan.value.code == Code.PLAN_NOT_OF_ORDER
    with pytest.raises(DomainError) as denied:  # the salesperson records no counting error
        services.record_count_error(actor=world.users["sales"], number=count.number, **args)
    assert denied.value.kind == Kind.FORBIDDEN
    assert not CountingError.objects.exists()

    done = services.record_count_error(actor=merch, number=count.number, **args)
    error = CountingError.objects.get()
    assert done.counting_error == error
    assert (error.source, error.person.username, error.difference) == (
        ErrorSource.CUSTOMER_RECEIPT,
        "warehouse",
        -1,
    )
    assert count.number in error.note
    with pytest.raises(DomainError) as again:
        services.record_count_error(actor=merch, number=count.number, **args)
    assert again.value.code == Code.COUNT_ALREADY_RECORDED
    assert CountingError.objects.count() == 1
    assert Complaint.objects.get(pk=quality.pk).counting_error is None
