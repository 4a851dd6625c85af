from datetime import timedelta

import pytest
from django.utils import timezone

from gendan.orders.workflow import Status
from gendan.outbox.tests.conftest import smtp  # noqa: F401  (a real local SMTP server)
from gendan.production.tests.factories import approve_first_articles, factory

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def fresh_ship_days():
    """The shipping days are learnt once a day per process (``inputs._SHIP_DAYS``): a test
    before these (the demo's, say) would otherwise have taught them from its own orders."""
    from gendan.forecast import inputs

    inputs._SHIP_DAYS.clear()
    yield
    inputs._SHIP_DAYS.clear()


@pytest.fixture
def floor(world):
    """The small factory (every day 8 h: 开料 10/h, 组装 5/h, 包装 20/h) and an order of 400
    chairs due in 18 days, released; on time at the standard rates."""
    factory(world.users["admin"])
    order = world.order(
        lines=[("FN-101", 400, "300")], to=Status.RELEASED, delivery=TODAY + timedelta(days=18)
    )
    approve_first_articles(world, order)
    return order
