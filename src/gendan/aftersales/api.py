"""After-sales over HTTP (/api/v1/aftersales/...): samples and their steps, campaigns,
complaints, the sales manager's decision, resolutions, the daily summary, the sample-to-order
rate and the team assignment. No price in any: a replacement line's price goes in, never out."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from gendan.aftersales import selectors, services
from gendan.aftersales.models import (
    Campaign,
    Complaint,
    ComplaintKind,
    ExchangeStep,
    Resolution,
    Sample,
    SampleSource,
)
from gendan.apiconventions import caller, errors, page_by_key
from gendan.attachments import services as attachments
from gendan.prices import redact_text

router = Router(tags=["aftersales"])

# ---- samples -----------------------------------------------------------------------------------


class CustomerSampleOut(Schema):
    number: str
    status: str
    customer: str | None
    prospect: str
    product: str | None
    description: str
    quantity: int
    purpose: str
    needed_by: date | None
    campaign: str | None
    requested_by: str
    merchandiser: str | None
    source: str
    making_started_on: date | None
    made_on: date | None
    reviewed_at: datetime | None
    courier: str
    tracking_number: str
    sent_on: date | None
    received_on: date | None
    received_by: str
    receipt_confirmed_by: str | None
    feedback: str
    order: str | None
    kept: bool
    kept_where: str
    has_photo: bool


def _user(u: Any) -> str | None:
    return u.username if u is not None else None


def sample_out(s: Sample, actor: Any) -> dict[str, Any]:
    return {
        "number": s.number,
        "status": s.status,
        "customer": s.customer.code if s.customer_id else None,
        "prospect": s.prospect,
        "product": s.product.code if s.product_id else None,
        "description": redact_text(s.description, actor),
        "quantity": s.quantity,
        "purpose": s.purpose,
        "needed_by": s.needed_by,
        "campaign": s.campaign.number if s.campaign_id else None,
        "requested_by": s.requested_by.username,
        "merchandiser": _user(s.merchandiser),
        "source": s.source,
        "making_started_on": s.making_started_on,
        "made_on": s.made_on,
        "reviewed_at": s.reviewed_at,
        "courier": s.courier,
        "tracking_number": s.tracking_number,
        "sent_on": s.sent_on,
        "received_on": s.received_on,
        "received_by": s.received_by,
        "receipt_confirmed_by": _user(s.receipt_confirmed_by),
        "feedback": redact_text(s.feedback, actor),
        "order": s.order.number if s.order_id else None,
        "kept": s.kept,
        "kept_where": s.kept_where,
        "has_photo": bool(getattr(s, "has_photo", False)),
    }


class SamplePage(Schema):
    items: list[CustomerSampleOut]
    next_cursor: str | None


class SampleIn(Schema):
    customer: str = Field("", max_length=30, description="A customer's code, or a prospect.")
    prospect: str = Field("", max_length=200)
    product: str = Field("", max_length=40)
    description: str = Field("", max_length=2000)
    quantity: int = Field(1, ge=1, le=10_000)
    purpose: str = Field("", max_length=200)
    needed_by: date | None = None


def _sample(request: HttpRequest, number: str) -> dict[str, Any]:
    actor = caller(request)
    return sample_out(selectors.get_sample_for(actor, number), actor)


@router.get("/samples", response={200: SamplePage, **errors()})
def list_samples(
    request: HttpRequest,
    status: str | None = Query(None, max_length=20),
    customer: str | None = Query(None, max_length=30),
    after: int | None = Query(None, ge=1, description="`next_cursor` of the page before"),
    limit: int = Query(100, ge=1, le=500),
):
    """Samples you see, newest first."""
    actor = caller(request)
    qs = selectors.with_photo(selectors.samples(actor).select_related("receipt_confirmed_by"))
    if status:
        qs = qs.filter(status=status)
    if customer:
        qs = qs.filter(customer__code=customer)
    rows, cursor = page_by_key(qs, key="-id", after=after, limit=limit)
    return {"items": [sample_out(s, actor) for s in rows], "next_cursor": cursor}


@router.post("/samples", response={201: CustomerSampleOut, **errors(403, 404, 409)})
def create_sample(request: HttpRequest, data: SampleIn):
    """A salesperson requests a sample; the merchandiser accepts it."""
    made = services.request_sample(actor=caller(request), **data.dict())
    return Status(201, _sample(request, made.number))


@router.get("/samples/rate", response={200: list[dict[str, Any]], **errors()})
def sample_rate(request: HttpRequest):
    """Samples sent and those an order followed, per salesperson and product."""
    return selectors.sample_rate(caller(request))


@router.get("/samples/{number}", response={200: CustomerSampleOut, **errors(404)})
def get_sample(request: HttpRequest, number: str):
    return sample_out(selectors.get_sample_for(caller(request), number), caller(request))


class MadeIn(Schema):
    source: Literal[*SampleSource.values]  # type: ignore[valid-type]
    started_on: date | None = None
    made_on: date | None = None


class ReviewIn(Schema):
    note: str = Field("", max_length=500)


class SendIn(Schema):
    courier: str = Field(min_length=1, max_length=60)
    tracking_number: str = Field(min_length=1, max_length=60)
    sent_on: date | None = None


class ReceivedIn(Schema):
    received_by: str = Field(min_length=1, max_length=100)
    received_on: date | None = None


class FeedbackIn(Schema):
    feedback: str = Field(min_length=1, max_length=2000)


class LinkOrderIn(Schema):
    order: str = Field(min_length=1, max_length=30)


class KeepIn(Schema):
    where: str = Field(min_length=1, max_length=200)


STEP_ERRORS = {200: CustomerSampleOut, **errors(403, 404, 409)}


@router.post("/samples/{number}/photos", response={201: CustomerSampleOut, **errors(403, 404)})
def sample_photo(request: HttpRequest, number: str, file: File[UploadedFile]):
    """File a photo of the sample (multipart field ``file``; checked as every attachment): a
    sample is not sent without one."""
    attachments.attach_file(actor=caller(request), model="aftersales.sample", key=number, file=file)
    return Status(201, _sample(request, number))


@router.post("/samples/{number}/accept", response=STEP_ERRORS)
def accept_sample(request: HttpRequest, number: str):
    services.accept_sample(actor=caller(request), number=number)
    return _sample(request, number)


@router.post("/samples/{number}/made", response=STEP_ERRORS)
def sample_made(request: HttpRequest, number: str, data: MadeIn):
    """打样: from stock, or made between two dates."""
    services.record_sample_made(actor=caller(request), number=number, **data.dict())
    return _sample(request, number)


@router.post("/samples/{number}/review", response=STEP_ERRORS)
def review_sample(request: HttpRequest, number: str, data: ReviewIn):
    services.review_sample(actor=caller(request), number=number, note=data.note)
    return _sample(request, number)


@router.post("/samples/{number}/send", response=STEP_ERRORS)
def send_sample(request: HttpRequest, number: str, data: SendIn):
    """Refused (409 `aftersales_sample_no_photo`) until a photo is attached to the sample
    (`POST /api/v1/orders/attachments/aftersales.sample/{number}`)."""
    services.send_sample(actor=caller(request), number=number, **data.dict())
    return _sample(request, number)


@router.post("/samples/{number}/received", response=STEP_ERRORS)
def sample_received(request: HttpRequest, number: str, data: ReceivedIn):
    services.confirm_sample_received(actor=caller(request), number=number, **data.dict())
    return _sample(request, number)


@router.post("/samples/{number}/feedback", response=STEP_ERRORS)
def sample_feedback(request: HttpRequest, number: str, data: FeedbackIn):
    services.record_sample_feedback(actor=caller(request), number=number, feedback=data.feedback)
    return _sample(request, number)


@router.post("/samples/{number}/order", response=STEP_ERRORS)
def link_order(request: HttpRequest, number: str, data: LinkOrderIn):
    services.link_sample_order(actor=caller(request), number=number, order_number=data.order)
    return _sample(request, number)


@router.post("/samples/{number}/keep", response=STEP_ERRORS)
def keep_sample(request: HttpRequest, number: str, data: KeepIn):
    services.keep_sample(actor=caller(request), number=number, where=data.where)
    return _sample(request, number)


# ---- campaigns ---------------------------------------------------------------------------------


class CampaignOut(Schema):
    number: str
    product: str
    region: str
    quantity: int
    stores: int
    received: int
    created_by: str
    created_at: datetime


class CampaignIn(Schema):
    product: str = Field(min_length=1, max_length=40)
    region: str = Field("", max_length=100, description="Empty: every store.")
    quantity: int = Field(1, ge=1, le=1000)
    note: str = Field("", max_length=2000)
    needed_by: date | None = None


def campaign_out(c: Campaign) -> dict[str, Any]:
    return {
        "number": c.number,
        "product": c.product.code,
        "region": c.region,
        "quantity": c.quantity,
        "stores": getattr(c, "stores", 0),
        "received": getattr(c, "received", 0),
        "created_by": c.created_by.username,
        "created_at": c.created_at,
    }


class CampaignPage(Schema):
    items: list[CampaignOut]
    next_cursor: str | None


@router.get("/campaigns", response={200: CampaignPage, **errors()})
def list_campaigns(
    request: HttpRequest,
    after: int | None = Query(None, ge=1, description="`next_cursor` of the page before"),
    limit: int = Query(100, ge=1, le=500),
):
    """Campaigns, newest first. Pass `after` = `next_cursor` for the next page."""
    rows, cursor = page_by_key(
        selectors.campaigns(caller(request)), key="-id", after=after, limit=limit
    )
    return {"items": [campaign_out(c) for c in rows], "next_cursor": cursor}


@router.post("/campaigns", response={201: CampaignOut, **errors(403, 409)})
def launch_campaign(request: HttpRequest, data: CampaignIn):
    """A new product as a sample to every store of a region (or all)."""
    made = services.launch_campaign(actor=caller(request), **data.dict())
    return Status(201, campaign_out(selectors.campaigns(caller(request)).get(pk=made.pk)))


# ---- complaints --------------------------------------------------------------------------------


class ResolutionOut(Schema):
    id: int
    kind: str
    owner: str
    due_on: date
    order: str | None
    order_status: str | None
    returned_on: date | None
    received_on: date | None
    inspected_on: date | None
    replaced_on: date | None
    credit_note: str | None
    credit_note_status: str | None
    closed_at: datetime | None


class ComplaintOut(Schema):
    number: str
    status: str
    customer: str
    order: str | None
    line_no: int | None
    product: str | None
    quantity: int
    kind: str
    cause_code: str
    description: str
    communication: int | None
    logged_by: str
    logged_at: datetime
    manager: str | None
    decided_by: str | None
    decided_at: datetime | None
    reject_reason: str
    closed_at: datetime | None
    counting_error: int | None  # the id in loading's counting-error register
    resolutions: list[ResolutionOut]


def resolution_out(r: Resolution) -> dict[str, Any]:
    return {
        "id": r.pk,
        "kind": r.kind,
        "owner": r.owner.username,
        "due_on": r.due_on,
        "order": r.order.number if r.order_id else None,
        "order_status": r.order.status if r.order_id else None,
        "returned_on": r.returned_on,
        "received_on": r.received_on,
        "inspected_on": r.inspected_on,
        "replaced_on": r.replaced_on,
        # the note's number and state, never its amount (finance's API carries that)
        "credit_note": r.credit_note.number if r.credit_note_id else None,
        "credit_note_status": r.credit_note.status if r.credit_note_id else None,
        "closed_at": r.closed_at,
    }


def complaint_out(c: Complaint, actor: Any, resolutions: list[Resolution]) -> dict[str, Any]:
    return {
        "number": c.number,
        "status": c.status,
        "customer": c.customer.code,
        "order": c.order.number if c.order_id else None,
        "line_no": c.line.line_no if c.line_id else None,
        "product": c.product.code if c.product_id else None,
        "quantity": c.quantity,
        "kind": c.kind,
        "cause_code": c.cause_code,
        "description": redact_text(c.description, actor),
        "communication": c.communication_id,
        "logged_by": c.logged_by.username,
        "logged_at": c.logged_at,
        "manager": _user(c.manager),
        "decided_by": _user(c.decided_by),
        "decided_at": c.decided_at,
        "reject_reason": redact_text(c.reject_reason, actor),
        "closed_at": c.closed_at,
        "counting_error": c.counting_error_id,
        "resolutions": [resolution_out(r) for r in resolutions],
    }


def _complaint(request: HttpRequest, number: str) -> dict[str, Any]:
    actor = caller(request)
    found = selectors.get_complaint_for(actor, number)
    return complaint_out(found, actor, selectors.resolutions_of(found))


class ComplaintPage(Schema):
    items: list[ComplaintOut]
    next_cursor: str | None


class ComplaintIn(Schema):
    customer: str = Field(min_length=1, max_length=30)
    kind: Literal[*ComplaintKind.values]  # type: ignore[valid-type]
    description: str = Field(min_length=1, max_length=2000)
    order: str = Field("", max_length=30)
    line_no: int | None = Field(None, ge=1)
    product: str = Field("", max_length=40)
    quantity: int = Field(0, ge=0, le=10_000_000)
    communication: int | None = Field(None, ge=1, description="The communication-log entry.")
    cause_code: str = Field("", max_length=40, description="Quality complaints: the cause.")


@router.get("/complaints", response={200: ComplaintPage, **errors()})
def list_complaints(
    request: HttpRequest,
    status: str | None = Query(None, max_length=20),
    customer: str | None = Query(None, max_length=30),
    after: int | None = Query(None, ge=1, description="`next_cursor` of the page before"),
    limit: int = Query(100, ge=1, le=500),
):
    """Complaints of the customers you see, newest first."""
    actor = caller(request)
    qs = selectors.complaints(actor).prefetch_related("resolutions__owner", "resolutions__order")
    if status:
        qs = qs.filter(status=status)
    if customer:
        qs = qs.filter(customer__code=customer)
    rows, cursor = page_by_key(qs, key="-id", after=after, limit=limit)
    return {
        "items": [complaint_out(c, actor, list(c.resolutions.all())) for c in rows],
        "next_cursor": cursor,
    }


@router.post("/complaints", response={201: ComplaintOut, **errors(403, 404, 409)})
def create_complaint(request: HttpRequest, data: ComplaintIn):
    """Log a complaint; the sales manager of the customer's salesperson is asked to confirm."""
    made = services.log_complaint(actor=caller(request), **data.dict())
    return Status(201, _complaint(request, made.number))


class SummaryOut(Schema):
    day: date
    logged: list[ComplaintOut]
    open: list[dict[str, Any]]
    by_kind: dict[str, int]


@router.get("/complaints/summary", response={200: SummaryOut, **errors()})
def complaint_summary(request: HttpRequest, day: date | None = None):
    """每天的客户投诉进行汇总: the day's complaints, and the open ones with their age in days."""
    actor = caller(request)
    data = selectors.summary_rows(actor, day or timezone.localdate())
    return {
        "day": data["day"],
        "logged": [complaint_out(c, actor, []) for c in data["logged"]],
        "open": [
            {
                "number": c.number,
                "customer": c.customer.code,
                "status": c.status,
                "age_days": c.age_days,
            }
            for c in data["open"]
        ],
        "by_kind": data["by_kind"],
    }


@router.get("/complaints/{number}", response={200: ComplaintOut, **errors(404)})
def get_complaint(request: HttpRequest, number: str):
    return _complaint(request, number)


@router.post("/complaints/{number}/photos", response={201: ComplaintOut, **errors(403, 404)})
def complaint_photo(request: HttpRequest, number: str, file: File[UploadedFile]):
    """Attach a photo to the complaint (multipart field ``file``)."""
    attachments.attach_file(
        actor=caller(request), model="aftersales.complaint", key=number, file=file
    )
    return Status(201, _complaint(request, number))


class ComplaintRejectIn(Schema):
    reason: str = Field(min_length=1, max_length=2000)


class ReplacementLineIn(Schema):
    product: str = Field(min_length=1, max_length=40)
    quantity: int = Field(ge=1, le=10_000_000)
    unit_price: Decimal = Field(Decimal("0"), ge=0, max_digits=12, decimal_places=2)


class ReplacementIn(Schema):
    lines: list[ReplacementLineIn] = Field(min_length=1, max_length=50)
    due_on: date | None = None
    owner: str = Field("", max_length=150)
    note: str = Field("", max_length=500)


class ExchangeIn(Schema):
    due_on: date | None = None
    owner: str = Field("", max_length=150)
    note: str = Field("", max_length=500)


class CreditResolutionIn(Schema):
    amount: Decimal = Field(gt=0, max_digits=12, decimal_places=2)
    reason: str = Field("", max_length=500)
    due_on: date | None = None
    owner: str = Field("", max_length=150)
    note: str = Field("", max_length=500)


class CountErrorIn(Schema):
    plan: str = Field(min_length=1, max_length=20)
    person: str = Field(min_length=1, max_length=150)
    expected: int = Field(ge=0, le=10_000_000)
    actual: int = Field(ge=0, le=10_000_000)
    note: str = Field("", max_length=400)


class ExchangeStepIn(Schema):
    step: Literal[*ExchangeStep.values]  # type: ignore[valid-type]
    on: date | None = None


DECIDED = {200: ComplaintOut, **errors(403, 404, 409)}


@router.post("/complaints/{number}/confirm", response=DECIDED)
def confirm_complaint(request: HttpRequest, number: str):
    """The customer's sales manager (or any, when the salesperson has none) confirms."""
    services.confirm_complaint(actor=caller(request), number=number)
    return _complaint(request, number)


@router.post("/complaints/{number}/reject", response=DECIDED)
def reject_complaint(request: HttpRequest, number: str, data: ComplaintRejectIn):
    services.reject_complaint(actor=caller(request), number=number, reason=data.reason)
    return _complaint(request, number)


@router.post(
    "/complaints/{number}/replacement", response={201: ComplaintOut, **errors(403, 404, 409)}
)
def issue_replacement(request: HttpRequest, number: str, data: ReplacementIn):
    """补件单: an order of the replacement kind (no deposit, a zero total allowed), submitted."""
    services.issue_replacement_order(
        actor=caller(request),
        number=number,
        lines=[services.ReplacementLine(**x.dict()) for x in data.lines],
        due_on=data.due_on,
        owner=data.owner,
        note=data.note,
    )
    return Status(201, _complaint(request, number))


@router.post("/complaints/{number}/exchange", response={201: ComplaintOut, **errors(403, 404, 409)})
def open_exchange(request: HttpRequest, number: str, data: ExchangeIn):
    services.open_exchange(actor=caller(request), number=number, **data.dict())
    return Status(201, _complaint(request, number))


@router.post(
    "/complaints/{number}/credit-note", response={201: ComplaintOut, **errors(403, 404, 409)}
)
def resolve_by_credit_note(request: HttpRequest, number: str, data: CreditResolutionIn):
    """A credit note (贷项通知单) for a confirmed complaint, issued once per complaint; the
    resolution closes once finance confirms it. For those who issue credit notes."""
    services.resolve_by_credit_note(actor=caller(request), number=number, **data.dict())
    return Status(201, _complaint(request, number))


@router.post(
    "/complaints/{number}/counting-error", response={201: ComplaintOut, **errors(403, 404, 409)}
)
def record_count_error(request: HttpRequest, number: str, data: CountErrorIn):
    """A count complaint found by the customer goes into loading's counting-error register
    against the person who counted (the plan must have loaded the complaint's order)."""
    services.record_count_error(actor=caller(request), number=number, **data.dict())
    return Status(201, _complaint(request, number))


@router.post("/complaints/{number}/close", response=DECIDED)
def close_complaint(request: HttpRequest, number: str):
    services.close_complaint(actor=caller(request), number=number)
    return _complaint(request, number)


@router.post(
    "/resolutions/{resolution_id}/exchange-step",
    response={200: ResolutionOut, **errors(403, 404, 409)},
)
def exchange_step(request: HttpRequest, resolution_id: int, data: ExchangeStepIn):
    """The exchange's next step, in order: returned, received, inspected, replaced."""
    res = services.record_exchange_step(
        actor=caller(request), resolution=resolution_id, **data.dict()
    )
    return resolution_out(res)


@router.post(
    "/resolutions/{resolution_id}/close", response={200: ResolutionOut, **errors(403, 404, 409)}
)
def close_resolution(request: HttpRequest, resolution_id: int):
    """A replacement closes once its order is delivered, an exchange once replaced, a credit
    note once finance confirms it."""
    res = services.close_resolution(actor=caller(request), resolution=resolution_id)
    return resolution_out(res)


class TeamIn(Schema):
    manager: str = Field(min_length=1, max_length=150)


class TeamOut(Schema):
    salesperson: str
    manager: str


@router.put("/teams/{salesperson}", response={200: TeamOut, **errors(403)})
def assign_team(request: HttpRequest, salesperson: str, data: TeamIn):
    """Which sales manager confirms this salesperson's customers' complaints."""
    row = services.assign_to_manager(
        actor=caller(request), salesperson=salesperson, manager=data.manager
    )
    return {"salesperson": row.salesperson.username, "manager": row.manager.username}
