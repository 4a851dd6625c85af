"""The API over real HTTP: the demo walk a newcomer takes with curl, and every refusal it can meet.

A live server answers on 127.0.0.1; the calls below are what `curl` would send. The query-count
tests at the end use Django's test client, which is enough to count queries.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from gendan.accounts.models import ApiToken, LoginThrottle, User
from gendan.demodata import DEMO_PASSWORD
from gendan.finance.models import Payment
from gendan.orders.models import Order
from gendan.orders.workflow import Status
from gendan.timeline.models import Event

PRICE_KEYS = {"total_amount", "deposit_percent", "deposit_due", "paid_amount", "balance_due"}


@dataclass
class Answer:
    status: int
    body: Any
    headers: dict[str, str]


class Http:
    """A tiny curl: JSON in, JSON out, every status returned rather than raised."""

    def __init__(self, base: str) -> None:
        self.base = base.rstrip("/") + "/api/v1"

    def call(
        self,
        method: str,
        path: str,
        *,
        token: str | None = None,
        body: Any = None,
        raw: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Accept", "application/json")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, content, got = response.status, response.read(), dict(response.headers)
        except urllib.error.HTTPError as error:
            status, content, got = error.code, error.read(), dict(error.headers)
        return Answer(status, json.loads(content) if content else None, got)

    def get(self, path: str, token: str, **kw: Any) -> Answer:
        return self.call("GET", path, token=token, **kw)

    def post(self, path: str, token: str | None, body: Any = None, **kw: Any) -> Answer:
        return self.call("POST", path, token=token, body=body if body is not None else {}, **kw)

    def token(self, username: str, password: str = DEMO_PASSWORD) -> str:
        answer = self.post("/auth/token", None, {"username": username, "password": password})
        assert answer.status == 201, answer.body
        return answer.body["token"]


@pytest.fixture
def http(live_server) -> Http:
    return Http(live_server.url)


@pytest.fixture
def tokens(http, world) -> dict[str, str]:
    return {
        who: http.token(who)
        for who in ("sales", "merch", "manager", "finance", "production", "warehouse", "driver")
    }


def new_order_body(**overrides: Any) -> dict[str, Any]:
    today = timezone.localdate()
    body = {
        "customer": "EXP001",
        "contract_date": today.isoformat(),
        "delivery_date": (today + timedelta(days=30)).isoformat(),
        "lines": [
            {"product": "BC-101", "quantity": 100, "unit_price": "12.50"},
            {"product": "FN-101", "quantity": 10, "unit_price": "300"},
            {"product": "BC-202", "quantity": 40, "unit_price": "8.80", "colour": "白"},
        ],
    }
    return body | overrides


def state(number: str) -> tuple:
    """What a refused call must leave untouched."""
    order = Order.objects.get(number=number)
    return (
        order.status,
        order.version,
        order.paid_amount,
        Event.objects.filter(order=order).count(),
        Payment.objects.filter(order=order).count(),
    )


# (action, role, body, status after, a premature action with its role and code, a wrong role)
WALK: list[tuple[str, str, dict, str, tuple[str, str, str], str]] = [
    ("submit", "merch", {}, Status.SUBMITTED, ("release", "merch", "wrong_status"), "production"),
    (
        "sign_finance",
        "finance",
        {},
        Status.SUBMITTED,
        ("request_deposit", "merch", "wrong_status"),
        "merch",
    ),
    (
        "sign_manager",
        "manager",
        {},
        Status.SIGNED,
        ("sign_finance", "finance", "already_signed"),
        "finance",
    ),
    (
        "request_deposit",
        "merch",
        {},
        Status.DEPOSIT_REQUESTED,
        ("release", "merch", "deposit_not_received"),
        "warehouse",
    ),
    (
        "confirm_deposit",
        "finance",
        {"amount": "1380.60", "reference": "TT-1"},
        Status.DEPOSIT_CONFIRMED,
        ("complete_production", "production", "wrong_status"),
        "sales",
    ),
    (
        "release",
        "merch",
        {},
        Status.RELEASED,
        ("request_balance", "merch", "wrong_status"),
        "finance",
    ),
    (
        "complete_production",
        "production",
        {},
        Status.PRODUCED,
        ("issue_shipping_notice", "merch", "wrong_status"),
        "merch",
    ),
    (
        "request_balance",
        "merch",
        {},
        Status.BALANCE_REQUESTED,
        ("ship", "warehouse", "wrong_status"),
        "driver",
    ),
    (
        "confirm_balance",
        "finance",
        {"reference": "TT-2"},
        Status.READY_TO_SHIP,
        ("deliver", "driver", "wrong_status"),
        "manager",
    ),
    (
        "issue_shipping_notice",
        "merch",
        {},
        Status.READY_TO_SHIP,
        ("ship", "warehouse", "no_open_notice"),
        "finance",
    ),
    (
        "issue_outbound_slip",
        "finance",
        {},
        Status.READY_TO_SHIP,
        ("ship", "warehouse", "outbound_slip_missing"),
        "warehouse",
    ),
    (
        "issue_delivery_note",
        "warehouse",
        {},
        Status.READY_TO_SHIP,
        ("ship", "warehouse", "delivery_note_missing"),
        "production",
    ),
    (
        "ship",
        "warehouse",
        {},
        Status.SHIPPED,
        ("close", "merch", "wrong_status"),
        "finance",
    ),
    (
        "deliver",
        "driver",
        {"received_by": "Anna", "proof_reference": "POD-1"},
        Status.CLOSED,
        ("close", "finance", "wrong_status"),
        "production",
    ),
]


def test_the_demo_walk_takes_an_order_from_creation_to_closed(http, world, tokens):
    created = http.post("/orders", tokens["merch"], new_order_body())
    assert created.status == 201, created.body
    number = created.body["number"]
    assert created.headers["ETag"] == '"1"'
    assert created.body["status"] == Status.DRAFT
    assert [
        (line["product"], line["quantity"], line["amount"]) for line in created.body["lines"]
    ] == [
        ("BC-101", 100, "1250.00"),
        ("FN-101", 10, "3000.00"),
        ("BC-202", 40, "352.00"),
    ]
    assert created.body["total_amount"] == "4602.00"
    assert created.body["deposit_due"] == "1380.60"

    etag = created.headers["ETag"]  # each step is sent with the version it was based on
    for action, role, body, after, (early, early_role, early_code), wrong in WALK:
        before = state(number)
        refused = http.post(f"/orders/{number}/actions/{early}", tokens[early_role], body)
        assert refused.status == 409, (action, early, refused.body)
        assert set(refused.body) == {"code", "message", "details"}
        assert refused.body["code"] == early_code
        assert refused.body["details"]["action"] == early
        assert early_code in [r["code"] for r in refused.body["details"]["reasons"]]
        assert state(number) == before

        forbidden = http.post(f"/orders/{number}/actions/{action}", tokens[wrong], body)
        assert forbidden.status == 403, (action, wrong, forbidden.body)
        assert forbidden.body["code"] == "permission_denied"
        assert state(number) == before

        done = http.post(
            f"/orders/{number}/actions/{action}", tokens[role], body, headers={"If-Match": etag}
        )
        assert done.status == 200, (action, done.body)
        assert done.body["status"] == after, action
        assert done.headers["ETag"] == f'"{done.body["version"]}"' != etag
        etag = done.headers["ETag"]

    order = http.get(f"/orders/{number}", tokens["finance"]).body
    assert order["status"] == Status.CLOSED
    assert order["paid_amount"] == order["total_amount"] == "4602.00"
    assert order["balance_due"] == "0.00"
    assert [(p["kind"], p["amount"]) for p in order["payments"]] == [
        ("deposit", "1380.60"),
        ("balance", "3221.40"),
    ]
    assert order["finance_signature"]["by"] == "finance"
    assert order["manager_signature"]["by"] == "manager"
    assert [line["delivered_qty"] for line in order["lines"]] == [100, 10, 40]
    assert [n["lines"] for n in order["production_notices"]] == [[{"line_no": 2, "quantity": 10}]]
    notice = order["shipping_notices"][0]
    assert notice["copies"] == ["warehouse", "finance", "merchandiser"]
    assert notice["delivery_note"]["received_by"] == "Anna"
    transitions = [
        e["payload"]["action"] for e in order["timeline"] if e["kind"] == "order.transition"
    ]
    assert transitions[::-1] == [step[0] for step in WALK] + ["close"]


def test_refusals_answer_with_their_code_and_change_nothing(http, world, tokens):
    order = world.order()
    number = order.number
    before = state(number)

    # a second salesperson sees neither the order nor its actions: the same 404 as a missing one
    from django.contrib.auth.models import Group

    from gendan.accounts.permissions import Role

    other = User.objects.create(username="sales2")
    other.set_password("pw-sales2")
    other.save()
    other.groups.add(Group.objects.get(name=Role.SALESPERSON))
    stranger = http.token("sales2", "pw-sales2")
    for method, path in [
        ("GET", f"/orders/{number}"),
        ("GET", f"/orders/{number}/actions"),
        ("POST", f"/orders/{number}/actions/submit"),
        ("GET", "/orders/SO-2000-999999"),
    ]:
        answer = http.call(method, path, token=stranger, body={} if method == "POST" else None)
        assert answer.status == 404, (path, answer.body)
        assert answer.body == {
            "code": "not_found",
            "message": answer.body["message"],
            "details": {"what": "order"},
        }
    assert http.get("/orders", stranger).body == {"items": [], "next_cursor": None}
    # the owner salesperson does see it
    assert http.get(f"/orders/{number}", tokens["sales"]).status == 200

    # a stale If-Match is refused with 412 and nothing is lost
    stale = http.post(
        f"/orders/{number}/actions/submit", tokens["merch"], headers={"If-Match": '"7"'}
    )
    assert stale.status == 412
    assert stale.body["code"] == "stale_version"
    assert stale.body["details"] == {"version": 1}
    garbled = http.post(
        f"/orders/{number}/actions/submit", tokens["merch"], headers={"If-Match": "yesterday"}
    )
    assert garbled.status == 412
    assert state(number) == before

    # invalid input is a 422, never a 500
    invalid = [
        ("POST", "/orders", new_order_body(lines=[]), "invalid_input"),
        (
            "POST",
            "/orders",
            new_order_body(lines=[{"product": "BC-101", "quantity": 0, "unit_price": "1"}]),
            "invalid_input",
        ),
        ("POST", "/orders", new_order_body(contract_date="31/12/2026"), "invalid_input"),
        ("POST", "/orders", {"customer": "EXP001"}, "invalid_input"),
        ("POST", f"/orders/{number}/payments", {"kind": "tip", "amount": "5"}, "invalid_input"),
        (
            "POST",
            f"/orders/{number}/payments",
            {"kind": "deposit", "amount": "-5"},
            "invalid_input",
        ),
        ("POST", f"/orders/{number}/actions/confirm_deposit", {"amount": "abc"}, "invalid_input"),
        ("POST", f"/orders/{number}/actions/reconcile_cod", {}, "invalid_input"),
        ("GET", "/orders?limit=0", None, "invalid_input"),
        ("GET", "/orders?due_before=someday", None, "invalid_input"),
        ("GET", "/orders?status=lost", None, "invalid_input"),
        ("GET", "/orders?cursor=not-a-cursor", None, "invalid_cursor"),
    ]
    for method, path, body, code in invalid:
        answer = http.call(method, path, token=tokens["merch"], body=body)
        assert answer.status == 422, (path, body, answer.body)
        assert answer.body["code"] == code, (path, answer.body)
        assert set(answer.body) == {"code", "message", "details"}
    broken = http.call(
        "POST", "/orders", token=tokens["merch"], raw=b'{"customer": "EXP001", "lines": ['
    )
    assert broken.status == 422 and broken.body["code"] == "invalid_input"
    unknown = http.post("/orders", tokens["merch"], new_order_body(customer="NOBODY"))
    assert unknown.status == 422, unknown.body
    assert Order.objects.count() == 1
    assert state(number) == before

    # a NUL character PostgreSQL cannot store is the caller's mistake, not a 500
    nul = http.get("/orders?q=a%00b", tokens["merch"])
    assert nul.status == (422 if connection.vendor == "postgresql" else 200), nul.body

    # an unknown action is a 404 that lists the actions
    answer = http.post(f"/orders/{number}/actions/teleport", tokens["merch"])
    assert answer.status == 404 and answer.body["code"] == "unknown_action"
    assert "submit" in answer.body["details"]["actions"]


def test_idempotent_retries_return_the_first_answer(http, world, tokens):
    key = {"Idempotency-Key": "create-7f3a"}
    first = http.post("/orders", tokens["merch"], new_order_body(), headers=key)
    again = http.post("/orders", tokens["merch"], new_order_body(), headers=key)
    assert first.status == again.status == 201
    assert again.body["number"] == first.body["number"]
    assert Order.objects.count() == 1
    other = http.post("/orders", tokens["merch"], new_order_body(notes="x"), headers=key)
    assert other.status == 422 and other.body["code"] == "idempotency_key_reused"

    number = world.order(to=Status.DEPOSIT_REQUESTED).number
    pay = {"kind": "deposit", "amount": "1000.00", "reference": "TT-9"}
    key = {"Idempotency-Key": "pay-1"}
    paid = http.post(f"/orders/{number}/payments", tokens["finance"], pay, headers=key)
    retry = http.post(f"/orders/{number}/payments", tokens["finance"], pay, headers=key)
    assert paid.status == retry.status == 201, paid.body
    assert retry.body == paid.body
    assert paid.body["paid_amount"] == "1000.00"
    assert Payment.objects.filter(order__number=number).count() == 1
    assert Order.objects.get(number=number).paid_amount == Decimal("1000.00")
    # an over-payment is refused with its reason and records nothing, key or no key
    over = http.post(
        f"/orders/{number}/payments",
        tokens["finance"],
        pay | {"amount": "999999"},
        headers={"Idempotency-Key": "pay-2"},
    )
    assert over.status == 409 and over.body["code"] == "overpayment"
    assert Payment.objects.filter(order__number=number).count() == 1
    # a new key is a new receipt, and the deposit is then complete
    more = http.post(
        f"/orders/{number}/payments",
        tokens["finance"],
        pay | {"amount": "380.60"},
        headers={"Idempotency-Key": "pay-3"},
    )
    assert more.status == 201 and more.body["status"] == Status.DEPOSIT_CONFIRMED
    assert Order.objects.get(number=number).paid_amount == Decimal("1380.60")
    assert Payment.objects.filter(order__number=number).count() == 2


def test_prices_are_absent_for_production_warehouse_and_driver(http, world, tokens):
    order = world.order(customer="STORE01", to=Status.DELIVERED)
    number = order.number
    for who in ("production", "warehouse", "driver"):
        detail = http.get(f"/orders/{number}", tokens[who])
        assert detail.status == 200
        body = detail.body
        assert not PRICE_KEYS & set(body), who
        assert "payments" not in body
        for line in body["lines"]:
            assert "unit_price" not in line and "amount" not in line
        assert "cod_amount" not in body["shipping_notices"][0]["delivery_note"]
        assert "cod_collected" not in body["shipping_notices"][0]["delivery_note"]
        money = {"total", "amount", "paid", "cod_amount", "cod_collected"}
        assert all(not money & set(e["payload"]) for e in body["timeline"])
        delivered = next(e for e in body["timeline"] if e["kind"] == "shipping.delivered")
        assert set(delivered["payload"]) == {"notice", "received_by"}
        listed = http.get("/orders", tokens[who]).body["items"]
        assert [o["number"] for o in listed] == [number]
        assert "total_amount" not in listed[0] and "paid_amount" not in listed[0]
        payments = http.get(f"/orders/{number}/payments", tokens[who])
        assert payments.status == 403 and payments.body["code"] == "permission_denied"
    seen = http.get(f"/orders/{number}", tokens["finance"]).body
    assert seen["total_amount"] == "4602.00"
    assert seen["shipping_notices"][0]["delivery_note"]["cod_amount"] == "4602.00"
    assert [
        p["amount"] for p in http.get(f"/orders/{number}/payments", tokens["finance"]).body
    ] == []


def test_actions_list_each_action_with_its_reasons(http, world, tokens):
    number = world.order().number
    actions = {a["action"]: a for a in http.get(f"/orders/{number}/actions", tokens["merch"]).body}
    assert actions["submit"] == {
        "action": "submit",
        "label": actions["submit"]["label"],
        "allowed": True,
        "reasons": [],
        "params": [],
    }
    assert [r["code"] for r in actions["release"]["reasons"]] == ["wrong_status"]
    assert actions["confirm_deposit"]["params"] == ["amount", "reference", "received_on"]
    production = {
        a["action"]: a for a in http.get(f"/orders/{number}/actions", tokens["production"]).body
    }
    assert [r["code"] for r in production["submit"]["reasons"]] == ["permission_denied"]
    assert [a for a, s in production.items() if s["allowed"]] == []
    assert [a for a, s in actions.items() if s["allowed"]] == ["submit", "amend"]


def test_the_list_filters_and_pages_by_keyset(http, world, tokens):
    today = timezone.localdate()
    made = {}
    for i, customer in enumerate(["EXP001", "STORE01", "DIST01", "EXP001", "STORE01"]):
        made[i] = world.order(customer=customer, delivery=today + timedelta(days=10 * (i + 1)))
    world.order(customer="DIST01", delivery=today + timedelta(days=5), to=Status.SUBMITTED)
    submitted = Order.objects.get(status=Status.SUBMITTED).number
    merch = tokens["merch"]

    def numbers(query: str) -> list[str]:
        answer = http.get(f"/orders?{query}", merch)
        assert answer.status == 200, answer.body
        return [o["number"] for o in answer.body["items"]]

    in_order = [submitted] + [made[i].number for i in range(5)]
    assert numbers("") == in_order
    assert numbers("status=submitted") == [submitted]
    assert numbers("status=submitted&status=draft") == in_order
    assert numbers("customer=STORE01") == [made[1].number, made[4].number]
    cut = (today + timedelta(days=30)).isoformat()
    assert numbers(f"due_before={cut}") == [
        submitted,
        made[0].number,
        made[1].number,
        made[2].number,
    ]
    assert numbers(f"due_after={cut}") == [made[2].number, made[3].number, made[4].number]
    assert numbers("q=nordic") == [made[0].number, made[3].number]
    assert numbers(f"q={made[4].number}") == [made[4].number]

    seen, cursor, pages = [], "", 0
    while True:
        page = http.get(f"/orders?limit=2{'&cursor=' + cursor if cursor else ''}", merch).body
        seen += [o["number"] for o in page["items"]]
        pages += 1
        if page["next_cursor"] is None:
            break
        cursor = page["next_cursor"]
    assert (seen, pages) == (in_order, 3)


def test_tokens_throttling_expiry_revocation_and_the_command(http, world):
    # repeated failures slow the sign-in down: 429 with Retry-After, even for the right password
    answers = [
        http.post("/auth/token", None, {"username": "merch", "password": "wrong"}).status
        for _ in range(5)
    ]
    assert answers == [403] * 5
    throttled = http.post("/auth/token", None, {"username": "merch", "password": "wrong"})
    assert throttled.status == 429, throttled.body
    assert throttled.body["code"] == "too_many_attempts"
    assert int(throttled.headers["Retry-After"]) >= 1
    LoginThrottle.objects.filter(key="merch").update(
        locked_until=timezone.now() + timedelta(minutes=5)
    )
    locked = http.post("/auth/token", None, {"username": "merch", "password": DEMO_PASSWORD})
    assert locked.status == 429
    assert 290 <= int(locked.headers["Retry-After"]) <= 300
    assert ApiToken.objects.filter(user__username="merch").count() == 0

    # no token, a wrong token, an expired one and a revoked one are all 401
    token = http.token("finance")
    assert http.get("/auth/me", token).body["username"] == "finance"
    for bad in (None, "gd_not-a-token"):
        answer = http.call("GET", "/orders", token=bad)
        assert answer.status == 401 and answer.body["code"] == "unauthenticated"
    ApiToken.objects.filter(user__username="finance").update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    assert http.get("/auth/me", token).status == 401
    token = http.token("finance")
    prefix = token[:10]
    assert http.call("DELETE", f"/auth/token/{prefix}", token=token).status == 204
    assert http.get("/auth/me", token).status == 401

    # `gendan create-token USERNAME` prints a token that works
    out = StringIO()
    call_command("create_token", "warehouse", stdout=out)
    printed = out.getvalue().strip()
    assert printed.startswith("gd_")
    me = http.get("/auth/me", printed).body
    assert (me["username"], me["roles"]) == ("warehouse", ["warehouse"])


# ---- query counts: the same whatever the number of orders ---------------------------------------


def _queries(client, url: str, token: str) -> int:
    client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")  # warm: the token's last-used stamp
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


def _add_orders(world, count: int) -> None:
    today = timezone.localdate()
    for i in range(count):
        world.order(
            customer=["EXP001", "STORE01", "DIST01"][i % 3],
            delivery=today + timedelta(days=i + 1),
        )


def _add_customers(count: int, sales: User, start: int) -> None:
    from gendan.parties.models import Channel, Contact, Customer

    for i in range(start, start + count):
        customer = Customer.objects.create(
            code=f"C{i:03}", name=f"Customer {i}", channel=Channel.DOMESTIC, salesperson=sales
        )
        Contact.objects.create(customer=customer, name=f"Contact {i}")


@pytest.mark.django_db
def test_reads_run_the_same_number_of_queries_for_10_and_30_orders(client, world):
    from gendan.accounts.services import issue_token

    tokens = {
        who: issue_token(user=world.users[who], actor=world.users[who])[1]
        for who in ("merch", "sales", "warehouse")
    }
    closed = world.order(customer="STORE01", to=Status.CLOSED).number
    urls = ["/api/v1/orders", f"/api/v1/orders/{closed}", f"/api/v1/orders/{closed}/actions"]
    urls += ["/api/v1/customers"]

    def measure() -> dict[tuple[str, str], int]:
        return {(who, url): _queries(client, url, t) for who, t in tokens.items() for url in urls}

    _add_orders(world, 9)
    _add_customers(7, world.users["sales"], 0)
    small = measure()
    _add_orders(world, 20)
    _add_customers(20, world.users["sales"], 7)
    large = measure()
    assert Order.objects.count() == 30
    assert large == small
    assert {url: small["merch", url] for url in urls} == {
        "/api/v1/orders": PINNED["list"],
        f"/api/v1/orders/{closed}": PINNED["detail"],
        f"/api/v1/orders/{closed}/actions": PINNED["actions"],
        "/api/v1/customers": PINNED["customers"],
    }


#: token + user, the user's permissions (2), then the page: a bounded, pinned number per endpoint
PINNED = {"list": 4, "detail": 13, "actions": 4, "customers": 5}


@pytest.mark.django_db
def test_the_detail_runs_the_same_number_of_queries_for_3_and_12_lines(client, world):
    from gendan.accounts.services import issue_token
    from gendan.shipping.services import issue_shipping_notice

    token = issue_token(user=world.users["merch"], actor=world.users["merch"])[1]
    small = world.order(customer="STORE01", to=Status.CLOSED).number
    products = ["BC-101", "BC-102", "BC-201", "BC-202", "BC-203", "BC-301"]
    products += ["FN-101", "FN-102", "FN-201", "FN-202", "FN-301", "FN-302"]
    large = world.order(
        customer="STORE01", lines=[(p, 5, "10") for p in products], to=Status.CLOSED
    ).number
    partial = world.order(customer="STORE01", to=Status.PARTIALLY_SHIPPED)
    urls = [f"/api/v1/orders/{partial.number}", f"/api/v1/orders/{partial.number}/actions"]
    one_notice = [_queries(client, url, token) for url in urls]
    issue_shipping_notice(order_number=partial.number, actor=world.users["merch"], lines={2: 3})
    issue_shipping_notice(order_number=partial.number, actor=world.users["merch"], lines={3: 4})
    assert partial.shipping_notices.count() == 3
    assert [_queries(client, url, token) for url in urls] == one_notice
    for suffix in ("", "/actions"):
        assert _queries(client, f"/api/v1/orders/{large}{suffix}", token) == _queries(
            client, f"/api/v1/orders/{small}{suffix}", token
        ), suffix
