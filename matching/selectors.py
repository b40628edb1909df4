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
    """One suggestion with the stored entry to show and the reasons to explain it."""

    entry: IndexedDocument
    suggestion: Suggestion


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


def challenges_for_member(user, *, limit: int = 10) -> list[SuggestedItem]:
    """Open challenges that fit the published solutions of the member's organisations, best first."""
    organisations = organisations_for_user(user).exclude(
        kind__in=[Organisation.Kind.MUNICIPALITY, Organisation.Kind.SECRETARIAT]
    )
    solution_ids = SolutionProfile.objects.filter(
        organisation__in=organisations, is_published=True
    ).values_list("pk", flat=True)
    open_ids = {
        f"challenge:{pk}"
        for pk in Challenge.objects.filter(
            is_published=True, status=Challenge.Status.OPEN
        ).values_list("pk", flat=True)
    }
    proposed = {
        f"challenge:{pk}"
        for pk in Proposal.objects.filter(
            organisation__in=organisations, status__in=Proposal.LIVE_STATUSES
        ).values_list("challenge_id", flat=True)
    }
    matching = get_matching()
    best: dict[str, Suggestion] = {}
    for solution_id in solution_ids:
        for suggestion in matching.suggest(
            f"solution:{solution_id}", limit=limit * 2, exclude=proposed
        ):
            if suggestion.doc_id in open_ids and suggestion.score > getattr(
                best.get(suggestion.doc_id), "score", 0
            ):
                best[suggestion.doc_id] = suggestion
    ranked = sorted(best.values(), key=lambda s: (-s.score, s.doc_id))[:limit]
    entries = _entries(s.doc_id for s in ranked)
    return [SuggestedItem(entries[s.doc_id], _readable(s)) for s in ranked if s.doc_id in entries]


def index_matcher():
    """The in-process matcher over the stored index with its entries by id, for other readers."""
    return site_matcher()


def readable_reasons(suggestion: Suggestion) -> Suggestion:
    """The suggestion with field and municipality names in its reasons instead of their codes."""
    return _readable(suggestion)
