"""Roles are auth groups named by Role; their permissions come from ROLE_PERMS."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group, Permission

from gendan.accounts.permissions import ROLE_PERMS, Role


def sync_roles() -> None:
    perms = {p.codename: p for p in Permission.objects.filter(content_type__app_label="accounts")}
    for role, codes in ROLE_PERMS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set([perms[c] for c in codes if c in perms])


def sync_roles_after_migrate(**kwargs: Any) -> None:
    sync_roles()


def role_names(user: Any) -> list[str]:
    valid = set(Role.values)
    return sorted(g.name for g in user.groups.all() if g.name in valid)
