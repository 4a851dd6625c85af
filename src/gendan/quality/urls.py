"""The pages of quality. The workbench (web/urls.py) mounts them under its `web` namespace."""

from django.urls import path

from gendan.quality import views as quality_views

urlpatterns = [
    path("quality/", quality_views.quality_home, name="quality_home"),
    path("quality/plans/", quality_views.plans, name="quality_plans"),
    path("quality/orders/<str:number>/", quality_views.inspect, name="quality_inspect"),
    path("quality/today/<str:key>/", quality_views.today_section, name="quality_today_section"),
]
