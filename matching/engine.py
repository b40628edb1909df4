"""Pairing in both directions on the embedded index, executing the clauses of matching.query."""

from dataclasses import dataclass, field

from matching.query import CLAUSES, STAGE_FIT, TEXT_FIELDS, Reason, Suggestion
from search.analysis import analyze, normalise, synonym_groups
from search.engine import BM25Index


@dataclass
class Profile:
    """A challenge or a solution as matching sees it, whatever it was built from."""

    id: str
    kind: str  # "challenge" or "solution"
    title: str
    summary: str = ""
    description: str = ""
    fields: list[str] = field(default_factory=list)
    technologies: list[str] = field(default_factory=list)
    municipalities: list[str] = field(default_factory=list)
    stage: str = ""


def canonical_term(term: str) -> str:
    """One spelling per synonym group, so ＡＩ, AI and 人工知能 compare equal."""
    value = normalise(term).strip()
    for group in synonym_groups():
        if value in group:
            return group[0]
    return value


class Matcher:
    """Two indices, challenges and solutions, queried with the same clauses each way."""

    def __init__(self, profiles: list[Profile], *, synonyms: bool = True):
        self.synonyms = synonyms
        self.profiles = {p.id: p for p in profiles}
        self.indices = {"challenge": BM25Index(TEXT_FIELDS), "solution": BM25Index(TEXT_FIELDS)}
        for profile in profiles:
            self.indices[profile.kind].add(profile.id, self._tokens(profile))

    def _tokens(self, profile: Profile) -> dict[str, list[str]]:
        return {
            name: analyze(getattr(profile, name), synonyms=self.synonyms) for name in TEXT_FIELDS
        }

    def suggest(
        self,
        source: Profile,
        *,
        limit: int = 10,
        text_only: bool = False,
        exclude: set[str] = frozenset(),
    ) -> list[Suggestion]:
        """The best counterparts of a profile (solutions for a challenge, challenges for a solution)."""
        target_kind = "solution" if source.kind == "challenge" else "challenge"
        query = analyze(
            " ".join([source.title, source.summary, source.description]), synonyms=self.synonyms
        )
        text = self.indices[target_kind].text_scores(query)
        suggestions = []
        for doc_id in self.indices[target_kind].documents:
            if doc_id in exclude:
                continue
            text_score = sum(text.get(doc_id, {}).values())
            reasons = [Reason("text", text_score)] if text_score else []
            if not text_only:
                reasons.extend(self._structured(source, self.profiles[doc_id]))
            total = sum(r.score for r in reasons)
            if total > 0:
                suggestions.append(Suggestion(doc_id, total, reasons))
        suggestions.sort(key=lambda s: (-s.score, s.doc_id))
        return suggestions[:limit]

    def _structured(self, source: Profile, target: Profile) -> list[Reason]:
        challenge, solution = (source, target) if source.kind == "challenge" else (target, source)
        reasons = []
        shared_fields = set(challenge.fields) & set(solution.fields)
        if shared_fields:
            reasons.append(
                Reason("same_field", CLAUSES["same_field"], ", ".join(sorted(shared_fields)))
            )
        shared_tech = {canonical_term(t) for t in challenge.technologies} & {
            canonical_term(t) for t in solution.technologies
        }
        if shared_tech:
            reasons.append(
                Reason(
                    "shared_technology",
                    CLAUSES["shared_technology"] * min(len(shared_tech), 3),
                    ", ".join(sorted(shared_tech)),
                )
            )
        places = set(challenge.municipalities) & set(solution.municipalities)
        if places:
            reasons.append(
                Reason("same_municipality", CLAUSES["same_municipality"], ", ".join(sorted(places)))
            )
        if solution.stage and solution.stage in STAGE_FIT.get(challenge.stage, set()):
            reasons.append(Reason("stage_fit", CLAUSES["stage_fit"]))
        return reasons
