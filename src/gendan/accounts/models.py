from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.permissions import Perm


class User(AbstractUser):
    """A person of the company; roles are the groups they belong to."""

    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [(p.value, p.label) for p in Perm]

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username

    def can(self, perm: str) -> bool:
        """Whether the user holds a named permission (Perm), through any of their roles."""
        return self.is_active and self.has_perm(f"accounts.{perm}")


class ApiToken(models.Model):
    """A personal API token; only its SHA-256 is stored, the token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def is_live(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class ThrottleScope(models.TextChoices):
    ACCOUNT = "account", _("account")
    ADDRESS = "address", _("client address")


class LoginThrottle(models.Model):
    """Failed sign-ins of one account, or from one client address, on every way in (pages,
    API, admin): past the free ones the account (or the address) is locked, each further
    failure doubling the lock (accounts.services.check_sign_in)."""

    scope = models.CharField(max_length=10, choices=ThrottleScope.choices)
    key = models.CharField(max_length=150)
    failures = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key"], name="login_throttle_scope_key"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.key}: {self.failures}"


class IdempotencyRecord(models.Model):
    """The first answer to a POST sent with an Idempotency-Key; a retry gets it again."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    endpoint = models.CharField(max_length=200)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    body = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key", "endpoint"], name="idempotency_user_key"
            ),
        ]
