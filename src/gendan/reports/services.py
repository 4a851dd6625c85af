"""Writes of the reports app: regions assigned to regional managers, and the evening's daily
reports (日报表), produced once per (region, day) and mailed once through the outbox."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext

from gendan.accounts.guards import step, verb
from gendan.accounts.models import User
from gendan.accounts.permissions import Role
from gendan.errors import invalid
from gendan.reports import permissions as p
from gendan.reports import selectors
from gendan.reports.errors import Code
from gendan.reports.models import ALL_REGIONS, DailyReport, RegionAssignment
from gendan.timeline.services import record


@verb(p.ASSIGN_REGIONS)
@transaction.atomic(durable=True)
def assign_region(*, actor: Any, manager: str, region: str) -> RegionAssignment:
    """Make ``manager`` (a regional manager, by username) answer for ``region``."""
    region = region.strip()
    if not region:
        raise invalid(Code.UNKNOWN_REGION, gettext("A region is required."), field="region")
    user = User.objects.filter(username=manager, groups__name=Role.REGIONAL_MANAGER).first()
    if user is None:
        raise invalid(
            Code.NOT_A_REGIONAL_MANAGER,
            gettext("%(user)s is not a regional manager.") % {"user": manager},
            field="manager",
        )
    assignment, created = RegionAssignment.objects.get_or_create(manager=user, region=region)
    if created:
        record(
            kind=p.REGION_ASSIGNED,
            actor=actor,
            subject=assignment,
            payload={"manager": user.username, "region": region},
        )
    return assignment


def recipients() -> dict[str, list[User]]:
    """Who gets which region's report: the regional managers their regions, the sales managers
    the company's ("" = every region). Two queries."""
    found: dict[str, list[User]] = {ALL_REGIONS: []}
    for a in RegionAssignment.objects.select_related("manager").filter(manager__is_active=True):
        found.setdefault(a.region, []).append(a.manager)
    found[ALL_REGIONS] = list(
        User.objects.filter(groups__name=Role.SALES_MANAGER, is_active=True)
        .filter(~Q(email=""))
        .order_by("username")
    )
    return found


@step
def produce_daily_reports(*, day: date) -> dict[str, Any]:
    """The evening's daily reports of ``day``: one per assigned region and one for the whole
    company, each kept and mailed to its readers. A report already produced for (region, day) is
    neither made nor mailed again, so a second run changes nothing (the periodic job also runs
    once per day; this holds when a report was made by hand before). Runs inside the job's
    transaction; the mails leave after its commit."""
    from gendan.outbox.services import send_mail

    made, mailed = [], 0
    for region, readers in recipients().items():
        report, created = DailyReport.objects.get_or_create(
            region=region, day=day, defaults={"data": selectors.daily_report_data(day, region)}
        )
        if not created:
            continue
        made.append(region or "*")
        to = [u for u in readers if u.email]
        if to:
            send_mail(
                template="daily_report",
                context=mail_context(report),
                actor=None,
                to_users=to,
                record=report,
                url=reverse("web:reports_daily_report", args=[day.isoformat()])
                + (f"?region={region}" if region else ""),
            )
            report.mailed_to = [u.username for u in to]
            report.save(update_fields=["mailed_to"])
            mailed += len(to)
        record(
            kind=p.DAILY_REPORT_PRODUCED,
            actor=None,
            subject=report,
            payload={"day": day.isoformat(), "region": region, "mailed_to": report.mailed_to},
        )
    return {"day": day.isoformat(), "produced": made, "mailed": mailed}


def mail_context(report: DailyReport) -> dict[str, Any]:
    data = report.data
    return {
        "day": report.day,
        "region": report.region,
        "orders": data["orders"]["totals"],
        "shipments": data["shipments"]["count"],
        "to_stores": len(data["shipments"]["to_stores"]),
        "payments": data["payments"]["totals"],
        "late": data["late"]["count"],
        "at_risk": data["at_risk"]["count"],
        "parts": [
            {"title": part["title"], "count": part["data"].get("count", 0)}
            for part in selectors.daily_parts_of(data)
        ],
    }


def run_daily_report_job(period: Any) -> dict[str, Any]:
    """The periodic job's work (jobs.registry.Job.run): the reports of the period's day."""
    return produce_daily_reports(day=period.day)
