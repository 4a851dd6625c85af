"""The pages of outbox, mounted by the workbench (web/urls.py) under its `web` namespace."""

from django.urls import path

from gendan.outbox import views as outbox_views

urlpatterns = [
    path(
        "orders/<str:number>/mail/status/", outbox_views.order_mail_status, name="order_mail_status"
    ),
]
