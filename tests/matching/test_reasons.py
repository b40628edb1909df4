"""Reasons named for people (matching/reasons.py)."""

from django.utils.translation import override

import pytest

from matching.query import Reason, Suggestion
from matching.reasons import readable_reasons

pytestmark = pytest.mark.django_db


def _suggestion() -> Suggestion:
    return Suggestion(
        "solution:1",
        1.0,
        [
            Reason("same_field", 0.05, "safety"),
            Reason("shared_technology", 0.015, "センサー"),
            Reason("text", 0.01, "ため池、水位"),
        ],
    )


def test_naming_reasons_leaves_the_given_suggestions_unchanged():
    """Naming returns new suggestions; the ones passed in keep their codes for other readers."""
    given = _suggestion()
    with override("en"):
        [named] = readable_reasons([given])
    assert [r.detail for r in given.reasons] == ["safety", "センサー", "ため池、水位"]
    assert named is not given
    assert named.reasons[0].detail != "safety"
    assert named.reasons[2].detail == "ため池, 水位"


def test_reasons_without_codes_read_nothing_and_are_joined_for_the_language(
    django_assert_num_queries,
):
    """Text-only reasons need no vocabulary: nothing is read, and an English page still joins
    their phrases with ", " rather than the Japanese 「、」."""
    given = Suggestion("solution:1", 1.0, [Reason("text", 0.01, "ため池、水位")])
    with override("en"), django_assert_num_queries(0):
        [named] = readable_reasons([given])
    assert named.reasons[0].detail == "ため池, 水位"
    with override("ja"), django_assert_num_queries(0):
        assert readable_reasons([given]) == [given]
