"""Suggestions read from the index: solutions for a challenge, challenges for a member.

Every suggestion of a member (ranked with reasons, or simply new in their fields) is read
here; forum pages show them through matching.panels.
"""

from dataclasses import dataclass

from forum.models import Challenge, Organisation, Proposal, SolutionProfile
from forum.selectors.challenges import challenge_list_open
from forum.selectors.roles import organisation_list_for_user
from matching.backends import get_matching
from matching.backends.base import Suggester
from matching.query import Suggestion
from matching.reasons import readable_reasons
from matching.spread import spread_by
from search.models import IndexedDocument


def _entries(doc_ids) -> dict[str, IndexedDocument]:
    """The stored entries of suggested documents, by "type:id"."""
    by_type: dict[str, list[int]] = {}
    for doc_id in doc_ids:
        doc_type, _, object_id = doc_id.partition(":")
        by_type.setdefault(doc_type, []).append(int(object_id))
    result = {}
    for doc_type, ids in by_type.items():
        for entry in IndexedDocument.objects.filter(doc_type=doc_type, object_id__in=ids):
            result[f"{doc_type}:{entry.object_id}"] = entry
    return result


@dataclass
class SuggestedItem:
    """One suggestion with the stored entry to show and the reasons to explain it.

    `source` is the document the suggestion was found from ("solution:7") when the reader
    searched from several (a member's solutions).
    """

    entry: IndexedDocument
    suggestion: Suggestion
    source: str = ""
    # The suggested challenge's record, for its title in the visitor's language.
    challenge: Challenge | None = None


def _with_challenges(items: list[SuggestedItem]) -> list[SuggestedItem]:
    """The suggested challenges' records attached in one query (forum.language reads their
    English title and summary)."""
    ids = [int(item.entry.object_id) for item in items]
    records = Challenge.objects.select_related("municipality", "field").in_bulk(ids)
    for item in items:
        item.challenge = records.get(int(item.entry.object_id))
    return items


def solutions_for_challenge(
    challenge: Challenge,
    *,
    limit: int = 10,
    suggester: Suggester | None = None,
    readable: bool = True,
) -> list[SuggestedItem]:
    """Published solutions that fit the challenge, minus organisations that already proposed.

    A caller asking for many challenges passes one ``suggester`` (from the matching backend)
    and names the reasons of what it shows itself (``readable=False``, then
    ``matching.reasons.readable_reasons``).
    """
    proposed_orgs = Proposal.objects.filter(
        challenge=challenge, status__in=Proposal.LIVE_STATUSES
    ).values("organisation_id")
    excluded = {
        f"solution:{pk}"
        for pk in SolutionProfile.objects.filter(organisation_id__in=proposed_orgs).values_list(
            "pk", flat=True
        )
    }
    suggester = suggester or get_matching().suggester()
    suggestions = suggester.suggest(f"challenge:{challenge.pk}", limit=limit, exclude=excluded)
    entries = _entries(s.doc_id for s in suggestions)
    if readable:
        suggestions = readable_reasons(suggestions)
    return [SuggestedItem(entries[s.doc_id], s) for s in suggestions if s.doc_id in entries]


def _open_challenge_ids() -> set[str]:
    return {
        f"challenge:{pk}"
        for pk in Challenge.objects.filter(
            is_published=True, status=Challenge.Status.OPEN
        ).values_list("pk", flat=True)
    }


def _proposed_by(organisation_ids) -> set[str]:
    return {
        f"challenge:{pk}"
        for pk in Proposal.objects.filter(
            organisation__in=organisation_ids, status__in=Proposal.LIVE_STATUSES
        ).values_list("challenge_id", flat=True)
    }


def _open_among(doc_ids) -> set[str]:
    """The "challenge:id" documents among `doc_ids` whose challenge is published and open."""
    ids = [int(doc_id.partition(":")[2]) for doc_id in doc_ids]
    return {
        f"challenge:{pk}"
        for pk in Challenge.objects.filter(
            pk__in=ids, is_published=True, status=Challenge.Status.OPEN
        ).values_list("pk", flat=True)
    }


def _best_per_challenge(suggester: Suggester, sources, *, limit: int, exclude) -> dict:
    """Each suggested challenge with its best score and the source it was found from.

    Ranked without reasons: only the few a page shows are explained (see _explained).
    """
    best: dict[str, tuple[Suggestion, str]] = {}
    for source in sources:
        for suggestion in suggester.suggest(source, limit=limit, exclude=exclude, explain=False):
            current = best.get(suggestion.doc_id)
            if current is None or suggestion.score > current[0].score:
                best[suggestion.doc_id] = (suggestion, source)
    return best


def _explained(suggester: Suggester, ranked, *, exclude) -> list[tuple[Suggestion, str]]:
    """The ranked (suggestion, source) pairs with their reasons, asked once per source."""
    by_source: dict[str, list[Suggestion]] = {}
    for suggestion, source in ranked:
        by_source.setdefault(source, []).append(suggestion)
    explained = {
        (s.doc_id, source): s
        for source, suggestions in by_source.items()
        for s in suggester.explain(source, suggestions, exclude=exclude)
    }
    return [(explained.get((s.doc_id, source), s), source) for s, source in ranked]


# On a member's page one solution takes at most this many places before the others had theirs.
PER_SOLUTION = 3


def _member_organisations(user):
    """The member's organisations that offer solutions (not municipalities or the secretariat)."""
    return organisation_list_for_user(user).exclude(
        kind__in=[Organisation.Kind.MUNICIPALITY, Organisation.Kind.SECRETARIAT]
    )


def member_solutions(user):
    """The published solutions of the member's organisations, whose suggested challenges the
    member's page lists."""
    return SolutionProfile.objects.filter(
        organisation__in=_member_organisations(user), is_published=True
    )


def challenges_for_member(user, *, limit: int = 10, solution_id: int | None = None):
    """Open challenges that fit the published solutions of the member's organisations, best first
    (or of one of them, ``solution_id``).

    Each challenge appears once, with the member's solution that fits it best as its source;
    one solution takes at most PER_SOLUTION places before the others have had theirs
    (matching.spread). Only the shown challenges are explained and read from the database.
    """
    solutions = member_solutions(user)
    proposed = _proposed_by(_member_organisations(user))
    if solution_id is not None:
        solutions = solutions.filter(pk=solution_id)
    sources = [f"solution:{pk}" for pk in solutions.values_list("pk", flat=True)]
    suggester = get_matching().suggester()
    best = _best_per_challenge(suggester, sources, limit=limit * 2, exclude=proposed)
    open_ids = _open_among(best)
    ranked = sorted(
        (pair for doc_id, pair in best.items() if doc_id in open_ids),
        key=lambda pair: (-pair[0].score, pair[0].doc_id),
    )
    ranked = spread_by(ranked, lambda pair: pair[1], per_group=PER_SOLUTION)[:limit]
    ranked = _explained(suggester, ranked, exclude=proposed)
    entries = _entries(s.doc_id for s, _ in ranked)
    named = readable_reasons([s for s, _ in ranked])
    return _with_challenges(
        [
            SuggestedItem(entries[s.doc_id], s, source)
            for s, (_, source) in zip(named, ranked, strict=True)
            if s.doc_id in entries
        ]
    )


def challenges_for_solution(solution: SolutionProfile, *, limit: int = 5) -> list[SuggestedItem]:
    """Open challenges for one published solution, minus those its organisation proposed to."""
    if not solution.is_published:
        return []
    open_ids = _open_challenge_ids()
    source = f"solution:{solution.pk}"
    suggestions = [
        s
        for s in get_matching().suggest(
            source, limit=limit * 2, exclude=_proposed_by([solution.organisation_id])
        )
        if s.doc_id in open_ids
    ][:limit]
    entries = _entries(s.doc_id for s in suggestions)
    return _with_challenges(
        [
            SuggestedItem(entries[s.doc_id], s, source)
            for s in readable_reasons(suggestions)
            if s.doc_id in entries
        ]
    )


def challenges_new_in_member_fields(user, *, limit: int = 5) -> list[Challenge]:
    """Open challenges in the fields of the user's solutions, newest first.

    The member's home shows these as what is new in their fields, below the ranked
    suggestions of challenges_for_member.
    """
    field_ids = SolutionProfile.objects.filter(
        organisation__in=organisation_list_for_user(user)
    ).values("fields")
    return list(
        challenge_list_open().filter(field_id__in=field_ids).order_by("-published_at")[:limit]
    )
