"""The condition quality adds to "Issue shipping notice" (quality.final_inspection_passed).

THE RULE: an order whose products' families include one with a final-inspection plan gets no
shipping notice until its last final inspection passed, or the sales manager accepted a
concession after that inspection failed. One query: the plans of the order's families, with the
result of the order's last final inspection and whether it has a concession; no plan, no row.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, Subquery
from django.utils.translation import gettext

from gendan.errors import Reason
from gendan.orders.models import OrderLine
from gendan.quality.errors import Code
from gendan.quality.models import Concession, Inspection, InspectionKind, InspectionPlan, Result


def gate_state(order: Any) -> tuple[bool, str | None, bool]:
    """(a family of the order has a final plan, the last final result or None, conceded)."""
    last = Inspection.objects.filter(order=order, kind=InspectionKind.FINAL).order_by(
        "-inspected_at", "-id"
    )[:1]
    row = (
        InspectionPlan.objects.filter(
            final_required=True,
            family__in=OrderLine.objects.filter(order=order).values("product__series"),
        )
        .annotate(
            last_result=Subquery(last.values("result")),
            conceded=Exists(Concession.objects.filter(inspection_id=Subquery(last.values("pk")))),
        )
        .values_list("last_result", "conceded")[:1]
    )
    found = list(row)
    if not found:
        return False, None, False
    result, conceded = found[0]
    return True, result, bool(conceded)


def reasons_of(planned: bool, result: str | None, conceded: bool) -> list[Reason]:
    if not planned or result == Result.PASSED or conceded:
        return []
    if result is None:
        return [
            Reason(
                Code.FINAL_MISSING,
                gettext("Final inspection not done: QC inspects the goods before they ship."),
            )
        ]
    return [
        Reason(
            Code.FINAL_FAILED,
            gettext(
                "Final inspection failed: a re-inspection must pass, or the sales manager "
                "accept a concession."
            ),
        )
    ]


def final_inspection_passed(ctx: Any) -> list[Reason]:
    return reasons_of(*gate_state(ctx.order))


def register_attachments() -> None:
    """An inspection takes photos (gendan.attachments); who may see the inspection's order may
    see them."""
    from django.urls import reverse

    from gendan.attachments import access

    def lookup(actor: Any, key: str) -> Any:
        from gendan.quality import selectors

        return selectors.inspection_for(actor, key)

    access.register(
        model="quality.inspection",
        lookup=lookup,
        key_of=lambda inspection: str(inspection.pk),
        timeline=lambda inspection: {"order": inspection.order},
        url=lambda inspection: (
            reverse("web:quality_inspect", args=[inspection.order.number])
            if inspection.order_id
            else reverse("web:quality_home")
        ),
    )
