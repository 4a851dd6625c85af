"""Document numbers: one series per prefix and year, consecutive, never shared."""

from __future__ import annotations

import pytest

from gendan.numbering.models import DocumentSequence
from gendan.numbering.services import next_number

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
