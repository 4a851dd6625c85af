"""Every page of the workbench. Each app's views module owns its pages."""

from django.contrib.auth import views as auth_views
from django.urls import path

from gendan.catalog import views as catalog_views
from gendan.exports import views as exports_views
from gendan.loading import views as loading_views
from gendan.orders.views import cockpit as orders_cockpit
from gendan.orders.views import entry as orders_entry
from gendan.orders.views import imports as orders_imports
from gendan.orders.views import lists as orders_lists
from gendan.orders.views import today as orders_today
from gendan.parties import views as parties_views
from gendan.shipping import views as shipping_views
from gendan.web import views

app_name = "web"


urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(template_name="registration/login.html"),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", views.set_language, name="set_language"),
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
    # master data
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
    path("products/", catalog_views.product_list, name="product_list"),
    path(
        "products/<str:code>/",
        catalog_views.product_detail,
        name="product_detail",
    ),
    path("stock/", catalog_views.stock_list, name="stock_list"),
    # Excel import: upload, preview, confirm
    path("import/", orders_imports.order_import, name="order_import"),
    # loading (装柜): plans, pictures, the loading sheet, the count, the error register
    path("loading/", loading_views.loading_home, name="loading_home"),
    path(
        "loading/container-types/",
        loading_views.container_type_list,
        name="container_types",
    ),
    path(
        "loading/container-types/new/",
        loading_views.container_type_edit,
        name="container_type_new",
    ),
    path(
        "loading/container-types/<str:code>/",
        loading_views.container_type_edit,
        name="container_type_edit",
    ),
    path(
        "counting-errors/",
        loading_views.counting_error_register,
        name="counting_errors",
    ),
    path(
        "counting-errors.xlsx",
        loading_views.counting_error_export,
        name="counting_errors_export",
    ),
    path("exports/", exports_views.export_log, name="export_log"),
    path("exports.xlsx", exports_views.export_log_xlsx, name="export_log_xlsx"),
    path("loading/<str:number>/", loading_views.plan_detail, name="loading_plan"),
    path(
        "loading/<str:number>/progress/",
        loading_views.plan_progress,
        name="loading_progress",
    ),
    path("loading/<str:number>/count/", loading_views.plan_count, name="loading_count"),
    path("loading/<str:number>/close/", loading_views.plan_close, name="loading_close"),
    path(
        "loading/<str:number>/counting-errors/",
        loading_views.counting_error_new,
        name="loading_counting_error",
    ),
    path("loading/<str:number>/sheet/", loading_views.loading_sheet, name="loading_sheet"),
    path(
        "loading/<str:number>/sheet.pdf",
        loading_views.loading_sheet_pdf,
        name="loading_sheet_pdf",
    ),
]
