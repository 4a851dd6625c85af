"""What every endpoint shares: the caller, If-Match versions, Idempotency-Key replay."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Schema

from gendan.accounts.models import IdempotencyRecord
from gendan.errors import DomainError, Kind


class ErrorOut(Schema):
    """Every error answer: a stable code, a translated message, details."""

    code: str
    message: str
    details: dict


def errors(*codes: int) -> dict[int, type[ErrorOut]]:
    """The error answers an operation documents: 401 and 422 always, plus `codes`."""
    return dict.fromkeys((401, 422, *codes), ErrorOut)


def caller(request: HttpRequest) -> Any:
    return request.auth if getattr(request, "auth", None) is not None else request.user


def expected_version(request: HttpRequest) -> int | None:
    """The version the client saw, from If-Match ("3", 3 or W/"3"); None when absent."""
    header = request.headers.get("If-Match")
    if not header or header.strip() == "*":
        return None
    value = header.strip().removeprefix("W/").strip('"')
    try:
        return int(value)
    except ValueError as exc:
        raise DomainError(
            "stale_version",
            gettext('If-Match must carry the ETag of the order, such as "3".'),
            kind=Kind.STALE,
        ) from exc


def to_json(body: Any) -> Any:
    return json.loads(json.dumps(body, cls=DjangoJSONEncoder))


def idempotent(
    request: HttpRequest, endpoint: str, payload: Any, run: Callable[[], tuple[int, Any]]
) -> tuple[int, Any]:
    """Run `run` once per Idempotency-Key: a retry gets the first answer; money never counts twice."""
    key = request.headers.get("Idempotency-Key")
    if not key:
        return run()
    user = caller(request)
    digest = hashlib.sha256(json.dumps(to_json(payload), sort_keys=True).encode()).hexdigest()
    existing = IdempotencyRecord.objects.filter(user=user, key=key, endpoint=endpoint).first()
    if existing is None:
        try:
            with transaction.atomic():
                existing = IdempotencyRecord.objects.create(
                    user=user,
                    key=key,
                    endpoint=endpoint,
                    request_hash=digest,
                    status_code=0,
                    body={},
                )
        except IntegrityError:
            existing = IdempotencyRecord.objects.get(user=user, key=key, endpoint=endpoint)
        else:
            try:
                status, body = run()
            except Exception:
                IdempotencyRecord.objects.filter(pk=existing.pk).delete()
                raise
            IdempotencyRecord.objects.filter(pk=existing.pk).update(
                status_code=status, body=to_json(body)
            )
            return status, body
    if existing.request_hash != digest:
        raise DomainError(
            "idempotency_key_reused",
            gettext("This Idempotency-Key was used for a different request."),
            kind=Kind.INVALID,
        )
    if existing.status_code == 0:
        raise DomainError(
            "idempotency_in_progress",
            gettext("The first request with this key is still running."),
            kind=Kind.REFUSED,
        )
    return existing.status_code, existing.body
