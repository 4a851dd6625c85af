"""Document numbers like SO-2026-000123, unique under concurrent creation."""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from gendan.numbering.models import DocumentSequence


def _take_next(prefix: str, year: int) -> int | None:
    """Bump the series and read the new last number in one statement (UPDATE ... RETURNING,
    which SQLite >= 3.35 and PostgreSQL both have); None when the series has no row yet.
    The UPDATE takes the row lock, so two writers never share a number."""
    q = connection.ops.quote_name
    table, last, pre, yr = (q(DocumentSequence._meta.db_table), q("last"), q("prefix"), q("year"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {last} = {last} + 1 WHERE {pre} = %s AND {yr} = %s RETURNING {last}",
            [prefix, year],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else None


def next_number(prefix: str, *, year: int | None = None) -> str:
    """The next number of a series."""
    year = year or timezone.localdate().year
    for _attempt in range(5):
        last = _take_next(prefix, year)
        if last is not None:
            return f"{prefix}-{year}-{last:06d}"
        try:
            with transaction.atomic():
                DocumentSequence.objects.create(prefix=prefix, year=year, last=1)
            return f"{prefix}-{year}-{1:06d}"
        except IntegrityError:
            continue  # another writer created the row first: take the next number from it
    raise RuntimeError(f"Could not allocate a number for {prefix}-{year}.")
