"""The pages of the forecast. The workbench (web/urls.py) mounts them under its `web` namespace."""

from django.urls import path

from gendan.forecast import views

urlpatterns = [
    path("forecast/", views.forecast_list, name="forecast_list"),
    path("forecast/today/", views.today_section, name="forecast_today"),
    path("forecast/orders/<str:number>/", views.order_panel, name="forecast_panel"),
    path("forecast/orders/<str:number>/insist/", views.insist, name="forecast_insist"),
]
