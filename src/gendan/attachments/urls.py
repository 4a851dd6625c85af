"""The pages of attachments, mounted by the workbench (web/urls.py) under its `web` namespace."""

from django.urls import path

from gendan.attachments import views as attachments_views

urlpatterns = [
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
]
