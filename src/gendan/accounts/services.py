"""API tokens and the login throttle."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from gendan.accounts.guards import VERBS
from gendan.accounts.models import ApiToken, LoginThrottle, User
from gendan.errors import DomainError, Kind
from gendan.timeline.models import EventKind
from gendan.timeline.services import record

TOKEN_PREFIX = "gd_"
MAX_WAIT = timedelta(minutes=15)


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
    seconds = max(1, int(wait.total_seconds()))
    return DomainError(
        "too_many_attempts",
        gettext("Too many failed sign-ins. Try again in %(s)s seconds.") % {"s": seconds},
        kind=Kind.THROTTLED,
        details={"retry_after": seconds},
    )


def login_for_token(*, username: str, password: str, name: str = "") -> tuple[ApiToken, str]:
    """Exchange a username and password for a token; failures beyond the free ones slow down."""
    now = timezone.now()
    throttle = LoginThrottle.objects.filter(username=username).first()
    if throttle and throttle.locked_until and throttle.locked_until > now:
        raise _throttled(throttle.locked_until - now)
    user = authenticate(username=username, password=password)
    if user is None:
        throttle, _ = LoginThrottle.objects.get_or_create(username=username)
        LoginThrottle.objects.filter(pk=throttle.pk).update(
            failures=F("failures") + 1, last_failure_at=now
        )
        throttle.refresh_from_db()
        extra = throttle.failures - settings.GENDAN_LOGIN_FREE_FAILURES
        if extra >= 0:
            wait = min(MAX_WAIT, timedelta(seconds=2**extra))
            LoginThrottle.objects.filter(pk=throttle.pk).update(locked_until=now + wait)
        raise DomainError(
            "invalid_credentials", gettext("Wrong username or password."), kind=Kind.FORBIDDEN
        )
    LoginThrottle.objects.filter(username=username).delete()
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
