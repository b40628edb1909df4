"""Suggestions read from the index: solutions for a challenge, challenges for a member."""

from dataclasses import dataclass

from django.utils.translation import get_language

from forum.models import Challenge, Organisation, Proposal, SolutionProfile
from forum.selectors.roles import organisations_for_user
from matching.backends import get_matching
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


def readable_reasons(suggestions: list[Suggestion]) -> list[Suggestion]:
    """Name the codes in the reasons of several suggestions, with one query per vocabulary."""
    from forum.models import Field, Municipality, Technology
    from search.analysis import canonical_term

    parts = {
        clause: {
            part
            for s in suggestions
            for r in s.reasons
            if r.clause == clause
            for part in r.detail.split(", ")
            if part
        }
        for clause in ("same_field", "same_municipality", "shared_technology")
    }
    if not any(parts.values()):
        return suggestions
    fields = {f.slug: f for f in Field.objects.filter(slug__in=parts["same_field"])}
    places = {m.code: m for m in Municipality.objects.filter(code__in=parts["same_municipality"])}
    technologies = {}
    if parts["shared_technology"]:
        # Reasons carry the target's spelling or the canonical form; both lead to the term.
        for technology in Technology.objects.all():
            for spelling in (technology.name_ja, technology.name_en):
                if spelling:
                    technologies.setdefault(spelling, technology)
                    technologies.setdefault(canonical_term(spelling), technology)
    separator = "、" if (get_language() or "ja").startswith("ja") else ", "
    order = {f.slug: f.sort_order for f in fields.values()}
    for suggestion in suggestions:
        for reason in suggestion.reasons:
            names = reason.detail.split(", ") if reason.detail else []
            if reason.clause == "same_field":
                names.sort(key=lambda slug: order.get(slug, 999))
                reason.detail = separator.join(str(fields[n]) for n in names if n in fields)
            elif reason.clause == "same_municipality":
                reason.detail = separator.join(str(places[n]) for n in names if n in places)
            elif reason.clause == "shared_technology":
                reason.detail = separator.join(
                    str(technologies.get(n) or technologies.get(canonical_term(n)) or n)
                    for n in names
                )
            elif reason.clause == "text" and separator != "、":
                reason.detail = reason.detail.replace("、", separator)
    return suggestions


def solutions_for_challenge(
    challenge: Challenge, *, limit: int = 10, matching=None, readable: bool = True
) -> list[SuggestedItem]:
    """Published solutions that fit the challenge, minus organisations that already proposed.

    A caller asking for many challenges passes one ``matching`` backend and names the reasons
    of what it shows itself (``readable=False``, then ``readable_reasons``).
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
    matching = matching or get_matching()
    suggestions = matching.suggest(f"challenge:{challenge.pk}", limit=limit, exclude=excluded)
    entries = _entries(s.doc_id for s in suggestions)
    if readable:
        readable_reasons(suggestions)
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
    readable_reasons([s for s, _ in ranked])
    return [
        SuggestedItem(entries[s.doc_id], s, source) for s, source in ranked if s.doc_id in entries
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
    readable_reasons(suggestions)
    return [SuggestedItem(entries[s.doc_id], s, source) for s in suggestions if s.doc_id in entries]
