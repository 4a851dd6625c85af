"""Writing events. Called by the other apps' services inside their transactions."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db.models import Model
from django.utils import timezone

from gendan.accounts.guards import step
from gendan.accounts.models import User
from gendan.rows import insert as insert_rows
from gendan.rows import insert_values
from gendan.timeline.models import Event

# The events recorded inside ``together()`` and not written yet (one list per block; a
# context variable, so threads and tasks never share one).
_pending: ContextVar[list[Event] | None] = ContextVar("timeline_pending", default=None)


@contextmanager
def together() -> Iterator[None]:
    """Write the events recorded inside the block in one INSERT when it ends, in the order they
    were recorded (an action's facts and its transition). Call it inside the transaction: an
    error in the block writes none of them. Nested blocks are one: the outermost writes."""
    if _pending.get() is not None:
        yield
        return
    token = _pending.set([])
    try:
        yield
        events = _pending.get() or []
        if events:
            insert_rows(events, returning="pk")
    finally:
        _pending.reset(token)


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
    the customer (any model: a purchase order, a sample, a loading plan...). Inside
    ``together()`` the event is written when the block ends (its ``pk`` is set then)."""
    subject_type = None
    if subject is not None:
        from django.contrib.contenttypes.models import ContentType

        subject_type = ContentType.objects.get_for_model(subject)
    event = Event(
        kind=kind,
        subject_type=subject_type,
        subject_id=str(subject.pk) if subject is not None else "",
        actor=actor,
        order=order,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        payload=payload or {},
    )
    if customer is not None:
        event.customer = customer
    elif order is not None:
        event.customer_id = order.customer_id  # the order's customer, without loading it
    pending = _pending.get()
    if pending is None:
        event.save()
    else:
        pending.append(event)
    return event


# ---- field history (django-simple-history), written in bulk --------------------------------


def history_model(model: type[Model]) -> Any:
    """The simple-history model of a tracked model, read from its descriptor (the
    ``Model.history`` attribute builds a manager class on every access)."""
    return model.__dict__[model._meta.simple_history_manager_attribute].model  # type: ignore[attr-defined]


class HistoryRow:
    """One history row to write (``write_history``): the history model and its values by
    attname, without a model instance (building one per row cost more than its INSERT)."""

    __slots__ = ("model", "values")

    def __init__(self, model: Any, values: dict[str, Any]) -> None:
        self.model = model
        self.values = values

    def __getattr__(self, name: str) -> Any:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None


@functools.cache
def _tracked_attnames(model: type[Model]) -> tuple[str, ...]:
    return tuple(f.attname for f in history_model(model).tracked_fields)


@step
def history_row(obj: Model, *, actor: Any, history_type: str = "~") -> HistoryRow:
    """The history row of ``obj`` as it is now ("+" created, "~" changed): who, when, and
    every tracked field, as simple-history's own signal writes it; ``write_history`` saves it."""
    values = {name: getattr(obj, name) for name in _tracked_attnames(type(obj))}
    values.update(
        history_date=timezone.now(),
        history_type=history_type,
        history_user_id=getattr(actor, "pk", None),
        history_change_reason=None,
    )
    return HistoryRow(history_model(type(obj)), values)


def write_history(rows: list[HistoryRow]) -> None:
    """Write history rows, one INSERT per history table."""
    by_model: dict[Any, list[dict[str, Any]]] = {}
    for row in rows:
        by_model.setdefault(row.model, []).append(row.values)
    for model, values in by_model.items():
        insert_values(model, values)
