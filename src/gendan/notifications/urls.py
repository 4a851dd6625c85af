"""The pages of notifications, mounted by the workbench (web/urls.py) under its `web` namespace."""

from django.urls import path

from gendan.notifications import views as notifications_views

urlpatterns = [
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
