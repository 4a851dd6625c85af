"""The timeline event kinds loading declares (registered in the app's ready())."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from gendan import extensions


class LoadingEvent(models.TextChoices):
    LOADING_PLANNED = "loading.planned", _("Loading planned")
    LOADING_COUNTED = "loading.counted", _("Loading counted")
    LOADING_CLOSED = "loading.closed", _("Loading closed")
    COUNTING_ERROR_RECORDED = "loading.counting_error", _("Counting error recorded")


def register() -> None:
    for kind in LoadingEvent:
        extensions.add_event_kind(code=kind.value, label=kind.label, app="loading")
