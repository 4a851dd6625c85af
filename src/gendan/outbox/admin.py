from django.contrib import admin

from gendan.outbox.models import MailMessage


@admin.register(MailMessage)
class MailMessageAdmin(admin.ModelAdmin):
    """The mail log: read only (mails are written by the services, sent by the worker)."""

    list_display = ("queued_at", "to_address", "subject", "template", "status", "sent_at")
    list_filter = ("status", "template", "language")
    search_fields = ("to_address", "subject")
    readonly_fields = [f.name for f in MailMessage._meta.fields]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False
