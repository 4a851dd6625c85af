from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from gendan.accounts.forms import AdminSignInForm
from gendan.accounts.models import ApiToken, LoginThrottle, User

# The admin signs in through the same throttle as the pages and the API.
admin.site.login_form = AdminSignInForm


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


@admin.register(LoginThrottle)
class LoginThrottleAdmin(admin.ModelAdmin):
    """Who is locked out, and why; deleting a row lifts its lock."""

    list_display = ("scope", "key", "failures", "locked_until", "last_failure_at")
    list_filter = ("scope",)
    search_fields = ("key",)
    readonly_fields = ("scope", "key", "failures", "last_failure_at")
