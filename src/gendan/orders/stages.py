"""The way an order goes through its life, read from the workflow declaration.

`workflow.TRANSITIONS` says which action may be taken from which status; it does not say in which
order the actions come, nor where an action lands when its target depends on the order. `LIFE`
says that once, as data next to the table: the way forward, stage by stage, with the facts of the
order (`Plan`) that skip a stage or decide where it lands. Everything else is derived from the
table: the status each step leaves from (checked against the transition's sources), where it lands
(the transition's target, or the stage's `lands` where the target is a function of the order),
the timestamps it sets (`workflow.STAMPS` and the milestones) and who signs it (`Milestone.by`).

`path_to(status, plan)` is the list of steps that takes a new draft to `status`. The bulk seeder
writes the rows of these steps and the demo takes them through the service verbs, so neither can
drift from the workflow; `tests/test_stages.py` proves the two give the same order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from functools import cache
from itertools import product

from gendan.orders import workflow
from gendan.orders.workflow import Status

S = Status


@dataclass(frozen=True, kw_only=True)
class Plan:
    """The facts of one order that decide its way: which stages it takes, where they land."""

    deposit: bool = True  # the customer's terms ask a deposit
    ask_deposit: bool = True  # the deposit is requested before it arrives
    production: bool = True  # the stock does not cover every line: release issues a notice
    prepaid: bool = False  # the deposit pays the whole order: no balance is left to ask
    ask_balance: bool = True  # the balance is requested before it arrives or credit is allowed
    credit: bool = False  # the goods leave on credit terms; the balance is paid after delivery
    cod: bool = False  # on credit, the driver collects the balance at the door
    partial: bool = False  # the first shipment carries part of the goods (half of each line)


def _always(plan: Plan) -> bool:
    return True


@dataclass(frozen=True, kw_only=True)
class Stage:
    """A step of the way forward.

    ``taken`` says whether an order with these facts takes it; ``lands`` is where it lands when
    the transition's target is a function of the order (and only then); ``passes`` names the
    milestones it passes besides its own (release passes production when the stock covers every
    line); ``auto`` marks the step the services take themselves at the end of the step before
    (an order delivered and paid in full closes), by the same actor at the same moment.
    """

    action: str
    taken: Callable[[Plan], bool] = _always
    lands: Callable[[Plan], str] | None = None
    passes: Callable[[Plan], tuple[str, ...]] = lambda plan: ()
    auto: bool = False


def _whole(plan: Plan) -> bool:
    return not plan.partial


def _release_lands(plan: Plan) -> str:
    if plan.production:
        return S.RELEASED
    return S.READY_TO_SHIP if plan.prepaid else S.PRODUCED


#: The happy path: every action that takes an order forward, in the order the services take them.
LIFE: tuple[Stage, ...] = (
    Stage(action="submit"),
    Stage(action="sign_finance", lands=lambda p: S.SUBMITTED),
    Stage(action="sign_manager", lands=lambda p: S.SIGNED),
    Stage(action="request_deposit", taken=lambda p: p.deposit and p.ask_deposit),
    Stage(action="confirm_deposit", taken=lambda p: p.deposit, lands=lambda p: S.DEPOSIT_CONFIRMED),
    Stage(
        action="release",
        lands=_release_lands,
        passes=lambda p: (
            () if p.production else ("production", "balance") if p.prepaid else ("production",)
        ),
    ),
    Stage(
        action="complete_production",
        taken=lambda p: p.production,
        lands=lambda p: S.READY_TO_SHIP if p.prepaid else S.PRODUCED,
        passes=lambda p: ("balance",) if p.prepaid else (),
    ),
    Stage(action="request_balance", taken=lambda p: p.ask_balance and not p.prepaid),
    Stage(
        action="confirm_balance",
        taken=lambda p: not p.credit and not p.prepaid,
        lands=lambda p: S.READY_TO_SHIP,
    ),
    Stage(action="allow_credit", taken=lambda p: p.credit and not p.prepaid),
    Stage(action="issue_shipping_notice"),
    Stage(action="issue_outbound_slip"),
    Stage(action="issue_delivery_note"),
    Stage(action="ship", lands=lambda p: S.PARTIALLY_SHIPPED if p.partial else S.SHIPPED),
    # after a partial shipment the rest ships on a later notice; the way is declared up to it
    Stage(action="deliver", taken=_whole, lands=lambda p: S.DELIVERED),
    Stage(
        action="confirm_balance",
        taken=lambda p: _whole(p) and p.credit and not p.cod and not p.prepaid,
        lands=lambda p: S.DELIVERED,
    ),
    Stage(
        action="reconcile_cod", taken=lambda p: _whole(p) and p.credit and p.cod and not p.prepaid
    ),
    Stage(action="close", taken=_whole, auto=True),
)

#: The actions that step aside from the way forward. ``hold`` and ``cancel`` end a path where
#: the order stands (``path_to(ON_HOLD, plan, via=RELEASED)``); ``resume`` and ``amend`` reach
#: no status of their own (an amendment before the signatures is written by the seeder aside);
#: ``agree_new_date`` keeps the order in production with a later agreed date (not seeded).
DETOURS: tuple[str, ...] = ("hold", "cancel")
OFF_PATH: tuple[str, ...] = ("resume", "amend", "agree_new_date")
#: where each detour lands (their targets in the table are statuses, not functions)
DETOUR_TO: dict[str, str] = {a: str(workflow.BY_ACTION[a].target) for a in DETOURS}

#: The order's timestamp fields the steps set, in a fixed order (the seeder's columns).
STAMP_FIELDS: tuple[str, ...] = tuple(
    dict.fromkeys(
        [m.stamp for m in workflow.MILESTONES if m.stamp] + list(workflow.STAMPS.values())
    )
)
#: The order's fields that keep who passed a milestone (the signatures).
SIGNER_FIELDS: tuple[str, ...] = tuple(m.by for m in workflow.MILESTONES if m.by)
_MILESTONE = {m.key: m for m in workflow.MILESTONES}


@dataclass(frozen=True)
class Step:
    """One action on the way: from and to which status, the stamps it sets, who it records."""

    action: str
    source: str
    target: str
    stamps: tuple[str, ...] = ()
    signers: tuple[str, ...] = ()  # fields of the order set to the actor (finance_signed_by)
    auto: bool = False


class Unreachable(ValueError):
    """No way to the status for an order with these facts."""


def _landing(stage: Stage, source: str, plan: Plan) -> str:
    transition = workflow.BY_ACTION[stage.action]
    if source not in transition.sources:
        raise Unreachable(f"{stage.action} is not possible from {source}")
    if transition.target is None:
        return source
    if callable(transition.target):
        if stage.lands is None:
            raise LookupError(f"the stage {stage.action} must say where it lands")
        return stage.lands(plan)
    return transition.target


def _step(stage: Stage, source: str, plan: Plan, stamped: set[str]) -> Step:
    target = _landing(stage, source, plan)
    own = [workflow.STAMPS[stage.action]] if stage.action in workflow.STAMPS else []
    passed = [_MILESTONE[key].stamp for key in stage.passes(plan)]
    # a stamp is set once: confirming the balance after credit was allowed leaves ready_to_ship_at
    stamps = tuple(f for f in dict.fromkeys(own + passed) if f not in stamped)
    stamped.update(stamps)
    signers = tuple(m.by for m in workflow.MILESTONES if m.by and stage.action in m.actions)
    return Step(stage.action, source, target, stamps, signers, stage.auto)


def walk(plan: Plan) -> tuple[Step, ...]:
    """The whole way forward of an order with these facts. Raises `Unreachable` when a stage
    meets a status its transition does not leave from (LIFE and the table disagree)."""
    steps: list[Step] = []
    status: str = S.DRAFT
    stamped: set[str] = set()
    for stage in LIFE:
        if not stage.taken(plan):
            continue
        step = _step(stage, status, plan, stamped)
        steps.append(step)
        status = step.target
    return tuple(steps)


@cache
def path_to(status: str, plan: Plan = Plan(), *, via: str = "", last: str = "") -> tuple[Step, ...]:
    """The steps that take a new draft to `status`: the shortest way along LIFE, or the way that
    ends with the action `last`. ON_HOLD and CANCELLED are reached by their detour from `via`.
    The steps the services take on their own at the end of the last one come with it: a
    delivered order paid in full closes itself, so its way to DELIVERED ends CLOSED (only an
    order on credit rests at DELIVERED). Raises `Unreachable` when an order with these facts
    cannot get there."""
    if status in DETOUR_TO.values():
        action = next(a for a, to in DETOUR_TO.items() if to == status)
        if not via:
            raise Unreachable(f"say from which status the order is {status} (via=...)")
        before = path_to(via, plan, last=last)
        transition = workflow.BY_ACTION[action]
        if via not in transition.sources:
            raise Unreachable(f"{action} is not possible from {via}")
        stamps = (workflow.STAMPS[action],) if action in workflow.STAMPS else ()
        return (*before, Step(action, via, DETOUR_TO[action], stamps))
    steps = walk(plan)
    if status == S.DRAFT and not last:
        return ()
    for end, step in enumerate(steps):
        if step.target == status and (not last or step.action == last):
            while end + 1 < len(steps) and steps[end + 1].auto:
                end += 1  # the services take it on at once
            return steps[: end + 1]
    raise Unreachable(f"no way to {status} (after {last or 'any action'}) for {plan}")


def every_plan() -> tuple[Plan, ...]:
    """Every combination of the facts of a plan."""
    names = [f.name for f in fields(Plan)]
    return tuple(
        Plan(**dict(zip(names, values, strict=True)))
        for values in product((False, True), repeat=len(names))
    )


def _forward() -> tuple[str, ...]:
    """The statuses the way forward passes, in order: a status comes before another when some
    plan's way passes it first (ties, which no way decides, in the order they are declared)."""
    after: dict[str, set[str]] = {S.DRAFT: set()}
    for plan in every_plan():
        status: str = S.DRAFT
        for step in walk(plan):
            after.setdefault(step.target, set())
            if step.target != status:
                after[status].add(step.target)
            status = step.target
    before = {s: {a for a in after if s in after[a]} for s in after}
    order: list[str] = []
    while before:
        ready = [s for s in Status if s in before and not before[s] - set(order)]
        if not ready:
            raise LookupError(f"LIFE goes round in circles among {sorted(before)}")
        order.append(ready[0])
        del before[ready[0]]
    return tuple(order)


#: Every status the way forward passes, in order (DRAFT ... CLOSED; not ON_HOLD nor CANCELLED).
FORWARD: tuple[str, ...] = _forward()


def path_toward(
    status: str, plan: Plan = Plan(), *, via: str = "", last: str = ""
) -> tuple[Step, ...]:
    """`path_to`, or, when the order's facts keep it from a status of the way forward (no
    deposit asked: no DEPOSIT_REQUESTED; one piece cannot ship in part), the way as far as the
    order goes before that status's place in FORWARD. A detour or `last` must be reachable."""
    try:
        return path_to(status, plan, via=via, last=last)
    except Unreachable:
        if status not in FORWARD or via or last:
            raise
    limit, reached = FORWARD.index(status), S.DRAFT
    for step in walk(plan):
        if FORWARD.index(step.target) > limit:
            break
        reached = step.target
    return path_to(reached, plan)
