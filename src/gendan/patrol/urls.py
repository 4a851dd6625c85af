"""The pages of the exceptions register (mounted by web/urls.py under the `web` namespace)."""

from django.urls import path

from gendan.patrol import views

urlpatterns = [
    path("patrol/", views.exception_list, name="patrol_exceptions"),
    path("patrol/new/", views.raise_page, name="patrol_raise"),
    path("patrol/report/", views.report, name="patrol_report"),
    path("patrol/exceptions.xlsx", views.export, name="patrol_export"),
    path("patrol/today/", views.today_section, name="patrol_today_section"),
    path("patrol/<str:number>/", views.exception_detail, name="patrol_exception"),
]
