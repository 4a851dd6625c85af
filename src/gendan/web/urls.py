"""Every page of the workbench. Each app's views module owns its pages."""

from django.contrib.auth import views as auth_views
from django.urls import path

from gendan.web import views

app_name = "web"


def _page(module: str, name: str):
    """Resolve a view lazily so one missing page never breaks the others."""
    import importlib

    def view(request, **kwargs):
        try:
            target = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            return views.placeholder(request, **kwargs)
        return target(request, **kwargs)

    view.__name__ = name
    return view


urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="registration/login.html"),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", views.set_language, name="set_language"),
    # the merchandiser's day and the lists
    path("", _page("gendan.orders.views.today", "today"), name="today"),
    path("orders/", _page("gendan.orders.views.lists", "order_list"), name="order_list"),
    path(
        "orders/export.xlsx",
        _page("gendan.orders.views.lists", "order_export"),
        name="order_export",
    ),
    path("inbox/", _page("gendan.orders.views.lists", "inbox"), name="inbox"),
    path(
        "follow-ups/<int:pk>/done/",
        _page("gendan.orders.views.today", "follow_up_done"),
        name="follow_up_done",
    ),
    # entry and the cockpit
    path("orders/new/", _page("gendan.orders.views.entry", "order_new"), name="order_new"),
    path("orders/new/line/", _page("gendan.orders.views.entry", "line_row"), name="order_line_row"),
    path(
        "orders/lookup/products/",
        _page("gendan.orders.views.entry", "product_lookup"),
        name="product_lookup",
    ),
    path(
        "orders/<str:number>/",
        _page("gendan.orders.views.cockpit", "order_detail"),
        name="order_detail",
    ),
    path(
        "orders/<str:number>/amend/",
        _page("gendan.orders.views.entry", "order_amend"),
        name="order_amend",
    ),
    path(
        "orders/<str:number>/actions/<str:action>/",
        _page("gendan.orders.views.cockpit", "order_action"),
        name="order_action",
    ),
    # documents
    path(
        "orders/<str:number>/documents/<str:kind>/<str:doc>/",
        _page("gendan.shipping.views", "document"),
        name="document",
    ),
    path(
        "orders/<str:number>/documents/<str:kind>/<str:doc>.pdf",
        _page("gendan.shipping.views", "document_pdf"),
        name="document_pdf",
    ),
    # master data
    path("customers/", _page("gendan.parties.views", "customer_list"), name="customer_list"),
    path(
        "customers/<str:code>/",
        _page("gendan.parties.views", "customer_detail"),
        name="customer_detail",
    ),
    path(
        "customers/<str:code>/communications/",
        _page("gendan.parties.views", "communication_add"),
        name="communication_add",
    ),
    path("products/", _page("gendan.catalog.views", "product_list"), name="product_list"),
    path(
        "products/<str:code>/",
        _page("gendan.catalog.views", "product_detail"),
        name="product_detail",
    ),
    path("stock/", _page("gendan.catalog.views", "stock_list"), name="stock_list"),
    # Excel import: upload, preview, confirm
    path("import/", _page("gendan.orders.views.imports", "order_import"), name="order_import"),
]
