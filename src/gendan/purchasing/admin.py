from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gendan.purchasing.models import BomLine, CartonSpec, Material, Plate, PurchaseOrder


@admin.register(Material)
class MaterialAdmin(SimpleHistoryAdmin):
    list_display = ("code", "name", "klass", "unit", "supplier")
    list_filter = ("klass",)


@admin.register(BomLine)
class BomLineAdmin(SimpleHistoryAdmin):
    list_display = ("product", "material", "per_unit", "scrap_percent")


@admin.register(CartonSpec)
class CartonSpecAdmin(SimpleHistoryAdmin):
    list_display = ("product", "units_per_carton", "confirmed_by", "confirmed_at")


@admin.register(Plate)
class PlateAdmin(SimpleHistoryAdmin):
    list_display = ("id", "material", "supplier", "status", "due_on")


@admin.register(PurchaseOrder)
class PurchaseOrderAdmin(SimpleHistoryAdmin):
    list_display = ("number", "supplier", "status", "created_at")
    readonly_fields = [f.name for f in PurchaseOrder._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False
