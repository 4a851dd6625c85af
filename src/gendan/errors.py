"""The one domain error type. Services raise it; the API and the pages map it once."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from django.utils.functional import Promise


class Kind(StrEnum):
    """How the boundary should answer: each kind maps to one HTTP status."""

    REFUSED = "refused"  # a gate is closed: 409
    INVALID = "invalid"  # bad input: 422
    FORBIDDEN = "forbidden"  # the actor lacks the permission: 403
    NOT_FOUND = "not_found"  # absent or not visible: 404
    STALE = "stale"  # the write was based on an old version: 412
    THROTTLED = "throttled"  # too many failed attempts: 429


class DomainError(Exception):
    """A refusal with a stable code, a translatable message and details."""

    def __init__(
        self,
        code: str,
        message: str | Promise,
        *,
        kind: Kind = Kind.REFUSED,
        details: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.kind = kind
        self.details = details or {}

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": str(self.message), "details": self.details}


class Reason:
    """One coded, translatable reason a gate gives for refusing."""

    __slots__ = ("code", "message")

    def __init__(self, code: str, message: str | Promise) -> None:
        self.code = code
        self.message = message

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "message": str(self.message)}

    def __repr__(self) -> str:
        return f"Reason({self.code!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Reason) and other.code == self.code

    def __hash__(self) -> int:
        return hash(self.code)


def refused(reasons: list[Reason], *, action: str) -> DomainError:
    """The error a service raises when a gate gives reasons."""
    first = reasons[0]
    return DomainError(
        first.code,
        first.message,
        kind=Kind.REFUSED,
        details={"action": action, "reasons": [r.as_dict() for r in reasons]},
    )


def invalid(code: str, message: str | Promise, **details: Any) -> DomainError:
    return DomainError(code, message, kind=Kind.INVALID, details=details)


def not_found(what: str) -> DomainError:
    from django.utils.translation import gettext

    return DomainError(
        "not_found", gettext("Not found."), kind=Kind.NOT_FOUND, details={"what": what}
    )
