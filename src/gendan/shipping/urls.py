"""The pages of shipping: the documents of an order (HTML and PDF). The workbench (web/urls.py)
mounts them under its `web` namespace."""

from django.urls import path

from gendan.shipping import views as shipping_views

urlpatterns = [
    # documents
    path(
        "orders/<str:number>/documents/<str:kind>/<str:doc>/",
        shipping_views.document,
        name="document",
    ),
    path(
        "orders/<str:number>/documents/<str:kind>/<str:doc>.pdf",
        shipping_views.document_pdf,
        name="document_pdf",
    ),
]
