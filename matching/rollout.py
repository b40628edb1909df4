"""Roll-out (横展開) suggestions: other municipalities whose challenges resemble an implemented project.

The project is turned into solution-side profiles and matched in the solution → challenges
direction: the published solutions of the proposals that built it, and its own challenges
restated as what the project now offers (in service). Challenges of municipalities already in
the project, and the project's own challenges, are excluded; the rest are grouped by
municipality, best score first, each with the challenges and reasons behind it.
"""

from dataclasses import dataclass, field, replace

from forum.models import Challenge, Municipality, Project, ProjectProposal
from forum.models.projects import Stage
from matching.backends.embedded import site_matcher
from matching.query import Profile, Reason, Suggestion
from matching.reasons import readable_reasons
from search.models import IndexedDocument

ROLLOUT_STAGES = (Stage.IMPLEMENTATION, Stage.ROLLOUT)


@dataclass
class SimilarChallenge:
    """A challenge of the suggested municipality, with its stored entry and why it matched."""

    challenge: Challenge
    entry: IndexedDocument
    suggestion: Suggestion


@dataclass
class RolloutSuggestion:
    """A municipality to roll the project out to, with its most similar challenges."""

    municipality: Municipality
    score: float
    challenges: list[SimilarChallenge] = field(default_factory=list)

    @property
    def reasons(self) -> list[Reason]:
        """The reasons of the best matching challenge."""
        return self.challenges[0].suggestion.reasons if self.challenges else []


def _sources(project: Project, profiles: dict[str, Profile]) -> list[Profile]:
    solution_ids = (
        ProjectProposal.objects.filter(project=project, proposal__solution__isnull=False)
        .values_list("proposal__solution_id", flat=True)
        .distinct()
    )
    sources = [profiles[f"solution:{pk}"] for pk in solution_ids if f"solution:{pk}" in profiles]
    for challenge_id in project.challenges.values_list("pk", flat=True):
        profile = profiles.get(f"challenge:{challenge_id}")
        if profile is not None:
            # The project's own challenge, read as what the project now offers elsewhere.
            sources.append(
                replace(
                    profile,
                    id=f"project:{project.pk}",
                    kind="solution",
                    municipalities=[],
                    stage="in_service",
                )
            )
    return sources


def rollout_suggestions(
    project: Project, *, limit: int = 10, per_source: int = 30
) -> list[RolloutSuggestion]:
    """Municipalities not yet in the project whose published challenges are most like it."""
    if project.stage not in ROLLOUT_STAGES:
        return []
    matcher, entries = site_matcher()
    sources = _sources(project, matcher.profiles)
    if not sources:
        return []
    joined = set(project.municipalities.values_list("pk", flat=True))
    excluded_ids = set(project.challenges.values_list("pk", flat=True)) | set(
        Challenge.objects.filter(municipality__in=joined).values_list("pk", flat=True)
    )
    exclude = {f"challenge:{pk}" for pk in excluded_ids}
    best: dict[str, Suggestion] = {}
    for source in sources:
        for suggestion in matcher.suggest(source, limit=per_source, exclude=exclude):
            if suggestion.score > getattr(best.get(suggestion.doc_id), "score", 0):
                best[suggestion.doc_id] = suggestion
    if not best:
        return []
    challenges = {
        f"challenge:{c.pk}": c
        for c in Challenge.objects.filter(
            pk__in=[int(doc_id.split(":", 1)[1]) for doc_id in best], is_published=True
        ).select_related("municipality", "field")
    }
    stored = entries.entries_of(challenges)
    best = dict(zip(best, readable_reasons(list(best.values())), strict=True))
    grouped: dict[int, RolloutSuggestion] = {}
    for doc_id, suggestion in sorted(best.items(), key=lambda item: (-item[1].score, item[0])):
        challenge = challenges.get(doc_id)
        if challenge is None or challenge.municipality_id in joined or doc_id not in stored:
            continue
        group = grouped.setdefault(
            challenge.municipality_id,
            RolloutSuggestion(municipality=challenge.municipality, score=suggestion.score),
        )
        group.challenges.append(SimilarChallenge(challenge, stored[doc_id], suggestion))
    ranked = sorted(grouped.values(), key=lambda g: (-g.score, g.municipality.code))
    return ranked[:limit]
