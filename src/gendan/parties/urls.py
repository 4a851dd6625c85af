"""The pages of parties: customers and their communications. The workbench (web/urls.py) mounts them
under its `web` namespace."""

from django.urls import path

from gendan.parties import views as parties_views

urlpatterns = [
    path("customers/", parties_views.customer_list, name="customer_list"),
    path(
        "customers/<str:code>/",
        parties_views.customer_detail,
        name="customer_detail",
    ),
    path(
        "customers/<str:code>/communications/",
        parties_views.communication_add,
        name="communication_add",
    ),
]
