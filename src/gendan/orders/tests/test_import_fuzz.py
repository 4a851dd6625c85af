"""The Excel importer against generated workbooks: random cell types, positions and sizes within
the limits, on top of a valid file or alone. Whatever the file, the importer answers with a
report (never an exception), and either every order of the file is imported or none is."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from gendan.orders.excel import HEADER
from gendan.orders.imports import (
    ImportReport,
    check_upload,
    import_orders,
    preview_of,
    run_import,
    start_import,
)
from gendan.orders.imports import annotated_workbook as annotate
from gendan.orders.models import Order, OrderImport, OrderLine
from gendan.timeline.models import Event

pytestmark = pytest.mark.django_db

GOOD = {
    "order_ref": "A",
    "customer": "EXP001",
    "merchandiser": "merch",
    "contract_date": date(2026, 11, 1),
    "delivery_date": date(2026, 12, 20),
    "product": "BC-101",
    "quantity": 10,
    "unit_price": 12.5,
}

texts = st.text(
    st.characters(blacklist_categories=["Cs", "Cc"]), max_size=60
)  # what a cell can hold (openpyxl refuses control characters)
cells = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False, places=6),
    st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31)),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(9999, 12, 31)),
    st.times(),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=900)),
    texts,
    st.sampled_from(["=1+1", "=A1", "", " ", "1e308", "-0", "NaN", "EXP001", "BC-101", "merch"]),
    st.sampled_from(["2026-11-01", "2026-02-30", "10", "10.5", "12.34567", str(10**13)]),
)
# a cell anywhere in the first rows and columns, the columns of the template included
positions = st.tuples(st.integers(1, 40), st.integers(1, 30))


def _safe(value: object) -> object:
    """What openpyxl can write: NaN and infinities as their text."""
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return str(value)
    return value


@st.composite
def workbooks(draw: st.DrawFn) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = draw(st.sampled_from(["orders", "Sheet1", "订单"]))
    if draw(st.booleans()):  # a valid file underneath, then overwritten here and there
        sheet.append(list(HEADER))
        for i in range(draw(st.integers(0, 6))):
            sheet.append([(GOOD | {"order_ref": f"R{i % 3}"}).get(h) for h in HEADER])
    changes = st.lists(st.tuples(positions, cells), max_size=draw(st.sampled_from([0, 2, 25])))
    for (row, column), value in draw(changes):
        sheet.cell(row=row, column=column, value=_safe(value))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=workbooks())
def test_any_workbook_gets_a_report_and_all_or_nothing(world, client, data):
    """Through the worker's task and the upload's page: checked, then confirmed when clean."""
    merch = world.users["merch"]
    client.force_login(merch)
    before = (Order.objects.count(), OrderLine.objects.count(), Event.objects.count())
    run = start_import(actor=merch, name="fuzz.xlsx", data=data)
    assert run_import(run.pk) in ("ready", "invalid")  # never "failed"
    page = reverse("web:order_import_run", args=[run.key])
    assert client.get(page).status_code == 200
    run.refresh_from_db()
    if run.status == "ready":
        assert client.post(reverse("web:order_import_confirm", args=[run.key])).status_code == 302
        assert run_import(run.pk) == "done"
        assert client.get(page).status_code == 200
        run.refresh_from_db()
    if run.status == "invalid":
        assert run.imported == [] and run.error_count >= len(run.errors) > 0
        assert all(e["reason"] for e in run.errors)
        assert client.get(reverse("web:order_import_errors", args=[run.key])).status_code == 200
        assert (Order.objects.count(), OrderLine.objects.count(), Event.objects.count()) == before
    else:
        assert len(run.imported) == run.order_count > 0
        imported = Order.objects.filter(number__in=run.imported)
        assert OrderLine.objects.filter(order__in=imported).count() == run.rows
        for order in imported:  # what was stored reads back
            assert order.total_amount == sum(
                (line.amount for line in order.lines.all()), Decimal(0)
            )
            assert client.get(reverse("web:order_detail", args=[order.number])).status_code == 200
        imported.delete()
    OrderImport.objects.all().delete()


def test_the_importer_itself_never_raises_on_a_generated_workbook(world):
    @settings(max_examples=30, deadline=None, database=None)
    @given(data=workbooks())
    def run(data: bytes) -> None:
        check_upload(data)
        report = import_orders(io.BytesIO(data), actor=world.users["merch"], dry_run=True)
        assert isinstance(report, ImportReport) and report.imported == []
        preview_of(report)
        annotate(report)

    run()
