"""What after-sales contributes to the shell: its permissions, event kinds and the replacement
order kind (permissions.py), the Today sections of each role, the cockpit panel of an order's
complaints and samples, the navigation, and the records that take photos (attachments)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gendan import extensions
from gendan.aftersales import permissions as p
from gendan.aftersales import selectors
from gendan.aftersales.models import Complaint, Sample
from gendan.extensions import SectionData


def _section(key: str, rows: Callable[[Any], Any]) -> Callable[..., SectionData]:
    """A section drawn after Today has loaded (htmx, from ``aftersales_today_section``): Today's
    own query count is pinned, and these cost their two queries (count and rows) in their own
    request."""

    def build(actor: Any, today: date, limit: int, request: Any = None) -> SectionData:
        if request is not None and not getattr(request, "aftersales_section", False):
            return SectionData(count=0, extra={"lazy": True, "key": key})
        return SectionData.page(rows(actor), limit)

    build.__name__ = key
    return build


SECTIONS: dict[str, Callable[..., SectionData]] = {
    "aftersales_samples_to_send": _section("aftersales_samples_to_send", selectors.samples_to_send),
    "aftersales_samples_to_confirm": _section(
        "aftersales_samples_to_confirm", selectors.samples_to_confirm
    ),
    "aftersales_my_samples": _section("aftersales_my_samples", selectors.my_customers_samples),
    "aftersales_to_decide": _section("aftersales_to_decide", selectors.complaints_to_decide),
    "aftersales_open_complaints": _section("aftersales_open_complaints", selectors.open_complaints),
    "aftersales_my_complaints": _section(
        "aftersales_my_complaints", selectors.my_customers_complaints
    ),
    "aftersales_resolutions_due": _section("aftersales_resolutions_due", selectors.resolutions_due),
}


def order_panel(order: Any, user: Any) -> dict[str, Any] | None:
    """The order's complaints (and the one it replaces goods for) and the samples that led to
    it (two queries); away when none."""
    found = list(
        Complaint.objects.filter(Q(order=order) | Q(resolutions__order=order))
        .select_related("product")
        .distinct()
        .order_by("-id")[:20]
    )
    samples = list(
        Sample.objects.filter(order=order).select_related("product").order_by("-id")[:20]
    )
    if not found and not samples:
        return None
    return {"order": order, "complaints": found, "samples": samples}


def _register_attachments() -> None:
    from gendan.attachments import access

    access.register(
        model="aftersales.sample",
        lookup=lambda actor, key: selectors.get_sample_for(actor, key),
        key_of=lambda sample: sample.number,
        timeline=lambda sample: {"customer": sample.customer} if sample.customer_id else {},
        url=lambda sample: reverse("web:aftersales_sample", args=[sample.number]),
    )
    access.register(
        model="aftersales.complaint",
        lookup=lambda actor, key: selectors.get_complaint_for(actor, key),
        key_of=lambda complaint: complaint.number,
        timeline=lambda complaint: {"order": complaint.order, "customer": complaint.customer},
        url=lambda complaint: reverse("web:aftersales_complaint", args=[complaint.number]),
    )


def register() -> None:
    p.register()
    _register_attachments()
    add = extensions.add_today_section
    sample_rows = "aftersales/_section_samples.html"
    complaint_rows = "aftersales/_section_complaints.html"
    add(
        key="aftersales_samples_to_send",
        title=_("Samples to make and send"),
        description=_(
            "Samples requested, accepted, made or reviewed: photographed before they are sent."
        ),
        roles={"merchandiser"},
        build=SECTIONS["aftersales_samples_to_send"],
        template=sample_rows,
        app="aftersales",
        order=40,
    )
    add(
        key="aftersales_samples_to_confirm",
        title=_("Samples sent: confirm the customer has them"),
        description=_("Ask the customer; confirm the receipt (date, by whom)."),
        roles={"merchandiser"},
        build=SECTIONS["aftersales_samples_to_confirm"],
        template=sample_rows,
        app="aftersales",
        order=41,
    )
    add(
        key="aftersales_resolutions_due",
        title=_("Complaint resolutions you own"),
        description=_("Replacement orders and exchanges to follow to closure, soonest due first."),
        roles={"merchandiser"},
        build=SECTIONS["aftersales_resolutions_due"],
        template="aftersales/_section_resolutions.html",
        app="aftersales",
        order=42,
    )
    add(
        key="aftersales_to_decide",
        title=_("Complaints to confirm"),
        description=_(
            "Your salespeople's customers' complaints (or any, when a salesperson has no "
            "manager): confirm or reject; nothing is resolved before."
        ),
        roles={"sales_manager"},
        build=SECTIONS["aftersales_to_decide"],
        template=complaint_rows,
        app="aftersales",
        order=15,
    )
    add(
        key="aftersales_open_complaints",
        title=_("Open complaints"),
        description=_("Complaints waiting for the sales manager or being resolved, oldest first."),
        roles={"customer_service", "admin"},
        build=SECTIONS["aftersales_open_complaints"],
        template=complaint_rows,
        app="aftersales",
        order=10,
    )
    add(
        key="aftersales_my_samples",
        title=_("Your customers' samples"),
        description=_("Samples you asked for or for your customers, until the feedback."),
        roles={"salesperson"},
        build=SECTIONS["aftersales_my_samples"],
        template=sample_rows,
        app="aftersales",
        order=40,
    )
    add(
        key="aftersales_my_complaints",
        title=_("Your customers' complaints"),
        description=_("Complaints of your customers still open."),
        roles={"salesperson"},
        build=SECTIONS["aftersales_my_complaints"],
        template=complaint_rows,
        app="aftersales",
        order=41,
    )
    extensions.add_cockpit_panel(
        key="aftersales_order",
        title=_("After-sales: complaints and samples"),
        build=order_panel,
        template="aftersales/_panel_order.html",
        app="aftersales",
        order=60,
    )
    extensions.add_nav_entry(
        label=_("Samples"),
        url_name="web:aftersales_samples",
        perms=(p.REQUEST_SAMPLE, p.HANDLE_SAMPLES),
        app="aftersales",
        order=70,
    )
    extensions.add_nav_entry(
        label=_("Complaints"),
        url_name="web:aftersales_complaints",
        perms=(p.LOG_COMPLAINT, p.DECIDE_COMPLAINT, p.RESOLVE_COMPLAINT, p.REQUEST_SAMPLE),
        app="aftersales",
        order=71,
    )
    _register_reports()


def complaints_part(day: date, region: str) -> dict[str, Any]:
    """The daily report's part (日报表): the complaints logged on ``day`` for the customers of
    ``region`` ("" = all), counted by kind, the first 20 listed. No amounts. Two queries."""
    start, end = selectors.day_bounds(day)
    logged = Complaint.objects.filter(logged_at__gte=start, logged_at__lt=end)
    if region:
        logged = logged.filter(customer__region=region)
    by_kind = dict(
        logged.order_by().values_list("kind").annotate(n=Count("id")).values_list("kind", "n")
    )
    rows = [
        {
            "number": c["number"],
            "customer": c["customer__name"],
            "order": c["order__number"] or "",
            "kind": c["kind"],
            "status": c["status"],
            "description": c["description"][:120],
        }
        for c in logged.order_by("id").values(
            "number", "customer__name", "order__number", "kind", "status", "description"
        )[:20]
    ]
    return {"count": sum(by_kind.values()), "by_kind": by_kind, "list": rows}


def _register_reports() -> None:
    from gendan.reports import registry

    registry.add_daily_part(
        key="aftersales.complaints",
        title=_("Complaints of the day"),
        build=complaints_part,
        template="aftersales/_daily_part.html",
        app="aftersales",
    )
    registry.add_report(
        key="aftersales.complaint_summary",
        title=_("Daily complaint summary"),
        description=_(
            "每天的客户投诉汇总: the day's complaints by kind and every open one with its age."
        ),
        url_name="web:aftersales_summary",
        perms=(p.LOG_COMPLAINT, p.DECIDE_COMPLAINT, p.RESOLVE_COMPLAINT, p.REQUEST_SAMPLE),
        app="aftersales",
        group=_("After-sales"),
        order=80,
    )
    registry.add_report(
        key="aftersales.sample_rate",
        title=_("Samples and the orders that followed"),
        description=_("Samples sent per salesperson and product, and how many an order followed."),
        url_name="web:aftersales_rate",
        perms=(p.REQUEST_SAMPLE, p.HANDLE_SAMPLES),
        app="aftersales",
        group=_("After-sales"),
        order=81,
    )
