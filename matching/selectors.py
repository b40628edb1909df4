"""Suggestions read from the index: solutions for a challenge, challenges for a member."""

from dataclasses import dataclass

from forum.models import Challenge, Organisation, Proposal, SolutionProfile
from forum.selectors.roles import organisations_for_user
from matching.engine import Matcher, Profile
from matching.query import Suggestion
from search.models import IndexedDocument

_cache: dict = {}


def _profile(entry: IndexedDocument) -> Profile:
    return Profile(
        id=f"{entry.doc_type}:{entry.object_id}",
        kind=entry.doc_type,
        title=entry.title,
        summary=entry.summary,
        description=entry.description,
        fields=list(entry.fields),
        technologies=list(entry.technologies),
        municipalities=list(entry.municipalities),
        stage=entry.stage,
    )


def _matcher() -> tuple[Matcher, dict[str, IndexedDocument]]:
    """A matcher over the stored index, rebuilt in this process when the index changes."""
    from django.db.models import Count, Max

    state = IndexedDocument.objects.aggregate(
        n=Count("pk"), latest=Max("indexed_at"), top=Max("pk")
    )
    key = (state["n"], state["latest"], state["top"])
    if _cache.get("key") != key:
        entries = list(IndexedDocument.objects.all())
        _cache.update(
            key=key,
            matcher=Matcher([_profile(e) for e in entries]),
            entries={f"{e.doc_type}:{e.object_id}": e for e in entries},
        )
    return _cache["matcher"], _cache["entries"]


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
    matcher, entries = _matcher()
    source = matcher.profiles.get(f"challenge:{challenge.pk}")
    if source is None:
        return []
    proposed_orgs = Proposal.objects.filter(
        challenge=challenge, status__in=Proposal.LIVE_STATUSES
    ).values("organisation_id")
    excluded = {
        f"solution:{pk}"
        for pk in SolutionProfile.objects.filter(organisation_id__in=proposed_orgs).values_list(
            "pk", flat=True
        )
    }
    return [
        SuggestedItem(entries[s.doc_id], _readable(s))
        for s in matcher.suggest(source, limit=limit, exclude=excluded)
    ]


def challenges_for_member(user, *, limit: int = 10) -> list[SuggestedItem]:
    """Open challenges that fit the published solutions of the member's organisations, best first."""
    matcher, entries = _matcher()
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
    best: dict[str, Suggestion] = {}
    for solution_id in solution_ids:
        source = matcher.profiles.get(f"solution:{solution_id}")
        if source is None:
            continue
        for suggestion in matcher.suggest(source, limit=limit * 2, exclude=proposed):
            if suggestion.doc_id in open_ids and suggestion.score > getattr(
                best.get(suggestion.doc_id), "score", 0
            ):
                best[suggestion.doc_id] = suggestion
    ranked = sorted(best.values(), key=lambda s: (-s.score, s.doc_id))[:limit]
    return [SuggestedItem(entries[s.doc_id], _readable(s)) for s in ranked]


def index_matcher() -> tuple[Matcher, dict[str, IndexedDocument]]:
    """The matcher over the stored index with its entries by id, for other readers in matching."""
    return _matcher()


def readable_reasons(suggestion: Suggestion) -> Suggestion:
    """The suggestion with field and municipality names in its reasons instead of their codes."""
    return _readable(suggestion)
