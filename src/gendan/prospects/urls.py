"""The pages of prospects and stock offers (mounted by web/urls.py under the `web` namespace)."""

from django.urls import path

from gendan.prospects import views

urlpatterns = [
    path("prospects/", views.prospect_list, name="prospects"),
    path("prospects/prospects.xlsx", views.prospects_xlsx, name="prospects_xlsx"),
    path("prospects/offers/", views.stock_offers, name="stock_offers"),
    path("prospects/offers.xlsx", views.offers_xlsx, name="stock_offers_xlsx"),
    path("prospects/offers/<str:number>/", views.offer_link, name="stock_offer_link"),
    path("prospects/<str:number>/", views.prospect_detail, name="prospect"),
]
