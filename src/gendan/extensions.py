"""What each app contributes to the order's life and to the shell, declared in its AppConfig.

The kernel owns this registry and the apps fill it in their ``ready()``: the conditions they add
to a transition of the order's life, the order kinds that waive some conditions, the sections of
Today and the panels of the order cockpit they draw (each with the roles it is for), their named
permissions (and the roles that hold them), their timeline event kinds, navigation entries,
the effects they run inside a transition and the verbs of the actions they own (an app's pages
are its own ``urls`` module, which ``web/urls.py`` finds). ``orders`` and ``web`` read the
registry; they never import a contributing app.

Contributions are plain data, validated when registered, so a typo fails at start-up and not on
the first page that reads it. Tests add a contribution for a block with ``temporarily()``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from gendan.accounts.permissions import Role
from gendan.errors import Reason

#: The roles of MISSION.md, by code (accounts.permissions.Role holds them and their labels).
ROLES = frozenset(Role.values)


class RegistryError(ValueError):
    """A contribution that cannot be right (unknown role, a key registered twice, ...)."""


@dataclass(frozen=True)
class Condition:
    """A condition an app adds to one action of the order's life.

    ``check(ctx)`` returns the coded reasons it refuses (empty = open); ``ctx`` is the workflow's
    Context (the order, the actor, the action's parameters). ``name`` is stable and namespaced by
    the app (``production.work_orders_done``): order kinds waive conditions by name.
    """

    name: str
    action: str
    check: Callable[[Any], list[Reason]]
    description: Any
    app: str


@dataclass(frozen=True)
class OrderKind:
    """A kind of order (e.g. after-sales' replacement-part order) and the conditions that do not
    apply to it (by name: ``orders.deposit_received``, ``orders.manager_signed``, ...)."""

    code: str
    label: Any
    waives: frozenset[str]
    app: str


@dataclass
class SectionData:
    """What a Today section shows: a count, the first rows, and how to see the rest."""

    count: int
    rows: list[Any] = field(default_factory=list)
    list_url: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def more(self) -> int:
        return max(0, self.count - len(self.rows))

    @classmethod
    def page(cls, qs: Any, limit: int) -> SectionData:
        """A queryset's count and first ``limit`` rows: two queries (one when it is empty)."""
        count = qs.count()
        return cls(count=count, rows=list(qs[:limit]) if count else [])


@dataclass(frozen=True)
class TodaySection:
    """A section of Today for the given roles. ``build(actor, today, limit)`` returns its data in
    a bounded number of queries; ``template`` renders it with ``section`` and ``data``."""

    key: str
    title: Any
    description: Any
    roles: frozenset[str]
    build: Callable[..., SectionData]
    template: str
    app: str
    order: int = 100


@dataclass(frozen=True)
class CockpitPanel:
    """A panel of the order cockpit. ``build(order, user)`` returns the template's context, or
    None to leave the panel out for this order and user."""

    key: str
    title: Any
    build: Callable[[Any, Any], dict[str, Any] | None]
    template: str
    app: str
    perms: tuple[str, ...] = ()  # any of them; empty = whoever sees the order
    order: int = 100


@dataclass(frozen=True)
class PermissionDecl:
    code: str
    label: Any
    roles: frozenset[str]
    app: str


@dataclass(frozen=True)
class EventKindDecl:
    code: str
    label: Any
    app: str


@dataclass(frozen=True)
class NavEntry:
    label: Any
    url_name: str
    app: str
    perms: tuple[str, ...] = ()  # any of them; empty = every signed-in user
    order: int = 100

    def visible_to(self, user: Any) -> bool:
        return not self.perms or any(user.can(p) for p in self.perms)


@dataclass(frozen=True)
class Effect:
    """Work an app does inside a transition of the order's life, after the verb's own work and
    before the state moves (e.g. production issues its notice when an order is released).
    ``run(step)`` gets the transition under way (the order, the actor, ``step.data`` from the
    verb) and returns what it adds to the event's payload."""

    action: str
    run: Callable[[Any], dict[str, Any]]
    app: str


@dataclass
class Registry:
    conditions: list[Condition] = field(default_factory=list)
    order_kinds: dict[str, OrderKind] = field(default_factory=dict)
    today_sections: dict[str, TodaySection] = field(default_factory=dict)
    cockpit_panels: dict[str, CockpitPanel] = field(default_factory=dict)
    permissions: dict[str, PermissionDecl] = field(default_factory=dict)
    event_kinds: dict[str, EventKindDecl] = field(default_factory=dict)
    nav: dict[str, NavEntry] = field(default_factory=dict)
    action_verbs: dict[str, Callable[..., Any]] = field(default_factory=dict)
    effects: list[Effect] = field(default_factory=list)


registry = Registry()


def _roles(roles: frozenset[str] | set[str] | tuple[str, ...], what: str) -> frozenset[str]:
    unknown = set(roles) - ROLES
    if unknown:
        raise RegistryError(f"{what}: unknown roles {sorted(unknown)}")
    return frozenset(roles)


def _unique(table: dict[str, Any], key: str, what: str) -> None:
    if key in table:
        raise RegistryError(f"{what} {key!r} is registered twice")


# ---- registering ---------------------------------------------------------------------------


def add_condition(
    *, name: str, action: str, check: Callable[[Any], list[Reason]], description: Any, app: str
) -> Condition:
    if any(c.name == name for c in registry.conditions):
        raise RegistryError(f"condition {name!r} is registered twice")
    condition = Condition(name, action, check, description, app)
    registry.conditions.append(condition)
    return condition


def add_order_kind(*, code: str, label: Any, waives: set[str] | frozenset[str], app: str) -> None:
    _unique(registry.order_kinds, code, "order kind")
    registry.order_kinds[code] = OrderKind(code, label, frozenset(waives), app)


def add_today_section(
    *,
    key: str,
    title: Any,
    description: Any,
    roles: set[str] | frozenset[str] | tuple[str, ...],
    build: Callable[..., SectionData],
    template: str,
    app: str,
    order: int = 100,
) -> None:
    _unique(registry.today_sections, key, "Today section")
    registry.today_sections[key] = TodaySection(
        key, title, description, _roles(roles, f"Today section {key}"), build, template, app, order
    )


def add_cockpit_panel(
    *,
    key: str,
    title: Any,
    build: Callable[[Any, Any], dict[str, Any] | None],
    template: str,
    app: str,
    perms: tuple[str, ...] = (),
    order: int = 100,
) -> None:
    _unique(registry.cockpit_panels, key, "cockpit panel")
    registry.cockpit_panels[key] = CockpitPanel(key, title, build, template, app, perms, order)


def add_permission(
    *, code: str, label: Any, roles: set[str] | frozenset[str] | tuple[str, ...], app: str
) -> None:
    _unique(registry.permissions, code, "permission")
    registry.permissions[code] = PermissionDecl(
        code, label, _roles(roles, f"permission {code}"), app
    )


def add_event_kind(*, code: str, label: Any, app: str) -> None:
    _unique(registry.event_kinds, code, "event kind")
    registry.event_kinds[code] = EventKindDecl(code, label, app)


def add_nav_entry(
    *, label: Any, url_name: str, app: str, perms: tuple[str, ...] = (), order: int = 100
) -> None:
    _unique(registry.nav, url_name, "navigation entry")
    registry.nav[url_name] = NavEntry(label, url_name, app, perms, order)


def add_action_verb(*, action: str, verb: Callable[..., Any], app: str) -> None:
    """The service verb of an action of the order's life that another app owns (shipping's
    notices, slips, delivery notes...): the API's endpoint and the cockpit's button call it."""
    _unique(registry.action_verbs, action, "action verb")
    registry.action_verbs[action] = verb


def add_effect(*, action: str, run: Callable[[Any], dict[str, Any]], app: str) -> None:
    registry.effects.append(Effect(action, run, app))


# ---- reading -------------------------------------------------------------------------------


def conditions_of(action: str) -> list[Condition]:
    return [c for c in registry.conditions if c.action == action]


def effects_of(action: str) -> list[Effect]:
    """In the order the apps registered them (INSTALLED_APPS)."""
    return [e for e in registry.effects if e.action == action]


def is_order_kind(code: str) -> bool:
    return code in registry.order_kinds


def waived_by(kind: str) -> frozenset[str]:
    declared = registry.order_kinds.get(kind)
    return declared.waives if declared else frozenset()


def today_sections_for(roles: set[str] | frozenset[str]) -> list[TodaySection]:
    chosen = [s for s in registry.today_sections.values() if s.roles & set(roles)]
    return sorted(chosen, key=lambda s: (s.order, s.key))


def cockpit_panels() -> list[CockpitPanel]:
    return sorted(registry.cockpit_panels.values(), key=lambda p: (p.order, p.key))


def nav_entries() -> list[NavEntry]:
    return sorted(registry.nav.values(), key=lambda n: n.order)


def contributed_role_perms(role: str) -> frozenset[str]:
    return frozenset(p.code for p in registry.permissions.values() if role in p.roles)


def permission_label(code: str) -> Any:
    declared = registry.permissions.get(code)
    return declared.label if declared else code


def event_kind_label(code: str) -> Any:
    declared = registry.event_kinds.get(code)
    return declared.label if declared else code


@contextmanager
def temporarily(register: Callable[[], None]) -> Iterator[None]:
    """Run ``register()`` (calls of add_*) for the duration of a block, then forget them."""
    saved = Registry(
        conditions=list(registry.conditions),
        order_kinds=dict(registry.order_kinds),
        today_sections=dict(registry.today_sections),
        cockpit_panels=dict(registry.cockpit_panels),
        permissions=dict(registry.permissions),
        event_kinds=dict(registry.event_kinds),
        nav=dict(registry.nav),
        action_verbs=dict(registry.action_verbs),
        effects=list(registry.effects),
    )
    register()
    try:
        yield
    finally:
        for name in vars(saved):
            setattr(registry, name, getattr(saved, name))
