"""Every write to an order: one named verb per step of its life.

A verb locks the order, checks the version the caller saw, asks the workflow table whether the
actor may take the action now (raising the gate's reasons), does the step and writes the events,
all in one durable transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from gendan import extensions, rows
from gendan.accounts.assignment import ASSIGN_ORDERS, may_name_salesperson
from gendan.accounts.guards import step, verb, workflow_verb
from gendan.accounts.models import User
from gendan.accounts.permissions import Perm
from gendan.catalog.models import Product
from gendan.errors import DomainError, Kind, invalid, refused
from gendan.finance import rules as payments
from gendan.finance import services as finance
from gendan.finance.currencies import normalise_currency
from gendan.finance.models import PaymentKind
from gendan.inventory import services as inventory
from gendan.numbering.services import next_number
from gendan.orders import inputs, locks, workflow
from gendan.orders.entry import CheckedLine, LineInput, Problems, check_dates, check_lines, money
from gendan.orders.errors import Code
from gendan.orders.models import Incoterm, Order, OrderLine, OrderRevision
from gendan.outbox import services as outbox
from gendan.parties.models import Channel, Customer
from gendan.parties.selectors import visible_customers
from gendan.timeline.models import EventKind
from gendan.timeline.services import history_model, history_row, record, together, write_history

#: the kind of an order entered as usual; other kinds are declared by apps
#: (``extensions.add_order_kind``)
STANDARD_KIND = "standard"
#: the deposit's condition, by name: a kind that waives it is entered with no deposit
DEPOSIT_CHECK = "orders.deposit_received"

HEADER_FIELDS = ("incoterm", "contract_date", "delivery_date", "customer_po", "notes", "currency")
RESIGN_FIELDS = ("contract_date", "delivery_date", "currency")


# ---- the shape every transition shares ---------------------------------------------------------


def _begin(number: str, actor: Any, expected_version: int | None) -> Order:
    """The order, locked, in one query that also checks the actor may see it."""
    order = locks.order_for_update(number, visible_to=actor)
    if expected_version is not None and order.version != expected_version:
        raise DomainError(
            Code.STALE,
            gettext(
                "The order was changed by someone else (version %(now)s, you had %(had)s). Reload it."
            )
            % {"now": order.version, "had": expected_version},
            kind=Kind.STALE,
            details={"version": order.version},
        )
    return order


def _gate(
    action: str,
    order: Order,
    actor: Any,
    params: dict[str, Any] | None = None,
    *,
    lines: list[OrderLine] | None = None,
) -> workflow.Context:
    """The gate's context, open, or the gate's reasons raised; ``lines`` when the caller holds
    them already (the order it just wrote)."""
    transition = workflow.BY_ACTION[action]
    ctx = workflow.Context(order=order, actor=actor, params=params or {})
    if lines is not None:
        ctx.__dict__["lines"] = lines  # the cached_property's slot: the gate reads these
    reasons = workflow.reasons_for(transition, ctx)
    if reasons:
        error = refused(reasons, action=action)
        if reasons[0].code == Code.PERMISSION_DENIED:
            error.kind = Kind.FORBIDDEN
        raise error
    return ctx


def _move(
    order: Order,
    action: str,
    actor: Any,
    *,
    comment: str = "",
    payload: dict[str, Any] | None = None,
    to: str = "",
) -> Any:
    """Apply the transition's target, bump the version, record the event; returns the order's
    history row of the new state, for the caller to write with the row (``_write``)."""
    from_status = order.status
    order.status = to or workflow.BY_ACTION[action].target_for(order)
    order.version += 1
    order.updated_at = timezone.now()
    record(
        kind=EventKind.ORDER_TRANSITION,
        actor=actor,
        order=order,
        from_status=from_status,
        to_status=order.status,
        comment=comment,
        payload={"action": action, **(payload or {})},
    )
    return _history_row(order, actor, "~")


def _close_if_done(ctx: workflow.Context) -> Any:
    """Delivered in full and paid in full closes the order (the brief's step 15); the check
    reads the lines and notices the step already loaded (and changed). Returns the history
    row of the closed order, or None."""
    order = ctx.order
    if order.status != workflow.Status.DELIVERED:
        return None
    if workflow.closable(ctx):
        return None
    order.closed_at = timezone.now()
    return _move(
        order, "close", ctx.actor, comment=gettext("Closed: delivered in full and paid in full.")
    )


# ---- the order's row and its history: changed columns only, history rows in one INSERT --------

_FIELDS = tuple(f for f in Order._meta.concrete_fields if not f.primary_key)


#: the order's fields its history does not track (``HistoricalRecords(excluded_fields=...)``)
_UNTRACKED = frozenset(
    f.name for f in _FIELDS if f.name not in {t.name for t in history_model(Order).tracked_fields}
)


def _values(order: Order) -> dict[str, Any]:
    return {f.attname: getattr(order, f.attname) for f in _FIELDS}


def _history_row(order: Order, actor: Any, history_type: str) -> Any:
    return history_row(order, actor=actor, history_type=history_type)


def _write(order: Order, seen: dict[str, Any] | None, history: list[Any]) -> None:
    """Save the order (only the columns that changed since ``seen``; all of it when new) and
    its history rows in one INSERT."""
    if seen is None:
        rows.insert([order], returning="pk")
        for row in history:
            row.values["id"] = order.pk
    else:
        changed = [f.name for f in _FIELDS if getattr(order, f.attname) != seen[f.attname]]
        if changed:
            rows.update([order], changed)
        if not set(changed) - _UNTRACKED:
            # only the version and the time moved (a document issued for the order): no
            # tracked field changed, so no history row; the action's event says who and when
            history = []
    write_history([row for row in history if row is not None])


@dataclass
class Step:
    """One action under way: the locked order, the gate's context, and what the event will say.

    The verb does its work on ``order``, sets ``comment`` and ``payload``, and calls ``stamp()``
    when the action passes its milestone (the field is declared in ``workflow.STAMPS``).
    """

    action: str
    order: Order
    ctx: workflow.Context
    actor: Any = None
    comment: str = ""
    payload: dict[str, Any] = field(default_factory=dict)
    to: str = ""  # the state to move to, when the verb knows it better than the table
    data: dict[str, Any] = field(default_factory=dict)  # what the verb hands to the effects

    def stamp(self) -> None:
        setattr(self.order, workflow.STAMPS[self.action], timezone.now())


@step
@contextmanager
def transition(
    action: str,
    *,
    number: str,
    actor: Any,
    version: int | None,
    params: dict[str, Any] | None = None,
) -> Iterator[Step]:
    """Lock the visible order once, check the version and the gate, let the verb work, then
    move the state, write history and the event, and close the order when it is done — in one
    durable transaction. An error anywhere leaves nothing written."""
    with transaction.atomic(durable=True), together():
        order = _begin(number, actor, version)
        seen = _values(order)
        step = Step(action, order, _gate(action, order, actor, params), actor=actor)
        yield step
        for effect in extensions.effects_of(action):  # other apps' work, in the same transaction
            step.payload.update(effect.run(step) or {})
        moved = _move(order, action, actor, comment=step.comment, payload=step.payload, to=step.to)
        _write(order, seen, [moved, _close_if_done(step.ctx)])


# ---- entry -------------------------------------------------------------------------------------


def _visible_customer(actor: Any, code: str) -> Customer | None:
    return visible_customers(actor).select_related("salesperson").filter(code=code).first()


def _user(username: str | None) -> Any:
    if not username:
        return None
    return User.objects.filter(username=username, is_active=True).first()


@dataclass
class Names:
    """What an entry's names stand for: the customer the actor sees by its code, the active
    user by username, the products by code. One order looks each up as it comes; the Excel
    import (``bulk_entry``) looks up a whole workbook's at once and hands the answers here."""

    customer: Callable[[str], Customer | None]
    user: Callable[[str], Any]
    products: Callable[[set[str]], Mapping[str, Product]] | None = None

    @classmethod
    def looked_up(cls, actor: Any) -> Names:
        def user(username: str | None) -> Any:
            # the actor naming themselves (a merchandiser entering their own order) is known
            if username and username == getattr(actor, "username", None) and actor.is_active:
                return actor
            return _user(username)

        return cls(customer=lambda code: _visible_customer(actor, code), user=user)


def checked_currency(problems: Problems, currency: str | None) -> str | None:
    """The ISO 4217 code `currency` names ("usd" is USD); a problem when it names none."""
    if not currency:
        return None
    code = normalise_currency(currency)
    if code is None:
        problems.add(
            "currency",
            gettext("“%(value)s” is not an ISO 4217 currency such as CNY or USD.")
            % {"value": currency},
        )
    return code


def assignment_refused(salesperson: Any) -> DomainError:
    """A salesperson files orders in their own name: naming another is the merchandiser's or a
    manager's act (accounts' ASSIGN_ORDERS). Refused on the page, the API and the import alike."""
    return DomainError(
        Code.ASSIGN_NOT_ALLOWED,
        gettext(
            "You may file orders only in your own name: assigning one to %(name)s is for a "
            "merchandiser or a sales manager."
        )
        % {"name": salesperson.username},
        kind=Kind.REFUSED,
        details={"field": "salesperson", "permission": ASSIGN_ORDERS},
    )


def _write_lines(order: Order, checked: list[CheckedLine]) -> list[OrderLine]:
    return OrderLine.objects.bulk_create(line_rows(order, checked))


def line_rows(order: Order, checked: list[CheckedLine]) -> list[OrderLine]:
    """The order's lines as entered, not saved."""
    return [OrderLine(order=order, **values) for values in line_values(checked)]


def line_values(checked: list[CheckedLine]) -> list[dict[str, Any]]:
    """What each line of an entered order holds (every field of ``OrderLine`` but its order
    and the defaults), numbered from 1."""
    return [
        {
            "line_no": i,
            "product": c.product,
            "colour": c.colour,
            "size": c.size,
            "quantity": c.quantity,
            "packs": c.packs,
            "unit_price": c.unit_price,
            "amount": c.amount,
            "special_material": c.special_material,
            "packing_requirement": c.packing_requirement,
        }
        for i, c in enumerate(checked, start=1)
    ]


def _set_totals(order: Order, checked: list[CheckedLine]) -> None:
    order.total_amount = sum((c.amount for c in checked), Decimal("0"))
    order.deposit_due = money(order.total_amount * order.deposit_percent / 100)


@verb(Perm.ENTER_ORDER)
def create_order(
    *,
    actor: Any,
    customer: str,
    contract_date: date | None,
    delivery_date: date | None,
    lines: list[LineInput],
    salesperson: str | None = None,
    merchandiser: str | None = None,
    channel: str | None = None,
    currency: str | None = None,
    incoterm: str = "",
    customer_po: str = "",
    notes: str = "",
    submit: bool = False,
) -> Order:
    """Enter an order (录入订单) with its lines; every field is checked before anything is written."""
    with transaction.atomic(durable=True):
        return enter_order(**locals())


@step
def checked_entry(
    *,
    actor: Any,
    names: Names,
    customer: str,
    contract_date: date | None,
    delivery_date: date | None,
    lines: list[LineInput],
    salesperson: str | None = None,
    merchandiser: str | None = None,
    channel: str | None = None,
    currency: str | None = None,
    incoterm: str = "",
    customer_po: str = "",
    notes: str = "",
    kind: str = STANDARD_KIND,
) -> tuple[Order, list[CheckedLine]]:
    """Every rule of an order's entry, before anything is written: the order as it will be
    saved (without its number) and its checked lines, or the problems raised at once. The one
    definition of the rules for ``enter_order`` and the import's ``bulk_entry.enter_orders``."""
    problems = Problems()
    cust = names.customer(customer)
    if cust is None:
        problems.add("customer", gettext("Unknown customer “%(code)s”.") % {"code": customer})
    sales_user = (
        names.user(salesperson)
        if salesperson
        else (cust.salesperson if cust and cust.salesperson else actor)
    )
    if sales_user is None:
        problems.add("salesperson", gettext("Unknown user “%(name)s”.") % {"name": salesperson})
    elif not may_name_salesperson(actor, sales_user):
        raise assignment_refused(sales_user)
    merch_user = (
        names.user(merchandiser)
        if merchandiser
        else (actor if actor.can(Perm.RELEASE_ORDER) else None)
    )
    if merch_user is None:
        problems.add("merchandiser", gettext("A merchandiser is required."))
    if channel and channel not in Channel.values:
        problems.add("channel", gettext("Unknown channel “%(value)s”.") % {"value": channel})
    if incoterm and incoterm not in Incoterm.values:
        problems.add("incoterm", gettext("Unknown incoterm “%(value)s”.") % {"value": incoterm})
    currency = checked_currency(problems, currency)
    if kind != STANDARD_KIND and not extensions.is_order_kind(kind):
        problems.add("kind", gettext("Unknown order kind “%(value)s”.") % {"value": kind})
    check_dates(problems, contract_date, delivery_date)
    checked = check_lines(problems, lines, names.products)
    problems.raise_if_any()
    # check_dates and the lines refused what is missing: these hold now
    assert cust is not None and contract_date is not None and delivery_date is not None
    order = Order(
        customer=cust,
        salesperson=sales_user,
        merchandiser=merch_user,
        channel=channel or cust.channel,
        currency=currency or cust.currency,
        incoterm=incoterm,
        contract_date=contract_date,
        delivery_date=delivery_date,
        customer_po=customer_po,
        notes=notes,
        kind=kind,
        # a kind that waives the deposit (a replacement-part order) asks none, whatever the
        # customer's terms
        deposit_percent=Decimal("0")
        if DEPOSIT_CHECK in extensions.waived_by(kind)
        else cust.deposit_percent,
        created_by=actor,
    )
    _set_totals(order, checked)
    return order, checked


@step
def record_entered(order: Order, checked: list[CheckedLine], actor: Any) -> Any:
    """The timeline's "order created" of an order just entered (inside ``together()`` it is
    written with the block's others)."""
    return record(
        kind=EventKind.ORDER_CREATED,
        actor=actor,
        order=order,
        to_status=order.status,
        payload={"lines": len(checked), "total": str(order.total_amount)},
    )


@verb(Perm.ENTER_ORDER)
def enter_order(
    *,
    actor: Any,
    customer: str,
    contract_date: date | None,
    delivery_date: date | None,
    lines: list[LineInput],
    salesperson: str | None = None,
    merchandiser: str | None = None,
    channel: str | None = None,
    currency: str | None = None,
    incoterm: str = "",
    customer_po: str = "",
    notes: str = "",
    submit: bool = False,
    kind: str = STANDARD_KIND,
) -> Order:
    """The body of create_order, for callers that hold their own transaction."""
    order, checked = checked_entry(
        actor=actor,
        names=Names.looked_up(actor),
        customer=customer,
        contract_date=contract_date,
        delivery_date=delivery_date,
        lines=lines,
        salesperson=salesperson,
        merchandiser=merchandiser,
        channel=channel,
        currency=currency,
        incoterm=incoterm,
        customer_po=customer_po,
        notes=notes,
        kind=kind,
    )
    order.number = next_number("SO")
    history = [_history_row(order, actor, "+")]  # as entered: a draft
    new_lines = line_rows(order, checked)
    with together():  # the created event and the submission's in one INSERT
        record_entered(order, checked, actor)
        if submit:  # submitted as it is written: one INSERT of the order in its new state
            _gate("submit", order, actor, lines=new_lines)
            order.submitted_at = timezone.now()
            history.append(_move(order, "submit", actor))
        _write(order, None, history)
        rows.insert(new_lines, returning="pk")
        if submit:
            outbox.notify_signature_waiting(order, actor=actor)
    return order


def _snapshot(order: Order) -> dict[str, Any]:
    return {
        "revision": order.revision,
        "status": order.status,
        "contract_date": order.contract_date.isoformat(),
        "delivery_date": order.delivery_date.isoformat(),
        "currency": order.currency,
        "incoterm": order.incoterm,
        "customer_po": order.customer_po,
        "notes": order.notes,
        "total_amount": str(order.total_amount),
        "deposit_due": str(order.deposit_due),
        "finance_signed_by": order.finance_signed_by.username if order.finance_signed_by else None,
        "finance_signed_at": order.finance_signed_at.isoformat()
        if order.finance_signed_at
        else None,
        "manager_signed_by": order.manager_signed_by.username if order.manager_signed_by else None,
        "manager_signed_at": order.manager_signed_at.isoformat()
        if order.manager_signed_at
        else None,
        "lines": [
            {
                "line_no": line.line_no,
                "product": line.product.code,
                "colour": line.colour,
                "size": line.size,
                "quantity": line.quantity,
                "packs": line.packs,
                "unit_price": str(line.unit_price),
                "amount": str(line.amount),
                "special_material": line.special_material,
                "packing_requirement": line.packing_requirement,
            }
            for line in order.lines.select_related("product")
        ],
    }


def _line_key(line: dict[str, Any]) -> tuple[Any, ...]:
    return (line["product"], line["quantity"], Decimal(line["unit_price"]))


@workflow_verb("amend")
def amend_order(
    *,
    order_number: str,
    actor: Any,
    changes: dict[str, Any] | None = None,
    lines: list[LineInput] | None = None,
    reason: str = "",
    expected_version: int | None = None,
) -> Order:
    """Change an order. A draft is edited in place; a submitted order gets a new revision and
    keeps the old one; a change of price, quantity or date needs both signatures again."""
    changes = {k: v for k, v in (changes or {}).items() if v is not None}
    unknown = set(changes) - set(HEADER_FIELDS)
    if unknown:
        raise invalid(
            "invalid_field",
            gettext("These fields cannot be amended: %(f)s.") % {"f": ", ".join(sorted(unknown))},
        )
    with transaction.atomic(durable=True):
        order = _begin(order_number, actor, expected_version)
        _gate("amend", order, actor)
        is_draft = order.status == workflow.Status.DRAFT
        if not is_draft and not reason.strip():
            raise invalid(Code.REASON_REQUIRED, gettext("A reason is required."), field="reason")
        before = _snapshot(order)
        problems = Problems()
        new_contract = changes.get("contract_date", order.contract_date)
        new_delivery = changes.get("delivery_date", order.delivery_date)
        check_dates(problems, new_contract, new_delivery)
        if changes.get("currency"):
            changes["currency"] = checked_currency(problems, changes["currency"])
        checked = check_lines(problems, lines) if lines is not None else None
        problems.raise_if_any()
        for name, value in changes.items():
            setattr(order, name, value)
        if checked is not None:
            order.lines.all().delete()
            _write_lines(order, checked)
            _set_totals(order, checked)
        after = _snapshot(order)
        diff = {
            k: [before[k], after[k]]
            for k in before
            if k not in ("revision", "lines") and before[k] != after[k]
        }
        if sorted(map(_line_key, before["lines"])) != sorted(map(_line_key, after["lines"])) or (
            [(x["colour"], x["size"], x["packs"]) for x in before["lines"]]
            != [(x["colour"], x["size"], x["packs"]) for x in after["lines"]]
        ):
            diff["lines"] = [before["lines"], after["lines"]]
        if not diff:
            raise invalid("nothing_changed", gettext("Nothing was changed."))
        if order.paid_amount > order.total_amount:
            raise invalid(
                Code.OVERPAYMENT,
                gettext("The new total %(total)s is below the %(paid)s already paid.")
                % {"total": order.total_amount, "paid": order.paid_amount},
            )
        needs_signatures = any(k in diff for k in (*RESIGN_FIELDS, "lines", "total_amount"))
        if not is_draft:
            OrderRevision.objects.create(
                order=order,
                revision=order.revision,
                snapshot=before,
                changes=diff,
                reason=reason,
                created_by=actor,
            )
            order.revision += 1
        from_status = order.status
        if (
            needs_signatures
            and not is_draft
            and (order.finance_signed_at or order.manager_signed_at)
        ):
            order.finance_signed_by = order.finance_signed_at = None
            order.manager_signed_by = order.manager_signed_at = None
            order.status = workflow.Status.SUBMITTED
        order.version += 1
        order.updated_at = timezone.now()
        order.save()
        record(
            kind=EventKind.ORDER_AMENDED,
            actor=actor,
            order=order,
            from_status=from_status,
            to_status=order.status,
            comment=reason,
            payload={
                "revision": order.revision,
                "changed": sorted(diff),
                "signatures_cleared": order.status != from_status,
            },
        )
        return order


# ---- the life of an order, one verb per action -------------------------------------------------


@workflow_verb("submit")
def submit_order(
    *, order_number: str, actor: Any, expected_version: int | None = None, comment: str = ""
) -> Order:
    with transition("submit", number=order_number, actor=actor, version=expected_version) as step:
        step.stamp()
        step.comment = comment
        # the signers are told a signature waits (mailed after commit, notified in the app)
        outbox.notify_signature_waiting(step.order, actor=actor)
    return step.order


def _sign(action: str, who: str) -> Callable[..., Order]:
    def sign(
        *, order_number: str, actor: Any, expected_version: int | None = None, comment: str = ""
    ) -> Order:
        with transition(action, number=order_number, actor=actor, version=expected_version) as step:
            setattr(step.order, f"{who}_signed_by", actor)
            step.stamp()
            record(
                kind=EventKind.ORDER_SIGNED,
                actor=actor,
                order=step.order,
                comment=comment,
                payload={"as": who},
            )
            step.comment, step.payload = comment, {"signed_as": who}
        return step.order

    sign.__name__ = sign.__qualname__ = f"sign_as_{who}"
    return sign


sign_as_finance = workflow_verb("sign_finance")(_sign("sign_finance", "finance"))
sign_as_finance.__doc__ = (
    "Finance signs the order (确认订单); the order is valid once both have signed."
)
sign_as_manager = workflow_verb("sign_manager")(_sign("sign_manager", "manager"))
sign_as_manager.__doc__ = (
    "The sales manager signs the order; the order is valid once both have signed."
)


@workflow_verb("request_deposit")
def request_deposit(
    *, order_number: str, actor: Any, expected_version: int | None = None, comment: str = ""
) -> Order:
    with transition(
        "request_deposit", number=order_number, actor=actor, version=expected_version
    ) as step:
        step.stamp()
        step.comment = comment
        step.payload = {"deposit_due": str(step.order.deposit_due), "currency": step.order.currency}
    return step.order


def _receive(action: str, kind: str) -> Callable[..., Order]:
    def receive(
        *,
        order_number: str,
        actor: Any,
        amount: Decimal | None = None,
        reference: str = "",
        received_on: date | None = None,
        expected_version: int | None = None,
        comment: str = "",
    ) -> Order:
        with transition(
            action,
            number=order_number,
            actor=actor,
            version=expected_version,
            params={"amount": amount},
        ) as step:
            order = step.order
            owed = payments.owed_beyond_cod(step.ctx)
            due = min(order.deposit_outstanding, owed) if kind == PaymentKind.DEPOSIT else owed
            paid = Decimal(str(amount)) if amount is not None else due
            finance.record_payment(
                order=order,
                kind=kind,
                amount=paid,
                reference=reference,
                received_on=received_on,
                actor=actor,
            )
            if kind == PaymentKind.DEPOSIT:
                if order.deposit_outstanding <= 0 and order.deposit_confirmed_at is None:
                    step.stamp()
            elif order.balance_due <= 0 and order.status in workflow.AWAITING_BALANCE:
                step.stamp()
            step.comment = comment
            step.payload = {"amount": str(paid), "paid": str(order.paid_amount)}
        return step.order

    receive.__name__ = receive.__qualname__ = action
    return receive


confirm_deposit = workflow_verb("confirm_deposit")(_receive("confirm_deposit", PaymentKind.DEPOSIT))
confirm_deposit.__doc__ = "Finance confirms a deposit receipt (订金到账); partial receipts add up."
confirm_balance = workflow_verb("confirm_balance")(_receive("confirm_balance", PaymentKind.BALANCE))
confirm_balance.__doc__ = (
    "Finance confirms a balance receipt (余款); paid in full lets the goods leave."
)


@workflow_verb("release")
def release_order(
    *, order_number: str, actor: Any, expected_version: int | None = None, comment: str = ""
) -> Order:
    """Reserve stock on hand for the order; what is missing goes to production as a notice."""
    with transition("release", number=order_number, actor=actor, version=expected_version) as step:
        order = step.order
        reserved = inventory.reserve_for_order(order=order, actor=actor, lines=step.ctx.lines)
        # what stock does not cover: production's effect on release makes a notice of it
        step.data["unreserved"] = {
            line: line.quantity - reserved.get(line.pk, 0) for line in step.ctx.lines
        }
        step.stamp()
        step.comment = comment
        step.payload = {"reserved": sum(reserved.values())}
    return step.order


@workflow_verb("complete_production")
def complete_production(
    *, order_number: str, actor: Any, expected_version: int | None = None, comment: str = ""
) -> Order:
    with transition(
        "complete_production", number=order_number, actor=actor, version=expected_version
    ) as step:
        order = step.order
        step.stamp()  # production's effect closes its notices
        if order.balance_due <= 0:
            order.ready_to_ship_at = order.production_done_at
        step.comment = comment
    return step.order


@workflow_verb("request_balance")
def request_balance(
    *, order_number: str, actor: Any, expected_version: int | None = None, comment: str = ""
) -> Order:
    with transition(
        "request_balance", number=order_number, actor=actor, version=expected_version
    ) as step:
        step.stamp()
        step.comment = comment
        step.payload = {"balance_due": str(step.order.balance_due), "currency": step.order.currency}
    return step.order


@workflow_verb("allow_credit")
def allow_credit(
    *, order_number: str, actor: Any, expected_version: int | None = None, comment: str = ""
) -> Order:
    """The customer's credit terms let the goods leave with the receivable open."""
    with transition(
        "allow_credit", number=order_number, actor=actor, version=expected_version
    ) as step:
        order = step.order
        order.on_credit = True
        step.stamp()
        step.comment = comment
        step.payload = {
            "receivable": str(order.balance_due),
            "credit_days": order.customer.credit_days,
        }
    return step.order


@workflow_verb("close")
def close_order(
    *, order_number: str, actor: Any, expected_version: int | None = None, comment: str = ""
) -> Order:
    with transition("close", number=order_number, actor=actor, version=expected_version) as step:
        step.stamp()
        step.comment = comment
    return step.order


@workflow_verb("hold")
def hold_order(
    *, order_number: str, actor: Any, reason: str = "", expected_version: int | None = None
) -> Order:
    with transition(
        "hold",
        number=order_number,
        actor=actor,
        version=expected_version,
        params={"reason": reason},
    ) as step:
        step.order.held_from, step.order.hold_reason = step.order.status, reason
        step.comment, step.payload = reason, {"reason": reason}
    return step.order


@workflow_verb("resume")
def resume_order(
    *, order_number: str, actor: Any, expected_version: int | None = None, comment: str = ""
) -> Order:
    with transition("resume", number=order_number, actor=actor, version=expected_version) as step:
        order = step.order
        step.to, step.comment = order.held_from, comment
        order.held_from, order.hold_reason = "", ""
    return step.order


@workflow_verb("cancel")
def cancel_order(
    *, order_number: str, actor: Any, reason: str = "", expected_version: int | None = None
) -> Order:
    """Cancel with a reason: reservations go back to stock, open notices are cancelled."""
    with transition(
        "cancel",
        number=order_number,
        actor=actor,
        version=expected_version,
        params={"reason": reason},
    ) as step:
        order = step.order
        released = inventory.release_reservations(order=order, actor=actor)
        step.stamp()  # production and shipping cancel their open notices in their effects
        order.cancel_reason, order.held_from = reason, ""
        step.comment = reason
        step.payload = {"reason": reason, "released": released, "paid": str(order.paid_amount)}
    return step.order


@workflow_verb("agree_new_date")
def agree_new_date(
    *,
    order_number: str,
    actor: Any,
    new_date: date | None = None,
    confirmation: int | None = None,
    expected_version: int | None = None,
    comment: str = "",
) -> Order:
    """The customer accepted a later delivery date (the forecast said the order would be late):
    it becomes the order's agreed date with their confirmation attached and the sales manager's
    one signature, while the order is in production. The signed revision is kept with its date;
    the signatures and the status stay (unlike an amendment)."""
    if new_date is None:
        raise invalid(Code.NEW_DATE_INVALID, gettext("The new delivery date is required."))
    with transition(
        "agree_new_date",
        number=order_number,
        actor=actor,
        version=expected_version,
        params={"new_date": new_date, "confirmation": confirmation},
    ) as step:
        order = step.order
        attached = workflow.confirmation_of(step.ctx)
        before = _snapshot(order)
        kept = order.revisions.order_by("revision").values_list("snapshot", flat=True).first()
        original = (kept or before)["delivery_date"]
        OrderRevision.objects.create(
            order=order,
            revision=order.revision,
            snapshot=before,
            changes={"delivery_date": [before["delivery_date"], new_date.isoformat()]},
            reason=comment or gettext("The customer accepted a new delivery date."),
            created_by=actor,
        )
        order.revision += 1
        order.delivery_date = new_date
        step.comment = comment
        step.payload = {
            "from": before["delivery_date"],
            "to": new_date.isoformat(),
            "original": original,
            "revision": order.revision,
            "confirmation": attached.pk,
            "confirmation_name": attached.name,
        }
    return step.order


def missing_parameters(action: str, given: dict[str, Any]) -> list[str]:
    """The required inputs of an action that `given` lacks (e.g. the amount the cashier
    counted), so both front doors answer a clear message instead of a TypeError."""
    schema = workflow.BY_ACTION[action].input
    return [name for name in inputs.required_fields(schema) if name not in given]


class ActionVerbs(Mapping[str, Callable[..., Order]]):
    """The verb of each action: orders' own, and those other apps register for the actions
    they own (``gendan.extensions.add_action_verb``), looked up when asked, in table order."""

    OWN: ClassVar[dict[str, Callable[..., Order]]] = {}

    def _all(self) -> dict[str, Callable[..., Order]]:
        verbs = {**self.OWN, **extensions.registry.action_verbs}
        return {a: verbs[a] for a in workflow.ACTIONS if a in verbs}

    def __getitem__(self, action: str) -> Callable[..., Order]:
        return self._all()[action]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


ActionVerbs.OWN.update(
    {
        "submit": submit_order,
        "sign_finance": sign_as_finance,
        "sign_manager": sign_as_manager,
        "request_deposit": request_deposit,
        "confirm_deposit": confirm_deposit,
        "release": release_order,
        "complete_production": complete_production,
        "request_balance": request_balance,
        "confirm_balance": confirm_balance,
        "allow_credit": allow_credit,
        "close": close_order,
        "hold": hold_order,
        "resume": resume_order,
        "cancel": cancel_order,
        "agree_new_date": agree_new_date,
    }
)
#: The action endpoint and the pages call verbs through this table (amend has its own PATCH).
ACTION_VERBS = ActionVerbs()
