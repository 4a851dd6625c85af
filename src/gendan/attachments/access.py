"""Which records take files, and who may see them: one entry per attachable model.

An app whose records take files registers, in its AppConfig's ``ready()``, how a record is found
for an actor by its key (its selector: "not yours" and "not there" are the same not-found error)
and what of the timeline a file on it belongs to. Every attach, removal and download goes through
``record_for(actor, ...)``, so a file is never seen by someone who may not see its record.

    access.register(
        model="aftersales.complaint",
        lookup=lambda actor, key: selectors.get_complaint_for(actor, key),
        key_of=lambda complaint: complaint.number,
        timeline=lambda complaint: {"order": complaint.order, "customer": complaint.customer},
        url=lambda complaint: reverse("web:complaint_detail", args=[complaint.number]),
    )
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.utils.translation import gettext

from gendan.attachments.errors import Code
from gendan.errors import DomainError, Kind, not_found


@dataclass(frozen=True)
class Attachable:
    model: str  # "app_label.modelname", lower case as ContentType stores it
    lookup: Callable[[Any, str], Any]  # (actor, key) -> the record, or raise DomainError
    key_of: Callable[[Any], str]
    timeline: Callable[[Any], dict[str, Any]]  # the order/customer a file's events belong to
    url: Callable[[Any], str]


_ATTACHABLE: dict[str, Attachable] = {}


def register(
    *,
    model: str,
    lookup: Callable[[Any, str], Any],
    key_of: Callable[[Any], str],
    timeline: Callable[[Any], dict[str, Any]],
    url: Callable[[Any], str],
) -> None:
    model = model.lower()
    if model in _ATTACHABLE:
        raise ValueError(f"attachable {model!r} is registered twice")
    apps.get_model(model)  # a typo fails at start-up
    _ATTACHABLE[model] = Attachable(model, lookup, key_of, timeline, url)


def declared(model: str) -> Attachable:
    try:
        return _ATTACHABLE[model.lower()]
    except KeyError:
        raise DomainError(
            Code.NOT_ATTACHABLE,
            gettext("Files cannot be attached to this kind of record."),
            kind=Kind.INVALID,
            details={"model": model},
        ) from None


def record_for(actor: Any, model: str, key: str) -> Any:
    """The record, if the actor may see it; else the not-found error of its own selector."""
    record = declared(model).lookup(actor, key)
    if record is None:
        raise not_found(model)
    return record


def model_of(record: Any) -> str:
    return record._meta.label_lower


@contextmanager
def temporarily(**kwargs: Any) -> Iterator[None]:
    """Register an attachable model for a test block, then forget it."""
    saved = dict(_ATTACHABLE)
    register(**kwargs)
    try:
        yield
    finally:
        _ATTACHABLE.clear()
        _ATTACHABLE.update(saved)


def register_orders() -> None:
    from django.urls import reverse

    from gendan.orders.selectors import get_order_for

    register(
        model="orders.order",
        lookup=get_order_for,
        key_of=lambda order: order.number,
        timeline=lambda order: {"order": order},
        url=lambda order: reverse("web:order_detail", args=[order.number]),
    )
