from django.contrib import admin
from django.http import HttpRequest

from gendan.exports.models import ExportRecord


@admin.register(ExportRecord)
class ExportRecordAdmin(admin.ModelAdmin):
    list_display = ("at", "actor", "what", "fmt", "rows")
    list_filter = ("what", "fmt")
    list_select_related = ("actor",)
    search_fields = ("actor__username",)
    date_hierarchy = "at"
    readonly_fields = ("at", "actor", "what", "fmt", "filters", "rows")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
