"""Finance's pages and API: the aging with its drill and the chase in one step, the ledger,
its Excel and the statement PDF in both languages (each through the export log), the overdue
section of Today, the API's answers and refusals."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pypdfium2
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext
from openpyxl import load_workbook

from gendan.exports.models import ExportRecord
from gendan.finance.selectors import customer_receivable
from gendan.finance.tests.factories import book, days_ago
from gendan.parties.models import Communication

pytestmark = pytest.mark.django_db


@pytest.fixture
def aged(world):
    return [
        book(world.order(customer="STORE01"), booked_on=days_ago(100), shipped_on=days_ago(100)),
        book(world.order(customer="STORE01"), booked_on=days_ago(10), shipped_on=days_ago(10)),
    ]


def as_user(client, world, who="finance"):
    client.force_login(world.users[who])
    return client


def pdf_text(content: bytes) -> str:
    return "\n".join(p.get_textpage().get_text_range() for p in pypdfium2.PdfDocument(content))


def test_finance_drills_into_the_61_90_bucket_and_logs_the_chase(client, world, aged):
    c = as_user(client, world)
    page = c.get(reverse("web:finance_aging") + "?customer=STORE01&bucket=d61_90")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-order="{aged[0].number}"' in html and f'data-order="{aged[1].number}"' not in html
    back = reverse("web:finance_aging") + "?customer=STORE01&bucket=d61_90"
    done = c.post(
        reverse("web:finance_chase"),
        {
            "customer": "STORE01",
            "order": aged[0].number,
            "kind": "call",
            "summary": "电话催款",
            "follow_up_on": (days_ago(0) + timedelta(days=2)).isoformat(),
            "back": back,
        },
    )
    assert (done.status_code, done["Location"]) == (302, back)
    comm = Communication.objects.get()
    assert (comm.order, comm.follow_up_on) == (aged[0], days_ago(0) + timedelta(days=2))


def test_a_refused_chase_says_why_and_logs_nothing(client, world, aged):
    c = as_user(client, world)
    response = c.post(
        reverse("web:finance_chase"), {"customer": "STORE01", "summary": " "}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [gettext("A summary is required.")]
    assert not Communication.objects.exists()


def test_the_ledger_page_excel_and_statements_in_both_languages(client, world, aged):
    c = as_user(client, world)
    page = c.get(reverse("web:finance_ledger", args=["STORE01"]))
    assert page.status_code == 200
    receivable = customer_receivable(world.customers["STORE01"])
    sheet = c.get(reverse("web:finance_ledger_xlsx", args=["STORE01"]))
    rows = list(load_workbook(BytesIO(sheet.content)).active.iter_rows(values_only=True))
    assert rows[-1][-1] == float(receivable) or Decimal(str(rows[-1][-1])) == receivable
    zh = c.get(reverse("web:finance_statement_pdf", args=["STORE01"]) + "?lang=zh-hans")
    en = c.get(reverse("web:finance_statement_pdf", args=["STORE01"]) + "?lang=en")
    assert zh["Content-Type"] == en["Content-Type"] == "application/pdf"
    zh_text, en_text = pdf_text(zh.content), pdf_text(en.content)
    assert "杭州西湖专卖店" in zh_text and "杭州西湖专卖店" in en_text
    assert "Statement of account" in en_text and "Statement of account" not in zh_text
    assert aged[0].number in zh_text and aged[0].number in en_text
    log = list(ExportRecord.objects.order_by("id").values_list("what", "fmt"))
    assert log == [
        ("finance_ledger", "xlsx"),
        ("finance_statement", "pdf"),
        ("finance_statement", "pdf"),
    ]


def test_the_aging_exports_through_the_log(client, world, aged):
    c = as_user(client, world)
    response = c.get(reverse("web:finance_aging_xlsx") + "?region=华东")
    book_ = load_workbook(BytesIO(response.content))
    assert [r[0] for r in book_.worksheets[1].iter_rows(min_row=2, values_only=True)] == [
        aged[0].number,
        aged[1].number,
    ]
    log = ExportRecord.objects.get()
    assert (log.what, log.rows, log.filters["region"]) == ("finance_aging", 2, "华东")


@pytest.mark.parametrize("who", ["production", "warehouse", "qc", "driver", "purchaser"])
def test_price_blind_roles_are_refused_every_finance_page(client, world, aged, who):
    c = as_user(client, world, who)
    for url in (
        reverse("web:finance_aging"),
        reverse("web:finance_aging_xlsx"),
        reverse("web:finance_ledger", args=["STORE01"]),
        reverse("web:finance_statement_pdf", args=["STORE01"]),
        reverse("web:finance_credit_notes"),
    ):
        assert c.get(url).status_code == 403
    assert not ExportRecord.objects.exists()


def test_the_overdue_section_of_today_in_a_fixed_number_of_queries(client, world):
    c = as_user(client, world, "sales")
    url = reverse("web:finance_today_section", args=["finance_overdue"])
    for _ in range(3):
        book(world.order(customer="STORE01"), booked_on=days_ago(90), shipped_on=days_ago(90))
    c.get(url)
    with CaptureQueriesContext(connection) as few:
        page = c.get(url)
    assert page.content.decode().count("data-order=") == 3
    for _ in range(6):
        book(world.order(customer="STORE01"), booked_on=days_ago(90), shipped_on=days_ago(90))
    with CaptureQueriesContext(connection) as more:
        page = c.get(url)
    assert page.content.decode().count("data-order=") == 9
    assert len(more) == len(few)


def test_the_api_answers_aging_ledger_and_credit_notes(client, world, aged):
    c = as_user(client, world)
    aging = c.get("/api/v1/finance/aging?customer=STORE01").json()
    row = aging["rows"][0]
    assert (row["customer"], Decimal(row["buckets"]["d61_90"])) == ("STORE01", aged[0].total_amount)
    assert [o["bucket"] for o in aging["orders"]] == ["d61_90", "not_due"]
    ledger = c.get(f"/api/v1/finance/customers/STORE01/ledger?since={days_ago(200)}").json()
    assert Decimal(ledger["closing"][0]["amount"]) == customer_receivable(
        world.customers["STORE01"]
    )
    made = c.post(
        "/api/v1/finance/credit-notes",
        {"customer": "STORE01", "amount": "10.00", "reason": "x", "source_ref": "R1"},
        content_type="application/json",
    )
    assert made.status_code == 201
    number = made.json()["number"]
    confirmed = c.post(f"/api/v1/finance/credit-notes/{number}/confirm")
    assert confirmed.json()["status"] == "confirmed"
    for ref in ("R2", "R3"):
        c.post(
            "/api/v1/finance/credit-notes",
            {"customer": "STORE01", "amount": "5.00", "reason": "y", "source_ref": ref},
            content_type="application/json",
        )
    first = c.get("/api/v1/finance/credit-notes?limit=2").json()
    assert len(first["items"]) == 2 and first["items"][0]["number"] != number
    rest = c.get(f"/api/v1/finance/credit-notes?limit=2&after={first['next_cursor']}").json()
    assert [n["number"] for n in rest["items"]] == [number] and rest["next_cursor"] is None
    issued = c.get("/api/v1/finance/credit-notes?status=issued").json()["items"]
    assert len(issued) == 2
    bad = c.get(f"/api/v1/finance/customers/STORE01/ledger?since={days_ago(0)}&until={days_ago(5)}")
    assert (bad.status_code, bad.json()["code"]) == (422, "finance_bad_date_range")
    blind = as_user(client, world, "production").get("/api/v1/finance/aging")
    assert blind.status_code == 403
