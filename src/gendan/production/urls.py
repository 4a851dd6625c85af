"""The pages of production. The workbench (web/urls.py) mounts them under its `web` namespace."""

from django.urls import path

from gendan.production import views as production_views
from gendan.production import views_first_articles, views_floor, views_masterdata

urlpatterns = [
    path("production/", production_views.production_home, name="production_home"),
    path("production/floor/<str:code>/", production_views.floor, name="production_floor"),
    path("production/plans/<str:code>/", production_views.day_plan, name="production_day_plan"),
    path(
        "production/today/<str:key>/",
        production_views.today_section,
        name="production_today_section",
    ),
    path(
        "production/first-articles/",
        views_first_articles.first_article_list,
        name="production_first_articles",
    ),
    path(
        "production/first-articles/<str:work_order>/",
        views_first_articles.first_article,
        name="production_first_article",
    ),
    path("production/outsourcing/", production_views.outsourcing, name="production_outsourcing"),
    # the daily reports from Excel, the slips, the plan-progress sheet, the printed day plan
    path(
        "production/reports/import/",
        views_floor.report_import_page,
        name="production_report_import",
    ),
    path(
        "production/reports/import/template.xlsx",
        views_floor.report_import_template,
        name="production_report_import_template",
    ),
    path("production/slips/", views_floor.slips, name="production_slips"),
    path("production/slips/export.xlsx", views_floor.slips_xlsx, name="production_slips_xlsx"),
    path("production/progress/<str:number>/", views_floor.progress, name="production_progress"),
    path(
        "production/progress/<str:number>/export.xlsx",
        views_floor.progress_xlsx,
        name="production_progress_xlsx",
    ),
    path("production/plans.pdf", views_floor.day_plan_pdf, name="production_day_plan_pdf"),
    # master data
    path("production/lines/new/", views_masterdata.line_form, name="production_line_new"),
    path("production/lines/<str:code>/", views_masterdata.line_form, name="production_line_edit"),
    path("production/holidays/", views_masterdata.holidays, name="production_holidays"),
    path("production/routings/new/", views_masterdata.routing_form, name="production_routing_new"),
    path(
        "production/routings/<str:family>/",
        views_masterdata.routing_form,
        name="production_routing_edit",
    ),
    path("production/schedule/", production_views.schedule, name="production_schedule"),
    path(
        "production/schedule/status/",
        production_views.schedule_status,
        name="production_schedule_status",
    ),
]
