"""The sign-in forms of the pages and of the admin: Django's, with the throttle's refusal shown.

The throttle itself is the authentication backend's (accounts.backends); a locked account or
address raises `too_many_attempts`, which these forms turn into the form's error message.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from gendan.errors import DomainError


class _Throttled:
    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()  # type: ignore[misc]
        except DomainError as exc:
            raise forms.ValidationError(exc.message, code=exc.code) from None


class SignInForm(_Throttled, AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Wrong username or password."),
    }


class AdminSignInForm(_Throttled, AdminAuthenticationForm):
    pass
