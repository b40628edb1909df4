"""Speed and memory of the embedded matcher: builds, suggestion latency, shared snapshot.

Usage: python benchmarks/matching.py --solutions 10000 --challenges 2000 [--queries 200]
       [--distinct-texts N] [--readers 2] [--json benchmarks/results/matching.json]

Generates profiles whose texts mix Japanese and English domain words, stores them as the
site does (index entries and their sentence vectors in a throw-away SQLite database), then
times what the processes of a web server do:

- the first build: analyse every entry (the search snapshot), build the matcher and write
  its version of the shared snapshot (matching/backends/shared/);
- the build of the next version after one solution changed, in a fresh process (it takes
  over the stored term counts and analyses only that entry), and in the process that built
  the first (it still holds its term counts);
- ``--readers`` fresh processes that map the version, each answering suggestions in both
  directions (p50/p95, limit 10) and then, while all of them are alive, their memory read from
  /proc/<pid>/smaps_rollup (Rss, Pss: shared pages divided among the processes that map them,
  Private); and one process that builds the matcher in its own memory instead, for comparison.

Vectors are random unit vectors here, since their values do not change the cost; the cost of
the model and of the morphological analysis per document are measured separately on samples
of generated texts. ``--distinct-texts N`` draws each field's text from N generated texts
(the analyser remembers the last 4,096 texts it read), which keeps a first build of 100,000
entries within minutes; every entry still has its own postings and vector. Prints one JSON
object and, with ``--json``, writes it with the machine's load average.
"""

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from common import percentile  # noqa: E402

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


class Texts:
    """Generated texts of a field: each new, or drawn from a pool of `distinct` texts."""

    def __init__(self, rng: random.Random, length: int, distinct: int):
        self.rng, self.length = rng, length
        self.pool = [text(rng, length) for _ in range(distinct)] if distinct else []

    def __call__(self) -> str:
        return self.rng.choice(self.pool) if self.pool else text(self.rng, self.length)


def entries(rng: random.Random, kind: str, count: int, dims: int, distinct: int = 0):
    """Index entries and vectors as the site stores them."""
    import numpy as np

    from search.backends.embedded import index_version_bump
    from search.models import DocumentVector, IndexedDocument
    from search.vectors import to_bytes, vector_key

    titles, summaries, descriptions = (Texts(rng, n, distinct) for n in (6, 20, 60))
    normal = np.random.default_rng(rng.randrange(2**32)).standard_normal((count, dims))
    units = (normal / np.linalg.norm(normal, axis=1, keepdims=True)).astype(np.float32)
    rows, vectors = [], []
    for number in range(count):
        title, summary, description = titles(), summaries(), descriptions()
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
        if len(rows) == 5000:
            IndexedDocument.objects.bulk_create(rows, batch_size=2000)
            DocumentVector.objects.bulk_create(vectors, batch_size=2000)
            rows, vectors = [], []
    IndexedDocument.objects.bulk_create(rows, batch_size=2000)
    DocumentVector.objects.bulk_create(vectors, batch_size=2000)
    index_version_bump()


def current_rss_mb() -> float:
    """Resident memory of this process now (Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def memory_of(pid: int | str) -> dict[str, float]:
    """Rss, Pss, Shared and Private megabytes of a process, from /proc/<pid>/smaps_rollup."""
    values = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, _, rest = line.partition(":")
        values[name] = int(rest.split()[0]) / 1024
    return {
        "rss_mb": round(values["Rss"], 1),
        "pss_mb": round(values["Pss"], 1),
        "shared_mb": round(values["Shared_Clean"] + values["Shared_Dirty"], 1),
        "private_mb": round(values["Private_Clean"] + values["Private_Dirty"], 1),
    }


def embedding_cost(rng: random.Random, sample: int) -> float | None:
    """Seconds per document for the real model on generated texts (None without the model)."""
    from search.vectors import VectorsUnavailable, encode

    if not sample:
        return None
    texts = [f"{text(rng, 6)}\n{text(rng, 20)}\n{text(rng, 60)}" for _ in range(sample)]
    try:
        encode(texts[:1])  # load the model outside the timing
        started = time.perf_counter()
        encode(texts)
    except VectorsUnavailable:
        return None
    return round((time.perf_counter() - started) / sample, 3)


def analysis_cost(rng: random.Random, sample: int) -> float:
    """Seconds per document to analyse new texts (bigrams and whole words of three fields)."""
    from search.analysis import analyze_fields

    documents = [
        {"title": text(rng, 6), "summary": text(rng, 20), "description": text(rng, 60)}
        for _ in range(sample)
    ]
    analyze_fields(documents[0])  # load the dictionary outside the timing
    started = time.perf_counter()
    for document in documents[1:]:
        analyze_fields(document)
    return round((time.perf_counter() - started) / max(1, sample - 1), 4)


def latency(matcher, queries: int) -> dict:
    """p50 and p95 of suggestions (limit 10) from the first `queries` documents of each kind."""
    result = {}
    for direction, kind in (
        ("challenge_to_solutions", "challenge"),
        ("solution_to_challenges", "solution"),
    ):
        ids = matcher.sides[kind].ids
        sources = [matcher.profiles[ids[i]] for i in range(min(queries, len(ids)))]
        timings = []
        for source in sources:
            started = time.perf_counter()
            matcher.suggest(source, limit=10)
            timings.append((time.perf_counter() - started) * 1000)
        result[direction] = {
            "p50_ms": round(statistics.median(timings), 1),
            "p95_ms": round(percentile(timings, 0.95), 1),
        }
    return result


def setup(workdir: str) -> None:
    os.environ["VAR_DIR"] = workdir
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("MATCHING_SNAPSHOT_DIR", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()


def reader(workdir: str, queries: int) -> None:
    """A web process: take the matcher (mapped, or built in memory when the shared snapshot is
    off), answer suggestions, report, and stay alive until the parent has read its memory."""
    setup(workdir)
    from matching.backends.embedded import site_matcher
    from matching.backends.shared import MappedSide

    started = time.perf_counter()
    matcher, _ = site_matcher()
    taken = time.perf_counter() - started
    report = {
        "pid": os.getpid(),
        "mapped": isinstance(matcher.sides["solution"], MappedSide),
        "seconds_to_take_the_matcher": round(taken, 2),
        # The first pass reads the source and target texts unless the site's cache has them
        # (matching/analysis_cache.py); the second is what the process answers afterwards.
        "latency_first_pass": latency(matcher, queries),
        "latency": latency(matcher, queries),
    }
    print(json.dumps(report), flush=True)
    sys.stdin.readline()


def readers(workdir: str, count: int, queries: int, *, shared: bool = True) -> list[dict]:
    """Start `count` reader processes; once all have answered, read their memory together."""
    env = {**os.environ, "MATCHING_SHARED_SNAPSHOT": "1" if shared else "0"}
    processes = [
        subprocess.Popen(
            [sys.executable, __file__, "--reader", workdir, "--queries", str(queries)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(count)
    ]
    reports = [json.loads(process.stdout.readline()) for process in processes]
    for report in reports:
        report["memory"] = memory_of(report["pid"])
    for process in processes:
        process.stdin.close()
        process.wait(timeout=60)
    return reports


def change_one_solution() -> None:
    """What a web process meets after one document changed: a new version token."""
    from search.backends.embedded import index_version_bump
    from search.models import IndexedDocument

    changed = IndexedDocument.objects.filter(doc_type="solution").first()
    changed.title = f"{changed.title} 改訂"
    changed.content_hash = f"changed-{time.time()}"
    changed.save()
    index_version_bump()


BUILD_IN_A_FRESH_PROCESS = """
import json, os, sys, time
sys.path.insert(0, {root!r})
os.environ["VAR_DIR"] = {workdir!r}
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
import django
django.setup()
from matching.backends.embedded import site_matcher
started = time.perf_counter()
site_matcher()
print(json.dumps({{"seconds": round(time.perf_counter() - started, 2)}}))
"""


def build_in_a_fresh_process(workdir: str) -> float:
    """Seconds a process that never analysed anything takes to build the current version."""
    script = BUILD_IN_A_FRESH_PROCESS.format(
        root=str(Path(__file__).resolve().parent.parent), workdir=workdir
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])["seconds"]


def snapshot_size_mb() -> float:
    from matching.backends.shared import snapshot_root

    versions = [p for p in snapshot_root().iterdir() if p.is_dir() and p.name.startswith("v")]
    newest = max(versions, key=lambda p: p.stat().st_mtime)
    return round(sum(f.stat().st_size for f in newest.iterdir()) / 2**20, 1)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--solutions", type=int, default=10_000)
    parser.add_argument("--challenges", type=int, default=2_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--embedding-sample", type=int, default=20)
    parser.add_argument("--analysis-sample", type=int, default=30)
    parser.add_argument("--distinct-texts", type=int, default=0, help="0: every text new")
    parser.add_argument("--readers", type=int, default=2)
    parser.add_argument("--json", default="-", help="append the record to this file ('-': none)")
    parser.add_argument("--reader", metavar="WORKDIR", help=argparse.SUPPRESS)
    return parser.parse_args()


def measure(args, workdir: str) -> dict:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from matching.backends.embedded import site_matcher
    from search.backends.embedded import current_snapshot
    from search.services import vector_centroids_refresh
    from search.vectors import DIMENSIONS

    rng = random.Random(2026)
    entries(rng, "solution", args.solutions, DIMENSIONS, args.distinct_texts)
    entries(rng, "challenge", args.challenges, DIMENSIONS, args.distinct_texts)
    vector_centroids_refresh()

    before = current_rss_mb()
    started = time.perf_counter()
    current_snapshot()
    analysed = time.perf_counter() - started
    started = time.perf_counter()
    site_matcher()
    written = time.perf_counter() - started
    builder_rss = round(current_rss_mb() - before, 1)

    change_one_solution()
    fresh = build_in_a_fresh_process(workdir)
    change_one_solution()
    started = time.perf_counter()
    site_matcher()
    rebuild = time.perf_counter() - started
    return {
        "solutions": args.solutions,
        "challenges": args.challenges,
        "distinct_texts_per_field": args.distinct_texts or None,
        "first_build_seconds": {
            "analyse_and_search_snapshot": round(analysed, 2),
            "matcher_and_shared_version": round(written, 2),
        },
        "next_version_seconds_fresh_process_after_one_change": fresh,
        "next_version_seconds_same_process_after_one_change": round(rebuild, 2),
        "shared_version_mb_on_disk": snapshot_size_mb(),
        "builder_rss_growth_mb": builder_rss,
        "readers_sharing_the_version": readers(workdir, args.readers, args.queries),
        "reader_with_its_own_matcher": readers(workdir, 1, args.queries, shared=False)[0],
        "analysis_seconds_per_new_document": analysis_cost(rng, args.analysis_sample),
        "embedding_seconds_per_document": embedding_cost(rng, args.embedding_sample),
    }


def main() -> None:
    args = parse_args()
    if args.reader:
        reader(args.reader, args.queries)
        return
    workdir = tempfile.mkdtemp(prefix="forum-benchmark-")
    load_before = os.getloadavg()
    setup(workdir)
    record = measure(args, workdir)
    from common import machine

    record["machine"] = machine(load_before)
    record["date"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    print(json.dumps(record, ensure_ascii=False))
    if args.json != "-":
        path = Path(args.json)
        path.parent.mkdir(parents=True, exist_ok=True)
        runs = json.loads(path.read_text()) if path.exists() else []
        path.write_text(json.dumps([*runs, record], ensure_ascii=False, indent=2) + "\n")
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
