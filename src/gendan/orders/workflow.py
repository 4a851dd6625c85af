"""The life of an order as data: the states, their groups, and one table of transitions.

Services and `available_actions` read this table; nothing else knows the transitions.
A gate returns the coded reasons it refuses (empty = open); it never refuses silently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from gendan import extensions
from gendan.accounts.permissions import Perm
from gendan.errors import Reason
from gendan.finance import rules as payments
from gendan.finance.rules import unreconciled_cod
from gendan.orders import inputs
from gendan.orders.errors import Code
from gendan.rows import Prepared

if TYPE_CHECKING:
    from gendan.orders.models import Order


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    SIGNED = "signed", _("Signed")
    DEPOSIT_REQUESTED = "deposit_requested", _("Deposit requested")
    DEPOSIT_CONFIRMED = "deposit_confirmed", _("Deposit confirmed")
    RELEASED = "released", _("In production")
    PRODUCED = "produced", _("Production done")
    BALANCE_REQUESTED = "balance_requested", _("Balance requested")
    READY_TO_SHIP = "ready_to_ship", _("Ready to ship")
    PARTIALLY_SHIPPED = "partially_shipped", _("Partially shipped")
    SHIPPED = "shipped", _("Shipped")
    DELIVERED = "delivered", _("Delivered")
    CLOSED = "closed", _("Closed")
    ON_HOLD = "on_hold", _("On hold")
    CANCELLED = "cancelled", _("Cancelled")


S = Status
FINISHED = frozenset({S.CLOSED, S.CANCELLED})
OPEN = frozenset(set(S) - FINISHED)
BEFORE_RELEASE = frozenset(
    {S.DRAFT, S.SUBMITTED, S.SIGNED, S.DEPOSIT_REQUESTED, S.DEPOSIT_CONFIRMED}
)
AMENDABLE = BEFORE_RELEASE
BEFORE_SHIPPING = BEFORE_RELEASE | {S.RELEASED, S.PRODUCED, S.BALANCE_REQUESTED, S.READY_TO_SHIP}
CANCELLABLE = BEFORE_SHIPPING
HOLDABLE = OPEN - {S.ON_HOLD}
SHIPPABLE = frozenset({S.READY_TO_SHIP, S.PARTIALLY_SHIPPED})
IN_TRANSIT = frozenset({S.PARTIALLY_SHIPPED, S.SHIPPED})
AWAITING_BALANCE = frozenset({S.PRODUCED, S.BALANCE_REQUESTED})
RECEIVABLE = AWAITING_BALANCE | {S.READY_TO_SHIP, S.PARTIALLY_SHIPPED, S.SHIPPED, S.DELIVERED}


@dataclass
class Context:
    """What a gate looks at: the order, the actor, the action's parameters, loaded once."""

    order: Order
    actor: Any
    params: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def lines(self) -> list[Any]:
        """The order's lines, read once per action and shared with ``order.lines.all()``: the
        gate, the step, the target and the close check see the same objects (a step that
        changes a line changes that object, and writes it)."""
        order = self.order
        if "lines" not in getattr(order, "_prefetched_objects_cache", {}):
            lines = _LINES.all(order.pk)
            line_order = type(order)._meta.get_field("lines").remote_field
            for line in lines:
                line_order.set_cached_value(line, order)
            _prefetched(order, "lines", lines)
        return list(order.lines.all())

    @cached_property
    def notices(self) -> list[Any]:
        """The order's shipping notices with their lines, slip and delivery note (read through
        the order's relation: shipping keeps them, orders does not import it)."""
        order = self.order
        if "shipping_notices" in getattr(order, "_prefetched_objects_cache", {}):
            return list(order.shipping_notices.all())
        return notices_with_lines(order)

    def open_notices(self) -> list[Any]:
        return [n for n in self.notices if n.status == "issued"]

    def unshipped_not_noticed(self) -> int:
        on_notices: int = sum(nl.quantity for n in self.open_notices() for nl in n.lines.all())
        unshipped: int = sum(line.quantity - line.shipped_qty for line in self.lines)
        return unshipped - on_notices


def _lines_of(order_id: int) -> Any:
    from gendan.orders.models import OrderLine  # the models import this module

    return OrderLine.objects.filter(order_id=order_id).order_by("line_no", "pk")


def _notice_lines_of(order_id: int) -> Any:
    from gendan.orders.models import Order  # the models import this module

    line_model = Order.related_model("shipping_notices")._meta.get_field("lines").related_model
    assert line_model is not None
    return (
        line_model._default_manager.filter(notice__order_id=order_id)
        .select_related("notice__outbound_slip", "notice__delivery_note")
        .order_by("notice_id", "id")
    )


#: the reads every action of an order's life makes, compiled once (``gendan.rows.Prepared``)
_LINES = Prepared(_lines_of, int)
_NOTICE_LINES = Prepared(_notice_lines_of, int)


def notices_with_lines(order: Order) -> list[Any]:
    """The order's shipping notices in the order they were issued, each with its outbound slip,
    delivery note and lines, in one query: the lines joined to their notice (a notice is
    issued with at least one line, so every notice has one; ``notice.lines.all()`` answers
    from what was read)."""
    notice_model = type(order).related_model("shipping_notices")
    notice_field: Any = notice_model._meta.get_field("lines").remote_field
    read = _NOTICE_LINES.all(order.pk)
    notices: dict[int, Any] = {}
    lines_of: dict[int, list[Any]] = {}
    for line in read:
        notice = notices.setdefault(line.notice_id, line.notice)
        notice_field.set_cached_value(line, notice)  # one object per notice, shared by its lines
        lines_of.setdefault(line.notice_id, []).append(line)
    for pk, notice in notices.items():
        notice.order = order
        _prefetched(notice, "lines", lines_of[pk])
    return list(notices.values())


def _prefetched(obj: models.Model, name: str, objs: list[Any]) -> None:
    """Give ``obj.<name>.all()`` these objects, as ``prefetch_related`` would."""
    queryset = getattr(obj, name).all()
    queryset._result_cache = objs
    queryset._prefetch_done = True
    obj.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset


Gate = Callable[[Context], list[Reason]]


def has_lines(ctx: Context) -> list[Reason]:
    if not ctx.lines:
        return [Reason(Code.NO_LINES, gettext("The order has no lines."))]
    return []


def positive_total(ctx: Context) -> list[Reason]:
    if ctx.lines and ctx.order.total_amount <= 0:
        return [Reason(Code.ZERO_TOTAL, gettext("The order total is zero."))]
    return []


def finance_not_signed(ctx: Context) -> list[Reason]:
    if ctx.order.finance_signed_at:
        return [Reason(Code.ALREADY_SIGNED, gettext("Finance has already signed this order."))]
    return []


def manager_not_signed(ctx: Context) -> list[Reason]:
    if ctx.order.manager_signed_at:
        return [
            Reason(Code.ALREADY_SIGNED, gettext("The sales manager has already signed this order."))
        ]
    return []


def finance_signed(ctx: Context) -> list[Reason]:
    if not ctx.order.finance_signed_at:
        return [Reason(Code.NOT_SIGNED, gettext("Waiting for the finance signature."))]
    return []


def manager_signed(ctx: Context) -> list[Reason]:
    if not ctx.order.manager_signed_at:
        return [Reason(Code.NOT_SIGNED, gettext("Waiting for the sales manager's signature."))]
    return []


def something_to_notice(ctx: Context) -> list[Reason]:
    if ctx.unshipped_not_noticed() <= 0:
        return [
            Reason(
                Code.NOTHING_TO_SHIP,
                gettext("Every unshipped quantity is already on a shipping notice."),
            )
        ]
    return []


def notice_without_slip(ctx: Context) -> list[Reason]:
    notices = ctx.open_notices()
    if not notices:
        return [Reason(Code.NO_OPEN_NOTICE, gettext("There is no open shipping notice."))]
    if all(hasattr(n, "outbound_slip") for n in notices):
        return [Reason(Code.SLIP_EXISTS, gettext("The outbound slip has already been issued."))]
    return []


def notice_without_delivery_note(ctx: Context) -> list[Reason]:
    notices = ctx.open_notices()
    if not notices:
        return [Reason(Code.NO_OPEN_NOTICE, gettext("There is no open shipping notice."))]
    if all(hasattr(n, "delivery_note") for n in notices):
        return [
            Reason(Code.DELIVERY_NOTE_EXISTS, gettext("The delivery note has already been issued."))
        ]
    return []


def notice_ready_to_ship(ctx: Context) -> list[Reason]:
    notices = ctx.open_notices()
    if not notices:
        return [Reason(Code.NO_OPEN_NOTICE, gettext("There is no open shipping notice."))]
    reasons = []
    if not any(hasattr(n, "outbound_slip") for n in notices):
        reasons.append(
            Reason(Code.SLIP_MISSING, gettext("Finance has not issued the outbound slip."))
        )
    if not any(hasattr(n, "delivery_note") for n in notices):
        reasons.append(
            Reason(Code.DELIVERY_NOTE_MISSING, gettext("The delivery note has not been issued."))
        )
    return reasons


def shipment_to_deliver(ctx: Context) -> list[Reason]:
    if not any(n.status == "shipped" for n in ctx.notices):
        return [
            Reason(
                Code.NOTHING_TO_DELIVER, gettext("No shipment is waiting for proof of delivery.")
            )
        ]
    return []


def cod_to_reconcile(ctx: Context) -> list[Reason]:
    if not unreconciled_cod(ctx):
        return [
            Reason(
                Code.NO_COD_TO_RECONCILE, gettext("No cash on delivery waits for reconciliation.")
            )
        ]
    return []


def closable(ctx: Context) -> list[Reason]:
    reasons = []
    if any(line.delivered_qty < line.quantity for line in ctx.lines):
        reasons.append(Reason(Code.NOT_DELIVERED, gettext("Not everything has been delivered.")))
    if ctx.order.balance_due > 0:
        reasons.append(
            Reason(
                Code.NOT_PAID,
                gettext("Not paid in full: %(amount)s %(currency)s outstanding.")
                % {"amount": ctx.order.balance_due, "currency": ctx.order.currency},
            )
        )
    if unreconciled_cod(ctx):
        reasons.append(
            Reason(
                Code.COD_UNRECONCILED, gettext("Cash on delivery not reconciled by the cashier.")
            )
        )
    return reasons


def reason_given(ctx: Context) -> list[Reason]:
    if not str(ctx.params.get("reason") or "").strip():
        return [Reason(Code.REASON_REQUIRED, gettext("A reason is required."))]
    return []


def nothing_shipped(ctx: Context) -> list[Reason]:
    if any(line.shipped_qty for line in ctx.lines):
        return [Reason(Code.GOODS_SHIPPED, gettext("Goods have already shipped."))]
    return []


def cancellable(ctx: Context) -> list[Reason]:
    order = ctx.order
    if order.status == S.ON_HOLD and order.held_from not in CANCELLABLE:
        return [Reason(Code.WRONG_STATUS, gettext("Goods have already shipped."))]
    return nothing_shipped(ctx)


def new_date_later(ctx: Context) -> list[Reason]:
    new_date = ctx.params.get("new_date")  # asked on the action's form when not given yet
    if new_date is not None and not new_date > ctx.order.delivery_date:
        return [
            Reason(
                Code.NEW_DATE_INVALID,
                gettext("The new delivery date must be later than the agreed %(date)s.")
                % {"date": ctx.order.delivery_date.isoformat()},
            )
        ]
    return []


def date_last_agreed(order: Order) -> Any:
    """When the order's delivery date was last agreed: its last kept revision, else the sales
    manager's signature."""
    last = order.revisions.order_by("-revision").values_list("created_at", flat=True).first()
    return last or order.manager_signed_at


def confirmation_of(ctx: Context) -> Any:
    """The customer's confirmation: the named live file of the order, or the newest one
    attached since the date was last agreed (None when there is none)."""
    from gendan.attachments.selectors import files_of  # attachments reads orders' records

    files = files_of(ctx.order)
    wanted = ctx.params.get("confirmation")
    if wanted is not None:
        return files.filter(pk=wanted).first()
    since = date_last_agreed(ctx.order)
    if since is not None:
        files = files.filter(attached_at__gt=since)
    return files.order_by("-attached_at", "-id").first()


def confirmation_attached(ctx: Context) -> list[Reason]:
    if ctx.actor is None or not ctx.actor.can(Perm.SIGN_AS_MANAGER):
        return []  # refused for the permission already: the files are not read for nothing
    if confirmation_of(ctx) is None:
        return [
            Reason(
                Code.CONFIRMATION_MISSING,
                gettext("Attach the customer's confirmation of the new date to the order first."),
            )
        ]
    return []


# ---- where each transition lands, when it depends on the order -------------------------------


def _after_signature(order: Order) -> str:
    """Signed when both have signed, or when the order's kind waives the other's signature (a
    replacement-part order: the sales manager's alone)."""
    waived = extensions.waived_by(order.kind)
    finance = order.finance_signed_at is not None or "orders.finance_signed" in waived
    manager = order.manager_signed_at is not None or "orders.manager_signed" in waived
    return S.SIGNED if finance and manager else S.SUBMITTED


def _after_deposit(order: Order) -> str:
    return S.DEPOSIT_CONFIRMED if order.deposit_outstanding <= 0 else order.status


def _after_production(order: Order) -> str:
    return S.READY_TO_SHIP if order.balance_due <= 0 else S.PRODUCED


def _after_release(order: Order) -> str:
    pending = order.production_notices.filter(status="issued").exists()
    return S.RELEASED if pending else _after_production(order)


def _after_balance(order: Order) -> str:
    if order.status in AWAITING_BALANCE and order.balance_due <= 0:
        return S.READY_TO_SHIP
    return order.status


def _after_shipment(order: Order) -> str:
    lines = list(order.lines.all())
    return (
        S.SHIPPED
        if all(line.shipped_qty >= line.quantity for line in lines)
        else S.PARTIALLY_SHIPPED
    )


def _after_delivery(order: Order) -> str:
    lines = list(order.lines.all())
    if all(line.delivered_qty >= line.quantity for line in lines):
        return S.DELIVERED
    return order.status


def _resume(order: Order) -> str:
    return order.held_from


Target = str | Callable[["Order"], str] | None


@dataclass(frozen=True)
class Check:
    """A condition of orders' own on an action; other apps add theirs through the registry
    (``gendan.extensions.add_condition``). The name is stable: an order kind waives by name."""

    name: str
    check: Gate
    description: Any


@dataclass(frozen=True, kw_only=True)
class Transition:
    action: str
    sources: frozenset[str]
    target: Target
    perm: str
    label: Any
    checks: tuple[Check, ...] = ()
    input: type[inputs.Schema] = inputs.ActionIn
    idempotent: bool = False  # a retry with the same Idempotency-Key gets the first answer

    @property
    def params(self) -> tuple[str, ...]:
        return inputs.fields_of(self.input)

    def gate(self, ctx: Context) -> list[Reason]:
        """The reasons the conditions of this action give now (orders' own and contributed
        ones, less what the order's kind waives); permission and status are not asked here."""
        reasons: list[Reason] = []
        for condition in conditions_for(self, ctx.order):
            for reason in condition.check(ctx):
                if reason not in reasons:
                    reasons.append(reason)
        return reasons

    def target_for(self, order: Order) -> str:
        if self.target is None:
            return order.status
        if callable(self.target):
            return self.target(order)
        return self.target


def _check(name: str, check: Gate, description: str) -> Check:
    return Check(f"orders.{name}", check, _(description))


HAS_LINES = _check("has_lines", has_lines, "The order has lines.")
POSITIVE_TOTAL = _check("positive_total", positive_total, "The order total is above zero.")
FINANCE_NOT_SIGNED = _check("finance_not_signed", finance_not_signed, "Finance has not signed.")
MANAGER_NOT_SIGNED = _check(
    "manager_not_signed", manager_not_signed, "The sales manager has not signed."
)
DEPOSIT_DUE = _check(
    "deposit_due", payments.deposit_due, "A deposit is asked and not received in full."
)
DEPOSIT_AMOUNT_FITS = _check(
    "deposit_amount_fits",
    lambda ctx: [] if payments.deposit_due(ctx) else payments.amount_fits(ctx),
    "The amount received is no more than is still owed.",
)
BALANCE_AMOUNT_FITS = _check(
    "balance_amount_fits",
    lambda ctx: [] if payments.balance_due(ctx) else payments.amount_fits(ctx),
    "The amount received is no more than is still owed.",
)
FINANCE_SIGNED = _check("finance_signed", finance_signed, "Finance has signed.")
MANAGER_SIGNED = _check("manager_signed", manager_signed, "The sales manager has signed.")
DEPOSIT_RECEIVED = _check("deposit_received", payments.deposit_received, "The deposit has arrived.")
BALANCE_DUE = _check("balance_due", payments.balance_due, "A balance is still owed.")
CREDIT_ALLOWED = _check(
    "credit_allowed",
    payments.credit_allowed,
    "The customer has credit terms and is within the limit.",
)
SOMETHING_TO_NOTICE = _check(
    "something_to_notice", something_to_notice, "Some quantity is on no shipping notice yet."
)
NOTICE_WITHOUT_SLIP = _check(
    "notice_without_slip", notice_without_slip, "An open notice has no outbound slip yet."
)
NOTICE_WITHOUT_NOTE = _check(
    "notice_without_delivery_note",
    notice_without_delivery_note,
    "An open notice has no delivery note yet.",
)
NOTICE_READY = _check(
    "notice_ready_to_ship",
    notice_ready_to_ship,
    "An open notice has its outbound slip and delivery note.",
)
SHIPMENT_TO_DELIVER = _check(
    "shipment_to_deliver", shipment_to_deliver, "A shipment waits for proof of delivery."
)
COD_TO_RECONCILE = _check(
    "cod_to_reconcile", cod_to_reconcile, "Cash on delivery waits for the cashier."
)
CLOSABLE = _check("closable", closable, "Delivered in full, paid in full, cash reconciled.")
REASON_GIVEN = _check("reason_given", reason_given, "A reason is given.")
CANCELLABLE_NOW = _check("nothing_shipped", cancellable, "No goods have shipped.")
NEW_DATE_LATER = _check(
    "new_date_later", new_date_later, "The new date is later than the agreed delivery date."
)
CONFIRMATION_ATTACHED = _check(
    "confirmation_attached",
    confirmation_attached,
    "The customer's confirmation of the new date is attached to the order.",
)

T = Transition
TRANSITIONS: tuple[Transition, ...] = (
    T(
        action="submit",
        sources=frozenset({S.DRAFT}),
        target=S.SUBMITTED,
        perm=Perm.ENTER_ORDER,
        checks=(HAS_LINES, POSITIVE_TOTAL),
        label=_("Submit"),
    ),
    T(
        action="sign_finance",
        sources=frozenset({S.SUBMITTED}),
        target=_after_signature,
        perm=Perm.SIGN_AS_FINANCE,
        checks=(FINANCE_NOT_SIGNED,),
        label=_("Sign (finance)"),
    ),
    T(
        action="sign_manager",
        sources=frozenset({S.SUBMITTED}),
        target=_after_signature,
        perm=Perm.SIGN_AS_MANAGER,
        checks=(MANAGER_NOT_SIGNED,),
        label=_("Sign (sales manager)"),
    ),
    T(
        action="request_deposit",
        sources=frozenset({S.SIGNED}),
        target=S.DEPOSIT_REQUESTED,
        perm=Perm.REQUEST_PAYMENT,
        checks=(DEPOSIT_DUE,),
        label=_("Request deposit"),
    ),
    T(
        action="confirm_deposit",
        sources=frozenset({S.SIGNED, S.DEPOSIT_REQUESTED}),
        target=_after_deposit,
        perm=Perm.CONFIRM_PAYMENT,
        checks=(DEPOSIT_DUE, DEPOSIT_AMOUNT_FITS),
        label=_("Confirm deposit received"),
        input=inputs.PaymentIn,
        idempotent=True,
    ),
    T(
        action="release",
        sources=frozenset({S.SIGNED, S.DEPOSIT_REQUESTED, S.DEPOSIT_CONFIRMED}),
        target=_after_release,
        perm=Perm.RELEASE_ORDER,
        checks=(FINANCE_SIGNED, MANAGER_SIGNED, DEPOSIT_RECEIVED),
        label=_("Release to stock and production"),
    ),
    T(
        action="complete_production",
        sources=frozenset({S.RELEASED}),
        target=_after_production,
        perm=Perm.RECORD_PRODUCTION,
        label=_("Record production done"),
    ),
    T(
        action="request_balance",
        sources=frozenset({S.PRODUCED}),
        target=S.BALANCE_REQUESTED,
        perm=Perm.REQUEST_PAYMENT,
        checks=(BALANCE_DUE,),
        label=_("Request balance"),
    ),
    T(
        action="confirm_balance",
        sources=RECEIVABLE,
        target=_after_balance,
        perm=Perm.CONFIRM_PAYMENT,
        checks=(BALANCE_DUE, BALANCE_AMOUNT_FITS),
        label=_("Confirm balance received"),
        input=inputs.PaymentIn,
        idempotent=True,
    ),
    T(
        action="allow_credit",
        sources=AWAITING_BALANCE,
        target=S.READY_TO_SHIP,
        perm=Perm.ALLOW_CREDIT,
        checks=(CREDIT_ALLOWED,),
        label=_("Ship on credit terms"),
    ),
    T(
        action="issue_shipping_notice",
        sources=SHIPPABLE,
        target=None,
        perm=Perm.ISSUE_SHIPPING_NOTICE,
        checks=(SOMETHING_TO_NOTICE,),
        label=_("Issue shipping notice"),
        input=inputs.ShippingNoticeIn,
    ),
    T(
        action="issue_outbound_slip",
        sources=SHIPPABLE,
        target=None,
        perm=Perm.ISSUE_OUTBOUND_SLIP,
        checks=(NOTICE_WITHOUT_SLIP,),
        label=_("Issue outbound slip"),
        input=inputs.NoticeIn,
    ),
    T(
        action="issue_delivery_note",
        sources=SHIPPABLE,
        target=None,
        perm=Perm.ISSUE_DELIVERY_NOTE,
        checks=(NOTICE_WITHOUT_NOTE,),
        label=_("Issue delivery note"),
        input=inputs.DeliveryNoteIn,
    ),
    T(
        action="ship",
        sources=SHIPPABLE,
        target=_after_shipment,
        perm=Perm.SHIP_GOODS,
        checks=(NOTICE_READY,),
        label=_("Ship"),
        input=inputs.NoticeIn,
    ),
    T(
        action="deliver",
        sources=IN_TRANSIT,
        target=_after_delivery,
        perm=Perm.CONFIRM_DELIVERY,
        checks=(SHIPMENT_TO_DELIVER,),
        label=_("Confirm delivery"),
        input=inputs.DeliveryIn,
    ),
    T(
        action="reconcile_cod",
        sources=IN_TRANSIT | {S.DELIVERED},
        target=None,
        perm=Perm.RECONCILE_COD,
        checks=(COD_TO_RECONCILE,),
        label=_("Reconcile cash on delivery"),
        input=inputs.CodCountIn,
        idempotent=True,
    ),
    T(
        action="close",
        sources=frozenset({S.DELIVERED}),
        target=S.CLOSED,
        perm=Perm.CLOSE_ORDER,
        checks=(CLOSABLE,),
        label=_("Close"),
    ),
    T(
        action="hold",
        sources=HOLDABLE,
        target=S.ON_HOLD,
        perm=Perm.HOLD_ORDER,
        checks=(REASON_GIVEN,),
        label=_("Put on hold"),
        input=inputs.ReasonIn,
    ),
    T(
        action="resume",
        sources=frozenset({S.ON_HOLD}),
        target=_resume,
        perm=Perm.HOLD_ORDER,
        label=_("Resume"),
    ),
    T(
        action="cancel",
        sources=CANCELLABLE | {S.ON_HOLD},
        target=S.CANCELLED,
        perm=Perm.CANCEL_ORDER,
        checks=(REASON_GIVEN, CANCELLABLE_NOW),
        label=_("Cancel"),
        input=inputs.ReasonIn,
    ),
    T(
        action="amend",
        sources=AMENDABLE,
        target=None,
        perm=Perm.AMEND_ORDER,
        label=_("Amend"),
    ),
    T(
        action="agree_new_date",
        sources=frozenset({S.RELEASED}),
        target=None,
        perm=Perm.SIGN_AS_MANAGER,
        checks=(NEW_DATE_LATER, CONFIRMATION_ATTACHED),
        label=_("Agree a new delivery date"),
        input=inputs.NewDateIn,
    ),
)
BY_ACTION: dict[str, Transition] = {t.action: t for t in TRANSITIONS}
ACTIONS: tuple[str, ...] = tuple(BY_ACTION)
#: an order of no particular kind waives nothing; kinds are declared by the apps that make them
STANDARD_KIND = "standard"


def conditions_for(transition: Transition, order: Order) -> list[Check | extensions.Condition]:
    """Orders' own checks and the ones other apps contribute, less what the order's kind waives."""
    waived = extensions.waived_by(order.kind)
    conditions: list[Check | extensions.Condition] = [*transition.checks]
    conditions += extensions.conditions_of(transition.action)
    return [c for c in conditions if c.name not in waived]


def permission_label(perm: str) -> Any:
    return Perm(perm).label if perm in Perm.values else extensions.permission_label(perm)


def reasons_for(transition: Transition, ctx: Context) -> list[Reason]:
    """Every reason the actor may not take this action now (empty = allowed)."""
    reasons: list[Reason] = []
    if ctx.actor is None or not ctx.actor.can(transition.perm):
        reasons.append(
            Reason(
                Code.PERMISSION_DENIED,
                gettext("You do not have the permission: %(perm)s.")
                % {"perm": permission_label(transition.perm)},
            )
        )
    if ctx.order.status not in transition.sources:
        reasons.append(
            Reason(
                Code.WRONG_STATUS,
                gettext("Not possible while the order is “%(status)s”.")
                % {"status": Status(ctx.order.status).label},
            )
        )
        return reasons
    return reasons + [r for r in transition.gate(ctx) if r not in reasons]


# ---- the milestones: the stamp each step leaves and the checklist row it fills ----------------


def _live_notices(notices: list[Any]) -> list[Any]:
    return [n for n in notices if n.status != "cancelled"]


def _first_stamp(docs: list[Any]) -> tuple[bool, Any]:
    return bool(docs), docs[0].issued_at if docs else None


def _cod_notes(notices: list[Any]) -> list[Any]:
    notes = [n.delivery_note for n in _live_notices(notices) if hasattr(n, "delivery_note")]
    return [n for n in notes if n.cod_collected > 0 or n.cod_amount > 0]


@dataclass(frozen=True, kw_only=True)
class Milestone:
    """A row of the order's checklist: the actions that pass it and where its stamp is kept.

    ``stamp`` (and ``by``) name the order's fields the step sets; a milestone kept on the
    shipping documents instead reads them through ``passed(order, notices) -> (done, at)``.
    The cockpit draws the checklist from this table and the seeder sets the same stamps.
    """

    key: str
    label: Any
    actions: tuple[str, ...]
    stamp: str = ""
    by: str = ""
    passed: Callable[[Order, list[Any]], tuple[bool, Any]] | None = None

    def state(self, order: Order, notices: list[Any]) -> tuple[bool, Any, Any]:
        """(passed, by whom when the order keeps it, when)."""
        if self.passed is not None:
            done, at = self.passed(order, notices)
            return done, None, at
        at = getattr(order, self.stamp)
        return at is not None, getattr(order, self.by) if self.by else None, at


def _cod_passed(order: Order, notices: list[Any]) -> tuple[bool, Any]:
    notes = _cod_notes(notices)
    done = bool(notes) and all(n.cod_reconciled_at for n in notes)
    return done, max((n.cod_reconciled_at for n in notes if n.cod_reconciled_at), default=None)


M = Milestone
MILESTONES: tuple[Milestone, ...] = (
    M(key="submitted", label=_("Submitted"), actions=("submit",), stamp="submitted_at"),
    M(
        key="finance_signature",
        label=_("Finance signature"),
        actions=("sign_finance",),
        stamp="finance_signed_at",
        by="finance_signed_by",
    ),
    M(
        key="manager_signature",
        label=_("Sales manager signature"),
        actions=("sign_manager",),
        stamp="manager_signed_at",
        by="manager_signed_by",
    ),
    M(
        key="deposit",
        label=_("Deposit received"),
        actions=("confirm_deposit",),
        stamp="deposit_confirmed_at",
    ),
    M(
        key="release",
        label=_("Released to stock and production"),
        actions=("release",),
        stamp="released_at",
    ),
    M(
        key="production",
        label=_("Production done"),
        actions=("complete_production",),
        stamp="production_done_at",
    ),
    M(
        key="balance",
        label=_("Balance paid or credit allowed"),
        actions=("confirm_balance", "allow_credit"),
        stamp="ready_to_ship_at",
    ),
    M(
        key="shipping_notice",
        label=_("Shipping notice"),
        actions=("issue_shipping_notice",),
        passed=lambda order, notices: _first_stamp(_live_notices(notices)),
    ),
    M(
        key="outbound_slip",
        label=_("Outbound slip"),
        actions=("issue_outbound_slip",),
        passed=lambda order, notices: _first_stamp(
            [n.outbound_slip for n in _live_notices(notices) if hasattr(n, "outbound_slip")]
        ),
    ),
    M(
        key="delivery_note",
        label=_("Delivery note"),
        actions=("issue_delivery_note",),
        passed=lambda order, notices: _first_stamp(
            [n.delivery_note for n in _live_notices(notices) if hasattr(n, "delivery_note")]
        ),
    ),
    M(key="shipped", label=_("Shipped"), actions=("ship",), stamp="shipped_at"),
    M(key="delivered", label=_("Delivered"), actions=("deliver",), stamp="delivered_at"),
    M(
        key="cod",
        label=_("Cash on delivery reconciled"),
        actions=("reconcile_cod",),
        passed=_cod_passed,
    ),
    M(key="closed", label=_("Closed"), actions=("close",), stamp="closed_at"),
)

#: the stamp each action leaves on the order (the seeder writes the same ones)
STAMPS: dict[str, str] = {
    **{a: m.stamp for m in MILESTONES if m.stamp for a in m.actions},
    "request_deposit": "deposit_requested_at",
    "request_balance": "balance_requested_at",
    "cancel": "cancelled_at",
}


# ---- what an open order waits for, in words ------------------------------------------------


def missing_signatures(order: Order) -> list[str]:
    missing = []
    if order.finance_signed_at is None:
        missing.append(gettext("finance"))
    if order.manager_signed_at is None:
        missing.append(gettext("sales manager"))
    return missing


def _deposit_open(order: Order) -> bool:
    return order.deposit_due > order.paid_amount


@dataclass(frozen=True)
class Waiting:
    """In these statuses (and when ``when`` holds) the order waits for ``words``."""

    statuses: frozenset[str]
    words: Callable[[Order], str]
    when: Callable[[Order], bool] | None = None


WAITING: tuple[Waiting, ...] = (
    Waiting(frozenset({S.DRAFT}), lambda o: gettext("Entry: the order is not submitted")),
    Waiting(
        frozenset({S.SUBMITTED}),
        lambda o: gettext("Signature: %(who)s") % {"who": ", ".join(missing_signatures(o))},
    ),
    Waiting(frozenset({S.SIGNED}), lambda o: gettext("Deposit: not requested yet"), _deposit_open),
    Waiting(
        frozenset({S.DEPOSIT_REQUESTED}),
        lambda o: gettext("Deposit: from the customer"),
        _deposit_open,
    ),
    Waiting(
        frozenset({S.SIGNED, S.DEPOSIT_REQUESTED, S.DEPOSIT_CONFIRMED}),
        lambda o: gettext("Release to stock and production"),
    ),
    Waiting(frozenset({S.RELEASED}), lambda o: gettext("Production")),
    Waiting(frozenset({S.PRODUCED}), lambda o: gettext("Balance: not requested yet")),
    Waiting(frozenset({S.BALANCE_REQUESTED}), lambda o: gettext("Balance: from the customer")),
    Waiting(SHIPPABLE, lambda o: gettext("Shipping")),
    Waiting(frozenset({S.SHIPPED}), lambda o: gettext("Proof of delivery")),
)


def waiting_for(order: Order) -> str:
    """What an open order waits for now, in words (why an order at risk is not ready)."""
    if order.status == S.ON_HOLD:
        return gettext("On hold: %(reason)s") % {"reason": order.hold_reason}
    for row in WAITING:
        if order.status in row.statuses and (row.when is None or row.when(order)):
            return row.words(order)
    return str(Status(order.status).label) if order.status in Status.values else order.status
