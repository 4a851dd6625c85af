"""Every Today section costs the same queries whatever the number of orders (pinned per section)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gendan import extensions
from gendan.orders.workflow import Status
from gendan.shipping import services as shipping_services

pytestmark = pytest.mark.django_db

#: the login that reads each section, and the queries it may cost (the review's buckets are
#: pinned in test_views_today.py; loading reads its open plans in two)
READER = {
    "salesperson": "sales",
    "merchandiser": "merch",
    "sales_manager": "manager",
    "regional_manager": "regional",
}
BOUND = {
    "review": 20,
    # purchasing's "materials short": the merchandiser's open notice lines, their bills of
    # materials, what is on order, received and in stock for them (six reads, whatever the count)
    "purchasing_short": 6,
}


def _orders(world, n: int) -> None:
    for _ in range(n):
        world.order(to=Status.SUBMITTED)
        world.order(to=Status.DEPOSIT_REQUESTED)
        world.order(lines=[("BC-101", 90_000, "12.50")], to=Status.RELEASED)
        ready = world.order(customer="DIST01", to=Status.READY_TO_SHIP)
        shipping_services.issue_shipping_notice(
            order_number=ready.number, actor=world.users["merch"]
        )
        world.order(customer="DIST01", to=Status.SHIPPED)


def _costs(world) -> dict[str, int]:
    today = timezone.localdate()
    out = {}
    for section in extensions.registry.today_sections.values():
        role = sorted(section.roles)[0]
        actor = world.users[READER.get(role, role)]
        actor.can("view_all")  # the permission cache is the request's, not the section's
        with CaptureQueriesContext(connection) as ctx:
            data = section.build(actor, today, 50)
        out[section.key] = len(ctx.captured_queries)
        assert data.count >= 0
    return out


def test_each_section_costs_the_same_queries_for_one_and_three_of_each_order(world):
    _orders(world, 1)
    one = _costs(world)
    _orders(world, 2)
    three = _costs(world)
    assert one == three
    for key, queries in three.items():
        assert queries <= BOUND.get(key, 3), (key, queries)
