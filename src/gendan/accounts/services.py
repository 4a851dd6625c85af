"""API tokens and the login throttle."""

from __future__ import annotations

import hashlib
import math
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext

from gendan.accounts.guards import VERBS
from gendan.accounts.models import ApiToken, LoginThrottle, ThrottleScope, User
from gendan.errors import DomainError, Kind
from gendan.timeline.models import EventKind
from gendan.timeline.services import record

TOKEN_PREFIX = "gd_"
MAX_WAIT = timedelta(minutes=15)  # the longest lock
FORGET_AFTER = timedelta(hours=1)  # failures older than this no longer count


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(
    *, user: User, actor: User, name: str = "", days: int | None = None
) -> tuple[ApiToken, str]:
    """A new token for `user` (the actor is the user themselves or the command line); shown once."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic(durable=True):
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=raw[:10],
            key_hash=hash_token(raw),
            expires_at=timezone.now() + timedelta(days=days or settings.GENDAN_TOKEN_DAYS),
        )
        record(
            kind=EventKind.TOKEN_ISSUED,
            actor=actor,
            payload={"user": user.username, "prefix": token.prefix},
        )
    return token, raw


VERBS[f"{__name__}.issue_token"] = "self"  # a user may always issue their own token


def _throttled(wait: timedelta) -> DomainError:
    seconds = max(1, math.ceil(wait.total_seconds()))
    return DomainError(
        "too_many_attempts",
        gettext("Too many failed sign-ins. Try again in %(s)s seconds.") % {"s": seconds},
        kind=Kind.THROTTLED,
        details={"retry_after": seconds},
    )


def _throttle_keys(username: str, address: str | None) -> list[tuple[str, str, int]]:
    """(scope, key, free failures) the sign-in is counted under."""
    keys: list[tuple[str, str, int]] = [
        (ThrottleScope.ACCOUNT, username.strip().lower()[:150], settings.GENDAN_LOGIN_FREE_FAILURES)
    ]
    if address and settings.GENDAN_LOGIN_ADDRESS_FREE_FAILURES > 0:
        keys.append(
            (ThrottleScope.ADDRESS, address[:150], settings.GENDAN_LOGIN_ADDRESS_FREE_FAILURES)
        )
    return keys


def check_sign_in(*, username: str, address: str | None = None) -> None:
    """Refuse a sign-in (right password or not) while its account or its address is locked.

    The one rule of every way in: the authentication backend calls it before it checks a
    password, so the page, the API and the admin share the lock."""
    now = timezone.now()
    q = Q()
    for scope, key, _free in _throttle_keys(username, address):
        q |= Q(scope=scope, key=key)
    locked = (
        LoginThrottle.objects.filter(q, locked_until__gt=now)
        .order_by("-locked_until")
        .values_list("locked_until", flat=True)
        .first()
    )
    if locked is not None:
        raise _throttled(locked - now)


def record_failed_sign_in(*, username: str, address: str | None = None) -> None:
    """Count a wrong password against the account and the address; past the free failures each
    one locks for GENDAN_LOGIN_LOCK_SECONDS, doubled with every further failure (at most
    MAX_WAIT). Failures older than FORGET_AFTER are forgotten."""
    now = timezone.now()
    for scope, key, free in _throttle_keys(username, address):
        throttle = _throttle_row(scope, key)
        stale = (
            throttle.last_failure_at is not None and now - throttle.last_failure_at > FORGET_AFTER
        )
        LoginThrottle.objects.filter(pk=throttle.pk).update(
            failures=1 if stale else F("failures") + 1, last_failure_at=now
        )
        throttle.refresh_from_db(fields=["failures"])
        extra = throttle.failures - free
        if extra >= 0:
            base = timedelta(seconds=settings.GENDAN_LOGIN_LOCK_SECONDS)
            wait = min(MAX_WAIT, base * 2 ** min(extra, 20))
            LoginThrottle.objects.filter(pk=throttle.pk).update(locked_until=now + wait)


def _throttle_row(scope: str, key: str) -> LoginThrottle:
    try:
        with transaction.atomic():
            return LoginThrottle.objects.get_or_create(scope=scope, key=key)[0]
    except IntegrityError:  # another request made it first
        return LoginThrottle.objects.get(scope=scope, key=key)


def record_sign_in(*, username: str) -> None:
    """A right password (outside a lock) clears the account's failures; the address keeps its
    count, so one good account does not reset the guessing of others from the same place."""
    LoginThrottle.objects.filter(
        scope=ThrottleScope.ACCOUNT, key=username.strip().lower()[:150]
    ).delete()


VERBS[f"{__name__}.check_sign_in"] = "credentials"
VERBS[f"{__name__}.record_failed_sign_in"] = "credentials"
VERBS[f"{__name__}.record_sign_in"] = "credentials"


def login_for_token(
    *, username: str, password: str, name: str = "", address: str | None = None
) -> tuple[ApiToken, str]:
    """Exchange a username and password for a token, under the same throttle as the pages
    (the authentication backend applies it)."""
    user = authenticate(username=username, password=password, address=address)
    if user is None:
        raise DomainError(
            "invalid_credentials", gettext("Wrong username or password."), kind=Kind.FORBIDDEN
        )
    return issue_token(user=user, actor=user, name=name)


VERBS[f"{__name__}.login_for_token"] = "credentials"


def revoke_token(*, token: ApiToken, actor: User) -> ApiToken:
    if token.user_id != actor.pk and not actor.can("manage_users"):
        raise DomainError(
            "permission_denied",
            gettext("You may only revoke your own tokens."),
            kind=Kind.FORBIDDEN,
        )
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return token


VERBS[f"{__name__}.revoke_token"] = "self"


def user_for_token(raw: str) -> User | None:
    token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(raw)).first()
    if token is None or not token.is_live or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def choose_language(*, actor: User, language: str) -> None:
    """Keep a user's language choice on their account (zh-hans or en)."""
    if language not in dict(settings.LANGUAGES):
        raise DomainError("invalid_language", gettext("Unknown language."), kind=Kind.INVALID)
    User.objects.filter(pk=actor.pk).update(language=language)


VERBS[f"{__name__}.choose_language"] = "self"
