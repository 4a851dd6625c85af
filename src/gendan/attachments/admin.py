from django.contrib import admin

from gendan.attachments.models import Attachment


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    """Read-only: files are attached and removed through the services (the timeline tells)."""

    list_display = ("name", "content_type", "object_id", "size", "attached_by", "attached_at")
    list_filter = ("content_type", "mime_type")
    search_fields = ("name", "sha256")
    readonly_fields = [f.name for f in Attachment._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
