"""Document numbers: one series per prefix and year, consecutive, never shared."""

from __future__ import annotations

import pytest

from gendan.numbering.models import DocumentSequence
from gendan.numbering.services import next_number, next_numbers

pytestmark = pytest.mark.django_db


def test_each_prefix_and_year_counts_on_its_own():
    # given no number yet; when numbers of two series and two years are taken
    taken = [
        next_number("SO", year=2026),
        next_number("SO", year=2026),
        next_number("LP", year=2026),
    ]
    taken.append(next_number("SO", year=2027))
    # then each series starts at 1 and counts on
    assert taken == ["SO-2026-000001", "SO-2026-000002", "LP-2026-000001", "SO-2027-000001"]
    assert sorted(DocumentSequence.objects.values_list("prefix", "year", "last")) == [
        ("LP", 2026, 1),
        ("SO", 2026, 2),
        ("SO", 2027, 1),
    ]


def test_the_one_statement_bump_matches_the_orm(django_assert_num_queries):
    # given a series with numbers taken
    next_number("PN", year=2026)
    next_number("PN", year=2026)
    # when the next is taken: one UPDATE ... RETURNING, no separate read
    with django_assert_num_queries(1):
        number = next_number("PN", year=2026)
    # then it is the number the ORM reads back for the series, and the series moved by one
    last = DocumentSequence.objects.values_list("last", flat=True).get(prefix="PN", year=2026)
    assert number == f"PN-2026-{last:06d}" == "PN-2026-000003"


def test_a_block_of_numbers_is_reserved_in_one_statement(django_assert_num_queries):
    # given a series with two numbers taken
    next_number("SO", year=2030)
    next_number("SO", year=2030)
    # when a block of three is reserved: one UPDATE ... RETURNING
    with django_assert_num_queries(1):
        block = next_numbers("SO", 3, year=2030)
    # then the block follows the last number, and the next single number follows the block
    assert block == ["SO-2030-000003", "SO-2030-000004", "SO-2030-000005"]
    assert next_number("SO", year=2030) == "SO-2030-000006"


def test_a_block_starts_a_new_series_at_one():
    # given no series for the year; when a block is the first taken
    block = next_numbers("SO", 2, year=2031)
    # then it is 1 and 2, and the series' row says 2
    assert block == ["SO-2031-000001", "SO-2031-000002"]
    assert DocumentSequence.objects.get(prefix="SO", year=2031).last == 2
    assert next_numbers("SO", 0, year=2031) == []
