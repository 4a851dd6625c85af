"""Roles are auth groups named by Role; their permissions come from ROLE_PERMS."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from gendan import extensions
from gendan.accounts.permissions import ROLE_PERMS, Role


def role_perms(role: str) -> frozenset[str]:
    """The accounts' own permissions of a role and those other apps declare for it."""
    own = ROLE_PERMS.get(role, frozenset())
    if role == Role.ADMIN:
        return own | frozenset(extensions.registry.permissions)
    return own | extensions.contributed_role_perms(role)


def sync_roles() -> None:
    """Keep a group per role with its permissions; the rows of contributed permissions are
    made here (on the user model, like the accounts' own), so apps need no migration for them."""
    user_type = ContentType.objects.get_for_model(get_user_model())
    perms = {p.codename: p for p in Permission.objects.filter(content_type__app_label="accounts")}
    for code, declared in extensions.registry.permissions.items():
        if code not in perms:
            perms[code] = Permission.objects.create(
                codename=code, name=str(declared.label)[:255], content_type=user_type
            )
    for role in Role.values:
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set([perms[c] for c in role_perms(role) if c in perms])


def sync_roles_after_migrate(**kwargs: Any) -> None:
    sync_roles()


def role_names(user: Any) -> list[str]:
    valid = set(Role.values)
    return sorted(g.name for g in user.groups.all() if g.name in valid)
