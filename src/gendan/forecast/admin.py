from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from gendan.forecast.models import OrderForecast


@admin.register(OrderForecast)
class OrderForecastAdmin(SimpleHistoryAdmin):
    list_display = ("order", "risk", "delivery_date", "expected_date", "margin", "computed_at")
    list_filter = ("risk",)
    raw_id_fields = ("order",)
