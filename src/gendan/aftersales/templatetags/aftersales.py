"""After-sales' template filters: the label of a complaint kind kept as its code (the daily
report keeps plain JSON, read later in the reader's language)."""

from __future__ import annotations

from django import template

from gendan.aftersales.models import ComplaintKind

register = template.Library()


@register.filter
def complaint_kind(code: str) -> str:
    try:
        return str(ComplaintKind(code).label)
    except ValueError:
        return code
