"""Reads of notifications: only ever the actor's own."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from gendan.notifications.models import Notification


def notifications_for(actor: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(user=actor).select_related("actor")
    return qs.filter(read_at__isnull=True) if unread_only else qs


def unread_count(actor: Any) -> int:
    return Notification.objects.filter(user=actor, read_at__isnull=True).count()
