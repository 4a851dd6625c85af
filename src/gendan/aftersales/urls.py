"""The pages of after-sales. The workbench (web/urls.py) mounts them under its `web` namespace."""

from django.urls import path

from gendan.aftersales import views as aftersales_views

urlpatterns = [
    path("aftersales/samples/", aftersales_views.samples, name="aftersales_samples"),
    path("aftersales/samples/rate/", aftersales_views.sample_rate, name="aftersales_rate"),
    path(
        "aftersales/samples/<str:number>/",
        aftersales_views.sample_detail,
        name="aftersales_sample",
    ),
    path(
        "aftersales/today/<str:key>/",
        aftersales_views.today_section,
        name="aftersales_today_section",
    ),
    path("aftersales/campaigns/", aftersales_views.campaigns, name="aftersales_campaigns"),
    path("aftersales/complaints/", aftersales_views.complaints, name="aftersales_complaints"),
    path(
        "aftersales/complaints/summary/",
        aftersales_views.complaint_summary,
        name="aftersales_summary",
    ),
    path(
        "aftersales/complaints/<str:number>/",
        aftersales_views.complaint_detail,
        name="aftersales_complaint",
    ),
]
