"""The price rule in one place: what a price-blind actor may read of a message that carries amounts.

Production, the warehouse, drivers, purchasers and QC never see prices (MISSION.md). Fields are
left out where they are serialised; this module covers the words: gate reasons, refusals, error
bodies, flash messages, timeline payloads and comments, and the text of documents.

- Each app declares, in its own ``errors.py``, the codes whose message carries an amount and the
  words said instead to those who may not see prices (``declare``); the payload keys that hold an
  amount are declared the same way.
- The boundaries (the API's error handler, the action list, the cockpit, flash messages, the
  timeline, exports and documents) call ``redact_*`` with the actor; nothing else decides.
- As a safety net, any text that still looks like an amount with a currency (``USD 1,380.60``,
  ``1380.60 USD``, ``¥500``, ``200元``) is replaced for a price-blind actor.

The kernel may import ``gendan.errors`` and ``gendan.accounts.permissions`` (the permission's
name, no model) and Django, never a domain app.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext

from gendan.accounts.permissions import Perm
from gendan.errors import DomainError

#: code -> what a price-blind actor reads instead of the message (filled by the apps' errors.py)
_BLIND: dict[str, str | Promise] = {}

#: payload and detail keys whose value is an amount (the apps add theirs with ``declare``)
_MONEY_KEYS: set[str] = {
    "amount",
    "total",
    "paid",
    "due",
    "owed",
    "cod_amount",
    "cod_collected",
    "unit_price",
    "total_amount",
    "deposit_due",
    "paid_amount",
    "balance_due",
    "credit_limit",
    "receivable",
    "exposure",
}

_CURRENCY = (
    r"(?:(?<![A-Za-z])(?:USD|CNY|RMB|EUR|GBP|HKD|JPY|AUD|CAD|SGD|CHF|TWD|KRW)(?![A-Za-z])"
    r"|US\$|HK\$|[¥￥$€£]|元|美元|人民币|欧元|港币)"
)
_NUMBER = r"\d[\d,，]*(?:\.\d+)?"
#: an amount next to a currency, on either side, as people and gettext write it
AMOUNT_WITH_CURRENCY = re.compile(rf"{_CURRENCY}\s?{_NUMBER}|{_NUMBER}\s?{_CURRENCY}")


def declare(
    reasons: Mapping[str, str | Promise] | None = None, *, payload_keys: Iterable[str] = ()
) -> None:
    """An app's codes whose text carries an amount, with their price-blind words, and its
    payload keys that hold an amount. A code declared twice with other words is a mistake."""
    for code, words in (reasons or {}).items():
        known = _BLIND.get(str(code))
        if known is not None and known is not words:
            raise ValueError(f"price-blind words for {code!r} are declared twice")
        _BLIND[str(code)] = words
    _MONEY_KEYS.update(payload_keys)


@cache
def _discover() -> None:
    """Import every installed app's ``errors`` module once, so their declarations are in
    before the first message is redacted (as the admin finds ``admin`` modules)."""
    autodiscover_modules("errors")


def _words(code: Any) -> str | Promise | None:
    _discover()
    return _BLIND.get(str(code))


def _money_keys() -> set[str]:
    _discover()
    return _MONEY_KEYS


def priced_codes() -> frozenset[str]:
    """Every declared code whose message carries an amount (for docs and tests)."""
    _discover()
    return frozenset(_BLIND)


def sees_prices(actor: Any) -> bool:
    """The one test of the rule: an authenticated actor holding VIEW_PRICES."""
    return bool(
        actor is not None
        and getattr(actor, "is_authenticated", False)
        and actor.can(Perm.VIEW_PRICES)
    )


def hide_amounts(text: str) -> str:
    """The safety net: every amount with a currency in ``text`` replaced."""
    if not text:
        return text
    return AMOUNT_WITH_CURRENCY.sub(gettext("[amount hidden]"), text)


def redact_text(text: Any, actor: Any) -> Any:
    """Free text (a comment, a flash message, a document cell) as ``actor`` may read it."""
    if sees_prices(actor) or not isinstance(text, str | Promise):
        return text
    return hide_amounts(str(text))


def reason_text(reason: Mapping[str, Any], *, sees_prices: bool) -> str:
    """A reason's or an error's message (``{"code", "message"}``), without amounts when blind."""
    message = str(reason.get("message", ""))
    if sees_prices:
        return message
    words = _words(reason.get("code", ""))
    return str(words) if words is not None else hide_amounts(message)


def redact_reason(reason: Mapping[str, Any], actor: Any) -> dict[str, Any]:
    return {**reason, "message": reason_text(reason, sees_prices=sees_prices(actor))}


def redact_reasons(reasons: Iterable[Mapping[str, Any]], actor: Any) -> list[dict[str, Any]]:
    shows = sees_prices(actor)
    return [{**r, "message": reason_text(r, sees_prices=shows)} for r in reasons]


def error_text(exc: DomainError, actor: Any) -> str:
    """What a page flashes for a refusal."""
    return reason_text({"code": exc.code, "message": exc.message}, sees_prices=sees_prices(actor))


def redact_payload(payload: Any, actor: Any) -> Any:
    """A JSON payload (a timeline event's, an error's details) without amounts: the money keys
    left out, every string through the safety net, reasons in their price-blind words."""
    if sees_prices(actor):
        return payload
    return _blind(payload)


def redact_error_body(body: Mapping[str, Any], actor: Any) -> dict[str, Any]:
    """An error answer ``{"code", "message", "details"}`` as ``actor`` may read it."""
    if sees_prices(actor):
        return dict(body)
    return {
        **body,
        "message": reason_text(body, sees_prices=False),
        "details": _blind(body.get("details") or {}),
    }


def _blind(value: Any) -> Any:
    if isinstance(value, Mapping):
        if "code" in value and "message" in value:  # a reason inside details
            value = {**value, "message": reason_text(value, sees_prices=False)}
        return {k: _blind(v) for k, v in value.items() if k not in _money_keys()}
    if isinstance(value, list | tuple):
        return [_blind(v) for v in value]
    if isinstance(value, str | Promise):
        return hide_amounts(str(value))
    return value
