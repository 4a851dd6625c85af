"""Writing events. Called by the other apps' services inside their transactions."""

from __future__ import annotations

from typing import Any

from gendan.accounts.guards import step
from gendan.accounts.models import User
from gendan.timeline.models import Event


@step
def record(
    *,
    kind: str,
    actor: User | None,  # None: the system (a mail server's answer, a periodic job)
    order: Any = None,
    customer: Any = None,
    from_status: str = "",
    to_status: str = "",
    comment: str = "",
    payload: dict[str, Any] | None = None,
    subject: Any = None,
) -> Event:
    """One business fact. ``subject`` is the record it is about when that is not the order or
    the customer (any model: a purchase order, a sample, a loading plan...)."""
    subject_type = None
    if subject is not None:
        from django.contrib.contenttypes.models import ContentType

        subject_type = ContentType.objects.get_for_model(subject)
    return Event.objects.create(
        kind=kind,
        subject_type=subject_type,
        subject_id=str(subject.pk) if subject is not None else "",
        actor=actor,
        order=order,
        customer=customer if customer is not None else getattr(order, "customer", None),
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        payload=payload or {},
    )
