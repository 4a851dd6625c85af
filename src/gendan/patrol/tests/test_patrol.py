"""The exceptions register: raised from the phone in a few taps (with a photo), shown on the
merchandiser's Today, acted on and closed (never without what was done), made the slip reason of
the day's production report through production's correction, and counted per kind and line."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image

from gendan.errors import DomainError, Kind
from gendan.notifications.models import Notification
from gendan.patrol import services
from gendan.patrol.contributions import open_exceptions_section
from gendan.patrol.models import ExceptionStatus, ProductionException
from gendan.production.models import DailyReport
from gendan.production.services import reports
from gendan.production.tests.factories import factory, released_order, work_orders
from gendan.timeline.models import Event

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
YESTERDAY = TODAY - timedelta(days=1)


def photo() -> SimpleUploadedFile:
    buffer = BytesIO()
    Image.new("RGB", (48, 36), "gray").save(buffer, format="PNG")
    return SimpleUploadedFile("异常.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def floor(world):
    """An order of 100 dining chairs released to three lines (开料, 组装, 包装)."""
    factory(world.users["admin"])
    return released_order(world)


def test_raised_from_the_floor_with_a_photo_and_on_the_merchandisers_today(world, floor):
    cut, *_ = work_orders(floor)
    qc = world.users["qc"]
    with pytest.raises(DomainError) as nowhere:
        services.raise_exception(actor=qc, kind="quality", description="毛刺")
    assert nowhere.value.code == "patrol_bad_input"
    with pytest.raises(DomainError) as driver:
        services.raise_exception(
            actor=world.users["driver"], kind="quality", description="x", line="CUT-1"
        )
    assert driver.value.kind == Kind.FORBIDDEN
    assert ProductionException.objects.count() == 0
    exc = services.raise_exception(
        actor=qc, kind="quality", description="椅腿毛刺", work_order=cut.number, photo=photo()
    )
    assert (exc.order, exc.line.code, exc.assignee) == (floor, "CUT-1", floor.merchandiser)
    assert Event.objects.filter(kind="patrol.raised", order=floor).count() == 1
    told = Notification.objects.get(user=floor.merchandiser, kind="patrol.raised")
    assert exc.number in told.text and told.url == f"/patrol/{exc.number}/"
    merch = world.users["merch"]
    data = open_exceptions_section(merch, TODAY, 10)
    assert (data.count, [e.number for e in data.rows]) == (1, [exc.number])
    assert open_exceptions_section(world.users["sales"], TODAY, 10).count == 0
    with pytest.raises(DomainError) as no_action:
        services.close_exception(actor=merch, number=exc.number)
    assert no_action.value.code == "patrol_no_action_taken"
    services.record_action(actor=merch, number=exc.number, action_taken="换刀具，返工 12 件")
    closed = services.close_exception(actor=merch, number=exc.number)
    assert (closed.status, closed.closed_by) == (ExceptionStatus.CLOSED, merch)
    assert open_exceptions_section(merch, TODAY, 10).count == 0
    assert closed.history.count() == 3


def test_an_exception_becomes_the_slip_reason_of_the_days_report(world, floor):
    cut, *_ = work_orders(floor)
    production = world.users["production"]
    exc = services.raise_exception(
        actor=world.users["merch"], kind="machine", description="锯片断", work_order=cut.number
    )
    exc.day = YESTERDAY
    exc.save()
    with pytest.raises(DomainError) as no_report:
        services.make_slip_reason(actor=production, number=exc.number)
    assert no_report.value.code == "patrol_no_daily_report"
    reports.record_report(
        work_order=cut.number,
        day=YESTERDAY,
        good_qty=50,
        slip_reason="staffing",
        note="人手不够",
        actor=production,
    )
    linked = services.make_slip_reason(actor=production, number=exc.number)
    report = DailyReport.objects.get(work_order=cut, day=YESTERDAY)
    assert (report.slip_reason, linked.daily_report) == ("machine", report)
    assert exc.number in report.note
    assert report.history.first().prev_record.slip_reason == "staffing"


def test_pages_api_report_and_query_counts(client, world, floor):
    _cut, asm, _pack = work_orders(floor)
    merch = world.users["merch"]
    client.force_login(world.users["production"])
    page = client.post(
        "/patrol/new/",
        {"kind": "material", "description": "面料未到", "line": "ASM-1", "photo": photo()},
    )
    assert page.status_code == 302
    exc = ProductionException.objects.get()
    assert exc.line.code == "ASM-1"
    assert client.get(f"/patrol/{exc.number}/").content.decode().count("attachment_image") == 0
    for _ in range(9):
        services.raise_exception(
            actor=merch, kind="safety", description="通道堵塞", work_order=asm.number
        )

    def listing() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/patrol/").status_code == 200
        return len(ctx.captured_queries)

    ten = listing()
    for _ in range(20):
        services.raise_exception(actor=merch, kind="people", description="缺勤", line="CUT-1")
    assert listing() == ten
    report = client.get("/patrol/report/").content.decode()
    assert 'data-line="ASM-1"' in report and 'data-line="CUT-1"' in report
    assert client.get("/patrol/exceptions.xlsx").status_code == 200
    body = client.get("/api/v1/patrol/exceptions?limit=5").json()
    assert len(body["items"]) == 5 and body["next_cursor"] is not None
    made = client.post(
        "/api/v1/patrol/exceptions",
        {"kind": "method", "description": "工艺卡缺", "line": "PACK-1"},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["line"] == "PACK-1"
    counts = client.get(f"/api/v1/patrol/by-kind-and-line?since={TODAY}&until={TODAY}").json()
    assert {(r["line__code"], r["kind"]): r["total"] for r in counts}[("CUT-1", "people")] == 20
    # Today's lazy section, drawn in its own request
    client.force_login(merch)
    section = client.get("/patrol/today/").content.decode()
    assert 'data-section="patrol_open_exceptions"' in section and "面料未到" not in section
    assert section.count("data-exception=") == 9
