from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from django.db.models import Q
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from gendan.accounts import services
from gendan.accounts.assignment import ASSIGNABLE_ROLES, assignable_people
from gendan.accounts.backends import client_address
from gendan.accounts.models import ApiToken
from gendan.accounts.permissions import Role
from gendan.accounts.roles import role_names
from gendan.apiconventions import ErrorOut, caller, errors
from gendan.errors import not_found

router = Router(tags=["auth"])
people_router = Router(tags=["people"])


class TokenIn(Schema):
    username: str = Field(max_length=150)
    password: str = Field(max_length=4096)
    name: str = Field("", max_length=100, description="What the token is for (shown in lists)")


class TokenOut(Schema):
    token: str
    prefix: str
    expires_at: datetime


class MeOut(Schema):
    username: str
    display_name: str
    roles: list[str]
    permissions: list[str]
    language: str


@router.post(
    "/token", auth=None, response={201: TokenOut, 403: ErrorOut, 429: ErrorOut, 422: ErrorOut}
)
def create_token(request: HttpRequest, data: TokenIn):
    """Exchange a username and password for a personal API token (shown once)."""
    token, raw = services.login_for_token(
        username=data.username,
        password=data.password,
        name=data.name,
        address=client_address(request),
    )
    return Status(201, {"token": raw, "prefix": token.prefix, "expires_at": token.expires_at})


@router.delete("/token/{prefix}", response={204: None, **errors(403, 404)})
def revoke_token(request: HttpRequest, prefix: str):
    """Revoke one of your tokens by its prefix."""
    user = caller(request)
    token = ApiToken.objects.filter(user=user, prefix=prefix, revoked_at=None).first()
    if token is None:
        raise not_found("token")
    services.revoke_token(token=token, actor=user)
    return Status(204, None)


@router.get("/me", response={200: MeOut, **errors()})
def me(request: HttpRequest):
    """Who the caller is, with roles and named permissions."""
    user = caller(request)
    perms = sorted(
        p.split(".", 1)[1] for p in user.get_all_permissions() if p.startswith("accounts.")
    )
    return {
        "username": user.username,
        "display_name": str(user),
        "roles": role_names(user),
        "permissions": perms,
        "language": user.language,
    }


# ---- the people an order may name --------------------------------------------------------------


class AssignableRole(StrEnum):
    """The roles an order names (accounts.assignment.ASSIGNABLE_ROLES)."""

    SALESPERSON = Role.SALESPERSON.value
    MERCHANDISER = Role.MERCHANDISER.value


assert {r.value for r in AssignableRole} == {r.value for r in ASSIGNABLE_ROLES}


class PersonOut(Schema):
    username: str
    display_name: str
    roles: list[str]


class PeoplePage(Schema):
    items: list[PersonOut]
    next_cursor: str | None


@people_router.get("", response={200: PeoplePage, **errors()})
def list_people(
    request: HttpRequest,
    role: AssignableRole,
    after: str | None = Query(None, max_length=150),
    limit: int = Query(100, ge=1, le=500),
    q: str | None = Query(None, max_length=100),
):
    """The people you may name on an order in `role`, by username: every merchandiser; every
    salesperson if you may assign orders (merchandisers, sales managers), else yourself. Pass
    `after` = `next_cursor` for the next page."""
    qs = assignable_people(caller(request), role.value).prefetch_related("groups")
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(display_name__icontains=q))
    if after:
        qs = qs.filter(username__gt=after)
    rows = list(qs[: limit + 1])
    return {
        "items": [
            {"username": u.username, "display_name": str(u), "roles": role_names(u)}
            for u in rows[:limit]
        ],
        "next_cursor": rows[limit - 1].username if len(rows) > limit else None,
    }
