from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gendan.loading.models import ContainerType


@admin.register(ContainerType)
class ContainerTypeAdmin(SimpleHistoryAdmin):
    list_display = (
        "code",
        "name",
        "kind",
        "inside_length_mm",
        "inside_width_mm",
        "inside_height_mm",
        "max_payload_kg",
        "cost",
        "active",
    )
    list_filter = ("kind", "active")
    search_fields = ("code", "name")
