"""Today (今日跟单) through the Django test client: each bucket holds exactly the expected orders,
whose orders each role reviews, follow-ups marked done, and a query count independent of size."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gendan.accounts.models import User
from gendan.accounts.permissions import Role
from gendan.orders import services
from gendan.orders.models import Order
from gendan.orders.workflow import Status
from gendan.parties.models import Communication

S = Status


# ---- helpers shared with test_views_lists -------------------------------------------------------


def second_merchandiser() -> User:
    user = User.objects.create_user("merch2", password="x", display_name="钱跟单")
    user.groups.add(Group.objects.get(name=Role.MERCHANDISER))
    return user


def make(
    world: Any,
    *,
    to: str | None = None,
    due: int = 30,
    customer: str = "EXP001",
    merchandiser: User | None = None,
) -> Order:
    """An order driven to `to`, then due in `due` days (negative: late) and reassigned if asked.
    The dates are moved after the drive, since an order's date cannot be entered in the past."""
    order = world.order(customer=customer, to=to)
    today = timezone.localdate()
    delivery = today + timedelta(days=due)
    changes: dict[str, Any] = {
        "delivery_date": delivery,
        "contract_date": min(order.contract_date, delivery),
    }
    if merchandiser is not None:
        changes["merchandiser"] = merchandiser
    Order.objects.filter(pk=order.pk).update(**changes)
    return Order.objects.get(pk=order.pk)


def follow_up(order: Order, *, days: int, done: bool = False, by: User | None = None) -> Any:
    return Communication.objects.create(
        customer=order.customer,
        order=order,
        kind="call",
        summary=f"Call about {order.number}",
        follow_up_on=timezone.localdate() + timedelta(days=days),
        done=done,
        created_by=by or order.merchandiser,
    )


def rows_of(html: str, section: str, attr: str = "data-bucket") -> set[str]:
    """The data-order values of one section of the page."""
    match = re.search(rf'<section[^>]*{attr}="{section}"[^>]*>(.*?)</section>', html, re.S)
    assert match, f"no section {section}"
    return set(re.findall(r"<tr[^>]*\sdata-order=\"([^\"]+)\"", match.group(1)))


def count_of(html: str, section: str, attr: str = "data-bucket") -> int:
    match = re.search(rf'<section[^>]*{attr}="{section}"[^>]*>(.*?)</section>', html, re.S)
    assert match, f"no section {section}"
    return int(re.search(r'data-testid="(?:bucket|inbox)-count">(\d+)<', match.group(1)).group(1))


def page(client: Any, user: User, url: str) -> str:
    """The page in English (a user who chose no language gets the browser's)."""
    client.force_login(user)
    response = client.get(url, headers={"accept-language": "en"})
    assert response.status_code == 200
    return response.content.decode()


# ---- the buckets --------------------------------------------------------------------------------


@pytest.fixture
def day(world):
    """One order for each situation of the review; merch2's order must stay out of merch's."""
    merch2 = second_merchandiser()
    o = {
        "late_draft": make(world, due=-5),
        "late_released": make(world, to=S.RELEASED, due=-1),
        "shipped_late": make(world, to=S.SHIPPED, due=-3),
        "risk_signed": make(world, to=S.SIGNED, due=3),
        "ready_soon": make(world, to=S.READY_TO_SHIP, due=2),
        "submitted": make(world, to=S.SUBMITTED),
        "deposit_requested": make(world, to=S.DEPOSIT_REQUESTED),
        "store_signed": make(world, to=S.SIGNED, customer="STORE01"),
        "produced": make(world, to=S.PRODUCED),
        "partial": make(world, to=S.PARTIALLY_SHIPPED),
        "delivered": make(world, to=S.DELIVERED, due=-2),
        "other_merch": make(world, to=S.SUBMITTED, due=-4, merchandiser=merch2),
    }
    half_signed = make(world, to=S.SUBMITTED)
    services.ACTION_VERBS["sign_finance"](
        order_number=half_signed.number, actor=world.users["finance"]
    )
    o["half_signed"] = half_signed
    comms = {
        "overdue": follow_up(o["produced"], days=-2),
        "today": follow_up(o["submitted"], days=0),
        "tomorrow": follow_up(o["submitted"], days=1),
        "done": follow_up(o["produced"], days=-1, done=True),
        "other": follow_up(o["other_merch"], days=-1, by=merch2),
    }
    return {k: v.number for k, v in o.items()}, comms, merch2


def test_each_bucket_holds_exactly_the_expected_orders(client, world, day):
    n, comms, _ = day
    html = page(client, world.users["merch"], reverse("web:today"))
    expected = {
        "late": {n["late_draft"], n["late_released"]},
        "at_risk": {n["risk_signed"]},
        "signature": {n["submitted"], n["half_signed"]},
        "deposit": {n["risk_signed"], n["deposit_requested"]},
        "release": {n["store_signed"]},
        "production": {n["late_released"]},
        "balance": {n["produced"]},
        "shipping_notice": {n["ready_soon"], n["partial"]},
        "delivery": {n["shipped_late"], n["partial"]},
        "follow_ups": {n["produced"], n["submitted"]},
    }
    for bucket, numbers in expected.items():
        assert rows_of(html, bucket) == numbers, bucket
        assert count_of(html, bucket) == len(numbers), bucket
    # each row links to the cockpit
    assert f'href="{reverse("web:order_detail", args=[n["late_draft"]])}"' in html
    # the signature bucket says whose signature is missing
    signature = re.search(r'data-bucket="signature".*?</section>', html, re.S).group(0)
    half = re.search(rf'data-order="{n["half_signed"]}".*?</tr>', signature, re.S).group(0)
    assert "sales manager" in half and "finance" not in half.split("missing-signatures")[1]
    # the follow-ups: overdue and today's, not tomorrow's, not done ones, not merch2's
    follow = re.search(r'data-bucket="follow_ups".*?</section>', html, re.S).group(0)
    ids = set(re.findall(r'data-follow-up="(\d+)"', follow))
    assert ids == {str(comms["overdue"].pk), str(comms["today"].pk)}


def test_the_at_risk_horizon_comes_from_the_settings(client, world, day, settings):
    n, _, _ = day
    settings.GENDAN_AT_RISK_DAYS = 40
    html = page(client, world.users["merch"], reverse("web:today"))
    # due within 40 days and not ready to ship: the signed, submitted, requested, produced ones
    assert rows_of(html, "at_risk") == {
        n["risk_signed"],
        n["submitted"],
        n["half_signed"],
        n["deposit_requested"],
        n["store_signed"],
        n["produced"],
    }


def test_a_manager_sees_the_team_and_filters_it(client, world, day):
    n, _, _ = day
    html = page(client, world.users["manager"], reverse("web:today"))
    assert 'data-testid="team-filter"' in html
    assert rows_of(html, "late") == {n["late_draft"], n["late_released"], n["other_merch"]}
    assert rows_of(html, "follow_ups") == {n["produced"], n["submitted"], n["other_merch"]}
    html = page(client, world.users["manager"], reverse("web:today") + "?merchandiser=merch2")
    assert rows_of(html, "late") == {n["other_merch"]}
    assert rows_of(html, "signature") == {n["other_merch"]}
    assert rows_of(html, "follow_ups") == {n["other_merch"]}
    html = page(client, world.users["manager"], reverse("web:today") + "?salesperson=nobody")
    assert count_of(html, "late") == 0


def test_a_merchandiser_cannot_widen_the_review_and_a_salesperson_sees_theirs(client, world, day):
    n, _, merch2 = day
    html = page(client, world.users["merch"], reverse("web:today") + "?merchandiser=merch2")
    assert 'data-testid="team-filter"' not in html
    assert n["other_merch"] not in rows_of(html, "late")
    html = page(client, merch2, reverse("web:today"))
    assert rows_of(html, "late") == {n["other_merch"]}
    # the salesperson sells every order of the demo customers
    html = page(client, world.users["sales"], reverse("web:today"))
    assert rows_of(html, "late") == {n["late_draft"], n["late_released"], n["other_merch"]}


def test_a_follow_up_is_marked_done_and_leaves_the_review(client, world, day):
    _, comms, _ = day
    client.force_login(world.users["merch"])
    url = reverse("web:follow_up_done", args=[comms["overdue"].pk])
    response = client.post(url, {"next": reverse("web:today")})
    assert response.status_code == 302 and response["Location"] == reverse("web:today")
    comms["overdue"].refresh_from_db()
    assert comms["overdue"].done and comms["overdue"].done_at is not None
    html = client.get(reverse("web:today")).content.decode()
    assert f'data-follow-up="{comms["overdue"].pk}"' not in html
    assert count_of(html, "follow_ups") == 1
    # a next outside the site is not followed
    response = client.post(
        reverse("web:follow_up_done", args=[comms["today"].pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("web:today")


def test_finance_gets_no_done_button_and_cannot_mark_one(client, world, day):
    _, comms, _ = day
    html = page(client, world.users["finance"], reverse("web:today"))
    assert 'data-action="follow_up_done"' not in html
    response = client.post(reverse("web:follow_up_done", args=[comms["overdue"].pk]), follow=True)
    assert response.status_code == 200
    comms["overdue"].refresh_from_db()
    assert not comms["overdue"].done
    assert list(response.context["messages"])


def test_done_needs_a_post(client, world, day):
    _, comms, _ = day
    client.force_login(world.users["merch"])
    assert client.get(reverse("web:follow_up_done", args=[comms["overdue"].pk])).status_code == 405


def test_today_needs_a_sign_in(client, db):
    response = client.get(reverse("web:today"))
    assert response.status_code == 302 and "/login/" in response["Location"]


# ---- the number of queries does not grow with the data ------------------------------------------

# the statuses the scale orders take in turn: every bucket but delivery gets some
SPREAD = [
    (S.DRAFT, -3),
    (S.SUBMITTED, 3),
    (S.SIGNED, 10),
    (S.DEPOSIT_REQUESTED, 2),
    (S.DEPOSIT_CONFIRMED, 20),
    (S.RELEASED, -1),
    (S.PRODUCED, 5),
    (S.BALANCE_REQUESTED, 40),
    (S.READY_TO_SHIP, 1),
    (S.ON_HOLD, -2),
]


def spread_orders(world: Any, count: int, *, merchandiser: User | None = None) -> None:
    """`count` orders over every status of SPREAD: entered, then set straight in the table
    (a read-only page does not care how they got there; driving 30 orders costs seconds)."""
    today = timezone.localdate()
    for i in range(count):
        status, due = SPREAD[i % len(SPREAD)]
        order = world.order(customer="STORE01" if status == S.DEPOSIT_CONFIRMED else "EXP001")
        delivery = today + timedelta(days=due)
        changes: dict[str, Any] = {
            "status": status,
            "delivery_date": delivery,
            "contract_date": min(today, delivery),
        }
        if status == S.ON_HOLD:
            changes["held_from"] = S.RELEASED
        if merchandiser is not None:
            changes["merchandiser"] = merchandiser
        Order.objects.filter(pk=order.pk).update(**changes)
        if i % 3 == 0:
            follow_up(order, days=-1)


def queries_of(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("login", ["merch", "manager"])
def test_today_runs_the_same_queries_for_10_and_30_orders(client, world, login):
    shipped = make(world, to=S.SHIPPED, due=4)  # the delivery bucket is never empty
    follow_up(shipped, days=0)
    spread_orders(world, 10)
    client.force_login(world.users[login])
    url = reverse("web:today")
    client.get(url)  # warm up (content types, translations)
    ten = queries_of(client, url)
    spread_orders(world, 20)
    thirty = queries_of(client, url)
    assert ten == thirty
    html = client.get(url).content.decode()
    assert count_of(html, "late") == 9  # 3 drafts, 3 released, 3 on hold
    # the review, and for the manager the signature queue too (two queries: count and rows)
    assert ten <= (20 if login == "merch" else 22)
