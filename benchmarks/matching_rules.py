"""Rules tried against the hard set's misses: nDCG@5 per direction with one rule changed at a time.

Usage: python benchmarks/matching_rules.py PATH [PATH ...]

The production matcher's clause values are computed once per query (every target scored, as
the matcher scores them, freshness left out since the sets carry no dates), then recombined
with one rule changed; `full` reproduces the production figures. The table in
benchmarks/README.md ("The hard set's misses, one by one") was made with this script. Uses a
throw-away SQLite database for the vector cache; the site's data is never touched.
"""

import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _setup() -> None:
    os.environ.setdefault("VAR_DIR", tempfile.mkdtemp(prefix="forum-rules-"))
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _technology_words(names, canonical_term, word_terms) -> list[set[str]]:
    """Each technology as the set of its canonical words (エッジAI → {エッジ, ai})."""
    return [
        {canonical_term(w) for w in word_terms(name)} | {canonical_term(name)} for name in names
    ]


def _shared_technologies(source: list[set[str]], target: list[set[str]]) -> int:
    """How many of the source's technologies share a word with any of the target's."""
    names = set().union(*target) if target else set()
    return sum(1 for words in source if words & names)


def _query_rows(path):
    """Per direction, per query: the graded items and the clause values of every target."""
    import numpy as np

    from matching.backends.embedded import Matcher
    from matching.evaluation import _transposed, attach_vectors, load_labelled
    from search.analysis import canonical_term, word_terms

    profiles, relevance = load_labelled(path)
    attach_vectors(profiles)
    matcher = Matcher(profiles)
    by_id = {p.id: p for p in profiles}
    words = {p.id: _technology_words(p.technologies, canonical_term, word_terms) for p in profiles}
    centred = {}
    for side in matcher.sides.values():
        centred.update({doc_id: side.vectors[i] for i, doc_id in enumerate(side.ids)})
    by_kind = _centred_by_language_and_kind(profiles)
    hubness = _hubness(matcher)
    rows = {}
    for direction, table in (("c2s", relevance), ("s2c", _transposed(relevance))):
        rows[direction] = []
        for query_id, grades in table.items():
            query = matcher.query_for(by_id[query_id])
            side = matcher.sides[query.target_kind]
            rows[direction].append(
                {
                    "ids": side.ids,
                    "grades": grades,
                    "sim": side.vectors @ query.vector,
                    "bm25": side.index.score_pairs(list(query.terms)),
                    "field": side.any_of("fields", query.fields).astype(float),
                    "tech": side.count_of("technologies", query.technologies),
                    "tech_words": np.array(
                        [_shared_technologies(words[query_id], words[t]) for t in side.ids],
                        dtype=float,
                    ),
                    "centred": (centred[query_id], [centred[t] for t in side.ids]),
                    "sim_by_kind": np.stack([by_kind[t] for t in side.ids]) @ by_kind[query_id],
                    "hubness": hubness[query.target_kind],
                    "raw": (by_id[query_id].vector, [by_id[t].vector for t in side.ids]),
                    "language": (by_id[query_id].language, [by_id[t].language for t in side.ids]),
                }
            )
    return rows, matcher


def _centred_by_language_and_kind(profiles) -> dict:
    """Each vector less the mean of its language and kind (challenge or solution)."""
    import numpy as np

    from search.vectors import centred_rows, centroids_estimate

    groups: dict = {}
    for p in profiles:
        groups.setdefault(f"{p.language}/{p.kind}", []).append(p.vector)
    centroids = centroids_estimate({k: np.stack(v) for k, v in groups.items()})
    rows = centred_rows(
        np.stack([p.vector for p in profiles]).astype(np.float32),
        [f"{p.language}/{p.kind}" for p in profiles],
        centroids,
    )
    return {p.id: row for p, row in zip(profiles, rows, strict=True)}


def _hubness(matcher, nearest: int = 5) -> dict:
    """Per kind, each document's mean similarity to its nearest documents of the other kind."""
    import numpy as np

    challenges = matcher.sides["challenge"].vectors
    solutions = matcher.sides["solution"].vectors
    similarity = challenges @ solutions.T
    return {
        "solution": np.sort(similarity, axis=0)[::-1][:nearest].mean(axis=0),
        "challenge": np.sort(similarity, axis=1)[:, ::-1][:, :nearest].mean(axis=1),
    }


def _total(
    row, *, text=0.05, saturation=10.0, field=0.05, technology=0.015, tech_key="tech", sim=None
):
    sim = row["sim"] if sim is None else sim
    bm25 = row["bm25"]
    return (
        (1 + sim)
        + text * bm25 / (bm25 + saturation)
        + field * row["field"]
        + technology * row[tech_key]
    )


def _ndcg(rows, rule) -> dict[str, float]:
    import numpy as np

    from matching.evaluation import ndcg_at

    result = {}
    for direction, queries in rows.items():
        scores = []
        for row in queries:
            order = np.argsort(-rule(row), kind="stable")[:10]
            scores.append(ndcg_at([row["ids"][i] for i in order], row["grades"]))
        result[direction] = round(float(np.mean(scores)), 4)
    return result


def _rules(matcher) -> dict:
    import numpy as np

    def shifted(alpha):
        def rule(row):
            centroids = matcher.centroids
            q, targets = row["raw"]
            lang, langs = row["language"]
            qv = q - alpha * centroids.get(lang, centroids[""])
            tv = np.stack(targets) - alpha * np.stack(
                [centroids.get(x, centroids[""]) for x in langs]
            )
            qv, tv = qv / np.linalg.norm(qv), tv / np.linalg.norm(tv, axis=1, keepdims=True)
            return _total(row, sim=tv @ qv)

        return rule

    def mixed_raw(row):
        q, targets = row["raw"]
        return _total(row, sim=row["sim"] + 0.5 * (np.stack(targets) @ q))

    def feedback(row):
        q, targets = row["centred"]
        targets = np.stack(targets)
        nearest = targets[np.argmax(row["sim"])]
        expanded = q + 0.2 * nearest
        return _total(row, sim=targets @ (expanded / np.linalg.norm(expanded)))

    return {
        "full": _total,
        "text_weight_0.1": lambda r: _total(r, text=0.1),
        "text_weight_0.2": lambda r: _total(r, text=0.2),
        "text_saturation_5": lambda r: _total(r, saturation=5.0),
        "text_saturation_20": lambda r: _total(r, saturation=20.0),
        "same_field_0.1": lambda r: _total(r, field=0.1),
        "shared_technology_0.03": lambda r: _total(r, technology=0.03),
        "technology_by_words": lambda r: _total(r, tech_key="tech_words"),
        "centring_by_language_and_kind": lambda r: _total(r, sim=r["sim_by_kind"]),
        "hub_penalty_csls_5_half": lambda r: _total(r, sim=r["sim"] - 0.5 * r["hubness"]),
        "raw_cosine_mixed_half": mixed_raw,
        "vector_feedback_nearest_0.2": feedback,
        "centroid_x0.9": shifted(0.9),
        "centroid_x1.1": shifted(1.1),
    }


def main() -> None:
    paths = sys.argv[1:]
    if not paths:
        raise SystemExit(__doc__)
    _setup()
    for path in paths:
        rows, matcher = _query_rows(path)
        for name, rule in _rules(matcher).items():
            print(json.dumps({"set": Path(path).name, "rule": name, **_ndcg(rows, rule)}))


if __name__ == "__main__":
    main()
