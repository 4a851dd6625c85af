"""The JSON API: one NinjaAPI mounting each app's router under /api/v1/.

Domain errors are mapped here, once: {"code", "message", "details"} with 409 for a refused gate,
422 for invalid input, 403, 404, 412 for a stale write, 413 for a body over
DATA_UPLOAD_MAX_MEMORY_SIZE and 429 when sign-in is throttled. A path under /api/v1/ that names
no operation answers the same 404 body as a record that is not there.
"""

from __future__ import annotations

import copy
import json
import logging
from typing import Any

import ninja.openapi.schema
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser
from ninja.security import APIKeyCookie, HttpBearer

from gendan.accounts.api import people_router
from gendan.accounts.api import router as accounts_router
from gendan.accounts.services import user_for_token
from gendan.aftersales.api import router as aftersales_router
from gendan.apiconventions import DecimalLimitsJsonSchema, validation_body
from gendan.attachments.api import router as attachments_router
from gendan.catalog.api import router as catalog_router
from gendan.contracts.api import router as contracts_router
from gendan.errors import DomainError, Kind
from gendan.exports.api import router as exports_router
from gendan.finance.api import router as finance_router
from gendan.loading.api import router as loading_router
from gendan.logistics.api import router as logistics_router
from gendan.orders.api import router as orders_router
from gendan.parties.api import router as parties_router
from gendan.patrol.api import router as patrol_router
from gendan.prices import redact_error_body
from gendan.production.api import router as production_router
from gendan.prospects.api import router as prospects_router
from gendan.purchasing.api import router as purchasing_router
from gendan.quality.api import router as quality_router
from gendan.reports.api import router as reports_router

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


class LoneSurrogate(ValueError):
    """A JSON string with half of a UTF-16 pair (``"\\ud800"``): no database can store it."""


def _check_text(value: Any) -> None:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            raise LoneSurrogate(value) from exc
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key)
            _check_text(item)
    elif isinstance(value, list):
        for item in value:
            _check_text(item)


class TextParser(Parser):
    """JSON bodies whose every string is text UTF-8 can hold; ninja answers a failure 400,
    which `on_http_error` says as invalid input."""

    def parse_body(self, request: HttpRequest) -> Any:
        data = json.loads(request.body)
        _check_text(data)
        return data


# The published document says the digits a decimal field takes (ninja's generator, which the
# OpenAPI module reads at call time, extended; see apiconventions.DecimalLimitsJsonSchema).
ninja.openapi.schema.NinjaGenerateJsonSchema = DecimalLimitsJsonSchema  # type: ignore[misc]


class GendanAPI(NinjaAPI):
    """The API, whose OpenAPI document is generated once per (prefix, language, routers) and
    then served from memory: generating it walks every operation's schemas (seconds), and the
    document does not change while the process runs. Each caller gets its own copy."""

    _documents: dict[tuple[str | None, str | None, int], Any]

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        key = (path_prefix, translation.get_language(), len(self._routers))
        documents = self.__dict__.setdefault("_documents", {})
        if key not in documents:
            documents[key] = super().get_openapi_schema(
                path_prefix=path_prefix, path_params=path_params
            )
        return copy.deepcopy(documents[key])


api = GendanAPI(
    title="Gendan API",
    version="1",
    description=(
        "Gendan (跟单): order follow-up. Errors are {code, message, details}. Writes that move "
        "money take an `Idempotency-Key` header (a retry gets the first answer); writes to an "
        "order take `If-Match` with its ETag (a stale one answers 412)."
    ),
    auth=[TokenAuth(), SessionAuth()],
    urls_namespace="api",
    parser=TextParser(),
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
    return error_response(request, 422, validation_body(exc.errors))


@api.exception_handler(RequestDataTooBig)
def on_body_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    from django.conf import settings

    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return error_response(
        request,
        413,
        {
            "code": "request_too_large",
            "message": gettext(
                "The request body is larger than %(limit)s bytes; send less at a time "
                "(files go as uploads)."
            )
            % {"limit": limit},
            "details": {"limit_bytes": limit},
        },
    )


@api.exception_handler(TooManyFieldsSent)
@api.exception_handler(TooManyFilesSent)
def on_too_many_parts(request: HttpRequest, exc: Exception) -> HttpResponse:
    return error_response(
        request,
        413,
        {
            "code": "request_too_large",
            "message": gettext("The request has too many fields or files."),
            "details": {},
        },
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
    if isinstance(exc.__cause__, LoneSurrogate):
        return error_response(
            request,
            422,
            {
                "code": "invalid_text",
                "message": gettext(
                    "The request holds a character that is not text (half of a UTF-16 "
                    "surrogate pair, such as \\ud800)."
                ),
                "details": {"errors": []},
            },
        )
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


def unknown_path(request: HttpRequest, path: str) -> HttpResponse:
    """Any path under /api/v1/ that names no operation: the JSON 404, not the site's page."""
    return on_404(request, Http404(path))


def api_root(request: HttpRequest) -> HttpResponse:
    """/api/v1/ itself names no operation either (the document is /api/v1/openapi.json)."""
    return on_404(request, Http404("/"))


def mount() -> None:
    api.add_router("/auth", accounts_router)
    api.add_router("/people", people_router)
    api.add_router("/", parties_router)
    api.add_router("/", catalog_router)
    api.add_router("/orders", orders_router)
    api.add_router("/orders", attachments_router)
    api.add_router("/loading", loading_router)
    api.add_router("/exports", exports_router)
    api.add_router("/production", production_router)
    api.add_router("/quality", quality_router)
    api.add_router("/finance", finance_router)
    api.add_router("/reports", reports_router)
    api.add_router("/aftersales", aftersales_router)
    api.add_router("/purchasing", purchasing_router)
    api.add_router("/contracts", contracts_router)
    api.add_router("/patrol", patrol_router)
    api.add_router("/prospects", prospects_router)
    api.add_router("/logistics", logistics_router)
    # last, so that every operation above is matched first; not part of the document
    rest = Router()
    for pattern, view in (("/", api_root), ("/{path:path}", unknown_path)):
        rest.api_operation(
            ["GET", "POST", "PUT", "PATCH", "DELETE"], pattern, auth=None, include_in_schema=False
        )(view)
    api.add_router("/", rest)


mount()
