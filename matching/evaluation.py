"""Measuring matching on labelled data: nDCG@5, P@3 and MRR in both directions.

The labelled set is loaded into its own throw-away matcher; the site's data is never touched.
"""

import json
import math
from pathlib import Path

from matching.engine import Matcher, Profile

RELEVANT = 2  # grades 2 and 3 count as a good match for P@3 and MRR


def load_labelled(path: str | Path) -> tuple[list[Profile], dict[str, dict[str, int]]]:
    """Profiles and graded relevance (challenge id → solution id → grade) of a labelled file."""
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
            description=s.get("description", ""),
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
    keys = ("ndcg@5", "p@3", "mrr")
    return {key: round(sum(r[key] for r in rows) / len(rows), 4) if rows else 0.0 for key in keys}


def evaluate(path: str | Path, *, text_only: bool = False) -> dict:
    """Scores of both directions over the queries that have graded items."""
    profiles, relevance = load_labelled(path)
    matcher = Matcher(profiles, synonyms=not text_only)
    by_id = {p.id: p for p in profiles}
    transposed: dict[str, dict[str, int]] = {}
    for challenge_id, grades in relevance.items():
        for solution_id, grade in grades.items():
            transposed.setdefault(solution_id, {})[challenge_id] = grade
    result = {}
    for direction, table in (
        ("challenge_to_solutions", relevance),
        ("solution_to_challenges", transposed),
    ):
        rows = []
        for query_id, grades in table.items():
            if not grades or query_id not in by_id:
                continue
            ranked = [
                s.doc_id for s in matcher.suggest(by_id[query_id], limit=10, text_only=text_only)
            ]
            rows.append(
                {
                    "ndcg@5": ndcg_at(ranked, grades),
                    "p@3": precision_at(ranked, grades),
                    "mrr": reciprocal_rank(ranked, grades),
                }
            )
        result[direction] = _average(rows)
    return result
