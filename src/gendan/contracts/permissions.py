"""The contracts app's named permissions and event kinds (declared through gendan.extensions)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gendan import extensions

ISSUE = "issue_sales_contract"
RECORD_COUNTERSIGNED = "record_countersigned_contract"
SET_TERMS = "set_contract_terms"

ISSUED = "contracts.issued"
COUNTERSIGNED = "contracts.countersigned"
TERMS_SET = "contracts.terms_set"

#: the release condition's stable name (an order kind may waive it)
CONDITION = "contracts.countersigned"


def register() -> None:
    add = extensions.add_permission
    add(
        code=ISSUE,
        label=_("Issue and print sales contracts"),
        roles={"salesperson", "merchandiser", "sales_manager"},
        app="contracts",
    )
    add(
        code=RECORD_COUNTERSIGNED,
        label=_("Attach the customer's countersigned contract"),
        roles={"salesperson", "merchandiser", "sales_manager"},
        app="contracts",
    )
    add(
        code=SET_TERMS,
        label=_("Set a customer's contract terms"),
        roles={"sales_manager"},
        app="contracts",
    )
    kind = extensions.add_event_kind
    kind(code=ISSUED, label=_("Sales contract issued"), app="contracts")
    kind(code=COUNTERSIGNED, label=_("Sales contract countersigned"), app="contracts")
    kind(code=TERMS_SET, label=_("Contract terms set"), app="contracts")
