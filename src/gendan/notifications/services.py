"""Every write of notifications: tell users something, mark what they have read."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise

from gendan.accounts.guards import VERBS, step
from gendan.accounts.models import User
from gendan.notifications.models import Notification


@step
def notify(
    *,
    users: Iterable[User],
    kind: str,
    text: str | Promise,
    url: str = "",
    actor: User | None = None,
) -> list[Notification]:
    """One notification per user (the actor is left out: nobody is told what they did). A lazy
    ``text`` is worded in each user's language."""
    rows = []
    for user in dict.fromkeys(users):
        if actor is not None and user.pk == actor.pk:
            continue
        with translation.override(user.language or settings.LANGUAGE_CODE):
            worded = str(text)
        rows.append(Notification(user=user, kind=kind, text=worded[:500], url=url, actor=actor))
    return Notification.objects.bulk_create(rows)


def mark_read(*, actor: User, ids: Iterable[int] | None = None) -> int:
    """Mark the actor's notifications read (these ``ids``, or all); returns how many changed."""
    with transaction.atomic(durable=True):
        qs = Notification.objects.filter(user=actor, read_at__isnull=True)
        if ids is not None:
            qs = qs.filter(pk__in=list(ids))
        return qs.update(read_at=timezone.now())


VERBS[f"{__name__}.mark_read"] = "self"  # a user marks only their own notifications
