from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "gendan.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from gendan.accounts import assignment, roles

        assignment.register()

        # Framework plumbing: keep the role groups in step with ROLE_PERMS after each migrate.
        post_migrate.connect(roles.sync_roles_after_migrate, sender=self)
