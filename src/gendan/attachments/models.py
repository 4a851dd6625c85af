"""Files on any record (an order's fax, first-article photos, proofs of delivery, ...).

The row keeps who attached what and when, its size, type and SHA-256; the bytes live in the
storage backend (``STORAGES["default"]``). A removed file keeps its row (who removed it and
when); its bytes are deleted from the storage.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Attachment(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    mime_type = models.CharField(_("content type"), max_length=100)
    sha256 = models.CharField(max_length=64)
    file = models.CharField(max_length=500)  # the storage's name of the bytes
    thumbnail = models.CharField(max_length=500, blank=True)  # images: a small copy
    page_copy = models.CharField(max_length=500, blank=True)  # images: a copy sized for pages
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    attached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    attached_at = models.DateTimeField(default=timezone.now)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["-attached_at", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="attachment_record"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(removed_at__isnull=True) | models.Q(removed_by__isnull=False),
                name="attachment_removed_by_someone",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return bool(self.thumbnail)
