"""The demo's after-sales: 王业务's team under 张经理, a sample just requested (the walk starts
there), a sample photographed and sent whose receipt waits for the merchandiser's call, and a
complaint from a customer's call on a delivered order, waiting for the sales manager."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gendan.aftersales import services
from gendan.attachments.services import attach_file
from gendan.orders.models import Order
from gendan.orders.workflow import Status
from gendan.parties.models import Communication, CommunicationKind


def _photo() -> SimpleUploadedFile:
    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (64, 48), (230, 240, 250)).save(buffer, format="PNG")
    return SimpleUploadedFile("样品照片.png", buffer.getvalue(), content_type="image/png")


def seed_aftersales(users: dict[str, Any]) -> None:
    sales, merch, service = users["sales"], users["merch"], users["service"]
    today = timezone.localdate()
    services.assign_to_manager(actor=users["manager"], salesperson="sales", manager="manager")
    services.request_sample(
        actor=sales,
        customer="DIST01",
        product="BC-102",
        quantity=5,
        purpose="新客户试用便携装",
        needed_by=today + timedelta(days=7),
    )
    sent = services.request_sample(
        actor=sales, customer="EXP001", product="BC-301", quantity=2, purpose="客户验货"
    )
    services.accept_sample(actor=merch, number=sent.number)
    services.record_sample_made(
        actor=merch,
        number=sent.number,
        source="made",
        started_on=today - timedelta(days=6),
        made_on=today - timedelta(days=4),
    )
    services.review_sample(actor=merch, number=sent.number, note="刻度清晰，无划痕")
    attach_file(actor=merch, model="aftersales.sample", key=sent.number, file=_photo())
    services.send_sample(
        actor=merch,
        number=sent.number,
        courier="DHL",
        tracking_number="DHL-7788123",
        sent_on=today - timedelta(days=3),
    )
    services.keep_sample(actor=merch, number=sent.number, where="样品间 B-2")
    delivered = (
        Order.objects.filter(status__in=(Status.DELIVERED, Status.CLOSED))
        .order_by("number")
        .first()
    )
    if delivered is None:
        return
    call = Communication.objects.create(
        customer=delivered.customer,
        order=delivered,
        kind=CommunicationKind.CALL,
        summary="客户来电：到货部分外箱压坏，产品受损",
        created_by=service,
    )
    first = delivered.lines.order_by("line_no").first()
    services.log_complaint(
        actor=service,
        customer=delivered.customer.code,
        kind="quality",
        description="到货后发现部分产品破损，客户要求补发",
        order=delivered.number,
        line_no=first.line_no if first else None,
        quantity=min(5, first.quantity) if first else 0,
        communication=call.pk,
        cause_code="包装",
    )
