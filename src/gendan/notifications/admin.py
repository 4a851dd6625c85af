from django.contrib import admin

from gendan.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "text", "created_at", "read_at")
    list_filter = ("kind",)
    search_fields = ("text", "user__username")
    readonly_fields = [f.name for f in Notification._meta.fields]
