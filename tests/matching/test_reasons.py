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


def test_reasons_without_codes_come_back_as_they_are():
    """Text-only reasons need no vocabulary: nothing is read or renamed."""
    given = Suggestion("solution:1", 1.0, [Reason("text", 0.01, "ため池、水位")])
    with override("en"):
        assert readable_reasons([given]) == [given]
