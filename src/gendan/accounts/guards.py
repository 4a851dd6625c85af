"""Service verbs declare their permission here; the registry lets a test prove none is missing."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from django.utils.translation import gettext

from gendan.accounts.permissions import Perm
from gendan.errors import DomainError, Kind

P = ParamSpec("P")
R = TypeVar("R")

#: qualified verb name -> the permission it needs ("workflow:<action>" when the table decides)
VERBS: dict[str, str] = {}


def permission_denied(perm: str) -> DomainError:
    from gendan import extensions

    label = Perm(perm).label if perm in Perm.values else extensions.permission_label(perm)
    return DomainError(
        "permission_denied",
        gettext("You do not have the permission: %(perm)s.") % {"perm": label},
        kind=Kind.FORBIDDEN,
        details={"permission": perm},
    )


def require(actor: Any, perm: str) -> None:
    if actor is None or not actor.can(perm):
        raise permission_denied(perm)


def verb(perm: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Mark a service verb: the actor must hold `perm` (checked before anything runs)."""

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        VERBS[f"{func.__module__}.{func.__name__}"] = perm

        @functools.wraps(func)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            require(kwargs.get("actor"), perm)
            return func(*args, **kwargs)

        return wrapper

    return decorate


def workflow_verb(action: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Mark a verb whose permission and gate come from the order workflow table."""

    def decorate(func: Callable[P, R]) -> Callable[P, R]:
        VERBS[f"{func.__module__}.{func.__name__}"] = f"workflow:{action}"
        return func

    return decorate


def step(func: Callable[P, R]) -> Callable[P, R]:
    """Mark a service step: a write that only runs inside a verb which checked the actor."""
    VERBS[f"{func.__module__}.{func.__name__}"] = "step"
    return func
