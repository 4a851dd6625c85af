"""Quality's named permissions and event kinds (declared through gendan.extensions)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gendan import extensions

RECORD = "record_inspection"
CONCEDE = "accept_concession"
MANAGE_PLANS = "manage_inspection_plans"

#: event kinds
INSPECTED = "quality.inspected"
CONCEDED = "quality.concession"
PLAN_CHANGED = "quality.plan_changed"


def register() -> None:
    add = extensions.add_permission
    add(code=RECORD, label=_("Record inspections"), roles={"qc"}, app="quality")
    add(
        code=CONCEDE,
        label=_("Accept a concession after a failed final inspection"),
        roles={"sales_manager"},
        app="quality",
    )
    add(code=MANAGE_PLANS, label=_("Edit inspection plans"), roles={"qc"}, app="quality")
    kind = extensions.add_event_kind
    kind(code=INSPECTED, label=_("Inspection recorded"), app="quality")
    kind(code=CONCEDED, label=_("Concession accepted"), app="quality")
    kind(code=PLAN_CHANGED, label=_("Inspection plan changed"), app="quality")
