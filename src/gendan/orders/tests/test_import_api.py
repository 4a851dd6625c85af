"""The Excel import over real HTTP with the real worker: the upload answers at once (202), the
worker checks and imports, the status endpoint tells how far; bounded files and bounded reports."""

from __future__ import annotations

import io
import time
import uuid
from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from gendan.orders.excel import HEADER
from gendan.orders.models import Order, OrderImport
from gendan.orders.tests.test_api import Answer, Http
from gendan.timeline.models import Event

pytestmark = pytest.mark.django_db(transaction=True)  # the worker recycles its connection

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def http(live_server) -> Http:
    return Http(live_server.url)


def _row(ref: str, **over: object) -> list[object]:
    values = {
        "order_ref": ref,
        "customer": "EXP001",
        "merchandiser": "merch",
        "contract_date": date(2026, 11, 1),
        "delivery_date": date(2026, 12, 20),
        "product": "BC-101",
        "quantity": 10,
        "packs": 1,
        "unit_price": "12.5",
    } | over
    return [values.get(h) for h in HEADER]


def _xlsx(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "orders"
    sheet.append(list(HEADER))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(http: Http, token: str, data: bytes, query: str = "") -> Answer:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="orders.xlsx"\r\n'
            f"Content-Type: {XLSX}\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return http.call(
        "POST",
        f"/orders/import{query}",
        token=token,
        raw=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )


def work() -> None:
    """What `gendan worker` does, until the queue is empty."""
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def test_the_upload_answers_at_once_and_the_worker_imports(http, world):
    """Defect: 5,000 orders imported inside the request hit gunicorn's 30 s timeout (500)."""
    token = http.token("merch")
    data = _xlsx([_row("A"), _row("A", product="FN-101"), _row("B", customer="DIST01")])
    answer = upload(http, token, data)
    assert answer.status == 202, answer.body
    key = answer.body["key"]
    assert answer.body["status"] == "queued" and answer.body["confirmed"] is True
    assert Order.objects.count() == 0  # the request imported nothing: the worker does
    work()
    status = http.get(f"/orders/import/{key}", token)
    assert status.status == 200
    body = status.body
    assert (body["status"], body["progress"], body["rows"], body["orders"]) == ("done", 1, 3, 2)
    assert body["errors"] == [] and body["error_count"] == 0
    assert sorted(body["imported"]) == sorted(Order.objects.values_list("number", flat=True))
    assert Event.objects.filter(kind="orders.imported").count() == 1
    assert http.get(f"/orders/import/{key}/errors.xlsx", token).status == 404


def test_a_dry_run_is_checked_then_confirmed(http, world):
    token = http.token("merch")
    answer = upload(http, token, _xlsx([_row("A")]), "?dry_run=true")
    assert answer.status == 202 and answer.body["confirmed"] is False
    key = answer.body["key"]
    early = http.post(f"/orders/import/{key}/confirm", token)
    assert early.status == 409 and early.body["code"] == "import_not_ready"
    work()
    assert http.get(f"/orders/import/{key}", token).body["status"] == "ready"
    assert Order.objects.count() == 0
    confirmed = http.post(f"/orders/import/{key}/confirm", token)
    assert confirmed.status == 202 and confirmed.body["status"] == "queued"
    work()
    assert http.get(f"/orders/import/{key}", token).body["status"] == "done"
    assert Order.objects.count() == 1
    assert http.post(f"/orders/import/{key}/confirm", token).status == 409


def test_out_of_bounds_cells_are_refused_per_cell_and_nothing_breaks_a_read(http, world):
    """Defects: quantity 10^13 and price 123456789012345.5 imported on SQLite (then every read
    of them answered 500) and gave a 422 with no error on PostgreSQL; 1e308 answered 500."""
    token = http.token("merch")
    data = _xlsx(
        [
            _row("A", quantity=10**13),
            _row("B", unit_price=Decimal("123456789012345.5")),
            _row("C", unit_price=1e308),
            _row("D"),
        ]
    )
    key = upload(http, token, data).body["key"]
    work()
    body = http.get(f"/orders/import/{key}", token).body
    assert body["status"] == "invalid" and body["imported"] == []
    assert [(e["cell"], e["column"]) for e in body["errors"]] == [
        ("N2", "quantity"),
        ("P3", "unit_price"),
        ("P4", "unit_price"),
    ]
    assert (
        body["errors"][0]["reason"] == "须为 1 至 100,000,000 的整数。"
    )  # the uploader's language
    assert Order.objects.count() == 0
    for path in ("/orders", "/orders?q=EXP", "/customers/EXP001"):
        assert http.get(path, token).status == 200, path


def test_the_annotated_copy_marks_each_bad_cell(http, world, live_server):
    import urllib.request

    token = http.token("merch")
    key = upload(http, token, _xlsx([_row("A"), _row("B", quantity="many")])).body["key"]
    work()
    request = urllib.request.Request(f"{live_server.url}/api/v1/orders/import/{key}/errors.xlsx")
    request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Content-Type"] == XLSX
        sheet = load_workbook(io.BytesIO(response.read()))["orders"]
    assert sheet["N3"].value == "many" and sheet["N3"].comment is not None
    assert sheet["N2"].comment is None


def test_a_cell_at_xfd1048576_is_refused_at_once(http, world):
    """Defect: a 5 KB file whose only cell is XFD1048576 never returned (over 300 s)."""
    book = Workbook()
    book.active.title = "orders"
    book.active["XFD1048576"] = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    start = time.monotonic()
    answer = upload(http, http.token("merch"), buffer.getvalue())
    assert time.monotonic() - start < 5
    assert answer.status == 422 and answer.body["code"] == "sheet_too_large"
    assert not OrderImport.objects.exists()


def test_the_api_has_the_pages_size_limit(http, world):
    """Defect: the API had no size limit (a 131 MB error report for 200,000 bad rows)."""
    answer = upload(http, http.token("merch"), b"x" * (5 * 1024 * 1024 + 1))
    assert answer.status == 413 and answer.body["code"] == "file_too_large"
    assert upload(http, http.token("merch"), b"not a workbook").body["code"] == "not_xlsx"
    assert not OrderImport.objects.exists()


def test_an_upload_is_its_uploaders_only(http, world):
    key = upload(http, http.token("merch"), _xlsx([_row("A")])).body["key"]
    assert upload(http, http.token("production"), _xlsx([_row("A")])).status == 403
    assert http.get(f"/orders/import/{key}", http.token("manager")).status == 404
    assert http.post(f"/orders/import/{key}/confirm", http.token("manager")).status in (403, 404)
    assert http.get(f"/orders/import/{uuid.uuid4()}", http.token("merch")).status == 404


@pytest.mark.postgres_only
@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="SQLite has one writer: its progress shows only before the import's transaction",
)
def test_the_progress_of_an_import_is_seen_while_its_transaction_runs(world, monkeypatch):
    """On PostgreSQL the run's progress is written beside the import's own transaction, so the
    page sees it move before the commit."""
    from django.db import DEFAULT_DB_ALIAS, connections

    from gendan.orders import imports

    merch = world.users["merch"]
    run = imports.start_import(
        actor=merch, name="p.xlsx", data=_xlsx([_row(f"R{i}") for i in range(4)]), confirmed=True
    )
    monkeypatch.setattr(imports, "PROGRESS_EVERY_S", 0)
    seen: list[float] = []

    def seeing(step):  # the progress another connection sees when the import takes `step`
        def taking(**kwargs: object) -> object:
            reader = connections.create_connection(DEFAULT_DB_ALIAS)
            try:
                with reader.cursor() as cursor:
                    cursor.execute(
                        "SELECT progress FROM orders_orderimport WHERE id = %s", [run.pk]
                    )
                    seen.append(cursor.fetchone()[0])
            finally:
                reader.close()
            return step(**kwargs)

        return taking

    # the orders are entered in bulk (bulk_entry), then the import's own event is recorded, both
    # inside the import's transaction
    monkeypatch.setattr(imports, "enter_orders", seeing(imports.enter_orders))
    monkeypatch.setattr(imports, "record", seeing(imports.record))
    assert imports.run_import(run.pk) == "done"
    assert seen[0] == pytest.approx(0.3) and seen[-1] > 0.7
    assert Order.objects.count() == 4
