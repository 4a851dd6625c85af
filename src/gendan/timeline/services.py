"""Writing events. Called by the other apps' services inside their transactions."""

from __future__ import annotations

from typing import Any

from gendan.accounts.guards import step
from gendan.timeline.models import Event


@step
def record(
    *,
    kind: str,
    actor: Any,
    order: Any = None,
    customer: Any = None,
    from_status: str = "",
    to_status: str = "",
    comment: str = "",
    payload: dict[str, Any] | None = None,
) -> Event:
    return Event.objects.create(
        kind=kind,
        actor=actor,
        order=order,
        customer=customer if customer is not None else getattr(order, "customer", None),
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        payload=payload or {},
    )
