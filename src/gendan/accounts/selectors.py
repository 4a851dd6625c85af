"""Reads of accounts that other apps share."""

from __future__ import annotations

from gendan.accounts.models import User


def active_user(username: str | None) -> User | None:
    """The active user with this username, or None (no username, unknown or deactivated)."""
    if not username:
        return None
    return User.objects.filter(username=username, is_active=True).first()
