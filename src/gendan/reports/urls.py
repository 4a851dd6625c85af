"""The pages of the reports app. The workbench (web/urls.py) mounts them under its `web`
namespace."""

from django.urls import path

from gendan.reports import views

urlpatterns = [
    path("reports/", views.index, name="reports_index"),
    path("reports/daily-sales/", views.daily_sales, name="reports_daily_sales"),
    path("reports/daily-sales.xlsx", views.daily_sales_xlsx, name="reports_daily_sales_xlsx"),
    path("reports/daily/", views.daily_reports, name="reports_daily_reports"),
    path("reports/daily/<str:day>/", views.daily_report, name="reports_daily_report"),
    path("reports/on-time/", views.report_page, {"key": "on_time"}, name="reports_on_time"),
    path("reports/late/", views.report_page, {"key": "late"}, name="reports_late"),
    path("reports/workload/", views.report_page, {"key": "workload"}, name="reports_workload"),
    path(
        "reports/slow-moving/",
        views.report_page,
        {"key": "slow_moving"},
        name="reports_slow_moving",
    ),
    path("reports/capacity/", views.report_page, {"key": "capacity"}, name="reports_capacity"),
    path("reports/<str:key>.xlsx", views.report_xlsx, name="reports_xlsx"),
    path("reports/today/<str:key>/", views.today_section, name="reports_today_section"),
]
