from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gendan.catalog.models import Product


@admin.register(Product)
class ProductAdmin(SimpleHistoryAdmin):
    list_display = (
        "code",
        "name",
        "series",
        "model",
        "spec",
        "colour",
        "units_per_carton",
        "active",
    )
    list_filter = ("series", "active")
    search_fields = ("code", "name", "model")
