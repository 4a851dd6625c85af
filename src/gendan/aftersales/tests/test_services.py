"""After-sales' rules: a sample is never sent without a photo; its receipt waits on Today until
confirmed; the order that followed counts in the rate; a complaint is resolved only once its
sales manager confirmed it, never after a rejection; the replacement-part order skips exactly
the conditions its kind waives and keeps the others. Each verb: right role, wrong role, and a
refusal changes nothing."""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from gendan import extensions
from gendan.accounts.models import User
from gendan.aftersales import permissions as p
from gendan.aftersales import selectors, services
from gendan.aftersales.errors import Code
from gendan.aftersales.models import Complaint, ComplaintStatus, Resolution, Sample, SampleStatus
from gendan.attachments.services import attach_file
from gendan.demodata import ACTORS, _inputs, plan_for
from gendan.errors import DomainError, Kind
from gendan.notifications.models import Notification
from gendan.orders import services as order_services
from gendan.orders.models import Order
from gendan.orders.workflow import BY_ACTION, Context, Status, conditions_for
from gendan.parties.models import Channel, Customer

pytestmark = pytest.mark.django_db


def photo() -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, format="PNG")
    return SimpleUploadedFile("sample.png", buffer.getvalue(), content_type="image/png")


def deliver(number: str, u) -> None:
    """A released replacement order, shipped and delivered through orders' verbs."""
    for action in (
        "issue_shipping_notice",
        "issue_outbound_slip",
        "issue_delivery_note",
        "ship",
        "deliver",
    ):
        order = Order.objects.get(number=number)
        plan = plan_for(order, Status.DELIVERED, cod=False)
        order_services.ACTION_VERBS[action](
            order_number=number, actor=u[ACTORS[action]], **_inputs(action, order, plan)
        )


def made_sample(world, *, reviewed: bool = True) -> Sample:
    u = world.users
    sample = services.request_sample(
        actor=u["sales"], customer="DIST01", product="BC-101", quantity=2, purpose="新客户试用"
    )
    services.accept_sample(actor=u["merch"], number=sample.number)
    services.record_sample_made(actor=u["merch"], number=sample.number, source="stock")
    if reviewed:
        services.review_sample(actor=u["merch"], number=sample.number, note="包装完好")
    return Sample.objects.get(pk=sample.pk)


def test_a_sample_cannot_be_sent_without_a_photo_then_is_sent_once_photographed(world):
    merch = world.users["merch"]
    sample = made_sample(world)
    with pytest.raises(DomainError) as refused:
        services.send_sample(
            actor=merch, number=sample.number, courier="顺丰", tracking_number="SF1"
        )
    assert refused.value.code == Code.SAMPLE_NO_PHOTO
    assert refused.value.kind == Kind.REFUSED
    assert Sample.objects.get(pk=sample.pk).status == SampleStatus.REVIEWED  # nothing changed
    attach_file(actor=merch, model="aftersales.sample", key=sample.number, file=photo())
    sent = services.send_sample(
        actor=merch, number=sample.number, courier="顺丰", tracking_number="SF1"
    )
    assert (sent.status, sent.courier, sent.tracking_number, sent.sent_on) == (
        SampleStatus.SENT,
        "顺丰",
        "SF1",
        timezone.localdate(),
    )


def test_an_unreviewed_sample_is_refused_with_both_reasons(world):
    sample = made_sample(world, reviewed=False)
    with pytest.raises(DomainError) as refused:
        services.send_sample(
            actor=world.users["merch"], number=sample.number, courier="顺丰", tracking_number="1"
        )
    codes = [r["code"] for r in refused.value.details["reasons"]]
    assert codes == [Code.SAMPLE_NOT_REVIEWED, Code.SAMPLE_NO_PHOTO]


def test_receipt_follow_up_appears_and_clears_and_the_order_counts_in_the_rate(world):
    u = world.users
    sample = made_sample(world)
    attach_file(actor=u["merch"], model="aftersales.sample", key=sample.number, file=photo())
    services.send_sample(
        actor=u["merch"], number=sample.number, courier="EMS", tracking_number="E1"
    )
    assert [s.number for s in selectors.samples_to_confirm(u["merch"])] == [sample.number]
    services.confirm_sample_received(actor=u["merch"], number=sample.number, received_by="王店长")
    assert list(selectors.samples_to_confirm(u["merch"])) == []
    services.record_sample_feedback(actor=u["sales"], number=sample.number, feedback="手感好")
    assert selectors.sample_rate(u["sales"]) == [
        {"salesperson": "王业务", "product": "BC-101", "sent": 1, "ordered": 0, "rate": 0.0}
    ]
    order = world.order(customer="DIST01", lines=[("BC-101", 100, "12")])
    services.link_sample_order(actor=u["sales"], number=sample.number, order_number=order.number)
    assert selectors.sample_rate(u["sales"])[0]["ordered"] == 1
    assert selectors.sample_rate(u["sales"])[0]["rate"] == 100.0
    kept = services.keep_sample(actor=u["merch"], number=sample.number, where="样品间 A-3")
    assert (kept.kept, kept.kept_where, kept.status) == (True, "样品间 A-3", SampleStatus.FEEDBACK)


def test_sample_verbs_refuse_the_wrong_role_and_change_nothing(world):
    u = world.users
    with pytest.raises(DomainError) as denied:
        services.request_sample(actor=u["production"], customer="DIST01", product="BC-101")
    assert denied.value.kind == Kind.FORBIDDEN
    sample = services.request_sample(actor=u["sales"], customer="DIST01", product="BC-101")
    with pytest.raises(DomainError) as denied:
        services.accept_sample(actor=u["sales"], number=sample.number)
    assert denied.value.kind == Kind.FORBIDDEN
    assert Sample.objects.get(pk=sample.pk).status == SampleStatus.REQUESTED
    assert Sample.objects.count() == 1


def test_a_campaign_sends_a_sample_to_every_store_of_the_region(world):
    Customer.objects.create(code="STORE02", name="宁波专卖店", channel=Channel.STORE, region="华东")
    Customer.objects.create(code="STORE03", name="深圳专卖店", channel=Channel.STORE, region="华南")
    campaign = services.launch_campaign(
        actor=world.users["merch"], product="BC-102", region="华东", quantity=3
    )
    rows = list(campaign.samples.order_by("customer__code").values_list("customer__code", "status"))
    assert rows == [("STORE01", "accepted"), ("STORE02", "accepted")]


# ---- complaints -------------------------------------------------------------------------------


@pytest.fixture
def delivered(world):
    return world.order(customer="DIST01", lines=[("BC-101", 100, "12")], to=Status.DELIVERED)


def log(world, order=None, **kw) -> Complaint:
    args = {
        "actor": world.users["service"],
        "customer": "DIST01",
        "kind": "quality",
        "description": "湿巾破损",
        "quantity": 10,
        **kw,
    }
    if order is not None:
        args.update(order=order.number, line_no=1)
    return services.log_complaint(**args)


def test_no_resolution_before_the_manager_confirms_and_none_after_a_rejection(world, delivered):
    u = world.users
    complaint = log(world, delivered)
    assert complaint.product.code == "BC-101"
    line = [services.ReplacementLine(product="BC-101", quantity=10)]
    with pytest.raises(DomainError) as refused:
        services.issue_replacement_order(actor=u["merch"], number=complaint.number, lines=line)
    assert refused.value.code == Code.COMPLAINT_NOT_CONFIRMED
    assert Order.objects.filter(kind=p.REPLACEMENT_KIND).count() == 0
    assert Resolution.objects.count() == 0
    other = log(world, delivered)
    services.reject_complaint(actor=u["manager"], number=other.number, reason="非质量问题")
    with pytest.raises(DomainError) as refused:
        services.open_exchange(actor=u["merch"], number=other.number)
    assert refused.value.code == Code.COMPLAINT_REJECTED
    with pytest.raises(DomainError) as again:
        services.confirm_complaint(actor=u["manager"], number=other.number)
    assert again.value.code == Code.COMPLAINT_DECIDED
    assert Complaint.objects.get(pk=other.pk).status == ComplaintStatus.REJECTED


def test_the_manager_of_the_customers_salesperson_confirms_and_no_other(world, delivered):
    u = world.users
    other_manager = u["manager"]
    boss = User.objects.create(username="manager2", display_name="钱经理")
    boss.groups.add(Group.objects.get(name="sales_manager"))
    services.assign_to_manager(actor=u["manager"], salesperson="sales", manager="manager2")
    complaint = log(world, delivered)
    assert complaint.manager == boss
    told = Notification.objects.filter(kind=p.COMPLAINT_LOGGED).values_list("user__username", "url")
    assert list(told) == [("manager2", f"/aftersales/complaints/{complaint.number}/")]
    assert [c.number for c in selectors.complaints_to_decide(boss)] == [complaint.number]
    assert list(selectors.complaints_to_decide(other_manager)) == []
    with pytest.raises(DomainError) as refused:
        services.confirm_complaint(actor=other_manager, number=complaint.number)
    assert refused.value.code == Code.NOT_THE_MANAGER
    assert Complaint.objects.get(pk=complaint.pk).status == ComplaintStatus.LOGGED
    done = services.confirm_complaint(actor=boss, number=complaint.number)
    assert (done.status, done.decided_by) == (ComplaintStatus.CONFIRMED, boss)


def test_complaint_verbs_refuse_the_wrong_role(world, delivered):
    u = world.users
    with pytest.raises(DomainError) as denied:
        log(world, delivered, actor=u["sales"])
    assert denied.value.kind == Kind.FORBIDDEN
    complaint = log(world, delivered)
    with pytest.raises(DomainError) as denied:
        services.confirm_complaint(actor=u["service"], number=complaint.number)
    assert denied.value.kind == Kind.FORBIDDEN
    assert Complaint.objects.get(pk=complaint.pk).status == ComplaintStatus.LOGGED


def test_the_replacement_order_skips_exactly_the_waived_conditions(world, delivered):
    u = world.users
    complaint = log(world, delivered)
    services.confirm_complaint(actor=u["manager"], number=complaint.number)
    resolution = services.issue_replacement_order(
        actor=u["merch"],
        number=complaint.number,
        lines=[services.ReplacementLine(product="BC-101", quantity=10)],
    )
    order = Order.objects.get(pk=resolution.order_id)
    assert (order.kind, order.status, order.total_amount) == (
        p.REPLACEMENT_KIND,
        Status.SUBMITTED,
        Decimal("0"),
    )
    assert order.replacement_for == resolution and resolution.complaint == complaint
    assert (order.deposit_percent, order.deposit_due) == (Decimal("0"), Decimal("0"))
    assert extensions.waived_by(p.REPLACEMENT_KIND) == p.REPLACEMENT_WAIVES
    kept = {c.name for t in BY_ACTION.values() for c in conditions_for(t, order)}
    assert "orders.positive_total" not in kept and "orders.deposit_received" not in kept
    assert {"orders.manager_signed", "orders.something_to_notice", "orders.closable"} <= kept
    # no second signature: the sales manager's alone signs it, finance is not asked
    signed = order_services.sign_as_manager(order_number=order.number, actor=u["manager"])
    assert (signed.status, signed.finance_signed_at) == (Status.SIGNED, None)
    # a customer with a 50% deposit: the replacement goes to production without one
    released = order_services.release_order(order_number=order.number, actor=u["merch"])
    assert released.status == Status.READY_TO_SHIP  # the stock covered it: no balance owed
    assert released.deposit_confirmed_at is None
    with pytest.raises(DomainError) as refused:
        services.close_resolution(actor=u["merch"], resolution=resolution.pk)
    assert refused.value.code == Code.RESOLUTION_OPEN_ORDER
    deliver(order.number, u)
    services.close_resolution(actor=u["merch"], resolution=resolution.pk)
    closed = services.close_complaint(actor=u["merch"], number=complaint.number)
    assert closed.status == ComplaintStatus.CLOSED


def test_a_standard_order_keeps_the_conditions_the_replacement_waives(world):
    u = world.users
    entered = world.order(customer="DIST01", lines=[("BC-101", 10, "12")], to=Status.SUBMITTED)
    one = order_services.sign_as_manager(order_number=entered.number, actor=u["manager"])
    assert one.status == Status.SUBMITTED  # a standard order waits for finance too
    order_services.sign_as_finance(order_number=entered.number, actor=u["finance"])
    order = Order.objects.get(pk=entered.pk)
    assert order.status == Status.SIGNED
    reasons = BY_ACTION["release"].gate(Context(order=order, actor=world.users["merch"]))
    assert [r.code for r in reasons] == ["deposit_not_received"]


def test_an_exchange_goes_step_by_step_to_closure(world, delivered):
    u = world.users
    complaint = log(world, delivered, kind="wrong_goods")
    services.confirm_complaint(actor=u["manager"], number=complaint.number)
    res = services.open_exchange(actor=u["merch"], number=complaint.number)
    with pytest.raises(DomainError) as refused:
        services.record_exchange_step(actor=u["merch"], resolution=res.pk, step="inspected")
    assert refused.value.details == {"next": "returned"}
    for step in ("returned", "received", "inspected", "replaced"):
        services.record_exchange_step(actor=u["merch"], resolution=res.pk, step=step)
    assert [r.pk for r in selectors.resolutions_due(u["merch"])] == [res.pk]
    services.close_resolution(actor=u["merch"], resolution=res.pk)
    assert list(selectors.resolutions_due(u["merch"])) == []


def test_a_credit_note_settles_a_confirmed_complaint_once_finance_confirms_it(world, delivered):
    from gendan.finance.models import CreditNote, CreditNoteStatus
    from gendan.finance.selectors import customer_receivable
    from gendan.finance.services import confirm_credit_note

    u = world.users
    complaint = log(world, delivered)
    with pytest.raises(DomainError) as early:
        services.resolve_by_credit_note(
            actor=u["manager"], number=complaint.number, amount=Decimal("80.00")
        )
    assert early.value.code == Code.COMPLAINT_NOT_CONFIRMED
    assert not CreditNote.objects.exists()
    services.confirm_complaint(actor=u["manager"], number=complaint.number)
    with pytest.raises(DomainError) as denied:  # the merchandiser issues no money
        services.resolve_by_credit_note(
            actor=u["merch"], number=complaint.number, amount=Decimal("80.00")
        )
    assert denied.value.kind == Kind.FORBIDDEN
    customer = delivered.customer
    before = customer_receivable(customer)
    res = services.resolve_by_credit_note(
        actor=u["manager"], number=complaint.number, amount=Decimal("80.00"), owner="merch"
    )
    note = res.credit_note
    assert (note.source_ref, note.order, note.amount) == (
        complaint.number,
        delivered,
        Decimal("80.00"),
    )
    # a retry is the same resolution and the same note
    again = services.resolve_by_credit_note(
        actor=u["manager"], number=complaint.number, amount=Decimal("80.00")
    )
    assert again.pk == res.pk and CreditNote.objects.count() == 1
    with pytest.raises(DomainError) as open_note:
        services.close_resolution(actor=u["merch"], resolution=res.pk)
    assert open_note.value.details["reasons"][0]["code"] == Code.CREDIT_NOTE_UNCONFIRMED
    assert customer_receivable(customer) == before
    confirm_credit_note(actor=u["finance"], number=note.number)
    assert CreditNote.objects.get().status == CreditNoteStatus.CONFIRMED
    assert customer_receivable(customer) == before - Decimal("80.00")
    services.close_resolution(actor=u["merch"], resolution=res.pk)
    services.close_complaint(actor=u["merch"], number=complaint.number)
    assert Complaint.objects.get(pk=complaint.pk).status == ComplaintStatus.CLOSED
