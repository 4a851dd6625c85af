"""The stable error codes of periodic jobs."""

from __future__ import annotations

from django.utils.translation import gettext

from gendan.errors import DomainError, invalid


def unknown_job(name: str) -> DomainError:
    return invalid(
        "unknown_job", gettext("No periodic job is named %(name)s.") % {"name": name}, job=name
    )


def unknown_period(name: str, period: str) -> DomainError:
    return invalid(
        "unknown_period",
        gettext("%(period)s is not a period of the job %(name)s.")
        % {"period": period, "name": name},
        job=name,
        period=period,
    )
