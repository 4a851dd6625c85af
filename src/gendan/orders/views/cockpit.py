"""The order cockpit (订单详情): the gates passed and waiting, the actions, and everything on the order.

Read through `get_order_for(detail=True)` and `available_actions`; every action posts to
`order_action`, which calls the verb of `services.ACTION_VERBS` with the version the page showed.
Nothing here decides a rule: the checklist and the buttons only show what the workflow says.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from pydantic import ValidationError

from gendan import extensions, prices
from gendan.accounts.permissions import Perm
from gendan.errors import DomainError, Kind
from gendan.orders import selectors, services, workflow
from gendan.orders.errors import Code
from gendan.timeline.models import EventKind

#: the inputs an action form may carry (named as the API's parameters)
MONEY_PARAMS = ("amount", "cod_amount", "cod_collected")
DATE_PARAMS = ("received_on", "ship_date", "new_date")
TEXT_PARAMS = ("reference", "reason", "comment", "received_by", "proof_reference", "notice")

#: reasons the action's own form answers (the input is on the form, marked required)
ANSWERED_BY_FORM = frozenset({Code.REASON_REQUIRED})

#: reasons the checklist leaves out of a waiting gate
NOT_ABOUT_THE_GATE = frozenset({Code.PERMISSION_DENIED, Code.WRONG_STATUS, *ANSWERED_BY_FORM})


FIELD_LABELS = {
    "status": gettext_lazy("Status"),
    "contract_date": gettext_lazy("Contract date"),
    "delivery_date": gettext_lazy("Delivery date"),
    "currency": gettext_lazy("Currency"),
    "incoterm": gettext_lazy("Incoterm"),
    "customer_po": gettext_lazy("Customer PO"),
    "notes": gettext_lazy("Notes"),
    "total_amount": gettext_lazy("Total"),
    "deposit_due": gettext_lazy("Deposit due"),
    "finance_signed_by": gettext_lazy("Finance signature"),
    "finance_signed_at": gettext_lazy("Finance signed at"),
    "manager_signed_by": gettext_lazy("Sales manager signature"),
    "manager_signed_at": gettext_lazy("Sales manager signed at"),
    "product": gettext_lazy("Product"),
    "colour": gettext_lazy("Colour"),
    "size": gettext_lazy("Size"),
    "quantity": gettext_lazy("Quantity"),
    "packs": gettext_lazy("Packs"),
    "unit_price": gettext_lazy("Unit price"),
    "amount": gettext_lazy("Amount"),
    "special_material": gettext_lazy("Special raw-material requirement"),
    "packing_requirement": gettext_lazy("Packing requirement"),
    # the inputs of the actions' forms
    "reference": gettext_lazy("Reference"),
    "reason": gettext_lazy("Reason"),
    "received_by": gettext_lazy("Received by"),
    "proof_reference": gettext_lazy("Proof of delivery"),
    "cod_collected": gettext_lazy("Cash collected"),
    "received_on": gettext_lazy("Received on"),
    "ship_date": gettext_lazy("Ship date"),
    "notice": gettext_lazy("Shipping notice"),
}
MONEY_FIELDS = frozenset({"total_amount", "deposit_due", "unit_price", "amount"})


# ---- presenting ----------------------------------------------------------------------------------


@dataclass
class ActionView:
    action: str
    label: str
    allowed: bool
    reasons: list[str]
    params: tuple[str, ...]
    # what the gate itself still waits for (not the user's permission, not the status: the
    # checklist's earlier gates already say where the order stands)
    gate_reasons: list[str] = field(default_factory=list)


@dataclass
class Gate:
    key: str
    label: Any
    done: bool
    by: Any = None
    at: Any = None
    note: str = ""
    reasons: list[str] = field(default_factory=list)
    can_now: bool = False
    who_may: list[str] = field(default_factory=list)  # the permission the gate waits on


def _reason_text(reason: dict[str, str], show_prices: bool) -> str:
    return prices.reason_text(reason, sees_prices=show_prices)


def _actions(order: Any, user: Any, show_prices: bool) -> dict[str, list[ActionView]]:
    """Allowed, refused (with reasons) and not for this role, from the workflow table."""
    out: dict[str, list[ActionView]] = {"allowed": [], "refused": [], "not_for_role": []}
    for state in selectors.available_actions(order, user):
        codes = {r["code"] for r in state.reasons}
        texts = [_reason_text(r, show_prices) for r in state.reasons]
        answered = bool(codes) and codes <= ANSWERED_BY_FORM
        view = ActionView(
            action=state.action,
            label=state.label,
            allowed=state.allowed or answered,
            reasons=[] if answered else texts,
            params=state.params,
            gate_reasons=[
                _reason_text(r, show_prices)
                for r in state.reasons
                if r["code"] not in NOT_ABOUT_THE_GATE
            ],
        )
        if Code.PERMISSION_DENIED in codes:
            out["not_for_role"].append(view)
        elif view.allowed:
            out["allowed"].append(view)
        else:
            out["refused"].append(view)
    return out


def _latest_events(events: list[Any]) -> dict[str, Any]:
    """The newest transition event of each action (events come newest first)."""
    latest: dict[str, Any] = {}
    for event in events:
        action = (
            (event.payload or {}).get("action")
            if event.kind == EventKind.ORDER_TRANSITION
            else None
        )
        if action and action not in latest:
            latest[action] = event
    return latest


def _checklist(
    order: Any, states: dict[str, Any], events: list[Any], notices: list[Any]
) -> list[Gate]:
    """The milestones of the workflow, each passed (by whom, when) or waiting (and why)."""
    latest = _latest_events(events)
    cod_notes = workflow._cod_notes(notices)
    gates = []
    for milestone in workflow.MILESTONES:
        key, actions = milestone.key, milestone.actions
        passed, by, at = milestone.state(order, notices)
        gate = Gate(key=key, label=milestone.label, done=passed, at=at, by=by)
        if passed and by is None:
            event = next((latest[a] for a in actions if a in latest), None)
            if event is not None:
                gate.by = event.actor
                gate.at = gate.at or event.at
        if key == "deposit" and not passed and order.deposit_due <= 0:
            gate.note = _("No deposit asked.")
        if key == "cod" and not cod_notes:
            gate.note = _("No cash on delivery.")
        if key == "balance" and passed and order.on_credit:
            gate.note = _("Shipped on credit terms.")
        if not passed and not gate.note:
            gate.who_may = [
                str(workflow.permission_label(workflow.BY_ACTION[a].perm)) for a in actions
            ]
            for action in actions:
                state = states.get(action)
                if state is None:
                    continue
                if state.allowed:
                    gate.can_now = True
                gate.reasons += [r for r in state.gate_reasons if r not in gate.reasons]
            if gate.can_now:
                gate.reasons = []
        gates.append(gate)
    return gates


def _diff_lines(
    before: list[dict[str, Any]], after: list[dict[str, Any]], show_prices: bool
) -> list[dict[str, Any]]:
    """Line by line: added, removed, or which fields changed (before → after)."""
    rows = []
    old = {x["line_no"]: x for x in before}
    new = {x["line_no"]: x for x in after}
    hidden = set() if show_prices else MONEY_FIELDS
    for no in sorted(set(old) | set(new)):
        a, b = old.get(no), new.get(no)
        if a is None or b is None:
            line = b or a
            shown = {
                k: v
                for k, v in line.items()
                if k in ("product", "quantity", "unit_price", "colour", "size") and k not in hidden
            }
            rows.append(
                {
                    "line_no": no,
                    "change": "added" if a is None else "removed",
                    "fields": [(FIELD_LABELS.get(k, k), v, None) for k, v in shown.items()],
                }
            )
            continue
        changed = [
            (FIELD_LABELS.get(k, k), a.get(k), b.get(k))
            for k in b
            if k != "line_no" and k not in hidden and a.get(k) != b.get(k)
        ]
        if changed:
            rows.append(
                {"line_no": no, "change": "changed", "product": b["product"], "fields": changed}
            )
    return rows


def _revisions(order: Any, show_prices: bool, users: dict[int, Any]) -> list[dict[str, Any]]:
    out = []
    for rev in sorted(order.revisions.all(), key=lambda r: -r.revision):
        fields = []
        for name, (before, after) in sorted(rev.changes.items()):
            if name == "lines" or (not show_prices and name in MONEY_FIELDS):
                continue
            if name == "status":
                before, after = _status(before), _status(after)
            fields.append({"field": FIELD_LABELS.get(name, name), "before": before, "after": after})
        lines = []
        if "lines" in rev.changes:
            lines = _diff_lines(*rev.changes["lines"], show_prices=show_prices)
        out.append(
            {
                "from": rev.revision,
                "to": rev.revision + 1,
                "reason": rev.reason,
                "by": users.get(rev.created_by_id),
                "at": rev.created_at,
                "fields": fields,
                "lines": lines,
            }
        )
    return out


def _status(value: Any) -> str:
    try:
        return str(workflow.Status(value).label)
    except ValueError:
        return str(value)


def _timeline(events: list[Any], communications: list[Any], actor: Any) -> list[dict[str, Any]]:
    rows = []
    for e in events:
        action = (e.payload or {}).get("action", "")
        transition = workflow.BY_ACTION.get(action)
        rows.append(
            {
                "kind": "event",
                "at": e.at,
                "who": e.actor,
                "what": transition.label if transition else e.get_kind_display(),
                "from_status": e.from_status,
                "to_status": e.to_status,
                "comment": prices.redact_text(e.comment, actor),
            }
        )
    for c in communications:
        rows.append(
            {
                "kind": "communication",
                "at": c.occurred_at,
                "who": c.created_by,
                "what": c.get_kind_display(),
                "comment": prices.redact_text(c.summary, actor),
                "follow_up_on": c.follow_up_on,
                "done": c.done,
            }
        )
    rows.sort(key=lambda r: r["at"], reverse=True)
    return rows


def _panels(request: HttpRequest, order: Any) -> list[str]:
    """The panels other apps contribute, rendered for this order and user (a panel's build may
    answer None to stay away)."""
    user, shown = request.user, []
    for panel in extensions.cockpit_panels():
        if panel.perms and not any(user.can(p) for p in panel.perms):
            continue
        ctx = panel.build(order, user)
        if ctx is not None:
            shown.append(render_to_string(panel.template, {"panel": panel, **ctx}, request))
    return shown


def _order_or_404(user: Any, number: str, *, detail: bool) -> Any:
    try:
        return selectors.get_order_for(user, number, detail=detail)
    except DomainError as exc:
        raise Http404(str(exc.message)) from exc


@login_required
def order_detail(request: HttpRequest, number: str) -> HttpResponse:
    user = request.user
    order = _order_or_404(user, number, detail=True)
    show_prices = user.can(Perm.VIEW_PRICES)
    actions = _actions(order, user, show_prices)
    states = {a.action: a for group in actions.values() for a in group}
    events = list(order.events.all())
    notices = list(order.shipping_notices.all())
    lines = list(order.lines.all())
    line_no = {line.pk: line.line_no for line in lines}
    communications = list(order.communications.select_related("created_by"))
    payments = list(order.payments.all()) if show_prices else []
    revisions = list(order.revisions.all())
    people_ids = {p.recorded_by_id for p in payments} | {r.created_by_id for r in revisions}
    people = get_user_model().objects.in_bulk(people_ids) if people_ids else {}
    reservations = [
        {"line_no": line.line_no, "product": line.product, "r": r}
        for line in lines
        for r in line.reservations.all()
    ]
    for line in lines:
        line.reserved_qty = sum(r.open_quantity for r in line.reservations.all())
    amend = states.get("amend")
    context = {
        "order": order,
        "show_prices": show_prices,
        "actions": [a for a in actions["allowed"] if a.action != "amend"],
        # a closed or cancelled order has nothing left to explain: no list of refusals
        "refused": []
        if order.status in workflow.FINISHED
        else [a for a in actions["refused"] if a.action != "amend"],
        "not_for_role": [a for a in actions["not_for_role"] if a.action != "amend"],
        "can_amend": bool(amend and amend.allowed),
        "gates": _checklist(order, states, events, notices),
        "lines": lines,
        "payments": [{"p": p, "by": people.get(p.recorded_by_id)} for p in payments],
        "reservations": reservations,
        "production_notices": [
            {"n": n, "lines": [(line_no.get(nl.line_id), nl.quantity) for nl in n.lines.all()]}
            for n in order.production_notices.all()
        ],
        "shipping_notices": [
            {
                "n": n,
                "slip": getattr(n, "outbound_slip", None),
                "note": getattr(n, "delivery_note", None),
                "lines": [(line_no.get(nl.line_id), nl.quantity) for nl in n.lines.all()],
            }
            for n in notices
        ],
        "open_notices": [
            n.number for n in notices if n.status in ("issued", "shipped", "delivered")
        ],
        "timeline": _timeline(events, communications, user),
        "revisions": _revisions(order, show_prices, people),
        "panels": _panels(request, order),
    }
    return render(request, "orders/cockpit.html", context)


# ---- acting --------------------------------------------------------------------------------------


def _params(request: HttpRequest, action: str) -> tuple[dict[str, Any], list[str]]:
    """The action's inputs, parsed; those its input schema does not name are ignored."""
    accepted = workflow.BY_ACTION[action].input.model_fields
    kwargs: dict[str, Any] = {}
    problems: list[str] = []
    for name in (*MONEY_PARAMS, *DATE_PARAMS, *TEXT_PARAMS):
        raw = (request.POST.get(name) or "").strip()
        if name not in accepted or not raw:
            continue
        if name in MONEY_PARAMS:
            try:
                value: Any = Decimal(raw.replace(",", ""))
                if not value.is_finite():
                    raise InvalidOperation
            except InvalidOperation:
                problems.append(_("“%(value)s” is not an amount.") % {"value": raw})
                continue
        elif name in DATE_PARAMS:
            try:
                value = date.fromisoformat(raw)
            except ValueError:
                problems.append(_("“%(value)s” is not a date.") % {"value": raw})
                continue
        else:
            value = raw
        kwargs[name] = value
    missing = services.missing_parameters(action, kwargs)
    if missing:
        problems.append(_("Missing field: %(fields)s.") % {"fields": ", ".join(missing)})
    if problems:
        return kwargs, problems
    # the limits of the action's schema hold on the page as on the API (lengths, ranges, digits)
    try:
        checked = workflow.BY_ACTION[action].input.model_validate(kwargs)
    except ValidationError as exc:
        for error in exc.errors():
            name = str(error["loc"][0]) if error["loc"] else ""
            problems.append(
                _("“%(field)s” is not accepted: too long, too large or out of range.")
                % {"field": FIELD_LABELS.get(name, name)}
            )
        return kwargs, problems
    return checked.model_dump(exclude_unset=True), problems


@login_required
@require_POST
def order_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    user = request.user
    verb = services.ACTION_VERBS.get(action)
    if verb is None:
        raise Http404(_("Unknown action “%(action)s”.") % {"action": action})
    order = _order_or_404(user, number, detail=False)
    back = HttpResponseRedirect(reverse("web:order_detail", args=[order.number]))
    kwargs, problems = _params(request, action)
    if problems:
        for problem in problems:
            messages.error(request, problem)
        return back
    try:
        version: int | None = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    show_prices = user.can(Perm.VIEW_PRICES)
    try:
        verb(order_number=order.number, actor=user, expected_version=version, **kwargs)
    except DomainError as exc:
        if exc.kind == Kind.NOT_FOUND:
            raise Http404(str(exc.message)) from exc
        if exc.kind == Kind.STALE:
            messages.error(
                request,
                _("The order was changed by someone else, reloaded: check it and try again."),
            )
        else:
            reasons = exc.details.get("reasons") or [
                {"code": exc.code, "message": str(exc.message)}
            ]
            for reason in reasons:
                messages.error(request, _reason_text(reason, show_prices))
        return back
    except PermissionDenied:
        raise
    label = workflow.BY_ACTION[action].label
    messages.success(request, _("Done: %(action)s.") % {"action": label})
    return back
