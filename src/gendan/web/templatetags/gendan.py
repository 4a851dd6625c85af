"""Template filters every page shares: money in the user's locale, status badges, free text
through the price rule."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html

from gendan.orders.workflow import Status
from gendan.prices import redact_text, sees_prices

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


@register.filter
def price_rule(text: Any, actor: Any) -> Any:
    """Free text (a communication, a comment, a note) as ``actor`` may read it: without amounts
    for those who may not see prices (gendan/prices.py)."""
    return redact_text(text, actor)


@register.filter(name="sees_prices")
def sees_prices_filter(actor: Any) -> bool:
    """``{% if user|sees_prices %}``: the price rule's one test, for columns of amounts."""
    return sees_prices(actor)
