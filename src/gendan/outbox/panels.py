"""The cockpit's panel of an order's mails (contributed through gendan.extensions)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from gendan.accounts.permissions import Perm
from gendan.outbox import selectors

SHOWN = 20


def order_panel(order: Any, user: Any, *, error: str = "", notice: str = "") -> dict[str, Any]:
    return {
        "order": order,
        "mails": list(selectors.mails_of(order)[:SHOWN]),
        "can_mail": user.can(Perm.LOG_COMMUNICATION),
        "mail_url": reverse("web:order_mail_status", args=[order.number]),
        "error": error,
        "notice": notice,
    }
