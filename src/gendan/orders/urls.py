"""The pages of orders: Today, the order lists, entry, the cockpit and the Excel import. The
workbench (web/urls.py) mounts them under its `web` namespace."""

from django.urls import path

from gendan.orders.views import cockpit as orders_cockpit
from gendan.orders.views import entry as orders_entry
from gendan.orders.views import imports as orders_imports
from gendan.orders.views import lists as orders_lists
from gendan.orders.views import today as orders_today

urlpatterns = [
    # the merchandiser's day and the lists
    path("", orders_today.today, name="today"),
    path("orders/", orders_lists.order_list, name="order_list"),
    path(
        "orders/export.xlsx",
        orders_lists.order_export,
        name="order_export",
    ),
    path("inbox/", orders_lists.inbox, name="inbox"),
    path(
        "follow-ups/<int:pk>/done/",
        orders_today.follow_up_done,
        name="follow_up_done",
    ),
    # entry and the cockpit
    path("orders/new/", orders_entry.order_new, name="order_new"),
    path("orders/new/line/", orders_entry.line_row, name="order_line_row"),
    path(
        "orders/lookup/products/",
        orders_entry.product_lookup,
        name="product_lookup",
    ),
    path(
        "orders/<str:number>/",
        orders_cockpit.order_detail,
        name="order_detail",
    ),
    path(
        "orders/<str:number>/amend/",
        orders_entry.order_amend,
        name="order_amend",
    ),
    path(
        "orders/<str:number>/actions/<str:action>/",
        orders_cockpit.order_action,
        name="order_action",
    ),
    # Excel import: upload; the upload's progress, preview, confirm and annotated errors
    path("import/", orders_imports.order_import, name="order_import"),
    path("import/<uuid:key>/", orders_imports.order_import_run, name="order_import_run"),
    path(
        "import/<uuid:key>/progress/",
        orders_imports.order_import_progress,
        name="order_import_progress",
    ),
    path(
        "import/<uuid:key>/confirm/",
        orders_imports.order_import_confirm,
        name="order_import_confirm",
    ),
    path(
        "import/<uuid:key>/errors.xlsx",
        orders_imports.order_import_errors,
        name="order_import_errors",
    ),
]
