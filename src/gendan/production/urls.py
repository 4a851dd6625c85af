"""The pages of production. The workbench (web/urls.py) mounts them under its `web` namespace."""

from django.urls import path

from gendan.production import views as production_views

urlpatterns = [
    path("production/", production_views.production_home, name="production_home"),
    path("production/floor/<str:code>/", production_views.floor, name="production_floor"),
    path("production/plans/<str:code>/", production_views.day_plan, name="production_day_plan"),
    path(
        "production/today/<str:key>/",
        production_views.today_section,
        name="production_today_section",
    ),
    path("production/schedule/", production_views.schedule, name="production_schedule"),
    path(
        "production/schedule/status/",
        production_views.schedule_status,
        name="production_schedule_status",
    ),
]
