from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

User = settings.AUTH_USER_MODEL


class NoticeStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ProductionNotice(models.Model):
    """生产通知单: what is not in stock, released to production planning."""

    number = models.CharField(max_length=20, unique=True)
    order = models.ForeignKey(
        "orders.Order", on_delete=models.CASCADE, related_name="production_notices"
    )
    status = models.CharField(
        max_length=10, choices=NoticeStatus.choices, default=NoticeStatus.ISSUED
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(default=timezone.now)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.number


class ProductionNoticeLine(models.Model):
    notice = models.ForeignKey(ProductionNotice, on_delete=models.CASCADE, related_name="lines")
    line = models.ForeignKey(
        "orders.OrderLine", on_delete=models.CASCADE, related_name="notice_lines"
    )
    quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="notice_line_qty_gte_1")
        ]


# ---- master data: lines, their calendars and capacities, routings ----------------------------


class CompanyHoliday(models.Model):
    """A day the whole company does not work (the company calendar)."""

    day = models.DateField(_("day"), unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {self.name}"


class ProductionLine(models.Model):
    """生产线 / 机台: a work centre of a kind (cutting, sewing, packing...) with its calendar:
    shifts per day x hours per shift, the weekdays it rests (0 = Monday), the company's holidays
    and its own exceptions (LineCalendarException)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=40, db_index=True)
    shifts_per_day = models.PositiveSmallIntegerField(_("shifts per day"), default=1)
    hours_per_shift = models.DecimalField(
        _("hours per shift"), max_digits=4, decimal_places=2, default=Decimal("8")
    )
    days_off = models.JSONField(_("weekly days off"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(shifts_per_day__lte=3), name="production_line_shifts_lte_3"
            ),
            models.CheckConstraint(
                condition=Q(hours_per_shift__gte=0, hours_per_shift__lte=12),
                name="production_line_hours_0_12",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class LineCalendarException(models.Model):
    """A day a line works other hours than its calendar says (0 = closed; overtime on a
    holiday or a day off is an exception with hours)."""

    line = models.ForeignKey(ProductionLine, on_delete=models.CASCADE, related_name="exceptions")
    day = models.DateField(_("day"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["line", "day"]
        constraints = [
            models.UniqueConstraint(fields=["line", "day"], name="line_exception_line_day"),
            models.CheckConstraint(
                condition=Q(hours__gte=0, hours__lte=24), name="line_exception_hours_0_24"
            ),
        ]


class LineCapacity(models.Model):
    """What a line makes of a product family (the product's series) per hour."""

    line = models.ForeignKey(ProductionLine, on_delete=models.CASCADE, related_name="capacities")
    family = models.CharField(_("product family"), max_length=100)
    units_per_hour = models.DecimalField(_("units per hour"), max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["line", "family"]
        constraints = [
            models.UniqueConstraint(fields=["line", "family"], name="line_capacity_line_family"),
            models.CheckConstraint(
                condition=Q(units_per_hour__gt=0), name="line_capacity_rate_gt_0"
            ),
        ]


class Routing(models.Model):
    """工艺路线 of a product family: the catalog has no family field, so a routing is keyed by
    the product's series (Product.series)."""

    family = models.CharField(_("product family (series)"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=100)
    history = HistoricalRecords()

    class Meta:
        ordering = ["family"]

    def __str__(self) -> str:
        return self.name or self.family


class RoutingStep(models.Model):
    """One step of a routing: made on a line of ``line_kind`` at ``rate_per_hour``, or sent out
    (外发加工) to ``supplier`` for ``lead_time_days``."""

    routing = models.ForeignKey(Routing, on_delete=models.CASCADE, related_name="steps")
    seq = models.PositiveSmallIntegerField(_("sequence"))
    name = models.CharField(_("step"), max_length=50)
    line_kind = models.CharField(_("line kind"), max_length=40, blank=True)
    rate_per_hour = models.DecimalField(
        _("standard rate (units/hour)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    outsourced = models.BooleanField(_("outsourced"), default=False)
    supplier = models.ForeignKey(
        "parties.Supplier", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lead_time_days = models.PositiveSmallIntegerField(_("lead time (days)"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["routing", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["routing", "seq"], name="routing_step_seq"),
            models.CheckConstraint(
                condition=(
                    Q(outsourced=False, rate_per_hour__gt=0)
                    & ~Q(line_kind="")
                    & Q(supplier__isnull=True)
                )
                | Q(outsourced=True, supplier__isnull=False, lead_time_days__isnull=False),
                name="routing_step_in_house_or_outsourced",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.seq}. {self.name}"


# ---- work orders and the daily report ---------------------------------------------------------


class WorkOrderStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CLOSED_SHORT = "closed_short", _("Closed short")
    CANCELLED = "cancelled", _("Cancelled")


#: the step a product without a routing gets: one step, no line kind, no standard rate
DEFAULT_STEP_NAME = "生产"


class WorkOrder(models.Model):
    """工单: one routing step of one production-notice line. ``good_qty`` is the sum of its
    daily reports' good quantities (kept on the row under the lock that writes a report)."""

    number = models.CharField(max_length=30, unique=True)
    notice_line = models.ForeignKey(
        ProductionNoticeLine, on_delete=models.CASCADE, related_name="work_orders"
    )
    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="work_orders")
    seq = models.PositiveSmallIntegerField()
    last = models.BooleanField(default=False)  # the notice line's last step
    step_name = models.CharField(max_length=50)
    line_kind = models.CharField(max_length=40, blank=True)
    rate_per_hour = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    outsourced = models.BooleanField(default=False)
    routed = models.BooleanField(default=True)  # False: the default step of an unrouted product
    line = models.ForeignKey(
        ProductionLine, null=True, blank=True, on_delete=models.SET_NULL, related_name="work_orders"
    )
    quantity = models.PositiveIntegerField()
    good_qty = models.PositiveIntegerField(default=0)
    defect_qty = models.PositiveIntegerField(default=0)
    scrap_qty = models.PositiveIntegerField(default=0)
    status = models.CharField(
        max_length=12, choices=WorkOrderStatus.choices, default=WorkOrderStatus.OPEN
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "notice_line", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["notice_line", "seq"], name="work_order_line_seq"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="work_order_qty_gte_1"),
            models.CheckConstraint(
                condition=Q(good_qty__lte=models.F("quantity")), name="work_order_good_lte_qty"
            ),
        ]
        indexes = [models.Index(fields=["line", "status"], name="work_order_line_status")]

    def __str__(self) -> str:
        return self.number

    @property
    def remaining(self) -> int:
        return self.quantity - self.good_qty


class SlipReason(models.TextChoices):
    """The source's seven reasons a day fell short of its plan."""

    PLAN_ERROR = "plan_error", _("Plan error (原计划错误)")
    MACHINE = "machine", _("Machine breakdown (机器设备故障)")
    MATERIAL = "material", _("Material late (材料没跟上)")
    QUALITY = "quality", _("High defect or scrap rate (不良率和报废率过高)")
    URGENT = "urgent", _("Urgent insertion (临时工作或特急订单)")
    UPSTREAM = "upstream", _("Upstream delay (前制程延误)")
    STAFFING = "staffing", _("Staffing (员工因素)")


class DailyReport(models.Model):
    """生产日报表: one work order's day. A correction changes the row; its history keeps
    every earlier version (who, when, what)."""

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="reports")
    day = models.DateField(_("day"))
    good_qty = models.PositiveIntegerField(_("good"))
    defect_qty = models.PositiveIntegerField(_("defects"), default=0)
    scrap_qty = models.PositiveIntegerField(_("scrap"), default=0)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=2, default=Decimal("0"))
    planned_qty = models.PositiveIntegerField(_("planned"), default=0)
    slip_reason = models.CharField(
        _("slip reason"), max_length=12, choices=SlipReason.choices, blank=True
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    reported_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["day", "id"]
        constraints = [
            models.UniqueConstraint(fields=["work_order", "day"], name="daily_report_wo_day"),
            models.CheckConstraint(
                condition=Q(hours__gte=0, hours__lte=24), name="daily_report_hours_0_24"
            ),
        ]

    @property
    def shortfall(self) -> int:
        return max(0, self.planned_qty - self.good_qty)


class NoticeClosure(models.Model):
    """A production notice closed short: what was not made, why, by whom (the merchandiser then
    decides: produce more, ship short with the salesperson's consent, or take from stock)."""

    notice = models.OneToOneField(
        ProductionNotice, on_delete=models.CASCADE, related_name="closure"
    )
    reason = models.CharField(_("reason"), max_length=500)
    shortfall = models.JSONField(default=dict)  # work order number -> units not made
    closed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(default=timezone.now)


# ---- the day's plan -------------------------------------------------------------------------


class DayPlan(models.Model):
    """第二天的具体工作计划 of one line: proposed from the standard rates and the line's hours,
    confirmed by the merchandiser, the workshop supervisor and the packing supervisor."""

    line = models.ForeignKey(ProductionLine, on_delete=models.CASCADE, related_name="plans")
    day = models.DateField(_("day"))
    proposed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    merchandiser = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    merchandiser_at = models.DateTimeField(null=True, blank=True)
    workshop_supervisor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    workshop_supervisor_at = models.DateTimeField(null=True, blank=True)
    packing_supervisor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    packing_supervisor_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["day", "line"]
        constraints = [models.UniqueConstraint(fields=["line", "day"], name="day_plan_line_day")]

    @property
    def confirmed(self) -> bool:
        return bool(
            self.merchandiser_at and self.workshop_supervisor_at and self.packing_supervisor_at
        )


class DayPlanItem(models.Model):
    plan = models.ForeignKey(DayPlan, on_delete=models.CASCADE, related_name="items")
    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="plan_items")
    planned_qty = models.PositiveIntegerField()

    class Meta:
        ordering = ["plan", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "work_order"], name="day_plan_item_wo"),
        ]


class Post(models.TextChoices):
    PLANNER = "planner", _("Production planner (生产计划)")
    WORKSHOP_SUPERVISOR = "workshop_supervisor", _("Workshop supervisor (生产主任)")
    PACKING_SUPERVISOR = "packing_supervisor", _("Packing supervisor (包装主任)")


class StaffPost(models.Model):
    """The post a production user holds (the roles of accounts are fixed there; the posts of
    production are production's own): it says who confirms a day plan for the workshop and
    who for packing."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="production_post")
    post = models.CharField(_("post"), max_length=20, choices=Post.choices)


# ---- the first article (首件 / 生产小样) -------------------------------------------------------


class FirstArticleCause(models.TextChoices):
    NEW_CUSTOMER = "new_customer", _("New customer")
    NEW_PRODUCT = "new_product", _("New product")
    LARGE_QUANTITY = "large_quantity", _("Large quantity")


class FirstArticleStatus(models.TextChoices):
    AWAITING_SAMPLE = "awaiting_sample", _("Sample to submit")
    SUBMITTED = "submitted", _("Waiting for the salesperson")
    REJECTED = "rejected", _("Rejected: back to production")
    APPROVED = "approved", _("Approved")


class FirstArticle(models.Model):
    """The first-article gate of a work order's first step, decided when the work order is
    issued (a new customer, a new product, a large quantity): until the order's salesperson
    approves a sample, no more than ``sample_qty`` of the step may be reported."""

    work_order = models.OneToOneField(
        WorkOrder, on_delete=models.CASCADE, related_name="first_article"
    )
    order = models.ForeignKey(
        "orders.Order", on_delete=models.CASCADE, related_name="first_articles"
    )
    causes = models.JSONField(default=list)
    sample_qty = models.PositiveIntegerField(_("sample quantity"))
    status = models.CharField(
        max_length=16,
        choices=FirstArticleStatus.choices,
        default=FirstArticleStatus.AWAITING_SAMPLE,
    )
    submitted_at = models.DateTimeField(null=True, blank=True)  # of the latest sample
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="first_article_status"),
        ]

    def __str__(self) -> str:
        return f"{self.work_order_id}"

    @property
    def open(self) -> bool:
        return self.status != FirstArticleStatus.APPROVED

    @property
    def cause_labels(self) -> list[str]:
        labels = dict(FirstArticleCause.choices)
        return [str(labels.get(c, c)) for c in self.causes]


class FirstArticleSample(models.Model):
    """One sample submitted for a first article (a second one follows a rejection): who sent it
    and when, its note and photos (attachments, keyed by ``number``), and the salesperson's
    decision: approved, or rejected with the deviation (what is wrong)."""

    first_article = models.ForeignKey(
        FirstArticle, on_delete=models.CASCADE, related_name="samples"
    )
    number = models.CharField(max_length=40, unique=True)  # <work order>-S<round>
    round = models.PositiveSmallIntegerField()
    note = models.CharField(_("note"), max_length=500, blank=True)
    submitted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(
        max_length=16,
        blank=True,
        choices=[
            (FirstArticleStatus.APPROVED, _("Approved")),
            (FirstArticleStatus.REJECTED, _("Rejected")),
        ],
    )
    decision_note = models.CharField(_("deviation or note"), max_length=1000, blank=True)
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["first_article", "round"]
        constraints = [
            models.UniqueConstraint(
                fields=["first_article", "round"], name="first_article_sample_round"
            ),
        ]

    def __str__(self) -> str:
        return self.number


# ---- outsourced processing (外发加工) ----------------------------------------------------------


class OutsourceShipment(models.Model):
    """Goods of an outsourced work order sent to its supplier: how many, when, and when they are
    expected back (the day sent + the routing step's lead time)."""

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="shipments")
    supplier = models.ForeignKey("parties.Supplier", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(_("quantity sent"))
    sent_on = models.DateField(_("sent on"))
    expected_back = models.DateField(_("expected back"), db_index=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    sent_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sent_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="outsource_sent_qty_gte_1")
        ]


class ReceiptStatus(models.TextChoices):
    AWAITING_INSPECTION = "awaiting", _("Awaiting inspection")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class OutsourceReceipt(models.Model):
    """Goods back from the supplier (大货 on receipt): counted in, then inspected (a quality
    inspection of kind "outsourced receipt"); the good quantity the inspection finds is what the
    work order's good quantity gains."""

    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="receipts")
    quantity = models.PositiveIntegerField(_("quantity received"))
    received_on = models.DateField(_("received on"))
    status = models.CharField(
        max_length=10, choices=ReceiptStatus.choices, default=ReceiptStatus.AWAITING_INSPECTION
    )
    good_qty = models.PositiveIntegerField(_("good"), default=0)
    note = models.CharField(_("note"), max_length=500, blank=True)
    received_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["received_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="outsource_received_qty_gte_1"
            ),
            models.CheckConstraint(
                condition=Q(good_qty__lte=models.F("quantity")), name="outsource_good_lte_received"
            ),
        ]
        indexes = [models.Index(fields=["status"], name="outsource_receipt_status")]


# ---- the weekly schedule (每周一主生产计划) ----------------------------------------------------


class ScheduleStatus(models.TextChoices):
    """Where a schedule run is: the constructive schedule is saved at once; the worker then
    tries CP-SAT and keeps its answer only when it is better."""

    QUEUED = "queued", _("Constructive; improvement queued")
    RUNNING = "running", _("Improving")
    IMPROVED = "improved", _("Improved by the solver")
    KEPT = "kept", _("Constructive kept (the solver found nothing better)")
    FAILED = "failed", _("Improvement failed")


class ScheduleRun(models.Model):
    """One generation of the weekly schedule: the week it starts on (a Monday), its horizon, who
    and when, and the solver's report. ``problem`` is the engine's input as it was read from
    the database (lines' working minutes, open work orders), so improving and moving work on
    the same facts the schedule was made from. The latest run covering a day is the schedule
    of that day; the earlier ones stay as history."""

    week_start = models.DateField(_("week"), db_index=True)
    weeks = models.PositiveSmallIntegerField(_("horizon (weeks)"), default=8)
    generated_by = models.ForeignKey(  # None: the Monday job
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    generated_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(
        max_length=10, choices=ScheduleStatus.choices, default=ScheduleStatus.QUEUED
    )
    method = models.CharField(max_length=30, default="edd")
    total_tardiness = models.PositiveIntegerField(default=0)  # days, summed over work orders
    late_orders = models.PositiveIntegerField(default=0)
    lower_bound = models.PositiveIntegerField(null=True, blank=True)  # proven by CP-SAT
    solve_seconds = models.FloatField(null=True, blank=True)
    unplanned = models.JSONField(default=list)  # work order numbers that do not fit
    problem = models.JSONField(default=dict)
    version = models.PositiveIntegerField(default=0)  # +1 with each hand move
    error = models.CharField(max_length=500, blank=True)
    history = HistoricalRecords(excluded_fields=["problem"])

    class Meta:
        ordering = ["-generated_at", "-id"]
        indexes = [models.Index(fields=["week_start", "id"], name="schedule_run_week")]

    def __str__(self) -> str:
        return f"{self.week_start} #{self.pk}"

    @property
    def week_end(self) -> Any:
        from datetime import timedelta

        return self.week_start + timedelta(days=7 * self.weeks - 1)


class ScheduleBlock(models.Model):
    """Part of a work order's step on one line and one day (or, outsourced, its days at the
    supplier: no line, ``day`` the first of them). ``ref``/``step_index`` name the step in the
    engine's problem; ``step_start``/``step_end`` are the step's first and last day."""

    run = models.ForeignKey(ScheduleRun, on_delete=models.CASCADE, related_name="blocks")
    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="+")
    ref = models.CharField(max_length=30)
    step_index = models.PositiveSmallIntegerField()
    line = models.ForeignKey(
        ProductionLine, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    minutes = models.PositiveIntegerField(default=0)
    quantity = models.PositiveIntegerField(default=0)
    step_start = models.DateField()
    step_end = models.DateField()

    class Meta:
        ordering = ["run", "day", "line", "id"]
        indexes = [
            models.Index(fields=["run", "day", "line"], name="schedule_block_run_day"),
            models.Index(fields=["run", "ref", "step_index"], name="schedule_block_run_ref"),
        ]

    @property
    def hours(self) -> float:
        return self.minutes / 60


class ScheduleFinish(models.Model):
    """A production-notice line's expected finish in a run against its order's delivery date
    (``finish`` None: it does not fit in the horizon)."""

    run = models.ForeignKey(ScheduleRun, on_delete=models.CASCADE, related_name="finishes")
    ref = models.CharField(max_length=30)
    order = models.ForeignKey("orders.Order", on_delete=models.CASCADE, related_name="+")
    due = models.DateField()
    finish = models.DateField(null=True, blank=True)
    tardiness = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["run", "due", "id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "ref"], name="schedule_finish_run_ref")
        ]


class ScheduleMove(models.Model):
    """A planner's hand move of a step: from where to where, by whom and when, and what it did
    to the due dates (a refused move is not kept here; it changed nothing)."""

    run = models.ForeignKey(ScheduleRun, on_delete=models.CASCADE, related_name="moves")
    work_order = models.ForeignKey(WorkOrder, on_delete=models.CASCADE, related_name="+")
    from_line = models.CharField(max_length=20, blank=True)
    from_day = models.DateField()
    to_line = models.CharField(max_length=20, blank=True)
    to_day = models.DateField()
    effect = models.JSONField(default=dict)
    moved_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    moved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["run", "id"]
