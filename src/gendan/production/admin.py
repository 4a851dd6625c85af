"""Back-office for production's master data; work orders and reports are read here, written
through the services (pages and API)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gendan.production.models import (
    CompanyHoliday,
    DailyReport,
    LineCalendarException,
    LineCapacity,
    ProductionLine,
    Routing,
    RoutingStep,
    StaffPost,
    WorkOrder,
)


class ExceptionInline(admin.TabularInline):
    model = LineCalendarException
    extra = 0


class CapacityInline(admin.TabularInline):
    model = LineCapacity
    extra = 0


@admin.register(ProductionLine)
class ProductionLineAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "kind", "shifts_per_day", "hours_per_shift", "active")
    list_filter = ("kind", "active")
    search_fields = ("code", "name")
    inlines = [CapacityInline, ExceptionInline]


@admin.register(CompanyHoliday)
class CompanyHolidayAdmin(admin.ModelAdmin):
    list_display = ("day", "name")


class StepInline(admin.TabularInline):
    model = RoutingStep
    extra = 0


@admin.register(Routing)
class RoutingAdmin(SimpleHistoryAdmin):
    list_display = ("family", "name")
    inlines = [StepInline]


@admin.register(WorkOrder)
class WorkOrderAdmin(SimpleHistoryAdmin):
    list_display = ("number", "order", "seq", "step_name", "line", "quantity", "good_qty", "status")
    list_filter = ("status", "line_kind")
    search_fields = ("number", "order__number")
    raw_id_fields = ("notice_line", "order")


@admin.register(DailyReport)
class DailyReportAdmin(SimpleHistoryAdmin):
    list_display = ("work_order", "day", "good_qty", "planned_qty", "slip_reason", "reported_by")
    list_filter = ("slip_reason", "day")
    raw_id_fields = ("work_order",)


@admin.register(StaffPost)
class StaffPostAdmin(admin.ModelAdmin):
    list_display = ("user", "post")
