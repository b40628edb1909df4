"""Page throughput at the size of a whole prefecture: 2,000 challenges and 10,000 solutions.

Usage: .venv/bin/python benchmarks/pages.py [--seconds 5] [--rounds 3] [--clients 2]
       .venv/bin/python benchmarks/pages.py --reuse --database NAME --search-only

Builds a throw-away PostgreSQL database (``bench_pages``) with the project's own commands
(``migrate``, ``setup_site --demo``, ``collectstatic``), adds the scaled data set of
``benchmarks/pages_data.py`` (2,000 challenges, 10,000 solutions, 200 organisations, 5,000
projects with 50,000 stage changes, texts from the source documents and the glossary), times
``rebuild_index --vectors-later`` over an empty index and ``rebuild_index --changed`` after one
edit (wall and CPU time), then serves it with gunicorn (2 sync workers,
``config.settings.production``, Redis as the cache, no broker).

Each page is measured as a ratio to a trivial Django view of the same server (the sign-in
redirect ``/_util/login/``, which runs the whole middleware stack and no query): per round,
the trivial view first, then every page, ``--clients`` concurrent clients for ``--seconds``
each. Three rounds; the table gives per page the median and minimum requests per second over
the rounds, the ratio of the median to the trivial view's median, the 95th percentile of
all latencies and the first request after the server started (its master builds the search
snapshot and the matcher before the workers start, config/gunicorn.py). Public pages are
measured twice: as visitors get them (from the page cache after the first) and built afresh
(a pending-messages cookie keeps the cache out). The machine's load average is recorded before and
after: on a shared machine, compare ratios rather than absolute figures.

After the server stops, the uncached pages are requested again in one process with the same
settings, 20 times each: the median CPU time and the number of queries per request, which the
machine's load changes far less than throughput. ``--search-only`` measures only the search
pages and the challenge list they are compared with.

Writes ``benchmarks/results/pages.json`` (``--json``): one record per page with ``path``,
``rps_median``, ``ratio_to_trivial`` and ``p95_ms``, plus the data sizes, load averages and the
per-request CPU times and queries; a ``--search-only`` run is written under ``search_only``
beside the last full run.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import resource
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote, urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    free_port,
    get,
    git_commit,
    hammer,
    machine,
    percentile,
    production_env,
    wait_until,
)
from common import manage as run_manage  # noqa: E402
from stack import database_recreate  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
DEFAULT_JSON = ROOT / "benchmarks" / "results" / "pages.json"
TRIVIAL = "/_util/login/"
UNCACHED = {"Cookie": "messages=benchmark"}

LOGIN_SCRIPT = """
import json
from django.conf import settings
from django.test import Client
from forum.models import User
from forum.services.api_tokens import api_token_create
user = User.objects.get(email="member@naniwa.example.jp")
client = Client()
client.force_login(user)
print(json.dumps({
    "cookie": f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}",
    "token": api_token_create(actor=user, name="pages benchmark")[1],
}))
"""

BUILD_SCRIPT = """
import json, sys
sys.path.insert(0, "benchmarks")
import pages_data
print(json.dumps(pages_data.build()))
"""


class Site:
    """The benchmark's database and gunicorn, with the environment both run in."""

    def __init__(self, admin_url: str, database: str, cache_url: str):
        self.admin_url = admin_url
        self.database = database
        self.cache_url = cache_url
        self.port = free_port()
        self.workdir = Path(tempfile.mkdtemp(prefix="bench-pages-"))
        self.secret = secrets.token_urlsafe(50)
        self.web: subprocess.Popen | None = None

    @property
    def database_url(self) -> str:
        return urlparse(self.admin_url)._replace(path=f"/{self.database}").geturl()

    def env(self) -> dict[str, str]:
        return production_env(
            port=self.port,
            database_url=self.database_url,
            var_dir=str(self.workdir),
            cache_url=self.cache_url,
            DJANGO_SECRET_KEY=self.secret,
        )

    def manage(self, *args: str, timeout: float = 3600) -> str:
        return run_manage(self.env(), *args, timeout=timeout)

    def start(self, workers: int) -> None:
        self.web = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi:application"],
            cwd=ROOT,
            env={
                **self.env(),
                "GUNICORN_BIND": f"127.0.0.1:{self.port}",
                "GUNICORN_WORKERS": str(workers),
                "GUNICORN_TIMEOUT": "120",
            },
            stdout=(self.workdir / "web.log").open("ab"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_until(lambda: get(self.port, TRIVIAL)[0] == 302, "gunicorn", timeout=900)

    def stop(self) -> None:
        if self.web is not None and self.web.poll() is None:
            os.killpg(self.web.pid, 15)
            self.web.wait(timeout=30)


SEARCH_ONLY = {"challenge list", "search", "search, two words", "search, facet"}


def targets(port: int, login: dict, *, search_only: bool = False) -> list[tuple[str, str, dict]]:
    """(name, path, headers) of every page measured, discovered from the running site.

    search_only keeps the search pages and the challenge list they are compared with.
    """
    signed_in = {"Cookie": login["cookie"]}
    api = {"Authorization": f"Bearer {login['token']}"}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/api/v1/challenges/?page_size=50", headers={"Host": "127.0.0.1"})
    challenges = json.loads(conn.getresponse().read())["results"]
    conn.close()
    demo = next(c for c in challenges if get(port, urlparse(c["url"]).path)[0] == 200)
    challenge_path = urlparse(demo["url"]).path
    listing = "/" + challenge_path.strip("/").split("/")[0] + "/"
    anonymous = [
        ("home", "/", {}),
        ("challenge list", listing, {}),
        ("challenge page", challenge_path, {}),
        ("solution directory", "/directory/solutions/", {}),
        ("organisation directory", "/directory/organisations/", {}),
        ("project list", "/projects/", {}),
        ("dashboard", "/dashboard/", {}),
        ("search", "/search/?q=" + quote("ドローン"), {}),
        ("search, two words", "/search/?q=" + quote("防災 センサー"), {}),
        ("search, facet", "/search/?q=" + quote("見守り") + "&type=solution", {}),
    ]
    # The same pages built afresh: a pending-messages cookie keeps the page cache out.
    uncached = [(f"{name} (uncached)", path, UNCACHED) for name, path, _ in anonymous]
    if search_only:
        return [
            *((name, path, h) for name, path, h in anonymous if name in SEARCH_ONLY),
            *(
                (f"{name} (uncached)", path, UNCACHED)
                for name, path, _ in anonymous
                if name in SEARCH_ONLY
            ),
        ]
    return [
        *anonymous,
        *uncached,
        ("member suggestions", "/member/suggestions/for-me/", signed_in),
        ("member home", "/member/", signed_in),
        ("API challenges", "/api/v1/challenges/", {}),
        ("API solutions", "/api/v1/solutions/", api),
    ]


def measure(port: int, pages, *, rounds: int, clients: int, seconds: float) -> list[dict]:
    trivial = ("trivial view", TRIVIAL, {})
    samples = {name: [] for name, _, _ in [trivial, *pages]}
    cold = {}
    for name, path, headers in [trivial, *pages]:
        cold[name] = get(port, path, headers)
    for number in range(1, rounds + 1):
        print(f"round {number}/{rounds}, load {os.getloadavg()[0]:.2f}", flush=True)
        for name, path, headers in [trivial, *pages]:
            samples[name].append(hammer(port, path, headers, clients=clients, seconds=seconds))
    base = statistics.median(run["rps"] for run in samples[trivial[0]])
    records = []
    for name, path, _ in [trivial, *pages]:
        runs = samples[name]
        latencies = [x for run in runs for x in run["latencies"]]
        statuses: dict[str, int] = {}
        for run in runs:
            for status, count in run["statuses"].items():
                statuses[str(status)] = statuses.get(str(status), 0) + count
        rps = [run["rps"] for run in runs]
        records.append(
            {
                "name": name,
                "path": path,
                "rps_median": round(statistics.median(rps), 2),
                "rps_min": round(min(rps), 2),
                "ratio_to_trivial": round(statistics.median(rps) / base, 3),
                "p50_ms": round(percentile(latencies, 0.5) * 1000, 1),
                "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
                "first_request_ms": round(cold[name][1] * 1000, 1),
                "statuses": statuses,
            }
        )
    return records


def print_table(records: list[dict]) -> None:
    print(
        f"\n{'page':24} {'rps med':>8} {'rps min':>8} {'ratio':>6} {'p50 ms':>7} {'p95 ms':>7} {'first ms':>8}"
    )
    for r in records:
        print(
            f"{r['name']:24} {r['rps_median']:8.1f} {r['rps_min']:8.1f} {r['ratio_to_trivial']:6.2f} "
            f"{r['p50_ms']:7.0f} {r['p95_ms']:7.0f} {r['first_request_ms']:8.0f}  {r['statuses']}"
        )


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=5, help="per page and round (default 5)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--clients", type=int, default=2, help="concurrent clients (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers (default 2)")
    parser.add_argument(
        "--admin-url",
        default=os.environ.get(
            "BENCH_ADMIN_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
    )
    parser.add_argument("--database", default="bench_pages")
    parser.add_argument(
        "--cache-url",
        default=os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/7"),
        help="the Redis database the site caches in",
    )
    parser.add_argument(
        "--reuse", action="store_true", help="keep and reuse a database already built"
    )
    parser.add_argument("--keep", action="store_true", help="do not drop the database at the end")
    parser.add_argument(
        "--search-only",
        action="store_true",
        help="measure only the search pages and the challenge list (and the index rebuilds)",
    )
    parser.add_argument(
        "--skip-rebuild", action="store_true", help="do not time rebuild_index (with --reuse)"
    )
    parser.add_argument(
        "--json", default=str(DEFAULT_JSON), help="where to write ('-' for nowhere)"
    )
    return parser.parse_args(argv)


def build(site: Site) -> dict:
    """The site and the scaled data; returns sizes and how long the index rebuilds took."""
    timings = {}
    for label, args in [
        ("migrate", ["migrate", "--no-input", "-v0"]),
        ("demo site", ["setup_site", "--demo"]),
        ("static files", ["collectstatic", "--no-input", "-v0"]),
    ]:
        started = time.monotonic()
        site.manage(*args)
        print(f"  {label}: {time.monotonic() - started:.0f} s", flush=True)
    started = time.monotonic()
    sizes = json.loads(site.manage("shell", "-c", BUILD_SCRIPT).strip().splitlines()[-1])
    timings["scaled_data_s"] = round(time.monotonic() - started, 1)
    print(f"  scaled data: {timings['scaled_data_s']} s {sizes}", flush=True)
    return {"sizes": sizes, "timings": timings}


INDEX_CLEAR = """
from search.backends.embedded import index_version_bump
from search.models import IndexedDocument
IndexedDocument.objects.all().delete()
index_version_bump()
"""

# As autovacuum would after a bulk load: without statistics PostgreSQL plans the directory's
# count over 10,000 solutions as a nested loop of 20 s and more.
ANALYZE = """
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
"""

# One edit as the site's writers make it (the row's edit time moves), with no worker running.
ONE_CHANGE = """
from django.utils import timezone
from forum.models import Challenge
challenge = Challenge.objects.filter(is_published=True).order_by("pk").first()
Challenge.objects.filter(pk=challenge.pk).update(
    title=challenge.title + " 改訂", updated_at=timezone.now()
)
"""


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def rebuild_timings(site: Site) -> dict:
    """rebuild_index --vectors-later over an empty index, then --changed after one change.

    Wall time and the command's CPU time (user + system of the process, which the machine's
    load changes far less than the wall time).
    """
    timings = {}
    for label, script, args in [
        ("rebuild_index_empty_index_s", INDEX_CLEAR, ["--vectors-later"]),
        ("rebuild_index_changed_after_one_change_s", ONE_CHANGE, ["--changed", "--vectors-later"]),
    ]:
        site.manage("shell", "-c", script)
        started, cpu = time.monotonic(), _children_cpu()
        site.manage("rebuild_index", *args)
        timings[label] = round(time.monotonic() - started, 1)
        stem = label.removesuffix("_s")
        timings[f"{stem}_cpu_s"] = round(_children_cpu() - cpu, 1)
        timings[f"{stem}_load_average"] = round(os.getloadavg()[0], 2)
        print(
            f"  {label}: {timings[label]} s, CPU {timings[stem + '_cpu_s']} s "
            f"(load {os.getloadavg()[0]:.1f})",
            flush=True,
        )
    return timings


# Per request, in one process with the benchmark's settings: CPU time (less sensitive to the
# machine's load than wall time) and the number of queries, for the uncached search pages and
# the uncached challenge list they are compared with.
PER_REQUEST_SCRIPT = """
import json, statistics, time
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
# The pending-messages cookie on every request keeps the page cache out (a response drops it).
client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT_LANGUAGE="ja", HTTP_COOKIE="messages=benchmark")
out = {}
for name, path in PATHS:
    client.get(path)
    cpu, wall = [], []
    for _ in range(ROUNDS):
        started, used = time.perf_counter(), time.process_time()
        with CaptureQueriesContext(connection) as queries:
            status = client.get(path).status_code
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
    out[name] = {
        "path": path,
        "status": status,
        "cpu_ms_median": round(statistics.median(cpu) * 1000, 1),
        "wall_ms_median": round(statistics.median(wall) * 1000, 1),
        "queries": len(queries),
    }
print(json.dumps(out))
"""


def per_request(site: Site, pages, rounds: int = 20) -> dict:
    """CPU time and queries per request of the uncached pages, measured in one process."""
    paths = [(name, path) for name, path, headers in pages if headers == UNCACHED]
    script = PER_REQUEST_SCRIPT.replace("PATHS", repr(paths)).replace("ROUNDS", str(rounds))
    return json.loads(site.manage("shell", "-c", script).strip().splitlines()[-1])


def main(argv=None) -> None:
    args = parse_args(argv)
    site = Site(args.admin_url, args.database, args.cache_url)
    load_before = os.getloadavg()
    began = time.monotonic()
    built = {"sizes": {}, "timings": {}}
    try:
        if not args.reuse:
            print(f"Building the site in database {args.database}", flush=True)
            database_recreate(site)
            built = build(site)
        else:
            site.manage("collectstatic", "--no-input", "-v0")
            sizes_script = BUILD_SCRIPT.replace("pages_data.build()", "pages_data.sizes()")
            built["sizes"] = json.loads(
                site.manage("shell", "-c", sizes_script).strip().splitlines()[-1]
            )
        site.manage("shell", "-c", ANALYZE)
        if not args.skip_rebuild:
            built["timings"].update(rebuild_timings(site))
        login = json.loads(site.manage("shell", "-c", LOGIN_SCRIPT).strip().splitlines()[-1])
        started = time.monotonic()
        site.start(args.workers)
        built["timings"]["gunicorn_ready_with_matcher_built_s"] = round(
            time.monotonic() - started, 1
        )
        pages = targets(site.port, login, search_only=args.search_only)
        records = measure(
            site.port, pages, rounds=args.rounds, clients=args.clients, seconds=args.seconds
        )
        site.stop()
        load_at_per_request = os.getloadavg()[0]
        in_process = per_request(site, pages)
    finally:
        site.stop()
        if not (args.keep or args.reuse):
            database_recreate(site, drop_only=True)
    record = {
        "benchmark": "pages",
        "commit": git_commit(),
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": machine(load_before),
        "settings": {
            "web": f"gunicorn, {args.workers} sync workers, config.settings.production",
            "clients": args.clients,
            "seconds_per_page_and_round": args.seconds,
            "rounds": args.rounds,
            "trivial_view": TRIVIAL,
        },
        "data": built["sizes"],
        "timings": built["timings"],
        "pages": records,
        "per_request_in_process": {
            "load_average": round(load_at_per_request, 2),
            "pages": in_process,
        },
        "wall_time_s": round(time.monotonic() - began),
    }
    print_table(records)
    for name, figures in in_process.items():
        print(
            f"{name:34} CPU {figures['cpu_ms_median']:7.1f} ms  wall {figures['wall_ms_median']:7.1f} ms"
            f"  queries {figures['queries']}"
        )
    print(
        f"load average before {record['machine']['load_average_before']}, after {record['machine']['load_average_after']}"
    )
    if args.json != "-":
        write_record(Path(args.json), record, search_only=args.search_only)
        print(f"written to {args.json}")


def write_record(path: Path, record: dict, *, search_only: bool) -> None:
    """Write the run; a search-only run goes under "search_only" beside the last full run."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if search_only:
        record = {**(json.loads(path.read_text()) if path.exists() else {}), "search_only": record}
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
