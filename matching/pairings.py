"""Selectors for suggested pairings as people see them: with votes, and the secretariat's board.

Suggestions come from matching.selectors (read from the index); every row shown here is checked
against the database again, so an object unpublished or closed a moment ago, whose index entry
has not caught up yet, is never shown.
"""

from dataclasses import dataclass, replace

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q

from forum.models import Challenge, SolutionProfile
from forum.selectors.proposals import municipality_ids_reviewed_by
from forum.selectors.roles import (
    organisation_list_acting_for_user,
    user_can_act_for,
    user_is_secretariat,
)
from forum.selectors.solutions import solution_list_published
from matching.backends import get_matching
from matching.models import SuggestionFeedback
from matching.reasons import readable_reasons
from matching.selectors import SuggestedItem, challenges_for_member, solutions_for_challenge
from matching.spread import spread_by


@dataclass
class PairRow:
    """One suggested challenge ↔ solution pair with the viewer's vote and everyone's counts."""

    item: SuggestedItem
    challenge: Challenge
    solution: SolutionProfile
    vote: bool | None = None
    useful: int = 0
    not_useful: int = 0

    @property
    def entry(self):
        """The index entry shown (the solution for a challenge, the challenge for a member)."""
        return self.item.entry

    @property
    def suggestion(self):
        """Score and reasons."""
        return self.item.suggestion

    @property
    def key(self) -> str:
        """A stable anchor for the pair on a page."""
        return f"pair-{self.challenge.pk}-{self.solution.pk}"


def _published_solutions(ids) -> dict[int, SolutionProfile]:
    return {s.pk: s for s in solution_list_published().filter(pk__in=ids)}


def feedback_attach(rows: list[PairRow], user=None) -> list[PairRow]:
    """Fill in the viewer's vote and the useful / not useful counts of each row's pair."""
    if not rows:
        return rows
    pairs = Q()
    for row in rows:
        pairs |= Q(challenge_id=row.challenge.pk, solution_id=row.solution.pk)
    counts = {
        (c, s): (useful, total - useful)
        for c, s, useful, total in SuggestionFeedback.objects.filter(pairs)
        .values_list("challenge_id", "solution_id")
        .annotate(useful=Count("pk", filter=Q(useful=True)), total=Count("pk"))
        .order_by()
    }
    votes = {}
    if user is not None and user.is_authenticated:
        votes = {
            (c, s): useful
            for c, s, useful in SuggestionFeedback.objects.filter(pairs, user=user).values_list(
                "challenge_id", "solution_id", "useful"
            )
        }
    for row in rows:
        pair = (row.challenge.pk, row.solution.pk)
        row.useful, row.not_useful = counts.get(pair, (0, 0))
        row.vote = votes.get(pair)
    return rows


def rows_for_challenge(user, challenge: Challenge, *, limit: int = 10) -> list[PairRow]:
    """Suggested solutions for a challenge, still published, with the viewer's votes."""
    items = solutions_for_challenge(challenge, limit=limit)
    solutions = _published_solutions([item.entry.object_id for item in items])
    rows = [
        PairRow(item, challenge, solutions[item.entry.object_id])
        for item in items
        if item.entry.object_id in solutions
    ]
    return feedback_attach(rows, user)


def _still_open(challenge: Challenge) -> bool:
    return challenge.is_published and challenge.status == Challenge.Status.OPEN


def rows_for_member(user, *, limit: int = 10, solution_id: int | None = None) -> list[PairRow]:
    """Open challenges suggested to a member, each paired with the solution it was found from
    (only one of their solutions with ``solution_id``).

    A vote on the member's page is about the challenge and one of their own published
    solutions; the page names that solution, so the vote is never about an unseen pair.
    """
    items = challenges_for_member(user, limit=limit, solution_id=solution_id)
    # Each item carries its challenge's record, read in this request after the open ones were
    # chosen; the page names its municipality and field and each solution's title only.
    challenges = {
        item.challenge.pk: item.challenge
        for item in items
        if item.challenge is not None and _still_open(item.challenge)
    }
    organisations = organisation_list_acting_for_user(user)
    own = list(
        solution_list_published()
        .prefetch_related(None)
        .filter(pk__in=SolutionProfile.objects.filter(organisation__in=organisations).values("pk"))
    )
    own_by_id = {f"solution:{s.pk}": s for s in own}
    rows = []
    for item in items:
        challenge = challenges.get(item.entry.object_id)
        solution = own_by_id.get(item.source)
        if challenge is None or solution is None:
            continue
        rows.append(PairRow(item, challenge, solution))
    return feedback_attach(rows, user)


def may_rate(user, *, challenge: Challenge, solution: SolutionProfile) -> bool:
    """Whether the user can be shown this pair: the challenge's reviewers, the secretariat, or
    members of the solution's organisation, while both sides are published."""
    if not user.is_authenticated or not challenge.is_published:
        return False
    if not (solution.is_published and solution.organisation.is_approved):
        return False
    if user_is_secretariat(user):
        return True
    if challenge.municipality_id in municipality_ids_reviewed_by(user):
        return True
    return challenge.status == Challenge.Status.OPEN and user_can_act_for(
        user, solution.organisation
    )


def pairing_board(
    *,
    page: str | int | None = None,
    per_challenge: int = 3,
    per_solution: int = 3,
    per_page: int = 20,
) -> Page:
    """The strongest pairings not yet proposed across open challenges, best first, one page.

    Each open challenge contributes its best few solutions (organisations that already
    proposed are left out by solutions_for_challenge), so one challenge with many strong
    candidates does not fill the board; and one solution takes at most ``per_solution``
    places before every other has had its turn (matching.spread), so a solution that fits
    everything a little does not fill it either.
    """
    open_challenges = (
        Challenge.objects.filter(is_published=True, status=Challenge.Status.OPEN)
        .select_related("municipality", "field")
        .order_by("-published_at", "-pk")
    )
    suggester = get_matching().suggester()
    found: list[tuple[SuggestedItem, Challenge]] = []
    for challenge in open_challenges:
        found.extend(
            (item, challenge)
            for item in solutions_for_challenge(
                challenge, limit=per_challenge, suggester=suggester, readable=False
            )
        )
    solutions = _published_solutions({item.entry.object_id for item, _ in found})
    rows = [
        PairRow(item, challenge, solutions[item.entry.object_id])
        for item, challenge in found
        if item.entry.object_id in solutions
    ]
    rows.sort(key=lambda r: (-r.suggestion.score, r.challenge.pk, r.solution.pk))
    rows = spread_by(rows, lambda r: r.solution.pk, per_group=per_solution)
    page_obj = Paginator(rows, per_page).get_page(page)
    shown = list(page_obj.object_list)
    for row, named in zip(shown, readable_reasons([r.suggestion for r in shown]), strict=True):
        row.item = replace(row.item, suggestion=named)
    feedback_attach(shown)
    return page_obj
