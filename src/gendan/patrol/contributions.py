"""What the patrol app contributes: permissions and events, the merchandiser's Today section of
open exceptions (drawn after Today has loaded), navigation, the report page in the reports index,
and the exceptions as records that take photos."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gendan import extensions
from gendan.extensions import SectionData
from gendan.patrol import permissions as p
from gendan.patrol import selectors

SECTION = "patrol_open_exceptions"


def open_exceptions_section(
    actor: Any, today: date, limit: int, request: Any = None
) -> SectionData:
    """Lazy on Today's own request (its query count is pinned); two queries in its own."""
    if request is not None and not getattr(request, "patrol_section", False):
        return SectionData(count=0, extra={"lazy": True, "key": SECTION})
    return SectionData.page(selectors.open_of_my_orders(actor), limit)


def register() -> None:
    p.register()
    from gendan.attachments import access
    from gendan.reports import registry

    access.register(
        model="patrol.productionexception",
        lookup=lambda actor, key: selectors.get_exception_for(actor, key),
        key_of=lambda exc: exc.number,
        timeline=lambda exc: {"order": exc.order} if exc.order_id else {},
        url=lambda exc: reverse("web:patrol_exception", args=[exc.number]),
    )
    extensions.add_today_section(
        key=SECTION,
        title=_("Production exceptions of your orders"),
        description=_(
            "Open exceptions the workshop patrol raised on your orders, soonest due first."
        ),
        roles={"merchandiser"},
        build=open_exceptions_section,
        template="patrol/_section.html",
        app="patrol",
        order=30,
    )
    extensions.add_nav_entry(
        label=_("Exceptions"),
        url_name="web:patrol_exceptions",
        perms=(p.RAISE, p.HANDLE),
        app="patrol",
        order=55,
    )
    registry.add_report(
        key="patrol.by_kind_and_line",
        title=_("Production exceptions per kind and line"),
        description=_(
            "How many exceptions the patrol raised on each line, per kind, and how many are still open."
        ),
        url_name="web:patrol_report",
        app="patrol",
        group=_("Production"),
        perms=(p.RAISE, p.HANDLE),
        order=40,
    )
