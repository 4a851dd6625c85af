"""Production's named permissions and event kinds (declared through gendan.extensions).

The roles are accounts' (the production role holds these); who of production is the planner,
the workshop supervisor or the packing supervisor is production's own record (StaffPost)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gendan import extensions

MANAGE_LINES = "manage_production_lines"
REPORT = "report_production"
CLOSE_SHORT = "close_notice_short"
CONFIRM_PLAN = "confirm_day_plan"
SUBMIT_FIRST_ARTICLE = "submit_first_article"
DECIDE_FIRST_ARTICLE = "decide_first_article"
OUTSOURCE = "send_receive_outsourced"
PLAN = "plan_production"

#: event kinds
WORK_ORDERS_ISSUED = "production.work_orders_issued"
REPORTED = "production.reported"
REPORT_CORRECTED = "production.report_corrected"
SLIP = "production.slip"
CLOSED_SHORT = "production.closed_short"
MASTER_DATA = "production.master_data"
PLAN_PROPOSED = "production.plan_proposed"
PLAN_CONFIRMED = "production.plan_confirmed"
FIRST_ARTICLE_SUBMITTED = "production.first_article_submitted"
FIRST_ARTICLE_APPROVED = "production.first_article_approved"
FIRST_ARTICLE_REJECTED = "production.first_article_rejected"
OUTSOURCE_SENT = "production.outsource_sent"
OUTSOURCE_RECEIVED = "production.outsource_received"
OUTSOURCE_SETTLED = "production.outsource_settled"
SCHEDULE_GENERATED = "production.schedule_generated"
SCHEDULE_IMPROVED = "production.schedule_improved"
SCHEDULE_MOVED = "production.schedule_moved"


def register() -> None:
    add = extensions.add_permission
    add(
        code=MANAGE_LINES,
        label=_("Edit production lines, calendars and routings"),
        roles={"production"},
        app="production",
    )
    add(code=REPORT, label=_("Report daily production"), roles={"production"}, app="production")
    add(
        code=CLOSE_SHORT,
        label=_("Close a production notice short"),
        roles={"production"},
        app="production",
    )
    add(
        code=CONFIRM_PLAN,
        label=_("Propose and confirm the day's production plan"),
        roles={"production", "merchandiser"},
        app="production",
    )
    add(
        code=SUBMIT_FIRST_ARTICLE,
        label=_("Submit a first-article sample"),
        roles={"production"},
        app="production",
    )
    add(
        code=DECIDE_FIRST_ARTICLE,
        label=_("Approve or reject a first-article sample"),
        roles={"salesperson", "sales_manager"},
        app="production",
    )
    add(
        code=PLAN,
        label=_("Generate the weekly production schedule and move its blocks"),
        roles={"production"},
        app="production",
    )
    kind = extensions.add_event_kind
    kind(code=WORK_ORDERS_ISSUED, label=_("Work orders issued"), app="production")
    kind(code=REPORTED, label=_("Production reported"), app="production")
    kind(code=REPORT_CORRECTED, label=_("Production report corrected"), app="production")
    kind(code=SLIP, label=_("Slip reason recorded"), app="production")
    kind(code=CLOSED_SHORT, label=_("Production notice closed short"), app="production")
    kind(code=MASTER_DATA, label=_("Production master data changed"), app="production")
    kind(code=PLAN_PROPOSED, label=_("Day plan proposed"), app="production")
    kind(code=PLAN_CONFIRMED, label=_("Day plan confirmed"), app="production")
    kind(code=FIRST_ARTICLE_SUBMITTED, label=_("First article submitted"), app="production")
    kind(code=FIRST_ARTICLE_APPROVED, label=_("First article approved"), app="production")
    kind(code=FIRST_ARTICLE_REJECTED, label=_("First article rejected"), app="production")
    add(
        code=OUTSOURCE,
        label=_("Send outsourced work out and receive it back"),
        roles={"production"},
        app="production",
    )
    kind(code=OUTSOURCE_SENT, label=_("Sent to the outsourcing supplier"), app="production")
    kind(
        code=OUTSOURCE_RECEIVED, label=_("Received from the outsourcing supplier"), app="production"
    )
    kind(code=OUTSOURCE_SETTLED, label=_("Outsourced receipt inspected"), app="production")
    kind(code=SCHEDULE_GENERATED, label=_("Weekly schedule generated"), app="production")
    kind(code=SCHEDULE_IMPROVED, label=_("Weekly schedule improved"), app="production")
    kind(code=SCHEDULE_MOVED, label=_("Schedule block moved"), app="production")
