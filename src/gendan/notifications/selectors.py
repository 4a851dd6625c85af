"""Reads of notifications: only ever the actor's own."""

from __future__ import annotations

from django.db.models import QuerySet

from gendan.accounts.models import User
from gendan.notifications.models import Notification


def notifications_for(actor: User, *, unread_only: bool = False) -> QuerySet[Notification]:
    qs = Notification.objects.filter(user=actor).select_related("actor")
    return qs.filter(read_at__isnull=True) if unread_only else qs


def unread_count(actor: User) -> int:
    return Notification.objects.filter(user=actor, read_at__isnull=True).count()
