"""The order cockpit through the Django test client: the actions and the refused ones with their
reasons, actions that move the order (or are refused and change nothing), a stale page,
price-blind roles, the whole life of an order by POSTs, and a query count that does not grow."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from gendan.orders import services
from gendan.orders.entry import LineInput
from gendan.orders.models import Order
from gendan.orders.workflow import Status
from gendan.web.templatetags.gendan import money

S = Status
EN = {"accept-language": "en"}
PRODUCTS = [
    "BC-101",
    "BC-102",
    "BC-201",
    "BC-202",
    "BC-203",
    "BC-301",
    "FN-101",
    "FN-102",
    "FN-201",
    "FN-202",
    "FN-301",
    "FN-302",
]


def cockpit(client: Any, user: Any, number: str) -> str:
    client.force_login(user)
    response = client.get(reverse("web:order_detail", args=[number]), headers=EN)
    assert response.status_code == 200
    return response.content.decode()


def act(client: Any, user: Any, order: Order, action: str, **data: Any) -> Any:
    client.force_login(user)
    data.setdefault("version", order.version)
    return client.post(reverse("web:order_action", args=[order.number, action]), data, headers=EN)


def said(response: Any) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def allowed_actions(html: str) -> set[str]:
    """The actions offered as a form with an enabled submit button."""
    return set(re.findall(r'<button type="submit" class="primary" data-action="([a-z_]+)"', html))


def refused_actions(html: str) -> dict[str, list[str]]:
    out = {}
    for action, body in re.findall(
        r'<button type="button" disabled data-action="([a-z_]+)">.*?'
        r'<ul class="reasons" data-reasons-for="\1">(.*?)</ul>',
        html,
        re.S,
    ):
        out[action] = re.findall(r"<li>(.*?)</li>", body, re.S)
    return out


def status_of(html: str) -> str:
    return re.search(r'data-testid="order-status" data-status="([a-z_]+)"', html).group(1)


def test_the_cockpit_shows_the_allowed_actions_and_the_refused_with_reasons(client, world):
    order = world.order()
    html = cockpit(client, world.users["merch"], order.number)
    assert status_of(html) == S.DRAFT
    assert {"submit", "hold", "cancel"} <= allowed_actions(html)
    assert f'action="{reverse("web:order_action", args=[order.number, "submit"])}"' in html
    assert f'name="version" value="{order.version}"' in html
    assert 'name="reason"' in html  # hold and cancel ask their reason
    refused = refused_actions(html)
    assert "release" in refused
    assert any("Draft" in r for r in refused["release"])
    # actions of other roles are not listed as refused, only collapsed under "Not for your role"
    assert "sign_finance" not in refused
    assert 'data-not-for-role="sign_finance"' in html
    assert 'data-action="sign_finance"' not in html
    # the checklist: submission can be done now, the signatures wait on their roles
    assert re.search(r'data-gate="submitted" data-done="false"', html)
    assert 'data-testid="amend-order"' in html
    # finance sees its signature refused with the reason while it is a draft
    html = cockpit(client, world.users["finance"], order.number)
    assert any("Draft" in r for r in refused_actions(html)["sign_finance"])


def test_an_action_moves_the_order(client, world):
    order = world.order()
    response = act(client, world.users["merch"], order, "submit")
    assert response.status_code == 302
    assert response["Location"] == reverse("web:order_detail", args=[order.number])
    assert Order.objects.get(pk=order.pk).status == S.SUBMITTED
    assert any("Submit" in m for m in said(response))
    html = cockpit(client, world.users["merch"], order.number)
    assert status_of(html) == S.SUBMITTED
    gate = re.search(r'data-gate="submitted" data-done="true">(.*?)</li>', html, re.S).group(1)
    assert str(world.users["merch"]) in gate  # who passed it, and when


def test_an_action_out_of_turn_shows_its_reason_and_changes_nothing(client, world):
    order = world.order()
    response = act(client, world.users["merch"], order, "release")
    assert response.status_code == 302
    after = Order.objects.get(pk=order.pk)
    assert (after.status, after.version) == (S.DRAFT, order.version)
    assert any("Draft" in m for m in said(response))
    # a role without the permission is told so, and nothing changes either
    response = act(client, world.users["production"], order, "submit")
    assert any("permission" in m for m in said(response))
    assert Order.objects.get(pk=order.pk).version == order.version
    # hold without its reason
    response = act(client, world.users["merch"], order, "hold", reason="  ")
    assert any("reason is required" in m for m in said(response))
    assert Order.objects.get(pk=order.pk).status == S.DRAFT
    # an unknown action
    client.force_login(world.users["merch"])
    url = reverse("web:order_action", args=[order.number, "explode"])
    assert client.post(url, {"version": order.version}).status_code == 404


def test_a_stale_page_is_refused(client, world):
    order = world.order()
    stale = order.version
    act(client, world.users["merch"], order, "hold", reason="wait")
    order.refresh_from_db()
    assert order.version == stale + 1
    response = act(client, world.users["merch"], order, "resume", version=stale)
    assert any("changed by someone else" in m for m in said(response))
    assert Order.objects.get(pk=order.pk).status == S.ON_HOLD
    response = act(client, world.users["merch"], order, "resume")
    assert Order.objects.get(pk=order.pk).status == S.DRAFT


def test_a_production_login_sees_no_price_or_amount(client, world):
    signed = world.order(to=S.SIGNED)
    amended_lines = [
        LineInput(product=line.product.code, quantity=line.quantity + 1, unit_price=line.unit_price)
        for line in signed.lines.order_by("line_no")
    ]
    services.amend_order(
        order_number=signed.number, actor=world.users["merch"], lines=amended_lines, reason="more"
    )
    signed.refresh_from_db()
    assert signed.revision == 2
    released = world.order(to=S.RELEASED)
    delivered = world.order(customer="STORE01", to=S.DELIVERED)
    with translation.override("en"):
        secrets = set()
        for o in (signed, released, delivered):
            for value in (o.total_amount, o.deposit_due, o.paid_amount, o.balance_due):
                if value:
                    secrets |= {money(value, o.currency), money(value), str(value)}
            for line in o.lines.all():
                secrets |= {money(line.unit_price), money(line.amount), str(line.amount)}
    for revision in signed.revisions.all():
        for value in (revision.snapshot["total_amount"], revision.snapshot["deposit_due"]):
            secrets |= {value, money(Decimal(value))}
    for o in (signed, released, delivered):
        html = cockpit(client, world.users["production"], o.number)
        for secret in secrets:
            assert secret not in html, (o.status, secret)
        assert 'data-section="payments"' not in html
        assert "Unit price" not in html
        assert 'data-testid="doc-proforma_invoice"' not in html
    html = cockpit(client, world.users["production"], signed.number)
    assert 'data-revision="2"' in html and "Quantity" in html
    # the merchandiser does see them
    html = cockpit(client, world.users["merch"], released.number)
    assert money(released.total_amount, released.currency) in html
    assert 'data-section="payments"' in html


def test_the_whole_life_of_an_order_through_the_cockpit(client, world):
    u = world.users
    order = world.order(customer="STORE01")
    steps = [
        ("merch", "submit", {}),
        ("finance", "sign_finance", {}),
        ("manager", "sign_manager", {}),
        ("merch", "request_deposit", {}),
        ("finance", "confirm_deposit", {"reference": "TT-1"}),
        ("merch", "release", {}),
        ("production", "complete_production", {}),
        ("merch", "request_balance", {}),
        ("finance", "allow_credit", {}),
        ("merch", "issue_shipping_notice", {}),
        ("finance", "issue_outbound_slip", {}),
        ("warehouse", "issue_delivery_note", {"cod_amount": "BAL"}),
        ("warehouse", "ship", {}),
        (
            "driver",
            "deliver",
            {"received_by": "王店长", "proof_reference": "POD-1", "cod_collected": "BAL"},
        ),
        ("cashier", "reconcile_cod", {"amount": "BAL"}),
    ]
    for who, action, data in steps:
        order.refresh_from_db()
        html = cockpit(client, u[who], order.number)
        if action not in allowed_actions(html):
            continue  # e.g. no deposit asked of this customer
        data = {k: (str(order.balance_due) if v == "BAL" else v) for k, v in data.items()}
        response = act(client, u[who], order, action, **data)
        messages = said(response)
        assert not any(m.startswith(("Not ", "The ", "Missing")) for m in messages), (
            action,
            messages,
        )
    order.refresh_from_db()
    assert order.status == S.CLOSED
    html = cockpit(client, u["merch"], order.number)
    assert status_of(html) == S.CLOSED
    for gate in ("submitted", "finance_signature", "manager_signature", "shipped", "closed"):
        assert f'data-gate="{gate}" data-done="true"' in html
    notice = order.shipping_notices.get()
    for kind, doc in (
        ("shipping_notice", notice.number),
        ("outbound_slip", notice.outbound_slip.number),
        ("delivery_note", notice.delivery_note.number),
        ("proforma_invoice", order.number),
    ):
        assert (
            f'href="{reverse("web:document", args=[order.number, kind, doc])}" data-testid="doc-{kind}"'
            in html
        )
        assert (
            f'href="{reverse("web:document_pdf", args=[order.number, kind, doc])}" data-testid="doc-{kind}-pdf"'
            in html
        )
    timeline = re.search(r'data-section="timeline">(.*?)</section>', html, re.S).group(1)
    assert timeline.index("Close") < timeline.index("Submit")  # newest first


def test_reconcile_without_the_amount_says_what_is_missing(client, world):
    order = world.order(customer="STORE01", to=S.DELIVERED)
    response = act(client, world.users["cashier"], order, "reconcile_cod")
    assert any("amount" in m for m in said(response))
    response = act(client, world.users["cashier"], order, "reconcile_cod", amount="12abc")
    assert any("not an amount" in m for m in said(response))
    assert Order.objects.get(pk=order.pk).version == order.version


def _queries(client: Any, user: Any, number: str) -> int:
    client.force_login(user)
    url = reverse("web:order_detail", args=[number])
    client.get(url, headers=EN)  # warm the session and caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, headers=EN).status_code == 200
    return len(ctx.captured_queries)


def test_the_query_count_does_not_grow_with_lines_or_other_orders(client, world):
    merch = world.users["merch"]
    lines3 = [(p, 5, "2.50") for p in PRODUCTS[:3]]
    lines12 = [(p, 5, "2.50") for p in PRODUCTS]
    small = world.order(lines=lines3, to=S.RELEASED)
    big = world.order(lines=lines12, to=S.RELEASED)
    for _ in range(10):
        world.order(lines=lines3)
    counts = {"3 lines, 10 others": _queries(client, merch, small.number)}
    counts["12 lines, 10 others"] = _queries(client, merch, big.number)
    for _ in range(20):
        world.order(lines=lines3)
    counts["3 lines, 30 others"] = _queries(client, merch, small.number)
    counts["12 lines, 30 others"] = _queries(client, merch, big.number)
    assert len(set(counts.values())) == 1, counts
    assert next(iter(counts.values())) <= 40, counts


def test_the_page_keeps_to_the_action_schema_like_the_api(client, world):
    """A reference longer than the API's schema allows is refused on the page too, with a clear
    message, and nothing is written."""
    order = world.order(to=Status.DEPOSIT_REQUESTED)
    client.force_login(world.users["finance"])
    response = client.post(
        reverse("web:order_action", args=[order.number, "confirm_deposit"]),
        {"reference": "R" * 101, "version": order.version},
        follow=True,
        headers=EN,
    )
    text = response.content.decode()
    assert "is not accepted: too long, too large or out of range." in text
    assert Order.objects.get(pk=order.pk).paid_amount == order.paid_amount
