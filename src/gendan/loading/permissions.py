"""The permissions loading declares, and the roles that hold them (the administrator holds every
permission); registered in the app's ready(), given to the role groups after each migrate."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gendan import extensions


class LoadingPerm(models.TextChoices):
    PLAN_LOADING = "plan_loading", _("Plan container loading")
    COUNT_LOADING = "count_loading", _("Record the loading count")
    CLOSE_LOADING = "close_loading", _("Close a loading whose counts match")
    ACCEPT_LOADING_DIFFERENCE = (
        "accept_loading_difference",
        _("Close a loading although the counts differ"),
    )
    RECORD_COUNTING_ERROR = "record_counting_error", _("Record counting errors")
    VIEW_COUNTING_ERRORS = "view_counting_errors", _("Read the counting-error register")
    MANAGE_CONTAINER_TYPES = "manage_container_types", _("Edit container and vehicle types")


ROLES: dict[str, frozenset[str]] = {
    LoadingPerm.PLAN_LOADING: frozenset({"warehouse", "merchandiser"}),
    LoadingPerm.COUNT_LOADING: frozenset({"warehouse", "merchandiser"}),
    LoadingPerm.CLOSE_LOADING: frozenset({"warehouse", "merchandiser"}),
    LoadingPerm.ACCEPT_LOADING_DIFFERENCE: frozenset({"merchandiser"}),
    LoadingPerm.RECORD_COUNTING_ERROR: frozenset(
        {"sales_manager", "merchandiser", "customer_service"}
    ),
    LoadingPerm.VIEW_COUNTING_ERRORS: frozenset(
        {"regional_manager", "sales_manager", "finance", "merchandiser"}
    ),
    LoadingPerm.MANAGE_CONTAINER_TYPES: frozenset({"merchandiser"}),
}


def register() -> None:
    for perm in LoadingPerm:
        extensions.add_permission(
            code=perm.value, label=perm.label, roles=ROLES[perm], app="loading"
        )
