"""Measuring matching on labelled data: nDCG@5, P@3 and MRR in both directions.

The labelled set is loaded into its own throw-away index (an in-process matcher, or a
temporary Elasticsearch index) and queried with the production matching code; the site's
documents and index are never touched. Vectors of the labelled texts are computed like any
other (and kept by the hash of their text, so a second run is quick).
"""

import json
import math
from pathlib import Path

from matching.backends.elasticsearch import throwaway_matcher
from matching.backends.embedded import Matcher
from matching.query import Profile
from search.analysis import detect_language
from search.services import vectors_for_texts
from search.vectors import embedding_text, vector_key

RELEVANT = 2  # grades 2 and 3 count as a good match for P@3 and MRR


def load_labelled(path: str | Path) -> tuple[list[Profile], dict[str, dict[str, int]]]:
    """Profiles and graded relevance (challenge id → solution id → grade) of a labelled file.

    A solution's track record joins its description, as on the site's index documents.
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    profiles = [
        Profile(
            id=c["id"],
            kind="challenge",
            title=c["title"],
            summary=c.get("summary", ""),
            description=c.get("description", ""),
            fields=[c["field"]] if c.get("field") else [],
            technologies=c.get("technologies", []),
            municipalities=[c["municipality"]] if c.get("municipality") else [],
            stage=c.get("desired_stage", ""),
        )
        for c in data["challenges"]
    ]
    profiles += [
        Profile(
            id=s["id"],
            kind="solution",
            title=s["title"],
            summary=s.get("summary", ""),
            description="\n".join(
                part for part in (s.get("description", ""), s.get("track_record", "")) if part
            ),
            fields=s.get("fields", []),
            technologies=s.get("technologies", []),
            municipalities=s.get("municipalities", []),
            stage=s.get("stage", ""),
        )
        for s in data["solutions"]
    ]
    return profiles, data["relevance"]


def ndcg_at(ranked: list[str], grades: dict[str, int], k: int = 5) -> float:
    """Normalised DCG with gain 2^g − 1 and a log2 discount."""

    def dcg(values: list[int]) -> float:
        return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(values[:k]))

    ideal = dcg(sorted(grades.values(), reverse=True))
    return dcg([grades.get(doc, 0) for doc in ranked]) / ideal if ideal else 0.0


def precision_at(ranked: list[str], grades: dict[str, int], k: int = 3) -> float:
    """Share of the top k with grade 2 or more."""
    return sum(1 for doc in ranked[:k] if grades.get(doc, 0) >= RELEVANT) / k


def reciprocal_rank(ranked: list[str], grades: dict[str, int]) -> float:
    """1 / rank of the first result with grade 2 or more."""
    for position, doc in enumerate(ranked, start=1):
        if grades.get(doc, 0) >= RELEVANT:
            return 1 / position
    return 0.0


def _average(rows: list[dict[str, float]]) -> dict[str, float]:
    """Means over the queries; MRR also over the queries that have an item of grade ≥ 2.

    A query whose items are all of grade 1 has a reciprocal rank of 0 whatever the ranking
    (there is nothing to find at grade 2 or more), so ``mrr`` has a ceiling below 1 on a set
    with such queries; ``mrr_answerable`` leaves them out, as trec_eval leaves out queries
    without a relevant document. ``unanswerable`` says how many there were.
    """
    keys = ("ndcg@5", "p@3", "mrr")
    result = {key: round(sum(r[key] for r in rows) / len(rows), 4) if rows else 0.0 for key in keys}
    answerable = [r["mrr"] for r in rows if r["answerable"]]
    result["mrr_answerable"] = round(sum(answerable) / len(answerable), 4) if answerable else 0.0
    result["unanswerable"] = len(rows) - len(answerable)
    return result


def attach_vectors(profiles: list[Profile], *, progress=None) -> int:
    """Give each profile its language and sentence vector; returns how many got a vector."""
    texts = {}
    for profile in profiles:
        text = embedding_text(profile.title, profile.summary, profile.description)
        profile.language = detect_language(text)
        texts[profile.id] = text
    vectors = vectors_for_texts(list(texts.values()), progress=progress)
    attached = 0
    for profile in profiles:
        vector = vectors.get(vector_key(texts[profile.id]))
        if vector is not None:
            profile.vector = vector
            attached += 1
    return attached


def _transposed(relevance: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = {}
    for challenge_id, grades in relevance.items():
        for solution_id, grade in grades.items():
            table.setdefault(solution_id, {})[challenge_id] = grade
    return table


def score_rankings(rank, profiles: list[Profile], relevance) -> dict:
    """Average the metrics of `rank(profile) -> [doc ids]` over queries with graded items."""
    by_id = {p.id: p for p in profiles}
    result = {}
    for direction, table in (
        ("challenge_to_solutions", relevance),
        ("solution_to_challenges", _transposed(relevance)),
    ):
        rows = []
        for query_id, grades in table.items():
            if not grades or query_id not in by_id:
                continue
            ranked = rank(by_id[query_id])
            rows.append(
                {
                    "ndcg@5": ndcg_at(ranked, grades),
                    "p@3": precision_at(ranked, grades),
                    "mrr": reciprocal_rank(ranked, grades),
                    "answerable": max(grades.values()) >= RELEVANT,
                }
            )
        result[direction] = _average(rows)
    return result


def evaluate(
    path: str | Path, *, text_only: bool = False, backend: str = "local", progress=None
) -> dict:
    """Scores of both directions over the queries that have graded items."""
    profiles, relevance = load_labelled(path)
    if not text_only:
        attach_vectors(profiles, progress=progress)

    def ranked(matcher) -> dict:
        return score_rankings(
            lambda p: [s.doc_id for s in matcher.suggest(p, limit=10, text_only=text_only)],
            profiles,
            relevance,
        )

    if backend == "elasticsearch":
        with throwaway_matcher(profiles, text_only=text_only) as matcher:
            return ranked(matcher)
    return ranked(Matcher(profiles, synonyms=not text_only))


# --- Reasons read as words ----------------------------------------------------------------------

WORDED_CLAUSES = ("text", "same_field", "shared_technology", "same_municipality")


def reason_words(profiles: list[Profile], *, limit: int = 10) -> dict:
    """Over every suggestion of every profile: shared phrases that are not whole words of the
    analyser nor glossary terms, and reasons whose label names nothing."""
    from matching.explain import non_word_phrases

    matcher = Matcher(profiles)
    by_id = {p.id: p for p in profiles}
    counts = {"suggestions": 0, "phrases": 0, "non_word_phrases": [], "empty_labels": []}
    for profile in profiles:
        for suggestion in matcher.suggest(profile, limit=limit):
            counts["suggestions"] += 1
            target = by_id[suggestion.doc_id]
            text = f"{target.title}\n{target.summary}\n{target.description}"
            counts["phrases"] += len(suggestion.phrases)
            counts["non_word_phrases"] += non_word_phrases(text, suggestion.phrases)
            counts["empty_labels"] += [
                f"{profile.id} → {suggestion.doc_id}: {reason.clause}"
                for reason in suggestion.reasons
                if reason.clause in WORDED_CLAUSES and not reason.detail.strip()
            ]
    return counts
