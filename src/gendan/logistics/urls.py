"""The pages of logistics. The workbench (web/urls.py) mounts them under its `web` namespace."""

from django.urls import path

from gendan.logistics import views as logistics_views

urlpatterns = [
    path("logistics/dispatch/", logistics_views.plan, name="logistics_plan"),
    path("logistics/dispatch.pdf", logistics_views.plan_pdf, name="logistics_plan_pdf"),
    path("logistics/driver/", logistics_views.driver, name="logistics_driver"),
    path("logistics/cash/", logistics_views.cash, name="logistics_cash"),
    path("logistics/scores/", logistics_views.driver_scores, name="logistics_scores"),
    path("logistics/scores.xlsx", logistics_views.driver_scores_xlsx, name="logistics_scores_xlsx"),
    path("logistics/export/", logistics_views.export_shipments, name="logistics_export"),
    path(
        "logistics/export/document.pdf",
        logistics_views.export_document,
        name="logistics_export_pdf",
    ),
    path(
        "logistics/today/<str:key>/",
        logistics_views.today_section,
        name="logistics_today_section",
    ),
]
