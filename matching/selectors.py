"""Suggestions read from the index: solutions for a challenge, challenges for a member."""

from dataclasses import dataclass

from forum.models import Challenge, Organisation, Proposal, SolutionProfile
from forum.selectors.roles import organisations_for_user
from matching.backends import get_matching, site_matcher
from matching.query import Suggestion
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


def _readable(suggestion: Suggestion) -> Suggestion:
    """Show field and municipality names in reasons instead of their codes."""
    from forum.models import Field, Municipality

    for reason in suggestion.reasons:
        if reason.clause == "same_field":
            names = Field.objects.filter(slug__in=reason.detail.split(", ")).order_by("sort_order")
            reason.detail = "、".join(str(f) for f in names)
        elif reason.clause == "same_municipality":
            names = Municipality.objects.filter(code__in=reason.detail.split(", "))
            reason.detail = "、".join(str(m) for m in names)
    return suggestion


def solutions_for_challenge(challenge: Challenge, *, limit: int = 10) -> list[SuggestedItem]:
    """Published solutions that fit the challenge, minus organisations that already proposed."""
    proposed_orgs = Proposal.objects.filter(
        challenge=challenge, status__in=Proposal.LIVE_STATUSES
    ).values("organisation_id")
    excluded = {
        f"solution:{pk}"
        for pk in SolutionProfile.objects.filter(organisation_id__in=proposed_orgs).values_list(
            "pk", flat=True
        )
    }
    suggestions = get_matching().suggest(f"challenge:{challenge.pk}", limit=limit, exclude=excluded)
    entries = _entries(s.doc_id for s in suggestions)
    return [
        SuggestedItem(entries[s.doc_id], _readable(s)) for s in suggestions if s.doc_id in entries
    ]


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


def challenges_for_member(user, *, limit: int = 10) -> list[SuggestedItem]:
    """Open challenges that fit the published solutions of the member's organisations, best first.

    Each challenge appears once, with the member's solution that fits it best as its source.
    """
    organisations = organisations_for_user(user).exclude(
        kind__in=[Organisation.Kind.MUNICIPALITY, Organisation.Kind.SECRETARIAT]
    )
    solution_ids = SolutionProfile.objects.filter(
        organisation__in=organisations, is_published=True
    ).values_list("pk", flat=True)
    open_ids = _open_challenge_ids()
    proposed = _proposed_by(organisations)
    matching = get_matching()
    best: dict[str, tuple[Suggestion, str]] = {}
    for solution_id in solution_ids:
        source = f"solution:{solution_id}"
        for suggestion in matching.suggest(source, limit=limit * 2, exclude=proposed):
            current = best.get(suggestion.doc_id)
            if suggestion.doc_id in open_ids and (
                current is None or suggestion.score > current[0].score
            ):
                best[suggestion.doc_id] = (suggestion, source)
    ranked = sorted(best.values(), key=lambda pair: (-pair[0].score, pair[0].doc_id))[:limit]
    entries = _entries(s.doc_id for s, _ in ranked)
    return [
        SuggestedItem(entries[s.doc_id], _readable(s), source)
        for s, source in ranked
        if s.doc_id in entries
    ]


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
    return [
        SuggestedItem(entries[s.doc_id], _readable(s), source)
        for s in suggestions
        if s.doc_id in entries
    ]


def index_matcher():
    """The in-process matcher over the stored index with its entries by id, for other readers."""
    return site_matcher()


def readable_reasons(suggestion: Suggestion) -> Suggestion:
    """The suggestion with field and municipality names in its reasons instead of their codes."""
    return _readable(suggestion)
