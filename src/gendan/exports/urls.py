"""The export log's pages, mounted by the workbench (web/urls.py) under its `web` namespace."""

from django.urls import path

from gendan.exports import views as exports_views

urlpatterns = [
    path("exports/", exports_views.export_log, name="export_log"),
    path("exports.xlsx", exports_views.export_log_xlsx, name="export_log_xlsx"),
]
