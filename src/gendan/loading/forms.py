"""The container-type form: it only parses what was typed; the rules stay in the service."""

from __future__ import annotations

from django import forms

from gendan.loading.models import ContainerType
from gendan.loading.services.container_types import CONTAINER_TYPE_FIELDS


class ContainerTypeForm(forms.ModelForm):
    class Meta:
        model = ContainerType
        fields = ("code", *CONTAINER_TYPE_FIELDS)

    def validate_unique(self) -> None:
        """Saving an existing code changes that type: the service decides, not the form."""
