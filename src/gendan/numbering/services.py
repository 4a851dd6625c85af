"""Document numbers like SO-2026-000123, unique under concurrent creation."""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from gendan.numbering.models import DocumentSequence


def _take(prefix: str, year: int, count: int) -> int | None:
    """Bump the series by ``count`` and read its new last number in one statement (UPDATE ...
    RETURNING, which SQLite >= 3.35 and PostgreSQL both have); None when the series has no row
    yet. The UPDATE takes the row lock, so two writers never share a number."""
    q = connection.ops.quote_name
    table, last, pre, yr = (q(DocumentSequence._meta.db_table), q("last"), q("prefix"), q("year"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {last} = {last} + %s WHERE {pre} = %s AND {yr} = %s RETURNING {last}",
            [count, prefix, year],
        )
        row = cursor.fetchone()
    return int(row[0]) if row else None


def next_numbers(prefix: str, count: int, *, year: int | None = None) -> list[str]:
    """The next ``count`` numbers of a series, consecutive, reserved in one statement (a block:
    the Excel import's orders)."""
    if count < 1:
        return []
    year = year or timezone.localdate().year
    for _attempt in range(5):
        last = _take(prefix, year, count)
        if last is None:
            try:
                with transaction.atomic():
                    DocumentSequence.objects.create(prefix=prefix, year=year, last=count)
                last = count
            except IntegrityError:
                continue  # another writer created the row first: take the block from it
        return [f"{prefix}-{year}-{n:06d}" for n in range(last - count + 1, last + 1)]
    raise RuntimeError(f"Could not allocate a number for {prefix}-{year}.")


def next_number(prefix: str, *, year: int | None = None) -> str:
    """The next number of a series."""
    return next_numbers(prefix, 1, year=year)[0]
