"""Speed of the embedded matcher: building from stored data, and suggestion latency.

Usage: python benchmarks/matching.py --solutions 10000 --challenges 2000 [--queries 200]

Generates profiles whose texts mix Japanese and English domain words, stores them as the
site does (index entries and their sentence vectors in a throw-away SQLite database), then
times what a web process does: load the snapshot and build the matcher from stored data,
and answer suggestions in both directions. Vectors are random unit vectors here, since their
values do not change the cost; the model's own cost per document is measured separately on
a sample of real texts. Prints one JSON object.
"""

import argparse
import json
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WORDS = [
    "見守り",
    "高齢者",
    "ドローン",
    "点検",
    "橋",
    "道路",
    "水位",
    "センサー",
    "防災",
    "避難",
    "子育て",
    "保育所",
    "健診",
    "観光",
    "交通",
    "自動運転",
    "アプリ",
    "決済",
    "データ",
    "分析",
    "AI",
    "IoT",
    "クラウド",
    "予約",
    "相談",
    "窓口",
    "申請",
    "住民",
    "地域",
    "学校",
    "病院",
    "drone",
    "sensor",
    "monitoring",
    "elderly",
    "tourism",
    "mobility",
    "app",
    "cloud",
    "analytics",
    "platform",
]
FIELDS = ["health", "childcare", "safety", "mobility", "government", "infrastructure", "industry"]
TECHS = ["AI", "IoT", "ドローン", "センサー", "クラウド", "アプリ", "ビッグデータ", "5G"]


def text(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(WORDS) + ("、" if rng.random() < 0.2 else "") for _ in range(n))


def entries(rng: random.Random, kind: str, count: int, dims: int):
    """Index entries and vectors as the site stores them."""
    import numpy as np

    from search.backends.embedded import index_version_bump
    from search.models import DocumentVector, IndexedDocument
    from search.vectors import to_bytes, vector_key

    normal = np.random.default_rng(rng.randrange(2**32)).standard_normal((count, dims))
    units = (normal / np.linalg.norm(normal, axis=1, keepdims=True)).astype(np.float32)
    rows, vectors = [], []
    for number in range(count):
        title, summary, description = text(rng, 6), text(rng, 20), text(rng, 60)
        key = vector_key(f"{kind}{number}{title}")
        rows.append(
            IndexedDocument(
                doc_type=kind,
                object_id=number + 1,
                title=title,
                summary=summary,
                description=description,
                fields=rng.sample(FIELDS, 1 if kind == "challenge" else 2),
                technologies=rng.sample(TECHS, 2),
                municipalities=[f"27{rng.randrange(1000, 9999)}"],
                stage=rng.choice(
                    ["poc", "implementation"]
                    if kind == "challenge"
                    else ["concept", "poc_ready", "in_service"]
                ),
                status="open" if kind == "challenge" else "",
                language="en" if rng.random() < 0.15 else "ja",
                vector_key=key,
                content_hash=key,
            )
        )
        vectors.append(DocumentVector(key=key, model="benchmark", vector=to_bytes(units[number])))
    IndexedDocument.objects.bulk_create(rows, batch_size=2000)
    DocumentVector.objects.bulk_create(vectors, batch_size=2000)
    index_version_bump()


def current_rss_mb() -> float:
    """Resident memory of this process now (Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def embedding_cost(rng: random.Random, sample: int) -> float | None:
    """Seconds per document for the real model on generated texts (None without the model)."""
    from search.vectors import VectorsUnavailable, encode

    texts = [f"{text(rng, 6)}\n{text(rng, 20)}\n{text(rng, 60)}" for _ in range(sample)]
    try:
        encode(texts[:1])  # load the model outside the timing
        started = time.perf_counter()
        encode(texts)
    except VectorsUnavailable:
        return None
    return round((time.perf_counter() - started) / sample, 3)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--solutions", type=int, default=10_000)
    parser.add_argument("--challenges", type=int, default=2_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--embedding-sample", type=int, default=20)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix="forum-benchmark-")
    os.environ["VAR_DIR"] = workdir
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from matching.backends.embedded import site_matcher
    from search.services import vector_centroids_refresh
    from search.vectors import DIMENSIONS

    rng = random.Random(2026)
    entries(rng, "solution", args.solutions, DIMENSIONS)
    entries(rng, "challenge", args.challenges, DIMENSIONS)
    vector_centroids_refresh()

    before = current_rss_mb()
    start = time.perf_counter()
    matcher, _ = site_matcher()
    build = time.perf_counter() - start
    snapshot_mb = round(current_rss_mb() - before, 1)

    # What a web process pays after one document changed: only that one is analysed again.
    from search.backends.embedded import index_version_bump
    from search.models import IndexedDocument

    changed = IndexedDocument.objects.filter(doc_type="solution").first()
    changed.title = f"{changed.title} 改訂"
    changed.content_hash = "changed"
    changed.save()
    index_version_bump()
    start = time.perf_counter()
    matcher, _ = site_matcher()
    rebuild = time.perf_counter() - start
    latency = {}
    for direction, kind in (
        ("challenge_to_solutions", "challenge"),
        ("solution_to_challenges", "solution"),
    ):
        sources = [p for p in matcher.profiles.values() if p.kind == kind][: args.queries]
        timings = []
        for source in sources:
            started = time.perf_counter()
            matcher.suggest(source, limit=10)
            timings.append((time.perf_counter() - started) * 1000)
        latency[direction] = {
            "p50_ms": round(statistics.median(timings), 1),
            "p95_ms": round(percentile(timings, 0.95), 1),
        }
    peak = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(
        json.dumps(
            {
                "solutions": args.solutions,
                "challenges": args.challenges,
                "build_seconds_from_stored_data": round(build, 2),
                "rebuild_seconds_after_one_change": round(rebuild, 2),
                "latency": latency,
                "peak_rss_mb": peak,
                "snapshot_rss_mb": snapshot_mb,
                "embedding_seconds_per_document": embedding_cost(rng, args.embedding_sample),
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
