"""The counters behind document numbers."""

from __future__ import annotations

from django.db import models


class DocumentSequence(models.Model):
    """The last number given per prefix and year; the row lock makes numbers unique."""

    prefix = models.CharField(max_length=10)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["prefix", "year"], name="document_sequence_prefix_year"
            ),
        ]
