"""Who an order may name: assigning an order to another salesperson is the merchandiser's or a
manager's act (a permission of its own), and the people a caller may name, by role.

A salesperson files orders in their own name; the services refuse anything else (orders'
`assign_not_allowed`), so the entry page, the API and the Excel import refuse alike.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from gendan import extensions
from gendan.accounts.models import User
from gendan.accounts.permissions import Role

#: name another salesperson on an order (file it for them, or hand it over)
ASSIGN_ORDERS = "assign_orders"
ASSIGNING_ROLES = frozenset({Role.MERCHANDISER.value, Role.SALES_MANAGER.value})

#: the roles an order names, and whom a caller may name in each
ASSIGNABLE_ROLES = (Role.SALESPERSON, Role.MERCHANDISER)


def register() -> None:
    extensions.add_permission(
        code=ASSIGN_ORDERS,
        label=_("Assign orders to another salesperson"),
        roles=ASSIGNING_ROLES,
        app="accounts",
    )


def may_assign(actor: Any) -> bool:
    return bool(actor is not None and actor.can(ASSIGN_ORDERS))


def may_name_salesperson(actor: Any, salesperson: Any) -> bool:
    """Whether `actor` may file (or hand over) an order in `salesperson`'s name."""
    return salesperson is None or salesperson.pk == actor.pk or may_assign(actor)


def assignable_people(actor: Any, role: str) -> QuerySet[User]:
    """The active people of `role` that `actor` may name on an order, by username: every
    merchandiser (whoever files an order names one); every salesperson for those who may
    assign, else the caller alone."""
    people = User.objects.filter(is_active=True, groups__name=role).distinct()
    if role == Role.SALESPERSON and not may_assign(actor):
        people = people.filter(pk=actor.pk)
    return people.order_by("username")
