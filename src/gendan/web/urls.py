"""Every page of the workbench. Each app's views module owns its pages."""

from django.contrib.auth import views as auth_views
from django.urls import path

from gendan import extensions
from gendan.attachments import views as attachments_views
from gendan.catalog import views as catalog_views
from gendan.notifications import views as notifications_views
from gendan.orders.views import cockpit as orders_cockpit
from gendan.orders.views import entry as orders_entry
from gendan.orders.views import imports as orders_imports
from gendan.orders.views import lists as orders_lists
from gendan.orders.views import today as orders_today
from gendan.outbox import views as outbox_views
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
    # files on records: attach on the order, every download through its record's visibility
    path(
        "orders/<str:number>/attachments/",
        attachments_views.order_attachments,
        name="order_attachments",
    ),
    path(
        "attachments/<int:pk>/", attachments_views.attachment_download, name="attachment_download"
    ),
    path(
        "attachments/<int:pk>/remove/",
        attachments_views.attachment_remove,
        name="attachment_remove",
    ),
    path(
        "attachments/<int:pk>/<str:size>/",
        attachments_views.attachment_image,
        name="attachment_image",
    ),
    path(
        "orders/<str:number>/mail/status/", outbox_views.order_mail_status, name="order_mail_status"
    ),
    # notifications: the list, mark read, the shell's badge
    path("notifications/", notifications_views.notification_list, name="notifications"),
    path("notifications/badge/", notifications_views.notification_badge, name="notification_badge"),
    path(
        "notifications/read/",
        notifications_views.notification_read_all,
        name="notification_read_all",
    ),
    path(
        "notifications/<int:pk>/read/",
        notifications_views.notification_read,
        name="notification_read",
    ),
]
# the pages other apps declare (gendan.extensions.add_routes, in their AppConfig.ready())
urlpatterns += [p for patterns in extensions.registry.routes.values() for p in patterns]
