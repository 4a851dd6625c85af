"""What logistics contributes to the shell: its permissions and event kinds (permissions.py),
the Today sections of the merchandiser, the warehouse, the driver and the cashier (drawn after
Today has loaded), the navigation, and the stop that takes the delivery note's photos."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gendan import extensions
from gendan.extensions import SectionData
from gendan.logistics import permissions as p
from gendan.logistics import selectors


def _lazy(key: str, build: Callable[[Any, date, int], SectionData]) -> Callable[..., SectionData]:
    """A section drawn after Today has loaded (htmx, from ``logistics_today_section``): Today's
    own query count is pinned; these cost their two queries in their own request."""

    def section(actor: Any, today: date, limit: int, request: Any = None) -> SectionData:
        if request is not None and not getattr(request, "logistics_section", False):
            return SectionData(count=0, extra={"lazy": True, "key": key})
        return build(actor, today, limit)

    section.__name__ = key
    return section


def _late(actor: Any, today: date, limit: int) -> SectionData:
    return SectionData.page(selectors.late_requests(today + timedelta(days=1)), limit)


def _not_prepared(actor: Any, today: date, limit: int) -> SectionData:
    return SectionData.page(selectors.trips_to_prepare(today + timedelta(days=1)), limit)


def _my_trips(actor: Any, today: date, limit: int) -> SectionData:
    qs = selectors.Trip.objects.filter(driver__user=actor, day=today).select_related(
        "vehicle", "driver__user"
    )
    return SectionData.page(qs, limit)


def _cash(actor: Any, today: date, limit: int) -> SectionData:
    count, rows = selectors.open_cash(limit)
    return SectionData(count=count, rows=rows)


def _export_steps(actor: Any, today: date, limit: int) -> SectionData:
    from gendan.logistics.exports import overdue_steps

    return SectionData.page(overdue_steps(actor, today), limit)


SECTIONS: dict[str, Callable[..., SectionData]] = {
    "logistics_export_overdue": _lazy("logistics_export_overdue", _export_steps),
    "logistics_late_requests": _lazy("logistics_late_requests", _late),
    "logistics_not_prepared": _lazy("logistics_not_prepared", _not_prepared),
    "logistics_to_prepare": _lazy("logistics_to_prepare", _not_prepared),
    "logistics_my_trips": _lazy("logistics_my_trips", _my_trips),
    "logistics_cash": _lazy("logistics_cash", _cash),
}


def _register_attachments() -> None:
    from gendan.attachments import access

    access.register(
        model="logistics.stop",
        lookup=lambda actor, key: selectors.stop_for(actor, key),
        key_of=lambda stop: str(stop.pk),
        timeline=lambda stop: {"customer": stop.customer},
        url=lambda stop: reverse("web:logistics_driver"),
    )
    access.register(
        model="logistics.exportshipment",
        lookup=lambda actor, key: selectors.export_shipment_for(actor, key),
        key_of=lambda shipment: shipment.number,
        timeline=lambda shipment: {"customer": shipment.customer},
        url=lambda shipment: reverse("web:logistics_plan"),
    )


def register() -> None:
    p.register()
    _register_attachments()
    add = extensions.add_today_section
    trips = "logistics/_section_trips.html"
    add(
        key="logistics_late_requests",
        title=_("Tomorrow's deliveries accepted after the cut-off"),
        description=_("Requests for tomorrow that came after the cut-off, with your reason."),
        roles={"merchandiser"},
        build=SECTIONS["logistics_late_requests"],
        template="logistics/_section_requests.html",
        app="logistics",
        order=50,
    )
    add(
        key="logistics_export_overdue",
        title=_("Export steps overdue"),
        description=_("Booking, inspection, customs, documents, FX and tax refund steps past due."),
        roles={"merchandiser"},
        build=SECTIONS["logistics_export_overdue"],
        template="logistics/_section_export_steps.html",
        app="logistics",
        order=52,
    )
    add(
        key="logistics_not_prepared",
        title=_("Tomorrow's trips not prepared"),
        description=_("The warehouse has not marked these trips prepared (备货完成) yet."),
        roles={"merchandiser"},
        build=SECTIONS["logistics_not_prepared"],
        template=trips,
        app="logistics",
        order=51,
    )
    add(
        key="logistics_to_prepare",
        title=_("Trips to prepare tonight"),
        description=_("Tomorrow's trips: load the goods so the drivers do not wait."),
        roles={"warehouse"},
        build=SECTIONS["logistics_to_prepare"],
        template=trips,
        app="logistics",
        order=20,
    )
    add(
        key="logistics_my_trips",
        title=_("Your trips today"),
        description=_("Stop by stop on the driver's page."),
        roles={"driver"},
        build=SECTIONS["logistics_my_trips"],
        template=trips,
        app="logistics",
        order=10,
    )
    add(
        key="logistics_cash",
        title=_("Drivers' cash to receive"),
        description=_("What the drivers collected and the cashier has not recorded yet."),
        roles={"cashier"},
        build=SECTIONS["logistics_cash"],
        template="logistics/_section_cash.html",
        app="logistics",
        order=20,
    )
    _register_report_and_job()
    nav = extensions.add_nav_entry
    nav(
        label=_("Dispatch"),
        url_name="web:logistics_plan",
        perms=(p.PLAN_DISPATCH, p.PREPARE_TRIP),
        app="logistics",
        order=80,
    )
    nav(
        label=_("My deliveries"),
        url_name="web:logistics_driver",
        perms=(p.DRIVE,),
        app="logistics",
        order=81,
    )
    nav(
        label=_("Drivers' cash"),
        url_name="web:logistics_cash",
        perms=(p.RECEIVE_CASH,),
        app="logistics",
        order=82,
    )
    nav(
        label=_("Driver scores"),
        url_name="web:logistics_scores",
        perms=(p.VIEW_DRIVER_SCORES,),
        app="logistics",
        order=83,
    )


def _register_report_and_job() -> None:
    from datetime import time

    from gendan.jobs import registry as jobs
    from gendan.logistics.scores import run_monthly_report
    from gendan.reports import registry as reports

    reports.add_report(
        key="logistics.driver_scores",
        title=_("Driver scores"),
        description=_(
            "司机考核: each driver's month, its score by the documented formula, chart and Excel."
        ),
        url_name="web:logistics_scores",
        perms=(p.VIEW_DRIVER_SCORES,),
        app="logistics",
        group=_("Delivery and operations"),
        order=60,
    )
    jobs.register(
        jobs.Job(
            name="logistics.driver_scores",
            label=_("Monthly driver scores to the sales managers"),
            schedule=jobs.Daily(at=time(8, 0)),
            run=run_monthly_report,
            app="logistics",
        )
    )
