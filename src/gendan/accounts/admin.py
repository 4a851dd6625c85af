from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from gendan.accounts.models import ApiToken, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("Gendan", {"fields": ("display_name", "language")}))
    list_display = ("username", "display_name", "is_active", "is_staff")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = (
        "prefix",
        "user",
        "name",
        "created_at",
        "expires_at",
        "revoked_at",
        "last_used_at",
    )
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")
