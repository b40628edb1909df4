"""Speed of the embedded matcher: build time and suggestion latency per direction.

Usage: python benchmarks/matching.py --solutions 10000 --challenges 2000 [--queries 200]
Prints one JSON object. Generated texts mix Japanese and English domain words so that
postings have realistic lengths; no database is involved.
"""

import argparse
import json
import random
import resource
import statistics
import sys
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


def profiles(rng: random.Random, kind: str, count: int):
    from matching.engine import Profile

    for number in range(count):
        yield Profile(
            id=f"{kind}:{number}",
            kind=kind,
            title=text(rng, 6),
            summary=text(rng, 20),
            description=text(rng, 60),
            fields=rng.sample(FIELDS, 1 if kind == "challenge" else 2),
            technologies=rng.sample(TECHS, 2),
            stage=rng.choice(
                ["poc", "implementation"]
                if kind == "challenge"
                else ["concept", "poc_ready", "in_service"]
            ),
        )


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--solutions", type=int, default=10_000)
    parser.add_argument("--challenges", type=int, default=2_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()

    from matching.engine import Matcher

    rng = random.Random(2026)
    items = [
        *profiles(rng, "solution", args.solutions),
        *profiles(rng, "challenge", args.challenges),
    ]
    start = time.perf_counter()
    matcher = Matcher(items)
    build = time.perf_counter() - start
    latency = {}
    for direction, kind in (
        ("challenge_to_solutions", "challenge"),
        ("solution_to_challenges", "solution"),
    ):
        sources = [p for p in items if p.kind == kind][: args.queries]
        timings = []
        for source in sources:
            started = time.perf_counter()
            matcher.suggest(source, limit=10)
            timings.append((time.perf_counter() - started) * 1000)
        latency[direction] = {
            "p50_ms": round(statistics.median(timings), 1),
            "p95_ms": round(percentile(timings, 0.95), 1),
        }
    print(
        json.dumps(
            {
                "solutions": args.solutions,
                "challenges": args.challenges,
                "build_seconds": round(build, 2),
                "latency": latency,
                "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                "embedding_seconds_per_document": None,
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
