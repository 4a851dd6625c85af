"""Finance's named permissions and event kinds (declared through gendan.extensions).

Every one of them is held by roles that see prices only: the ledger, the aging and the credit
notes are nothing but amounts."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from gendan import extensions

VIEW_RECEIVABLES = "view_receivables"
CHASE_RECEIVABLES = "chase_receivables"
ISSUE_CREDIT_NOTE = "issue_credit_note"
CONFIRM_CREDIT_NOTE = "confirm_credit_note"

#: event kinds
CREDIT_NOTE_ISSUED = "finance.credit_note_issued"
CREDIT_NOTE_CONFIRMED = "finance.credit_note_confirmed"
CHASE_LOGGED = "finance.chase_logged"


def require_money(actor: Any, perm: str) -> None:
    """Every finance permission carries amounts: it is held together with the price rule's
    VIEW_PRICES (a user given the one without the other is refused as if without it)."""
    from gendan.accounts.guards import require
    from gendan.accounts.permissions import Perm

    require(actor, perm)
    require(actor, Perm.VIEW_PRICES)


def may(actor: Any, perm: str) -> bool:
    from gendan.accounts.permissions import Perm

    return actor is not None and actor.can(perm) and actor.can(Perm.VIEW_PRICES)


def register() -> None:
    add = extensions.add_permission
    add(
        code=VIEW_RECEIVABLES,
        label=_("See the sales ledger, receivables aging and statements"),
        roles={
            "finance",
            "cashier",
            "sales_manager",
            "salesperson",
            "merchandiser",
            "regional_manager",
        },
        app="finance",
    )
    add(
        code=CHASE_RECEIVABLES,
        label=_("Log the collection of overdue receivables"),
        roles={"finance", "cashier", "sales_manager", "salesperson", "merchandiser"},
        app="finance",
    )
    add(
        code=ISSUE_CREDIT_NOTE,
        label=_("Issue credit notes"),
        roles={"finance", "sales_manager", "customer_service"},
        app="finance",
    )
    add(
        code=CONFIRM_CREDIT_NOTE,
        label=_("Confirm credit notes (reduces the receivable)"),
        roles={"finance"},
        app="finance",
    )
    kind = extensions.add_event_kind
    kind(code=CREDIT_NOTE_ISSUED, label=_("Credit note issued"), app="finance")
    kind(code=CREDIT_NOTE_CONFIRMED, label=_("Credit note confirmed"), app="finance")
    kind(code=CHASE_LOGGED, label=_("Collection chased"), app="finance")
