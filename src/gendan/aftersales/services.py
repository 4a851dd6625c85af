"""Every write of after-sales: a sample's steps (request, accept, made, reviewed, sent — never
without a photo —, received, feedback, the order that followed, the kept sample), new-product
campaigns to the stores, complaints (logged, confirmed or rejected by the customer's sales
manager) and their resolutions (a replacement-part order, an exchange), followed to closure.

A refusal changes nothing; every write keeps its history and an event on the timeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy

from gendan.accounts.guards import require, verb
from gendan.accounts.models import User
from gendan.accounts.permissions import Perm
from gendan.aftersales import permissions as p
from gendan.aftersales import selectors
from gendan.aftersales.errors import Code
from gendan.aftersales.models import (
    Campaign,
    Complaint,
    ComplaintKind,
    ComplaintStatus,
    ExchangeStep,
    Resolution,
    ResolutionKind,
    Sample,
    SampleSource,
    SampleStatus,
    TeamAssignment,
)
from gendan.attachments.selectors import files_of
from gendan.catalog.models import Product
from gendan.errors import DomainError, Kind, Reason, invalid, not_found, refused
from gendan.finance.models import CreditNoteStatus
from gendan.finance.permissions import ISSUE_CREDIT_NOTE
from gendan.finance.services import issue_credit_note
from gendan.loading.models import ErrorSource
from gendan.loading.permissions import LoadingPerm
from gendan.loading.services.counting_errors import record_counting_error
from gendan.notifications.services import notify
from gendan.numbering.services import next_number
from gendan.orders import services as order_services
from gendan.orders.entry import LineInput
from gendan.orders.models import OrderLine
from gendan.orders.selectors import visible_orders
from gendan.orders.workflow import Status
from gendan.parties.models import Channel, Customer
from gendan.parties.selectors import visible_communications, visible_customers
from gendan.timeline.services import record

TEXT = 2000


def _text(value: str | None, limit: int = TEXT) -> str:
    return (value or "").strip()[:limit]


def _save(obj: Any, actor: Any) -> None:
    obj._history_user = actor
    obj.save()


def _wrong_step(what: str) -> DomainError:
    return DomainError(Code.SAMPLE_WRONG_STEP, what, kind=Kind.REFUSED)


# ---- samples -----------------------------------------------------------------------------------


def _sample_for_update(actor: Any, number: str) -> Sample:
    found = selectors.samples(actor).select_for_update(of=("self",)).filter(number=number).first()
    if found is None:
        raise not_found("sample")
    return found


def _product(code: str | None, field: str = "product") -> Product | None:
    if not code:
        return None
    found = Product.objects.filter(code=code).first()
    if found is None:
        raise invalid(
            Code.BAD_INPUT, gettext("Unknown product “%(code)s”.") % {"code": code}, field=field
        )
    return found


def _sample_event(sample: Sample, actor: Any, step: str, **payload: Any) -> None:
    record(
        kind=p.SAMPLE_STEP,
        actor=actor,
        order=sample.order if sample.order_id else None,
        customer=sample.customer if sample.customer_id else None,
        subject=sample,
        to_status=sample.status,
        payload={"sample": sample.number, "step": step, **payload},
    )


@verb(p.REQUEST_SAMPLE)
def request_sample(
    *,
    actor: Any,
    customer: str = "",
    prospect: str = "",
    product: str = "",
    description: str = "",
    quantity: int = 1,
    purpose: str = "",
    needed_by: date | None = None,
) -> Sample:
    """A salesperson asks for a sample for a customer (or a prospect); the merchandiser accepts."""
    cust = None
    if customer:
        cust = visible_customers(actor).filter(code=customer).first()
        if cust is None:
            raise invalid(
                Code.BAD_INPUT,
                gettext("Unknown customer “%(code)s”.") % {"code": customer},
                field="customer",
            )
    elif not _text(prospect):
        raise invalid(
            Code.BAD_INPUT, gettext("Name the customer or the prospect."), field="customer"
        )
    prod = _product(product)
    if prod is None and not _text(description):
        raise invalid(
            Code.BAD_INPUT, gettext("Name the product or describe the sample."), field="product"
        )
    if not isinstance(quantity, int) or not 1 <= quantity <= 10_000:
        raise invalid(
            Code.BAD_INPUT,
            gettext("The quantity must be a whole number from 1 to 10,000."),
            field="quantity",
        )
    with transaction.atomic(durable=True):
        sample = Sample(
            number=next_number("SA"),
            customer=cust,
            prospect=_text(prospect, 200) if cust is None else "",
            product=prod,
            description=_text(description),
            quantity=quantity,
            purpose=_text(purpose, 200),
            needed_by=needed_by,
            requested_by=actor,
        )
        _save(sample, actor)
        record(
            kind=p.SAMPLE_REQUESTED,
            actor=actor,
            customer=cust,
            subject=sample,
            to_status=sample.status,
            payload={"sample": sample.number, "product": prod.code if prod else ""},
        )
    return sample


@verb(p.HANDLE_SAMPLES)
def accept_sample(*, actor: Any, number: str) -> Sample:
    with transaction.atomic(durable=True):
        sample = _sample_for_update(actor, number)
        if sample.status != SampleStatus.REQUESTED:
            raise _wrong_step(gettext("Only a requested sample can be accepted."))
        sample.status = SampleStatus.ACCEPTED
        sample.merchandiser = actor
        sample.accepted_at = timezone.now()
        _save(sample, actor)
        _sample_event(sample, actor, "accepted")
    return sample


@verb(p.HANDLE_SAMPLES)
def record_sample_made(
    *,
    actor: Any,
    number: str,
    source: str,
    started_on: date | None = None,
    made_on: date | None = None,
) -> Sample:
    """打样: the sample is taken from stock, or made between two dates."""
    if source not in SampleSource.values:
        raise invalid(
            Code.BAD_INPUT, gettext("Say whether it is from stock or made."), field="source"
        )
    made_on = made_on or timezone.localdate()
    if started_on and started_on > made_on:
        raise invalid(
            Code.BAD_INPUT, gettext("Making cannot end before it starts."), field="started_on"
        )
    with transaction.atomic(durable=True):
        sample = _sample_for_update(actor, number)
        if sample.status != SampleStatus.ACCEPTED:
            raise _wrong_step(gettext("The sample is made once it is accepted, and only once."))
        sample.status = SampleStatus.MADE
        sample.source = source
        sample.making_started_on = started_on if source == SampleSource.MADE else None
        sample.made_on = made_on
        sample.merchandiser = sample.merchandiser or actor
        _save(sample, actor)
        _sample_event(sample, actor, "made", source=source, made_on=made_on.isoformat())
    return sample


@verb(p.HANDLE_SAMPLES)
def review_sample(*, actor: Any, number: str, note: str = "") -> Sample:
    """仔细审核样品: the merchandiser has checked the sample against the request."""
    with transaction.atomic(durable=True):
        sample = _sample_for_update(actor, number)
        if sample.status != SampleStatus.MADE:
            raise _wrong_step(gettext("A sample is reviewed once it is made."))
        sample.status = SampleStatus.REVIEWED
        sample.reviewed_by = actor
        sample.reviewed_at = timezone.now()
        sample.review_note = _text(note, 500)
        _save(sample, actor)
        _sample_event(sample, actor, "reviewed")
    return sample


def send_reasons(sample: Sample, *, photos: int | None = None) -> list[Reason]:
    """THE RULE: a sample is sent once reviewed, and never without at least one photo
    (寄出前必须先拍照存入电脑档案). Empty = it may be sent."""
    reasons = []
    if sample.status != SampleStatus.REVIEWED:
        reasons.append(
            Reason(Code.SAMPLE_NOT_REVIEWED, gettext("The sample is sent once it is reviewed."))
        )
    if photos is None:
        photos = files_of(sample).count()
    if photos < 1:
        reasons.append(
            Reason(
                Code.SAMPLE_NO_PHOTO,
                gettext("Photograph the sample before sending it: no photo is filed yet."),
            )
        )
    return reasons


@verb(p.HANDLE_SAMPLES)
def send_sample(
    *, actor: Any, number: str, courier: str, tracking_number: str, sent_on: date | None = None
) -> Sample:
    if not _text(courier) or not _text(tracking_number):
        raise invalid(
            Code.BAD_INPUT, gettext("Give the courier and the tracking number."), field="courier"
        )
    with transaction.atomic(durable=True):
        sample = _sample_for_update(actor, number)
        reasons = send_reasons(sample)
        if reasons:
            raise refused(reasons, action="send")
        sample.status = SampleStatus.SENT
        sample.courier = _text(courier, 60)
        sample.tracking_number = _text(tracking_number, 60)
        sample.sent_on = sent_on or timezone.localdate()
        _save(sample, actor)
        _sample_event(
            sample, actor, "sent", courier=sample.courier, tracking=sample.tracking_number
        )
    return sample


@verb(p.HANDLE_SAMPLES)
def confirm_sample_received(
    *, actor: Any, number: str, received_by: str, received_on: date | None = None
) -> Sample:
    """The merchandiser asked the customer: they have it (date, by whom)."""
    if not _text(received_by):
        raise invalid(Code.BAD_INPUT, gettext("Say who received the sample."), field="received_by")
    with transaction.atomic(durable=True):
        sample = _sample_for_update(actor, number)
        if sample.status != SampleStatus.SENT:
            raise _wrong_step(gettext("Only a sent sample can be confirmed received."))
        received_on = received_on or timezone.localdate()
        if sample.sent_on and received_on < sample.sent_on:
            raise invalid(
                Code.BAD_INPUT,
                gettext("It cannot arrive before it was sent."),
                field="received_on",
            )
        sample.status = SampleStatus.RECEIVED
        sample.received_on = received_on
        sample.received_by = _text(received_by, 100)
        sample.receipt_confirmed_by = actor
        sample.receipt_confirmed_at = timezone.now()
        _save(sample, actor)
        _sample_event(sample, actor, "received", received_by=sample.received_by)
    return sample


@verb(p.REQUEST_SAMPLE)
def record_sample_feedback(*, actor: Any, number: str, feedback: str) -> Sample:
    if not _text(feedback):
        raise invalid(Code.BAD_INPUT, gettext("Write the customer's feedback."), field="feedback")
    with transaction.atomic(durable=True):
        sample = _sample_for_update(actor, number)
        if sample.status not in (SampleStatus.RECEIVED, SampleStatus.FEEDBACK):
            raise _wrong_step(gettext("Feedback comes once the customer has the sample."))
        sample.status = SampleStatus.FEEDBACK
        sample.feedback = _text(feedback)
        sample.feedback_at = timezone.now()
        _save(sample, actor)
        _sample_event(sample, actor, "feedback")
    return sample


@verb(p.REQUEST_SAMPLE)
def link_sample_order(*, actor: Any, number: str, order_number: str) -> Sample:
    """The order that followed the sample (it counts in the sample-to-order rate)."""
    with transaction.atomic(durable=True):
        sample = _sample_for_update(actor, number)
        if sample.sent_on is None:
            raise _wrong_step(gettext("An order follows a sample once it was sent."))
        order = visible_orders(actor).filter(number=order_number).first()
        if order is None or (sample.customer_id and order.customer_id != sample.customer_id):
            raise invalid(
                Code.BAD_INPUT,
                gettext("No order %(n)s of this sample's customer.") % {"n": order_number},
                field="order",
            )
        sample.order = order
        _save(sample, actor)
        _sample_event(sample, actor, "order_linked", order_number=order.number)
    return sample


@verb(p.HANDLE_SAMPLES)
def keep_sample(*, actor: Any, number: str, where: str) -> Sample:
    """留样: a sample of the same is kept, and where."""
    if not _text(where):
        raise invalid(Code.BAD_INPUT, gettext("Say where the sample is kept."), field="where")
    with transaction.atomic(durable=True):
        sample = _sample_for_update(actor, number)
        if sample.status in (SampleStatus.REQUESTED, SampleStatus.CANCELLED):
            raise _wrong_step(gettext("A sample is kept once it is made."))
        sample.kept = True
        sample.kept_where = _text(where, 200)
        _save(sample, actor)
        _sample_event(sample, actor, "kept", where=sample.kept_where)
    return sample


@verb(p.HANDLE_SAMPLES)
def launch_campaign(
    *,
    actor: Any,
    product: str,
    region: str = "",
    quantity: int = 1,
    note: str = "",
    needed_by: date | None = None,
) -> Campaign:
    """A new product sent as a sample to every store (专卖店) of a region, or of all; each
    store's sample is accepted by the actor and followed like any sample."""
    prod = _product(product)
    if prod is None:
        raise invalid(Code.BAD_INPUT, gettext("Name the new product."), field="product")
    if not isinstance(quantity, int) or not 1 <= quantity <= 1000:
        raise invalid(
            Code.BAD_INPUT,
            gettext("The quantity must be a whole number from 1 to 1,000."),
            field="quantity",
        )
    stores = Customer.objects.filter(channel=Channel.STORE)
    if _text(region):
        stores = stores.filter(region=_text(region))
    found = list(stores.order_by("code"))
    if not found:
        raise invalid(Code.BAD_INPUT, gettext("No store in this region."), field="region")
    with transaction.atomic(durable=True):
        campaign = Campaign.objects.create(
            number=next_number("SC"),
            product=prod,
            region=_text(region, 100),
            quantity=quantity,
            note=_text(note),
            created_by=actor,
        )
        now = timezone.now()
        rows = [
            Sample(
                number=next_number("SA"),
                status=SampleStatus.ACCEPTED,
                customer=store,
                product=prod,
                quantity=quantity,
                purpose=gettext("New product for the stores"),
                needed_by=needed_by,
                campaign=campaign,
                requested_by=actor,
                merchandiser=actor,
                accepted_at=now,
            )
            for store in found
        ]
        Sample.objects.bulk_create(rows)
        record(
            kind=p.CAMPAIGN_LAUNCHED,
            actor=actor,
            subject=campaign,
            payload={"campaign": campaign.number, "product": prod.code, "stores": len(rows)},
        )
    return campaign


# ---- the team: a salesperson's sales manager ---------------------------------------------------


@verb(p.MANAGE_TEAMS)
def assign_to_manager(*, actor: Any, salesperson: str, manager: str) -> TeamAssignment:
    sales = User.objects.filter(username=salesperson, is_active=True).first()
    boss = selectors.sales_managers().filter(username=manager).first()
    if sales is None:
        raise invalid(Code.BAD_INPUT, gettext("Unknown salesperson."), field="salesperson")
    if boss is None:
        raise invalid(Code.BAD_INPUT, gettext("Not a sales manager."), field="manager")
    with transaction.atomic(durable=True):
        row, _ = TeamAssignment.objects.update_or_create(
            salesperson=sales, defaults={"manager": boss}
        )
        record(
            kind=p.TEAM_ASSIGNED,
            actor=actor,
            subject=row,
            payload={"salesperson": sales.username, "manager": boss.username},
        )
    return row


# ---- complaints --------------------------------------------------------------------------------


def _complaint_for_update(actor: Any, number: str) -> Complaint:
    found = (
        selectors.complaints(actor).select_for_update(of=("self",)).filter(number=number).first()
    )
    if found is None:
        raise not_found("complaint")
    return found


def _complaint_event(complaint: Complaint, actor: Any, event: str, **payload: Any) -> None:
    record(
        kind=event,
        actor=actor,
        order=complaint.order if complaint.order_id else None,
        customer=complaint.customer,
        subject=complaint,
        to_status=complaint.status,
        payload={"complaint": complaint.number, **payload},
    )


@verb(p.LOG_COMPLAINT)
def log_complaint(
    *,
    actor: Any,
    customer: str,
    kind: str,
    description: str,
    order: str = "",
    line_no: int | None = None,
    product: str = "",
    quantity: int = 0,
    communication: int | None = None,
    cause_code: str = "",
) -> Complaint:
    """A complaint from a call, a letter or a visit; the sales manager of the customer's
    salesperson is asked to confirm it (any sales manager when the salesperson has none)."""
    cust = visible_customers(actor).select_related("salesperson").filter(code=customer).first()
    if cust is None:
        raise invalid(
            Code.BAD_INPUT,
            gettext("Unknown customer “%(code)s”.") % {"code": customer},
            field="customer",
        )
    if kind not in ComplaintKind.values:
        raise invalid(Code.BAD_INPUT, gettext("Choose the kind of complaint."), field="kind")
    if not _text(description):
        raise invalid(Code.BAD_INPUT, gettext("Describe the complaint."), field="description")
    if not isinstance(quantity, int) or not 0 <= quantity <= 10_000_000:
        raise invalid(
            Code.BAD_INPUT, gettext("The quantity affected cannot be negative."), field="quantity"
        )
    the_order = None
    line = None
    if order:
        the_order = visible_orders(actor).filter(number=order, customer=cust).first()
        if the_order is None:
            raise invalid(
                Code.BAD_INPUT,
                gettext("No order %(n)s of this customer.") % {"n": order},
                field="order",
            )
        if line_no:
            line = (
                OrderLine.objects.select_related("product")
                .filter(order=the_order, line_no=line_no)
                .first()
            )
            if line is None:
                raise invalid(
                    Code.BAD_INPUT,
                    gettext("The order has no line %(n)s.") % {"n": line_no},
                    field="line_no",
                )
            if quantity > line.quantity:
                raise invalid(
                    Code.BAD_INPUT,
                    gettext("More affected than the line's quantity."),
                    field="quantity",
                )
    prod = _product(product) or (line.product if line else None)
    comm = None
    if communication:
        comm = visible_communications(actor).filter(pk=communication, customer=cust).first()
        if comm is None:
            raise invalid(
                Code.BAD_INPUT,
                gettext("No such communication with this customer."),
                field="communication",
            )
    with transaction.atomic(durable=True):
        complaint = Complaint(
            number=next_number("CP"),
            customer=cust,
            order=the_order,
            line=line,
            product=prod,
            quantity=quantity,
            kind=kind,
            cause_code=_text(cause_code, 40) if kind == ComplaintKind.QUALITY else "",
            description=_text(description),
            communication=comm,
            logged_by=actor,
            manager=selectors.manager_of(cust.salesperson),
        )
        _save(complaint, actor)
        # 第一时间通知业务经理: the customer's sales manager, or every one when there is none
        notify(
            users=[complaint.manager] if complaint.manager else list(selectors.sales_managers()),
            kind=p.COMPLAINT_LOGGED,
            text=format_lazy(
                gettext_lazy("Complaint {number} of {customer} waits for your confirmation."),
                number=complaint.number,
                customer=cust.name,
            ),
            url=reverse("web:aftersales_complaint", args=[complaint.number]),
            actor=actor,
        )
        _complaint_event(
            complaint,
            actor,
            p.COMPLAINT_LOGGED,
            complaint_kind=kind,
            manager=complaint.manager.username if complaint.manager else "",
        )
    return complaint


def _decide(actor: Any, number: str, status: str, reason: str) -> Complaint:
    with transaction.atomic(durable=True):
        complaint = _complaint_for_update(actor, number)
        if complaint.status != ComplaintStatus.LOGGED:
            raise DomainError(
                Code.COMPLAINT_DECIDED,
                gettext("This complaint has been decided already."),
                kind=Kind.REFUSED,
            )
        if complaint.manager_id and complaint.manager_id != actor.pk:
            raise DomainError(
                Code.NOT_THE_MANAGER,
                gettext("%(name)s, the customer's sales manager, confirms this complaint.")
                % {"name": complaint.manager},
                kind=Kind.FORBIDDEN,
            )
        complaint.status = status
        complaint.decided_by = actor
        complaint.decided_at = timezone.now()
        complaint.reject_reason = reason
        _save(complaint, actor)
        _complaint_event(complaint, actor, p.COMPLAINT_DECIDED, decision=status, reason=reason)
        notify(
            users=[complaint.logged_by],
            kind=p.COMPLAINT_DECIDED,
            text=format_lazy(
                gettext_lazy("Complaint {number}: {decision} by the sales manager."),
                number=complaint.number,
                decision=ComplaintStatus(status).label,
            ),
            url=reverse("web:aftersales_complaint", args=[complaint.number]),
            actor=actor,
        )
    return complaint


@verb(p.DECIDE_COMPLAINT)
def confirm_complaint(*, actor: Any, number: str) -> Complaint:
    """第一时间通知业务经理对其客户投诉进行确认: until then no resolution is issued."""
    return _decide(actor, number, ComplaintStatus.CONFIRMED, "")


@verb(p.DECIDE_COMPLAINT)
def reject_complaint(*, actor: Any, number: str, reason: str) -> Complaint:
    if not _text(reason):
        raise invalid(Code.BAD_INPUT, gettext("Say why the complaint is rejected."), field="reason")
    return _decide(actor, number, ComplaintStatus.REJECTED, _text(reason))


def resolve_reasons(complaint: Complaint) -> list[Reason]:
    """THE RULE: a resolution is issued only once the sales manager has confirmed the
    complaint, and never after a rejection."""
    if complaint.status == ComplaintStatus.REJECTED:
        return [
            Reason(
                Code.COMPLAINT_REJECTED,
                gettext("The sales manager rejected this complaint: nothing is issued for it."),
            )
        ]
    if complaint.status == ComplaintStatus.LOGGED:
        return [
            Reason(
                Code.COMPLAINT_NOT_CONFIRMED,
                gettext("Waiting for the sales manager to confirm the complaint."),
            )
        ]
    if complaint.status == ComplaintStatus.CLOSED:
        return [Reason(Code.COMPLAINT_DECIDED, gettext("The complaint is closed."))]
    return []


def _resolvable(actor: Any, number: str, action: str) -> Complaint:
    complaint = _complaint_for_update(actor, number)
    reasons = resolve_reasons(complaint)
    if reasons:
        raise refused(reasons, action=action)
    return complaint


def _owner(username: str | None, actor: Any) -> Any:
    if not username:
        return actor
    found = User.objects.filter(username=username, is_active=True).first()
    if found is None:
        raise invalid(Code.BAD_INPUT, gettext("Unknown owner."), field="owner")
    return found


@dataclass
class ReplacementLine:
    product: str
    quantity: int
    unit_price: Decimal = Decimal("0")


@verb(p.RESOLVE_COMPLAINT)
def issue_replacement_order(
    *,
    actor: Any,
    number: str,
    lines: list[ReplacementLine],
    due_on: date | None = None,
    owner: str = "",
    note: str = "",
) -> Resolution:
    """补件单: an order of the customer at zero or reduced price, of the replacement kind (no
    deposit, a zero total allowed), linked both ways with the complaint, and submitted."""
    require(actor, Perm.ENTER_ORDER)
    if not lines:
        raise invalid(Code.BAD_INPUT, gettext("The replacement needs a line."), field="lines")
    due = due_on or timezone.localdate() + timedelta(days=14)
    if due < timezone.localdate():
        raise invalid(Code.BAD_INPUT, gettext("The due date has passed."), field="due_on")
    who = _owner(owner, actor)
    with transaction.atomic(durable=True):
        complaint = _resolvable(actor, number, "replacement")
        order = order_services.enter_order(
            actor=actor,
            customer=complaint.customer.code,
            contract_date=timezone.localdate(),
            delivery_date=due,
            lines=[
                LineInput(product=x.product, quantity=x.quantity, unit_price=x.unit_price)
                for x in lines
            ],
            salesperson=complaint.order.salesperson.username if complaint.order else None,
            customer_po=complaint.number,
            notes=gettext("Replacement-part order for complaint %(n)s.") % {"n": complaint.number}
            + (f" {_text(note, 500)}" if _text(note) else ""),
            # a replacement asks no deposit whatever the customer's terms (the kind waives it;
            # a reduced price is paid as the balance, before shipping or on credit terms)
            kind=p.REPLACEMENT_KIND,
        )
        resolution = Resolution(
            complaint=complaint,
            kind=ResolutionKind.REPLACEMENT,
            owner=who,
            due_on=due,
            note=_text(note, 500),
            order=order,
            created_by=actor,
        )
        _save(resolution, actor)
        _complaint_event(
            complaint,
            actor,
            p.RESOLUTION_OPENED,
            resolution="replacement",
            order_number=order.number,
            owner=who.username,
            due_on=due.isoformat(),
        )
    order_services.submit_order(order_number=order.number, actor=actor)
    return resolution


@verb(p.RESOLVE_COMPLAINT)
def open_exchange(
    *, actor: Any, number: str, due_on: date | None = None, owner: str = "", note: str = ""
) -> Resolution:
    """An exchange: the goods come back, are received and inspected, and are replaced."""
    due = due_on or timezone.localdate() + timedelta(days=14)
    who = _owner(owner, actor)
    with transaction.atomic(durable=True):
        complaint = _resolvable(actor, number, "exchange")
        resolution = Resolution(
            complaint=complaint,
            kind=ResolutionKind.EXCHANGE,
            owner=who,
            due_on=due,
            note=_text(note, 500),
            created_by=actor,
        )
        _save(resolution, actor)
        _complaint_event(
            complaint,
            actor,
            p.RESOLUTION_OPENED,
            resolution="exchange",
            owner=who.username,
            due_on=due.isoformat(),
        )
    return resolution


@verb(ISSUE_CREDIT_NOTE)
def resolve_by_credit_note(
    *,
    actor: Any,
    number: str,
    amount: Decimal,
    reason: str = "",
    due_on: date | None = None,
    owner: str = "",
    note: str = "",
) -> Resolution:
    """A confirmed complaint settled in money: finance's credit note (贷项通知单) to the
    complaint's customer, for its order when it names one, issued once per complaint (its number
    is the note's source reference: a retry returns the same). The resolution closes once
    finance confirms the note; only then does the receivable go down. Who issues credit notes
    (finance, the sales manager, customer service) may resolve this way."""
    complaint = selectors.get_complaint_for(actor, number)
    reasons = resolve_reasons(complaint)
    if reasons:
        raise refused(reasons, action="credit_note")
    due = due_on or timezone.localdate() + timedelta(days=14)
    if due < timezone.localdate():
        raise invalid(Code.BAD_INPUT, gettext("The due date has passed."), field="due_on")
    who = _owner(owner, actor)
    credit = issue_credit_note(
        actor=actor,
        customer=complaint.customer.code,
        order=complaint.order.number if complaint.order else None,
        amount=amount,
        reason=_text(reason, 500)
        or gettext("Complaint %(n)s: %(what)s")
        % {"n": complaint.number, "what": complaint.description[:200]},
        source="aftersales.complaint",
        source_ref=complaint.number,
    )
    with transaction.atomic(durable=True):
        complaint = _resolvable(actor, number, "credit_note")
        known = Resolution.objects.filter(credit_note=credit).first()
        if known is not None:
            return known
        resolution = Resolution(
            complaint=complaint,
            kind=ResolutionKind.CREDIT_NOTE,
            owner=who,
            due_on=due,
            note=_text(note, 500),
            credit_note=credit,
            created_by=actor,
        )
        _save(resolution, actor)
        # the amount stays in finance's event: this one is read by price-blind roles too
        _complaint_event(
            complaint,
            actor,
            p.RESOLUTION_OPENED,
            resolution="credit_note",
            credit_note=credit.number,
            owner=who.username,
            due_on=due.isoformat(),
        )
    return resolution


@verb(LoadingPerm.RECORD_COUNTING_ERROR)
def record_count_error(
    *,
    actor: Any,
    number: str,
    plan: str,
    person: str,
    expected: int,
    actual: int,
    note: str = "",
) -> Complaint:
    """A count complaint (数量不符) the customer found: the counting error goes into loading's
    register against the person who counted the container (the configured penalty, the
    source's 200-yuan rule), as found on the customer's receipt, and the complaint keeps the
    link. The plan must be one that loaded the complaint's order; once per complaint."""
    complaint = selectors.get_complaint_for(actor, number)
    if complaint.kind != ComplaintKind.COUNT:
        raise DomainError(
            Code.NOT_A_COUNT_COMPLAINT,
            gettext("Only a count complaint goes to the counting-error register."),
            kind=Kind.REFUSED,
        )
    if complaint.counting_error_id:
        raise DomainError(
            Code.COUNT_ALREADY_RECORDED,
            gettext("The counting error of this complaint is recorded already."),
            kind=Kind.REFUSED,
        )
    if complaint.order_id is None or plan not in selectors.loading_plans_of(complaint):
        raise invalid(
            Code.PLAN_NOT_OF_ORDER,
            gettext("Loading plan %(plan)s did not load this complaint's order.") % {"plan": plan},
            field="plan",
        )
    error = record_counting_error(
        actor=actor,
        plan=plan,
        person=person,
        expected=expected,
        actual=actual,
        source=ErrorSource.CUSTOMER_RECEIPT,
        product=complaint.product.code if complaint.product else None,
        note=(
            gettext("Complaint %(n)s.") % {"n": complaint.number} + " " + _text(note, 400)
        ).strip(),
    )
    with transaction.atomic(durable=True):
        complaint = _complaint_for_update(actor, number)
        complaint.counting_error = error
        _save(complaint, actor)
        _complaint_event(
            complaint,
            actor,
            p.COUNT_ERROR_RECORDED,
            plan=plan,
            person=person,
            expected=expected,
            actual=actual,
        )
    return complaint


EXCHANGE_ORDER = list(ExchangeStep.values)


def _resolution_for_update(actor: Any, resolution: int) -> Resolution:
    found = (
        Resolution.objects.select_for_update(of=("self",))
        .select_related("complaint__customer", "order", "credit_note")
        .filter(pk=resolution, complaint__in=selectors.complaints(actor).values("pk"))
        .first()
    )
    if found is None:
        raise not_found("resolution")
    return found


@verb(p.RESOLVE_COMPLAINT)
def record_exchange_step(
    *, actor: Any, resolution: int, step: str, on: date | None = None
) -> Resolution:
    """The exchange's next step, in order: returned, received, inspected, replaced."""
    if step not in EXCHANGE_ORDER:
        raise invalid(Code.BAD_INPUT, gettext("Unknown step."), field="step")
    with transaction.atomic(durable=True):
        res = _resolution_for_update(actor, resolution)
        done = [s for s in EXCHANGE_ORDER if getattr(res, f"{s}_on")]
        expected = EXCHANGE_ORDER[len(done)] if len(done) < len(EXCHANGE_ORDER) else None
        if res.kind != ResolutionKind.EXCHANGE or res.closed_at or step != expected:
            raise DomainError(
                Code.RESOLUTION_WRONG_STEP,
                gettext(
                    "The exchange's steps come in order: returned, received, inspected, replaced."
                ),
                kind=Kind.REFUSED,
                details={"next": expected},
            )
        setattr(res, f"{step}_on", on or timezone.localdate())
        _save(res, actor)
        _complaint_event(res.complaint, actor, p.RESOLUTION_STEP, resolution=res.pk, step=step)
    return res


def close_reasons(res: Resolution) -> list[Reason]:
    if res.closed_at:
        return [Reason(Code.RESOLUTION_WRONG_STEP, gettext("Closed already."))]
    if res.kind == ResolutionKind.REPLACEMENT and (
        res.order is None or res.order.status not in (Status.DELIVERED, Status.CLOSED)
    ):
        return [
            Reason(
                Code.RESOLUTION_OPEN_ORDER,
                gettext("The replacement order is not delivered yet."),
            )
        ]
    if res.kind == ResolutionKind.CREDIT_NOTE and (
        res.credit_note is None or res.credit_note.status != CreditNoteStatus.CONFIRMED
    ):
        return [
            Reason(
                Code.CREDIT_NOTE_UNCONFIRMED,
                gettext("Finance has not confirmed the credit note yet."),
            )
        ]
    if res.kind == ResolutionKind.EXCHANGE and res.replaced_on is None:
        return [
            Reason(Code.RESOLUTION_WRONG_STEP, gettext("The exchange has not been replaced yet."))
        ]
    return []


@verb(p.RESOLVE_COMPLAINT)
def close_resolution(*, actor: Any, resolution: int) -> Resolution:
    with transaction.atomic(durable=True):
        res = _resolution_for_update(actor, resolution)
        reasons = close_reasons(res)
        if reasons:
            raise refused(reasons, action="close_resolution")
        res.closed_at = timezone.now()
        res.closed_by = actor
        _save(res, actor)
        _complaint_event(res.complaint, actor, p.RESOLUTION_STEP, resolution=res.pk, step="closed")
    return res


@verb(p.RESOLVE_COMPLAINT)
def close_complaint(*, actor: Any, number: str) -> Complaint:
    """A confirmed complaint closes once each of its resolutions is closed (one at least)."""
    with transaction.atomic(durable=True):
        complaint = _complaint_for_update(actor, number)
        reasons = resolve_reasons(complaint)
        if reasons:
            raise refused(reasons, action="close_complaint")
        states = list(
            Resolution.objects.filter(complaint=complaint).values_list("closed_at", flat=True)
        )
        if not states or any(at is None for at in states):
            raise DomainError(
                Code.COMPLAINT_OPEN_RESOLUTIONS,
                gettext("Each resolution of the complaint must be closed first (one at least)."),
                kind=Kind.REFUSED,
            )
        complaint.status = ComplaintStatus.CLOSED
        complaint.closed_at = timezone.now()
        _save(complaint, actor)
        _complaint_event(complaint, actor, p.COMPLAINT_CLOSED)
    return complaint
