from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from gendan.accounts.models import User
from gendan.accounts.permissions import Perm
from gendan.errors import not_found
from gendan.parties.models import Communication, Customer


def visible_customers(actor: User | AnonymousUser | None) -> QuerySet[Customer]:
    """A salesperson sees their own customers and those of orders they are assigned to."""
    qs = Customer.objects.all()
    if actor is None or not actor.is_authenticated:
        return qs.none()
    if actor.can(Perm.VIEW_ALL):
        return qs
    return qs.filter(
        Q(salesperson=actor) | Q(orders__salesperson=actor) | Q(orders__merchandiser=actor)
    ).distinct()


def get_customer_for(actor: User, code: str) -> Customer:
    customer = visible_customers(actor).select_related("salesperson").filter(code=code).first()
    if customer is None:
        raise not_found("customer")
    return customer


def visible_communications(actor: User) -> QuerySet[Communication]:
    customers = visible_customers(actor).values("pk")
    return Communication.objects.filter(customer__in=customers).select_related(
        "customer", "order", "created_by"
    )
