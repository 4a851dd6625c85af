"""The Today section "Notifications" (contributed through gendan.extensions for every role)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse

from gendan.extensions import SectionData
from gendan.notifications import selectors


def build(actor: Any, today: date, limit: int, request: Any = None) -> SectionData:
    """The unread count and the newest unread notifications (two queries)."""
    rows = list(selectors.notifications_for(actor, unread_only=True)[:limit])
    count = len(rows) if len(rows) < limit else selectors.unread_count(actor)
    return SectionData(count=count, rows=rows, list_url=reverse("web:notifications"))
