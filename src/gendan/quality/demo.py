"""The demo's inspection plans, for both of its industries: the furniture families and the
baby-care wipes are inspected before they ship (AQL sampling), the feeding bottles by a
checklist; the other families ship without a final inspection (the QC manager's choice)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from gendan.quality.services import save_plan

PLANS: list[dict[str, Any]] = [
    {"family": "北欧系列", "aql_level": Decimal("2.5")},
    {"family": "客厅系列", "aql_level": Decimal("2.5")},
    {"family": "儿童系列", "aql_level": Decimal("1.5"), "in_process_required": True},
    {"family": "湿巾系列", "aql_level": Decimal("4.0")},
    {
        "family": "喂养系列",
        "method": "checklist",
        "aql_level": None,
        "checklist": ["外观无划痕", "刻度清晰", "奶嘴密封不漏", "包装标识完整"],
    },
]


def seed_plans(users: dict[str, Any]) -> None:
    for plan in PLANS:
        save_plan(actor=users["qc"], **plan)
