"""The JSON API: one NinjaAPI mounting each app's router under /api/v1/.

Domain errors are mapped here, once: {"code", "message", "details"} with 409 for a refused gate,
422 for invalid input, 403, 404, 412 for a stale write and 429 when sign-in is throttled.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyCookie, HttpBearer

from gendan.accounts.api import router as accounts_router
from gendan.accounts.services import user_for_token
from gendan.attachments.api import router as attachments_router
from gendan.catalog.api import router as catalog_router
from gendan.errors import DomainError, Kind
from gendan.exports.api import router as exports_router
from gendan.loading.api import router as loading_router
from gendan.orders.api import router as orders_router
from gendan.parties.api import router as parties_router
from gendan.prices import redact_error_body

log = logging.getLogger(__name__)

STATUS = {
    Kind.REFUSED: 409,
    Kind.INVALID: 422,
    Kind.FORBIDDEN: 403,
    Kind.NOT_FOUND: 404,
    Kind.STALE: 412,
    Kind.THROTTLED: 429,
}


class TokenAuth(HttpBearer):
    """Authorization: Bearer <personal API token>."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = user_for_token(token)
        if user is not None:
            request.user = user
            if user.language and not request.headers.get("Accept-Language"):
                translation.activate(user.language)
        return user


class SessionAuth(APIKeyCookie):
    """The browser's session, with Django's CSRF check on writes."""

    param_name = "sessionid"

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return user
        return None


api = NinjaAPI(
    title="Gendan API",
    version="1",
    description="Gendan (跟单): order follow-up. Errors are {code, message, details}.",
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
)


def error_response(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
    response = api.create_response(request, body, status=status)
    retry = body.get("details", {}).get("retry_after")
    if retry:
        response["Retry-After"] = str(retry)
    return response


@api.exception_handler(DomainError)
def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    actor = getattr(request, "auth", None) or getattr(request, "user", None)
    return error_response(request, STATUS[exc.kind], redact_error_body(exc.as_dict(), actor))


@api.exception_handler(NinjaValidationError)
def on_validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {
            "loc": [str(p) for p in e.get("loc", [])],
            "msg": str(e.get("msg", "")),
            "type": str(e.get("type", "")),
        }
        for e in exc.errors
    ]
    where = ".".join(errors[0]["loc"]) if errors else ""
    message = gettext("Invalid input at %(where)s: %(msg)s") % {
        "where": where,
        "msg": errors[0]["msg"] if errors else "",
    }
    return error_response(
        request, 422, {"code": "invalid_input", "message": message, "details": {"errors": errors}}
    )


@api.exception_handler(DataError)
def on_data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
    """A value the database cannot hold (a NUL character on PostgreSQL, a number out of range)
    is the caller's mistake: 422, not 500. Logged, in case it ever hides a bug of ours."""
    log.warning("DataError on %s %s: %s", request.method, request.path, exc)
    return error_response(
        request,
        422,
        {
            "code": "invalid_input",
            "message": gettext(
                "A value cannot be stored: it is out of range or holds a NUL character."
            ),
            "details": {"errors": []},
        },
    )


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(
        request,
        401,
        {
            "code": "unauthenticated",
            "message": gettext("Sign in or send a valid API token."),
            "details": {},
        },
    )


@api.exception_handler(Http404)
def on_404(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(
        request, 404, {"code": "not_found", "message": gettext("Not found."), "details": {}}
    )


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if exc.status_code == 400:  # ninja's "Cannot parse request body": invalid input like any other
        return error_response(
            request,
            422,
            {
                "code": "invalid_input",
                "message": gettext("The request body is not valid JSON."),
                "details": {"errors": []},
            },
        )
    return error_response(
        request, exc.status_code, {"code": "http_error", "message": str(exc), "details": {}}
    )


def mount() -> None:
    api.add_router("/auth", accounts_router)
    api.add_router("/", parties_router)
    api.add_router("/", catalog_router)
    api.add_router("/orders", orders_router)
    api.add_router("/orders", attachments_router)
    api.add_router("/loading", loading_router)
    api.add_router("/exports", exports_router)


mount()
