"""The patrol app's named permissions and event kinds."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gendan import extensions

RAISE = "raise_production_exception"
HANDLE = "handle_production_exception"

RAISED = "patrol.raised"
ACTED = "patrol.acted"
CLOSED = "patrol.closed"
SLIP_LINKED = "patrol.slip_linked"

#: who is on the floor: anyone of them raises an exception from the phone
FLOOR_ROLES = {
    "merchandiser",
    "production",
    "qc",
    "warehouse",
    "purchaser",
    "sales_manager",
}


def register() -> None:
    add = extensions.add_permission
    add(
        code=RAISE,
        label=_("Raise production exceptions (workshop patrol)"),
        roles=FLOOR_ROLES,
        app="patrol",
    )
    add(
        code=HANDLE,
        label=_("Act on and close production exceptions"),
        roles={"merchandiser", "production", "qc"},
        app="patrol",
    )
    kind = extensions.add_event_kind
    kind(code=RAISED, label=_("Production exception raised"), app="patrol")
    kind(code=ACTED, label=_("Production exception acted on"), app="patrol")
    kind(code=CLOSED, label=_("Production exception closed"), app="patrol")
    kind(code=SLIP_LINKED, label=_("Production exception made a slip reason"), app="patrol")
