"""Every page of the workbench, in the `web` namespace: the shell's own pages, then each app's
pages from that app's urls module (the app owns its routes and its views)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from gendan import extensions
from gendan.attachments import urls as attachments_urls
from gendan.catalog import urls as catalog_urls
from gendan.exports import urls as exports_urls
from gendan.loading import urls as loading_urls
from gendan.notifications import urls as notifications_urls
from gendan.orders import urls as orders_urls
from gendan.outbox import urls as outbox_urls
from gendan.parties import urls as parties_urls
from gendan.shipping import urls as shipping_urls
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
    *orders_urls.urlpatterns,
    *shipping_urls.urlpatterns,
    *parties_urls.urlpatterns,
    *catalog_urls.urlpatterns,
    *loading_urls.urlpatterns,
    *attachments_urls.urlpatterns,
    *outbox_urls.urlpatterns,
    *notifications_urls.urlpatterns,
    *exports_urls.urlpatterns,
]
# the pages of apps that declare them through the registry (gendan.extensions.add_routes)
urlpatterns += [p for patterns in extensions.registry.routes.values() for p in patterns]
