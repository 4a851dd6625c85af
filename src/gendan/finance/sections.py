"""What finance contributes to Today and the navigation: the overdue receivables of the
salesperson's and the merchandiser's own orders, and the receivables pages for those who see
amounts."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _

from gendan import extensions
from gendan.extensions import SectionData
from gendan.finance import permissions as p
from gendan.finance import selectors

#: drawn after Today has loaded (htmx, from ``finance_today_section``): Today's own query count
#: is pinned, and this one costs its query in its own request
LAZY = ("finance_overdue",)


def overdue(actor: Any, today: date, limit: int, request: Any = None) -> SectionData:
    """One query: the actor's receivable orders, aged in Python."""
    if request is not None and not getattr(request, "finance_section", False):
        return SectionData(count=0, extra={"lazy": True, "key": "finance_overdue"})
    count, rows = selectors.overdue_of(actor, today=today, limit=limit)
    return SectionData(count=count, rows=rows)


def register() -> None:
    extensions.add_today_section(
        key="finance_overdue",
        title=_("Overdue receivables"),
        description=_(
            "Your orders whose balance is past due by the customer's credit terms: chase the "
            "customer and log it with a follow-up date."
        ),
        roles={"salesperson", "merchandiser"},
        build=overdue,
        template="finance/_section_overdue.html",
        app="finance",
        order=22,
    )
    extensions.add_nav_entry(
        label=_("Receivables"),
        url_name="web:finance_aging",
        perms=(p.VIEW_RECEIVABLES,),
        app="finance",
        order=55,
    )
    _reports()


def _reports() -> None:
    """Finance's reports in the reports index (gendan.reports.registry)."""
    from gendan.reports import registry

    registry.add_report(
        key="finance.aging",
        title=_("Receivables aging"),
        description=_(
            "应收账款账龄: per customer, not yet due and 0-30, 31-60, 61-90, over 90 days past due; "
            "credit limit used; drill into the orders and log the chase."
        ),
        url_name="web:finance_aging",
        perms=(p.VIEW_RECEIVABLES,),
        app="finance",
        group=_("Sales and receivables"),
        order=20,
    )
    registry.add_report(
        key="finance.ledger",
        title=_("Sales ledger and statements"),
        description=_(
            "销售台账: a customer's bookings, payments and credit notes with the running balance; "
            "opened from a customer of the aging; statement of account as a PDF."
        ),
        url_name="web:finance_aging",
        perms=(p.VIEW_RECEIVABLES,),
        app="finance",
        group=_("Sales and receivables"),
        order=21,
    )
