"""Finance's files: the aging and the sales ledger as .xlsx, the statement of account (对账单) as
a PDF in Chinese or English. Every one goes through the export log; all hold amounts, so each is
refused to a role that does not see receivables (all of which see prices)."""

from __future__ import annotations

from io import BytesIO
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import Workbook

from gendan.accounts.guards import verb
from gendan.exports.models import ExportFormat
from gendan.exports.services import record_export
from gendan.exports.sheets import append_row
from gendan.finance import permissions as p
from gendan.finance.selectors import BUCKETS, Aging, Ledger

EXPORT_AGING = "finance_aging"
EXPORT_LEDGER = "finance_ledger"
EXPORT_STATEMENT = "finance_statement"
LANGUAGES = ("zh-hans", "en")


def bucket_labels() -> dict[str, str]:
    return {
        "not_due": gettext("Not yet due"),
        "d0_30": gettext("0-30 days"),
        "d31_60": gettext("31-60 days"),
        "d61_90": gettext("61-90 days"),
        "over_90": gettext("Over 90 days"),
    }


def kind_labels() -> dict[str, str]:
    return {
        "invoice": gettext("Booked"),
        "payment": gettext("Payment"),
        "credit_note": gettext("Credit note"),
    }


def _book(sheet_title: str) -> tuple[Workbook, Any]:
    book = Workbook()
    sheet = book.active
    sheet.title = sheet_title[:31]
    return book, sheet


def _bytes(book: Workbook) -> bytes:
    out = BytesIO()
    book.save(out)
    return out.getvalue()


@verb(p.VIEW_RECEIVABLES)
def aging_workbook(*, actor: Any, report: Aging) -> bytes:
    p.require_money(actor, p.VIEW_RECEIVABLES)
    labels = bucket_labels()
    book, sheet = _book(gettext("Receivables aging"))
    append_row(
        sheet,
        [
            gettext("Customer code"),
            gettext("Customer"),
            gettext("Region"),
            gettext("Currency"),
            *[labels[b] for b in BUCKETS],
            gettext("Unapplied credit"),
            gettext("Receivable"),
            gettext("Credit limit"),
            gettext("Credit limit used (%)"),
        ],
    )
    for r in report.rows:
        append_row(
            sheet,
            [
                r.customer_code,
                r.customer_name,
                r.region,
                r.currency,
                *[r.buckets[b] for b in BUCKETS],
                r.unapplied,
                r.total,
                r.credit_limit,
                r.limit_use,
            ],
        )
    orders = book.create_sheet(gettext("Orders")[:31])
    append_row(
        orders,
        [
            gettext("Order"),
            gettext("Customer code"),
            gettext("Salesperson"),
            gettext("Currency"),
            gettext("Total"),
            gettext("Paid"),
            gettext("Credited"),
            gettext("Outstanding"),
            gettext("Booked on"),
            gettext("Due on"),
            gettext("Days past due"),
            gettext("Bucket"),
        ],
    )
    for o in report.orders:
        append_row(
            orders,
            [
                o.number,
                o.customer_code,
                o.salesperson,
                o.currency,
                o.total,
                o.paid,
                o.credited,
                o.outstanding,
                o.booked_on,
                o.due_on,
                o.days_past_due,
                labels[o.bucket],
            ],
        )
    record_export(
        actor=actor,
        what=EXPORT_AGING,
        filters={**vars(report.filters), "today": report.today},
        rows=len(report.orders),
        fmt=ExportFormat.XLSX,
    )
    return _bytes(book)


@verb(p.VIEW_RECEIVABLES)
def ledger_workbook(*, actor: Any, ledger: Ledger) -> bytes:
    p.require_money(actor, p.VIEW_RECEIVABLES)
    kinds = kind_labels()
    book, sheet = _book(gettext("Sales ledger"))
    append_row(sheet, [gettext("Customer"), ledger.customer.code, ledger.customer.name])
    append_row(sheet, [gettext("From"), ledger.since, gettext("To"), ledger.until])
    append_row(
        sheet,
        [
            gettext("Date"),
            gettext("Kind"),
            gettext("Reference"),
            gettext("Order"),
            gettext("Note"),
            gettext("Currency"),
            gettext("Debit"),
            gettext("Credit"),
            gettext("Balance"),
        ],
    )
    for cur, amount in sorted(ledger.opening.items()):
        append_row(sheet, ["", gettext("Opening balance"), "", "", "", cur, "", "", amount])
    for e in ledger.entries:
        append_row(
            sheet,
            [
                e.on,
                kinds[e.kind],
                e.reference,
                e.order,
                e.note,
                e.currency,
                e.debit,
                e.credit,
                e.balance,
            ],
        )
    for cur, amount in sorted(ledger.closing.items()):
        append_row(sheet, ["", gettext("Closing balance"), "", "", "", cur, "", "", amount])
    record_export(
        actor=actor,
        what=EXPORT_LEDGER,
        filters={"customer": ledger.customer.code, "since": ledger.since, "until": ledger.until},
        rows=len(ledger.entries),
        fmt=ExportFormat.XLSX,
    )
    return _bytes(book)


@verb(p.VIEW_RECEIVABLES)
def statement_pdf(*, actor: Any, ledger: Ledger, language: str) -> bytes:
    """The statement of account of a customer for the ledger's range, in Chinese or English."""
    p.require_money(actor, p.VIEW_RECEIVABLES)
    from gendan.shipping.documents import font_url, render_pdf

    language = language if language in LANGUAGES else "zh-hans"
    with translation.override(language):
        html = render_to_string(
            "finance/statement_pdf.html",
            {
                "ledger": ledger,
                "kinds": kind_labels(),
                "font_url": font_url(for_pdf=True),
                "language": language,
            },
        )
    content = render_pdf(html)
    record_export(
        actor=actor,
        what=EXPORT_STATEMENT,
        filters={
            "customer": ledger.customer.code,
            "since": ledger.since,
            "until": ledger.until,
            "language": language,
        },
        rows=len(ledger.entries),
        fmt=ExportFormat.PDF,
    )
    return content
