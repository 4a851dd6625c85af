"""Container and vehicle types: the master data the planner fills."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from gendan.accounts.guards import verb
from gendan.accounts.models import User
from gendan.errors import invalid
from gendan.loading.errors import Code
from gendan.loading.models import ContainerType, VehicleKind
from gendan.loading.permissions import LoadingPerm

CONTAINER_TYPE_FIELDS = (
    "name",
    "kind",
    "inside_length_mm",
    "inside_width_mm",
    "inside_height_mm",
    "door_width_mm",
    "door_height_mm",
    "max_payload_kg",
    "balance_tolerance_mm",
    "cost",
    "active",
)


def _check_container_type(ct: ContainerType) -> None:
    if ct.kind not in VehicleKind.values:
        raise invalid(Code.INVALID_CONTAINER_TYPE, gettext("Unknown vehicle kind."), field="kind")
    for name in CONTAINER_TYPE_FIELDS[2:8]:
        if int(getattr(ct, name) or 0) <= 0:
            raise invalid(
                Code.INVALID_CONTAINER_TYPE,
                gettext("Sizes and payload must be greater than zero."),
                field=name,
            )
    if ct.door_width_mm > ct.inside_width_mm or ct.door_height_mm > ct.inside_height_mm:
        raise invalid(
            Code.INVALID_CONTAINER_TYPE,
            gettext("The door cannot be larger than the inside."),
            field="door_width_mm",
        )


@verb(LoadingPerm.MANAGE_CONTAINER_TYPES)
def save_container_type(*, actor: User, code: str, **values: Any) -> ContainerType:
    """Create a container type, or change the one with this code."""
    code = code.strip()
    if not code:
        raise invalid("code_required", gettext("The code is required."), field="code")
    with transaction.atomic(durable=True):
        ct = ContainerType.objects.select_for_update().filter(code=code).first()
        ct = ct or ContainerType(code=code)
        for name, value in values.items():
            if name in CONTAINER_TYPE_FIELDS and value is not None:
                setattr(ct, name, value)
        if not ct.name:
            ct.name = code
        _check_container_type(ct)
        # simple-history reads who changed the row from this attribute; the field is added at
        # run time by HistoricalRecords (and simple-history ships no types), so no stub declares it
        ct._history_user = actor  # type: ignore[attr-defined]
        ct.save()
    return ct
