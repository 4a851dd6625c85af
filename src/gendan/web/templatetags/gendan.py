"""Template filters every page shares: money in the user's locale, status badges."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html

from gendan.orders.workflow import Status

register = template.Library()


@register.filter
def money(value: Decimal | None, currency: str = "") -> str:
    """1234.5 -> "1,234.50 USD" (grouping and decimal mark follow the active locale)."""
    if value is None:
        return ""
    text = number_format(Decimal(value), 2, use_l10n=True, force_grouping=True)
    return f"{text} {currency}".strip()


@register.filter
def status_label(value: str) -> str:
    try:
        return str(Status(value).label)
    except ValueError:
        return value


@register.simple_tag
def status_badge(value: str) -> Any:
    return format_html('<span class="badge status-{}">{}</span>', value, status_label(value))
