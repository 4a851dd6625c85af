"""The app shell's navigation: each entry shows to the roles whose permissions it needs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gendan.accounts.permissions import Perm


@dataclass(frozen=True)
class NavItem:
    label: Any
    url_name: str
    perms: tuple[str, ...] = ()  # any of them; empty = every signed-in user

    def visible_to(self, user: Any) -> bool:
        return not self.perms or any(user.can(p) for p in self.perms)


NAV = (
    NavItem(_("Today"), "web:today"),
    NavItem(_("Orders"), "web:order_list"),
    NavItem(_("New order"), "web:order_new", (Perm.ENTER_ORDER,)),
    NavItem(
        _("Inbox"),
        "web:inbox",
        (Perm.SIGN_AS_FINANCE, Perm.SIGN_AS_MANAGER, Perm.CONFIRM_PAYMENT, Perm.RECONCILE_COD),
    ),
    NavItem(_("Customers"), "web:customer_list", (Perm.MANAGE_CUSTOMERS, Perm.VIEW_PRICES)),
    NavItem(_("Products"), "web:product_list"),
    NavItem(_("Stock"), "web:stock_list"),
    NavItem(_("Import"), "web:order_import", (Perm.IMPORT_ORDERS,)),
    NavItem(_("Loading"), "web:loading_home", (Perm.PLAN_LOADING, Perm.COUNT_LOADING)),
    NavItem(_("Counting errors"), "web:counting_errors", (Perm.VIEW_COUNTING_ERRORS,)),
    NavItem(_("Export log"), "web:export_log", (Perm.VIEW_EXPORT_LOG,)),
)


def shell(request: Any) -> dict[str, Any]:
    """Context processor: the navigation of the signed-in user."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav": []}
    path = request.path
    items = []
    for item in NAV:
        if item.visible_to(user):
            url = reverse(item.url_name)
            active = path == url if url == "/" else path.startswith(url)
            items.append({"label": item.label, "url": url, "active": active})
    return {"nav": items}
