"""The pages of catalog: products and stock. The workbench (web/urls.py) mounts them under its `web`
namespace."""

from django.urls import path

from gendan.catalog import views as catalog_views

urlpatterns = [
    path("products/", catalog_views.product_list, name="product_list"),
    path(
        "products/<str:code>/",
        catalog_views.product_detail,
        name="product_detail",
    ),
    path("stock/", catalog_views.stock_list, name="stock_list"),
]
