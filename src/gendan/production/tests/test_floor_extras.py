"""The daily reports from Excel, the slip-reason statistics, the plan-progress sheet, the
printed day plan and the editable master data."""

from __future__ import annotations

import io
import re
import zlib
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from gendan.exports.models import ExportRecord
from gendan.orders.workflow import Status
from gendan.production import slip_stats
from gendan.production.models import (
    CompanyHoliday,
    DailyReport,
    LineCalendarException,
    LineCapacity,
    ProductionLine,
    Routing,
    WorkOrder,
)
from gendan.production.services import plans, report_import, reports
from gendan.production.tests.factories import FAMILY, factory, released_order, work_orders

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}
TODAY = timezone.localdate()
YESTERDAY = TODAY - timedelta(days=1)
BEFORE = TODAY - timedelta(days=2)
IMPORT_URL = "/api/v1/production/reports/import"


@pytest.fixture
def released(world):
    factory(world.users["admin"])
    return released_order(world)


def workbook(rows, header=report_import.HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = report_import.SHEET
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client, data, name="reports.xlsx"):
    return client.post(
        reverse("web:production_report_import"),
        {"file": _file(data, name)},
        headers=EN,
    )


def _file(data, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


# ---- the import ----------------------------------------------------------------------------


def test_a_good_workbook_is_imported_whatever_the_order_of_its_rows(client, world, released):
    cut, asm, _pack = work_orders(released)
    data = workbook(
        [
            # the second step first: the rows are taken day by day, step by step
            (asm.number, YESTERDAY.isoformat(), 40, 0, 0, 8, "", ""),
            (cut.number, YESTERDAY, 80, 1, 0, 8, "", ""),
            (cut.number, BEFORE.isoformat(), 20, 0, 0, 8, "机器设备故障", "锯片断了"),
        ]
    )
    client.force_login(world.users["production"])
    response = _upload(client, data)
    assert response.status_code == 200, response.content.decode()[-2000:]
    assert 'data-testid="imported"' in response.content.decode()
    assert DailyReport.objects.count() == 3
    slip = DailyReport.objects.get(work_order=cut, day=BEFORE)
    assert slip.slip_reason == "machine" and slip.note == "锯片断了"
    cut.refresh_from_db()
    assert cut.good_qty == 100 and cut.defect_qty == 1


def test_a_bad_workbook_names_every_bad_cell_and_writes_nothing(client, world, released):
    cut, asm, _pack = work_orders(released)
    data = workbook(
        [
            (cut.number, YESTERDAY.isoformat(), 50, 0, 0, 8, "", ""),  # short, no reason
            (asm.number, YESTERDAY.isoformat(), 90, 0, 0, 8, "", ""),  # beyond its predecessor
            ("WO-NOPE", "yesterday", "many", 0, 0, 30, "sunspots", ""),  # four bad cells
        ]
    )
    client.force_login(world.users["production"])
    response = _upload(client, data)
    html = response.content.decode()
    assert response.status_code == 422
    cells = set(re.findall(r'data-cell="([A-Z]+\d+)"', html))
    assert {"G2", "C3", "B4", "C4", "F4", "G4"} <= cells, cells
    assert "below the day&#x27;s plan of 80" in html
    assert not DailyReport.objects.exists()
    assert WorkOrder.objects.get(pk=cut.pk).good_qty == 0


def test_a_file_that_completes_the_last_step_moves_the_order_to_produced(client, world, released):
    data = workbook([(wo.number, YESTERDAY, 100, 0, 0, 8, "", "") for wo in work_orders(released)])
    client.force_login(world.users["production"])
    response = client.post(IMPORT_URL, {"file": _file(data, "r.xlsx")}, headers=EN)
    assert response.status_code == 201, response.content
    assert response.json()["completed_orders"] == [released.number]
    released.refresh_from_db()
    assert released.status == Status.PRODUCED


def test_the_api_imports_all_or_nothing(client, world, released):
    cut, *_ = work_orders(released)
    client.force_login(world.users["production"])
    bad = workbook([(cut.number, YESTERDAY.isoformat(), 50, 0, 0, 8, "", "")])
    response = client.post(IMPORT_URL, {"file": _file(bad, "r.xlsx")}, headers=EN)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == report_import.Code.IMPORT_REFUSED
    assert body["details"]["errors"][0] | {"reason": ""} == {
        "sheet": report_import.SHEET,
        "row": 2,
        "column": "slip_reason",
        "cell": "G2",
        "reason": "",
    }
    good = workbook([(cut.number, YESTERDAY.isoformat(), 50, 0, 0, 8, "material", "板材未到")])
    response = client.post(IMPORT_URL, {"file": _file(good, "r.xlsx")}, headers=EN)
    assert response.status_code == 201
    assert response.json()["imported"] == 1
    client.force_login(world.users["sales"])
    response = client.post(IMPORT_URL, {"file": _file(good, "r.xlsx")}, headers=EN)
    assert response.status_code == 403


def test_oversize_uploads_are_refused_before_a_row_is_read(client, world, released, monkeypatch):
    client.force_login(world.users["production"])
    big = b"PK" + b"\0" * (report_import.MAX_BYTES + 1)
    response = client.post(IMPORT_URL, {"file": _file(big, "big.xlsx")}, headers=EN)
    assert response.status_code == 413
    assert response.json()["code"] == report_import.Code.FILE_TOO_LARGE
    assert _upload(client, big).status_code == 413
    # a sheet that declares more rows than the bound: refused from its <dimension>
    book = Workbook()
    book.active.title = report_import.SHEET
    book.active.append(list(report_import.HEADER))
    book.active.cell(row=report_import.MAX_ROWS + 5, column=1, value="x")
    out = io.BytesIO()
    book.save(out)

    def no_rows(*args, **kwargs):
        raise AssertionError("a row was read")

    monkeypatch.setattr(report_import.order_imports, "_sheet_rows", no_rows)
    response = client.post(IMPORT_URL, {"file": _file(out.getvalue(), "r.xlsx")}, headers=EN)
    assert response.status_code == 422
    assert response.json()["code"] == report_import.Code.SHEET_TOO_LARGE
    message = response.json()["message"]
    assert f"{report_import.MAX_ROWS:,} rows" in message and "50,000" not in message
    # beyond the order import's own bound too: still said with this import's bounds
    book.active.cell(row=60_000, column=1, value="x")
    out = io.BytesIO()
    book.save(out)
    response = client.post(IMPORT_URL, {"file": _file(out.getvalue(), "r.xlsx")}, headers=EN)
    assert response.status_code == 422
    message = response.json()["message"]
    assert "60,000 rows" in message and f"{report_import.MAX_ROWS:,} rows" in message
    response = client.post(IMPORT_URL, {"file": _file(b"not a zip", "r.xlsx")}, headers=EN)
    assert response.status_code == 422 and response.json()["code"] == "not_xlsx"
    assert not DailyReport.objects.exists()


def test_the_template_downloads_and_imports_as_it_is(client, world, released):
    client.force_login(world.users["production"])
    response = client.get(reverse("web:production_report_import_template"), headers=EN)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in book.active[1]] == list(report_import.HEADER)
    page = client.get(reverse("web:production_report_import"), headers=EN).content.decode()
    assert f"{report_import.MAX_ROWS} rows" in page
    client.force_login(world.users["sales"])
    assert client.get(reverse("web:production_report_import")).status_code == 403


# ---- the slips -------------------------------------------------------------------------------


def _slips(world, released):
    cut, asm, _ = work_orders(released)
    actor = world.users["production"]
    reports.record_report(
        work_order=cut.number,
        day=BEFORE,
        good_qty=60,
        slip_reason="machine",
        note="a",
        actor=actor,
    )
    reports.record_report(
        work_order=cut.number,
        day=YESTERDAY,
        good_qty=30,
        slip_reason="material",
        note="b",
        actor=actor,
    )
    reports.record_report(
        work_order=asm.number,
        day=YESTERDAY,
        good_qty=30,
        slip_reason="machine",
        note="c",
        actor=actor,
    )
    return cut, asm


def test_the_slips_count_per_reason_line_week_and_customer(world, released):
    _slips(world, released)
    stats = slip_stats.slip_stats(world.users["merch"], since=BEFORE, until=TODAY)
    assert stats.by_reason["machine"].reports == 2
    assert stats.by_reason["machine"].short == 20 + 10  # 80-60 on CUT-1, 40-30 on ASM-1
    # the second day's plan is what remained (40), not the standard 80
    assert stats.by_reason["material"].short == 10 and stats.by_reason["material"].reports == 1
    lines = stats.tables["line"]
    assert lines.cell("CUT-1", "machine").short == 20
    assert lines.total("CUT-1").short == 30 and lines.total("ASM-1").reports == 1
    customer = released.customer.name
    assert stats.tables["customer"].total(customer).reports == 3
    weeks = stats.tables["week"]
    assert sum(weeks.total(w).short for w in weeks.rows) == 40
    iso = YESTERDAY.isocalendar()
    assert f"{iso.year}-W{iso.week:02d}" in weeks.rows
    assert slip_stats.slip_stats(world.users["merch"], since=TODAY, until=TODAY).reports == 0


def _count(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_slips_page_and_its_export(client, world, released):
    client.force_login(world.users["merch"])
    url = reverse("web:production_slips") + f"?since={BEFORE.isoformat()}"
    few = _count(client, url)
    _slips(world, released)
    other = released_order(world, lines=[("FN-101", 50, "300")])
    cut2 = work_orders(other)[0]
    reports.record_report(
        work_order=cut2.number,
        day=BEFORE,
        good_qty=10,
        slip_reason="staffing",
        note="d",
        actor=world.users["production"],
    )
    assert _count(client, url) == few
    html = client.get(url, headers=EN).content.decode()
    assert "<svg" in html and 'data-table="line"' in html and "300" not in html
    response = client.get(reverse("web:production_slips_xlsx") + f"?since={BEFORE}", headers=EN)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book["Per line"].iter_rows(values_only=True))
    cut_row = next(r for r in rows if r[0] == "CUT-1")
    assert cut_row[-2:] == (30 + 40, 3)  # the other order's 50 planned, 10 good
    assert ExportRecord.objects.filter(what="production_slips").count() == 1
    client.force_login(world.users["sales"])
    assert client.get(url).status_code == 403


def test_the_plan_progress_sheet_of_an_order(client, world, released):
    cut, _asm = _slips(world, released)
    client.force_login(world.users["merch"])
    url = reverse("web:production_progress", args=[released.number])
    html = client.get(url, headers=EN).content.decode()
    section = html[html.index(f'data-work-order="{cut.number}"') :]
    section = section[: section.index("</section>")]
    day = section[section.index(f'data-day="{YESTERDAY.isoformat()}"') :]
    assert 'data-testid="variance">-10<' in day  # 30 good of the 40 that remained
    assert 'data-testid="cumulative-variance">-30<' in day  # 90 of 120
    one = _count(client, url)
    reports.record_report(
        work_order=work_orders(released)[2].number,
        day=YESTERDAY,
        good_qty=20,
        note="等组装",
        slip_reason="upstream",
        actor=world.users["production"],
    )
    assert _count(client, url) == one
    response = client.get(reverse("web:production_progress_xlsx", args=[released.number]))
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 1 + 4
    client.force_login(world.users["merch"])
    cockpit = client.get(reverse("web:order_detail", args=[released.number])).content.decode()
    assert url in cockpit


# ---- the printed day plan ----------------------------------------------------------------------


def _inflate(pdf: bytes) -> list[bytes]:
    out = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(match.group(1)))
        except zlib.error:
            pass
    return out


def test_the_day_plan_prints_one_a4_page_per_line(client, world, released):
    admin = world.users["admin"]
    plans.propose_plan(line="CUT-1", day=TODAY + timedelta(days=1), actor=admin)
    client.force_login(world.users["production"])
    response = client.get(reverse("web:production_day_plan_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    inflated = pdf + b"".join(_inflate(pdf))
    assert len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", inflated)) == 3  # three lines
    assert b"/MediaBox [0 0 595" in inflated  # A4
    one = client.get(reverse("web:production_day_plan_pdf") + "?line=CUT-1").content
    assert len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", one + b"".join(_inflate(one)))) == 1
    page = client.get(reverse("web:production_day_plan", args=["CUT-1"]), headers=EN)
    assert 'data-testid="plan-pdf"' in page.content.decode()
    floor = client.get(reverse("web:production_floor", args=["CUT-1"]), headers=EN)
    assert 'data-testid="floor-plan"' in floor.content.decode()
    client.force_login(world.users["sales"])
    assert client.get(reverse("web:production_day_plan_pdf")).status_code == 403


# ---- master data -------------------------------------------------------------------------------


def test_a_line_is_created_and_updated_and_a_bad_input_keeps_what_was_typed(client, world):
    client.force_login(world.users["production"])
    url = reverse("web:production_line_new")
    typed = {
        "what": "line",
        "code": "SEW-9",
        "name": "缝制九线",
        "kind": "sewing",
        "shifts_per_day": "5",
        "hours_per_shift": "8",
        "days_off": ["6"],
        "active": "1",
    }
    response = client.post(url, typed, headers=EN)
    html = response.content.decode()
    assert response.status_code == 422 and "Between 0 and 3 shifts a day." in html
    assert 'value="缝制九线"' in html and not ProductionLine.objects.exists()
    response = client.post(url, {**typed, "shifts_per_day": "2"}, headers=EN)
    assert response.status_code == 302
    line = ProductionLine.objects.get(code="SEW-9")
    assert line.shifts_per_day == 2 and line.days_off == [6]
    edit = reverse("web:production_line_edit", args=["SEW-9"])
    response = client.post(edit, {**typed, "shifts_per_day": "1", "name": "新名字"}, headers=EN)
    assert response.status_code == 302
    line.refresh_from_db()
    assert line.name == "新名字" and line.history.count() == 2
    bad = client.post(edit, {"what": "exception", "day": "2026-13-01", "hours": "4"}, headers=EN)
    assert bad.status_code == 422 and "Not a date" in bad.content.decode()
    day = (TODAY + timedelta(days=3)).isoformat()
    assert client.post(edit, {"what": "exception", "day": day, "hours": "4"}).status_code == 302
    assert LineCalendarException.objects.get(line=line).hours == 4
    bad = client.post(edit, {"what": "capacity", "family": FAMILY, "units_per_hour": "0"})
    assert bad.status_code == 422 and not LineCapacity.objects.exists()
    ok = client.post(edit, {"what": "capacity", "family": FAMILY, "units_per_hour": "12.5"})
    assert ok.status_code == 302 and LineCapacity.objects.get().units_per_hour == 12.5


def test_holidays_and_routings_through_the_pages(client, world):
    client.force_login(world.users["production"])
    url = reverse("web:production_holidays")
    assert client.post(url, {"day": "2026-10-01", "name": ""}, headers=EN).status_code == 422
    assert client.post(url, {"day": "2026-10-01", "name": "国庆节"}).status_code == 302
    assert CompanyHoliday.objects.get().name == "国庆节"
    new = reverse("web:production_routing_new")
    form = {
        "family": "湿巾系列",
        "name": "湿巾",
        "step_count": "3",
        "step-0-name": "分切",
        "step-0-line_kind": "cutting",
        "step-0-rate_per_hour": "100",
        "step-1-name": "包装",
        "step-1-line_kind": "packing",
        "step-1-rate_per_hour": "",  # no rate: refused
    }
    response = client.post(new, form, headers=EN)
    assert response.status_code == 422 and not Routing.objects.exists()
    assert 'value="分切"' in response.content.decode()
    response = client.post(new, {**form, "step-1-rate_per_hour": "50"}, headers=EN)
    assert response.status_code == 302
    routing = Routing.objects.get(family="湿巾系列")
    assert [s.name for s in routing.steps.order_by("seq")] == ["分切", "包装"]
    edit = reverse("web:production_routing_edit", args=["湿巾系列"])
    page = client.get(edit, headers=EN).content.decode()
    assert 'value="包装"' in page
    client.force_login(world.users["merch"])  # may confirm plans, not edit lines
    for page_url in (new, url, reverse("web:production_line_new"), edit):
        assert client.get(page_url).status_code == 403


def test_the_master_data_pages_cost_the_same_queries_for_more_rows(client, world):
    factory(world.users["admin"])
    client.force_login(world.users["production"])
    edit = reverse("web:production_line_edit", args=["CUT-1"])
    routing = reverse("web:production_routing_edit", args=[FAMILY])
    before = (_count(client, edit), _count(client, routing))
    for i in range(3):
        client.post(edit, {"what": "capacity", "family": f"F{i}", "units_per_hour": "3"})
        day = (TODAY + timedelta(days=i + 1)).isoformat()
        client.post(edit, {"what": "exception", "day": day, "hours": "2"})
    assert (_count(client, edit), _count(client, routing)) == before


def test_the_printed_plan_costs_the_same_queries_for_more_work_orders(client, world, released):
    admin = world.users["admin"]
    tomorrow = TODAY + timedelta(days=1)
    plans.propose_plan(line="CUT-1", day=tomorrow, actor=admin)
    client.force_login(world.users["production"])
    url = reverse("web:production_day_plan_pdf") + f"?day={tomorrow.isoformat()}"
    one = _count(client, url)
    for _ in range(2):
        released_order(world, lines=[("FN-101", 20, "300"), ("FN-102", 3, "900")])
    plans.propose_plan(line="CUT-1", day=tomorrow, actor=admin)
    plans.propose_plan(line="ASM-1", day=tomorrow, actor=admin)
    assert _count(client, url) == one
