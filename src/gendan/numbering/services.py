"""Document numbers like SO-2026-000123, unique under concurrent creation."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from gendan.numbering.models import DocumentSequence


def next_number(prefix: str, *, year: int | None = None) -> str:
    """The next number of a series. The UPDATE takes the row lock, so two writers never share one."""
    year = year or timezone.localdate().year
    for _attempt in range(5):
        updated = DocumentSequence.objects.filter(prefix=prefix, year=year).update(
            last=F("last") + 1
        )
        if updated:
            last = DocumentSequence.objects.values_list("last", flat=True).get(
                prefix=prefix, year=year
            )
            return f"{prefix}-{year}-{last:06d}"
        try:
            with transaction.atomic():
                DocumentSequence.objects.create(prefix=prefix, year=year, last=1)
            return f"{prefix}-{year}-{1:06d}"
        except IntegrityError:
            continue  # another writer created the row first: take the next number from it
    raise RuntimeError(f"Could not allocate a number for {prefix}-{year}.")
