"""The authentication backend of every way in (page login, admin login, API token login).

Django's `authenticate()` runs it for each of them, so the login throttle is applied once,
here: a locked account or client address is refused before its password is checked (a
DomainError `too_many_attempts`, which the API answers 429 and the sign-in forms show), a
wrong password is counted, and a right one clears the account's count.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from gendan.accounts import services


def client_address(request: HttpRequest | None) -> str | None:
    """The address the request came from (the proxy's when behind one: see the README)."""
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


class ThrottledModelBackend(ModelBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        address: str | None = None,
        **kwargs: Any,
    ) -> Any:
        if username is None:
            username = kwargs.get("username") or ""
        if not username or password is None:
            return None
        address = address or client_address(request)
        services.check_sign_in(username=username, address=address)
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            services.record_failed_sign_in(username=username, address=address)
        else:
            services.record_sign_in(username=username)
        return user
