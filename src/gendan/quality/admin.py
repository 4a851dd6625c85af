from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gendan.quality.models import Concession, Inspection, InspectionPlan


@admin.register(InspectionPlan)
class InspectionPlanAdmin(SimpleHistoryAdmin):
    list_display = ("family", "final_required", "in_process_required", "method", "aql")


@admin.register(Inspection)
class InspectionAdmin(SimpleHistoryAdmin):
    list_display = ("id", "kind", "order", "result", "inspector", "inspected_at")
    list_filter = ("kind", "result")
    readonly_fields = [f.name for f in Inspection._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Concession)
class ConcessionAdmin(SimpleHistoryAdmin):
    list_display = ("inspection", "order", "accepted_by", "accepted_at")
    readonly_fields = [f.name for f in Concession._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False
