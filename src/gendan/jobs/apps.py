from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "gendan.jobs"
    label = "jobs"
    verbose_name = _("Periodic jobs")

    def ready(self) -> None:
        from gendan.jobs import housekeeping, registry

        registry.register(housekeeping.HOUSEKEEPING)
