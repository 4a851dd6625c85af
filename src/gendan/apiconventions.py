"""What every endpoint shares: the caller, If-Match versions, Idempotency-Key replay."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Schema
from ninja.schema import NinjaGenerateJsonSchema
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

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


# ---- what the OpenAPI document says of the headers and the decimals ---------------------------

#: the longest Idempotency-Key kept (IdempotencyRecord.key)
IDEMPOTENCY_KEY_MAX = 200

IDEMPOTENCY_KEY = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": IDEMPOTENCY_KEY_MAX},
    "description": (
        "Any unique string (a UUID): a retry with the same key and the same body gets the first "
        "answer and changes nothing again; the same key with another body is a 422 "
        "`idempotency_key_reused`; while the first request still runs, a 409 "
        "`idempotency_in_progress` (retry a moment later)."
    ),
}
IF_MATCH = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    "schema": {"type": "string"},
    "description": (
        'The ETag of the order as last read (its `version`, such as "3"): the write is refused '
        "with a 412 `stale_version` when the order changed since."
    ),
}
IDEMPOTENCY_IN_PROGRESS = (
    "A gate is closed (`details.reasons` says why), or `idempotency_in_progress`: the first "
    "request with this Idempotency-Key is still running."
)


def documented_headers(*, idempotent: bool = False, if_match: bool = False) -> dict[str, Any]:
    """`openapi_extra` of an operation that reads Idempotency-Key and/or If-Match."""
    extra: dict[str, Any] = {
        "parameters": [
            *([IDEMPOTENCY_KEY] if idempotent else []),
            *([IF_MATCH] if if_match else []),
        ]
    }
    if idempotent:
        extra["responses"] = {409: {"description": IDEMPOTENCY_IN_PROGRESS}}
    return extra


class DecimalLimitsJsonSchema(NinjaGenerateJsonSchema):
    """ninja's JSON Schema generator, and a decimal field's ``max_digits`` and ``decimal_places``
    published: a pattern on its string form and words in its description, so a client can
    predict what the server takes (JSON Schema has no keyword for digits)."""

    def decimal_schema(self, schema: core_schema.DecimalSchema) -> JsonSchemaValue:
        json_schema = super().decimal_schema(schema)
        digits, places = schema.get("max_digits"), schema.get("decimal_places")
        if digits is None and places is None:
            return json_schema
        if digits is not None and places is not None:
            whole = "0" if digits == places else f"\\d{{1,{digits - places}}}"
            pattern = f"^[+-]?{whole}(\\.\\d{{1,{places}}}0*)?$" if places else f"^[+-]?{whole}$"
            words = f"At most {digits} digits, {places} of them after the decimal point."
        elif places is not None:
            pattern = f"^[+-]?\\d+(\\.\\d{{1,{places}}}0*)?$" if places else "^[+-]?\\d+$"
            words = f"At most {places} digits after the decimal point."
        else:
            pattern = None
            words = f"At most {digits} digits."
        for branch in json_schema.get("anyOf", [json_schema]):
            if branch.get("type") == "string" and pattern:
                branch["pattern"] = pattern
        json_schema["description"] = words
        return json_schema


def page_by_key(
    qs: QuerySet[Any], *, key: str, after: Any, limit: int
) -> tuple[list[Any], str | None]:
    """Keyset pagination on one unique field (``"-id"`` for newest first): a page of `limit`
    rows after the cursor and the cursor of the next page, a deep page costing what the first
    does."""
    name = key.removeprefix("-")
    qs = qs.order_by(key)
    if after is not None and after != "":
        qs = qs.filter(**{f"{name}__{'lt' if key.startswith('-') else 'gt'}": after})
    rows = list(qs[: limit + 1])
    cursor = str(getattr(rows[limit - 1], name)) if len(rows) > limit else None
    return rows[:limit], cursor


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
    if len(key) > IDEMPOTENCY_KEY_MAX:
        raise DomainError(
            "idempotency_key_invalid",
            gettext("An Idempotency-Key has at most %(n)s characters.")
            % {"n": IDEMPOTENCY_KEY_MAX},
            kind=Kind.INVALID,
        )
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


# ---- validation errors in the caller's language ------------------------------------------------


def _choices(ctx: dict[str, Any]) -> str:
    """pydantic's "'a', 'b' or 'c'" without the English "or"."""
    return str(ctx["expected"]).replace("' or '", "', '")


#: pydantic's error types, said in our words (the `type` stays in the answer as the stable code)
_MESSAGES: dict[str, Callable[[dict[str, Any]], str]] = {
    "missing": lambda c: gettext("This field is required."),
    "string_too_long": lambda c: gettext("At most %(n)s characters.") % {"n": c["max_length"]},
    "string_too_short": lambda c: gettext("At least %(n)s characters.") % {"n": c["min_length"]},
    "too_long": lambda c: gettext("At most %(n)s items.") % {"n": c["max_length"]},
    "too_short": lambda c: gettext("At least %(n)s items.") % {"n": c["min_length"]},
    "string_type": lambda c: gettext("A text is expected."),
    "string_pattern_mismatch": lambda c: gettext("The text does not have the expected form."),
    "decimal_parsing": lambda c: gettext("A decimal number is expected, such as 12.50."),
    "decimal_type": lambda c: gettext("A decimal number is expected, such as 12.50."),
    "decimal_max_digits": lambda c: (
        gettext("At most %(n)s digits in all.") % {"n": c["max_digits"]}
    ),
    "decimal_max_places": lambda c: (
        gettext("At most %(n)s digits after the decimal point.") % {"n": c["decimal_places"]}
    ),
    "decimal_whole_digits": lambda c: (
        gettext("At most %(n)s digits before the decimal point.") % {"n": c["whole_digits"]}
    ),
    "finite_number": lambda c: gettext("A finite number is expected."),
    "int_parsing": lambda c: gettext("A whole number is expected."),
    "int_type": lambda c: gettext("A whole number is expected."),
    "int_from_float": lambda c: gettext("A whole number is expected."),
    "float_parsing": lambda c: gettext("A number is expected."),
    "float_type": lambda c: gettext("A number is expected."),
    "bool_parsing": lambda c: gettext("true or false is expected."),
    "bool_type": lambda c: gettext("true or false is expected."),
    "greater_than": lambda c: gettext("Must be more than %(n)s.") % {"n": c["gt"]},
    "greater_than_equal": lambda c: gettext("Must be at least %(n)s.") % {"n": c["ge"]},
    "less_than": lambda c: gettext("Must be less than %(n)s.") % {"n": c["lt"]},
    "less_than_equal": lambda c: gettext("Must be at most %(n)s.") % {"n": c["le"]},
    "enum": lambda c: gettext("Must be one of: %(values)s.") % {"values": _choices(c)},
    "literal_error": lambda c: gettext("Must be one of: %(values)s.") % {"values": _choices(c)},
    "date_parsing": lambda c: gettext("A date is expected, such as 2026-12-31."),
    "date_type": lambda c: gettext("A date is expected, such as 2026-12-31."),
    "date_from_datetime_parsing": lambda c: gettext("A date is expected, such as 2026-12-31."),
    "date_from_datetime_inexact": lambda c: gettext("A date is expected, such as 2026-12-31."),
    "datetime_parsing": lambda c: gettext(
        "A date and time is expected, such as 2026-12-31T09:30:00+08:00."
    ),
    "datetime_type": lambda c: gettext(
        "A date and time is expected, such as 2026-12-31T09:30:00+08:00."
    ),
    "datetime_from_date_parsing": lambda c: gettext(
        "A date and time is expected, such as 2026-12-31T09:30:00+08:00."
    ),
    "list_type": lambda c: gettext("A list is expected."),
    "dict_type": lambda c: gettext("An object is expected."),
    "model_type": lambda c: gettext("An object is expected."),
    "model_attributes_type": lambda c: gettext("An object is expected."),
    "json_invalid": lambda c: gettext("The request body is not valid JSON."),
    "uuid_parsing": lambda c: gettext("A UUID is expected."),
}

#: where a parameter comes from, as ninja names it in `loc`
_SOURCES = {"query", "path", "header", "cookie", "form", "file"}


def error_message(error: Mapping[str, Any]) -> str:
    """One pydantic error in the caller's language: its type said in our words; a validator's
    own words (already translated where it raised them) as they are; anything else generically."""
    kind = str(error.get("type", ""))
    ctx = dict(error.get("ctx") or {})
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    say = _MESSAGES.get(kind)
    if say is not None:
        try:
            return say(ctx)
        except KeyError:  # a context pydantic did not give: the words without the number
            pass
    return gettext("This value is not valid.")


def error_location(loc: Sequence[Any]) -> str:
    """Where the error is, as a JSON path a client can follow: ``lines[0].unit_price`` for the
    body, ``limit (query)`` for a parameter; ninja's own wrappers (``body``, ``data``) left out."""
    parts = [str(p) if not isinstance(p, int) else p for p in loc]
    source = parts[0] if parts and parts[0] in _SOURCES else None
    if parts and parts[0] in _SOURCES | {"body"}:
        parts = parts[1:]
        if source is None and len(parts) > 1:  # body.<the handler's argument>.<field>
            parts = parts[1:]
        elif source is None and parts:  # the whole body is of the wrong type
            parts = []
    path = ""
    for p in parts:
        path += f"[{p}]" if isinstance(p, int) else (f".{p}" if path else str(p))
    if source == "query":
        return gettext("query parameter %(name)s") % {"name": path}
    if source == "path":
        return gettext("path parameter %(name)s") % {"name": path}
    if source == "header":
        return gettext("header %(name)s") % {"name": path}
    if source in ("form", "file"):
        return gettext("form field %(name)s") % {"name": path}
    return path or gettext("the request body")


def validation_body(raw_errors: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """The 422 answer to a request the schemas refuse: every error with its location, a
    translated message and pydantic's type as the stable code; the first one in `message`."""
    errors_out = [
        {
            "loc": [str(p) for p in e.get("loc", [])],
            "where": error_location(e.get("loc", [])),
            "msg": error_message(e),
            "type": str(e.get("type", "")),
        }
        for e in raw_errors
    ]
    first = errors_out[0] if errors_out else {"where": gettext("the request body"), "msg": ""}
    message = gettext("Invalid input at %(where)s: %(msg)s") % {
        "where": first["where"],
        "msg": first["msg"],
    }
    return {"code": "invalid_input", "message": message, "details": {"errors": errors_out}}
