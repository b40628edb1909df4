"""How proposals are evaluated: when criteria may change, what a score may be, how scores add
up to a weighted total out of 100, and which result band a proposer is told.

Pure functions over values; the evaluation services enforce them and the pages read them.
"""

from collections.abc import Mapping, Sequence
from statistics import mean, pstdev

from django.utils.translation import gettext_lazy as _

from forum.models import Challenge
from forum.rules.proposals import challenge_accepts_proposals

MAX_CRITERIA = 10
UPPER, MIDDLE, LOWER = "upper", "middle", "lower"
BAND_LABELS = {UPPER: _("上位"), MIDDLE: _("中位"), LOWER: _("下位")}


def criteria_are_editable(challenge: Challenge, *, decided: bool) -> bool:
    """Criteria change only while the challenge takes proposals and nothing has been decided."""
    return not decided and challenge_accepts_proposals(challenge)


def score_is_on_scale(value: object, scale_min: int, scale_max: int) -> bool:
    """A whole number within the challenge's scale."""
    return (
        isinstance(value, int) and not isinstance(value, bool) and scale_min <= value <= scale_max
    )


def weighted_total(
    values: Mapping[int, int], weights: Mapping[int, int], scale_max: int
) -> float | None:
    """One review's weighted total, normalised to 100; None unless every criterion is scored."""
    if not weights or set(values) != set(weights):
        return None
    total_weight = sum(weights.values())
    earned = sum(weights[pk] * values[pk] / scale_max for pk in weights)
    return round(earned / total_weight * 100, 1)


def spread(totals: Sequence[float]) -> tuple[float, float, float] | None:
    """Minimum, maximum and (population) standard deviation of the members' totals."""
    if not totals:
        return None
    return min(totals), max(totals), round(pstdev(totals), 1)


def average(values: Sequence[float]) -> float | None:
    """The mean, rounded to one decimal; None for no values."""
    return round(mean(values), 1) if values else None


def result_band(value: float, others: Sequence[float]) -> str:
    """Upper, middle or lower third of the proposals' averages on one criterion.

    ``others`` holds every proposal's average on that criterion, ``value`` included. Ties take
    the better band, so equal work is never told apart.
    """
    ranked = sorted(others, reverse=True)
    position = ranked.index(value)  # first (best) place among equals
    share = position / len(ranked)
    if share < 1 / 3:
        return UPPER
    if share < 2 / 3:
        return MIDDLE
    return LOWER
