"""The export log: every export is recorded (who, what, filters, rows, when); managers read it."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gendan.exports import selectors
from gendan.exports.models import AppendOnlyError, ExportRecord
from gendan.exports.services import record_export
from gendan.timeline.models import Event, EventKind

pytestmark = pytest.mark.django_db


def test_the_order_list_export_is_logged_with_its_filters_and_rows(client, world):
    world.order(customer="EXP001")
    world.order(customer="DIST01")
    client.force_login(world.users["merch"])
    response = client.get(reverse("web:order_export") + "?status=draft&customer=EXP001")
    assert response.status_code == 200
    export = ExportRecord.objects.get()
    assert (export.actor, export.what, export.fmt) == (world.users["merch"], "orders", "xlsx")
    assert export.filters == {"status": ["draft"], "customer": "EXP001", "orders": 1}
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert export.rows == sheet.max_row - 1
    event = Event.objects.get(kind=EventKind.DATA_EXPORTED)
    assert event.payload["export"] == export.pk and event.payload["rows"] == export.rows


def test_the_counting_error_register_export_is_logged(client, world):
    client.force_login(world.users["manager"])
    response = client.get(reverse("web:counting_errors_export") + "?person=warehouse")
    assert response.status_code == 200
    export = ExportRecord.objects.get()
    assert (export.what, export.rows, export.filters) == (
        "counting_errors",
        0,
        {"person": "warehouse"},
    )


def test_the_log_is_append_only(world):
    export = record_export(
        actor=world.users["merch"], what="orders", filters={}, rows=1, fmt="xlsx"
    )
    with pytest.raises(AppendOnlyError):
        export.save()
    with pytest.raises(AppendOnlyError):
        export.delete()


def a_month_of_exports(world) -> None:
    now = timezone.now()
    for i in range(40):
        export = record_export(
            actor=world.users["merch" if i % 2 else "sales"],
            what="orders" if i % 3 else "counting_errors",
            filters={"customer": "EXP001"} if i % 2 else {},
            rows=i,
            fmt="xlsx",
        )
        ExportRecord.objects.filter(pk=export.pk).update(at=now - timedelta(days=i))


def test_exports_per_day_counts_the_last_30_local_days_by_kind(world):
    a_month_of_exports(world)
    counts = selectors.exports_per_day(
        selectors.exports(world.users["manager"], selectors.ExportFilter())
    )
    assert len(counts.days) == 30 and counts.days[-1] == timezone.localdate()
    assert list(counts.by_kind) == ["orders", "counting_errors"]
    assert sum(map(sum, counts.by_kind.values())) == 30
    assert counts.by_kind["counting_errors"][-1] == 1  # today's export is i=0: counting errors


def test_managers_read_the_log_page_with_its_chart_in_bounded_queries(client, world):
    a_month_of_exports(world)
    client.force_login(world.users["manager"])
    url = reverse("web:export_log")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="exports-per-day"' in html and 'role="img"' in html
    assert html.count("<tr data-export=") == 40
    queries = len(ctx.captured_queries)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url + "?actor=merch&what=orders")
    assert response.content.decode().count("<tr data-export=") == 13
    assert len(ctx.captured_queries) == queries == 6, [q["sql"] for q in ctx.captured_queries]


@pytest.mark.parametrize(
    "who,status",
    [("manager", 200), ("regional", 200), ("admin", 200), ("merch", 403), ("warehouse", 403)],
)
def test_only_managers_and_the_administrator_read_the_log(client, world, who, status):
    client.force_login(world.users[who])
    assert client.get(reverse("web:export_log")).status_code == status
    assert client.get(reverse("web:export_log_xlsx")).status_code == status


def test_the_log_exports_to_excel_and_that_export_is_logged_too(client, world):
    a_month_of_exports(world)
    client.force_login(world.users["regional"])
    response = client.get(reverse("web:export_log_xlsx") + "?what=counting_errors")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sheet.max_row - 1 == 14
    latest = ExportRecord.objects.order_by("-id").first()
    assert (latest.actor, latest.what, latest.rows, latest.filters) == (
        world.users["regional"],
        "export_log",
        14,
        {"what": "counting_errors"},
    )


def test_the_api_lists_the_log_for_managers_and_refuses_others(client, world):
    a_month_of_exports(world)
    client.force_login(world.users["manager"])
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/api/v1/exports/?actor=merch&limit=5")
    assert response.status_code == 200
    page = response.json()
    body = page["items"]
    assert len(body) == 5 and {r["actor"] for r in body} == {"merch"}
    assert set(body[0]) == {"id", "at", "actor", "what", "format", "rows", "filters"}
    assert len(ctx.captured_queries) == 5  # session, user, permissions, the page of exports
    assert [r["id"] for r in body] == sorted((r["id"] for r in body), reverse=True)
    rest = client.get(f"/api/v1/exports/?actor=merch&limit=5&after={page['next_cursor']}").json()
    assert rest["items"] and max(r["id"] for r in rest["items"]) < min(r["id"] for r in body)
    client.force_login(world.users["merch"])
    refused = client.get("/api/v1/exports/")
    assert refused.status_code == 403 and refused.json()["code"] == "permission_denied"
