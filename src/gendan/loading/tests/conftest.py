"""A shipment waiting for its container: two export orders with their shipping notices issued."""

from __future__ import annotations

import pytest
from django.utils import timezone

from gendan.shipping.models import ShippingNotice, ShippingStatus


@pytest.fixture
def notices(world) -> list[str]:
    from gendan.demodata import _export_shipment
    from gendan.loading.models import ContainerType
    from gendan.loading.standard_types import ensure_standard_types

    # a transactional test before this one may have flushed the migration's rows
    ensure_standard_types(ContainerType)
    _export_shipment(world.users, world.customers["EXP001"], timezone.localdate())
    return list(
        ShippingNotice.objects.filter(status=ShippingStatus.ISSUED)
        .order_by("number")
        .values_list("number", flat=True)
    )


@pytest.fixture
def planned(world, notices, django_capture_on_commit_callbacks):
    """A computed 40HQ plan of the shipment (1 s of search), through the real task."""
    from gendan.loading.models import LoadingPlan
    from gendan.loading.services import plans

    def make(**kwargs) -> LoadingPlan:
        options = {"notices": notices, "container_type": "40HQ", "time_limit_s": 1, **kwargs}
        with django_capture_on_commit_callbacks(execute=False):
            plan = plans.request_loading_plan(actor=world.users["merch"], **options)
        plans.compute_plan(plan.pk)
        plan.refresh_from_db()
        return plan

    return make
