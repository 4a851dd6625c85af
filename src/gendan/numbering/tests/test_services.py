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
