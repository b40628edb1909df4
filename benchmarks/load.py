"""Mixed read/write load on the production stack, with and without Redis.

Usage: .venv/bin/python benchmarks/load.py [--duration 60] [--clients 20] [--redis-stop-at 30]

Builds the production stack on this machine, on loopback only: a throw-away PostgreSQL
database (``bench_load``) filled by the project's own commands (``migrate``,
``setup_site --demo``, ``collectstatic``) and a personal API token created through
``api_token_create``; its own ``redis-server`` on port 6393 as Celery broker and cache;
a Celery worker; gunicorn with ``config.settings.production``. Then two runs of
``--duration`` seconds each with ``--clients`` concurrent clients:

- ``steady``: everything up;
- ``redis_stopped``: the same, with the Redis server killed at ``--redis-stop-at`` seconds.

Each client loops over a weighted mix (80 % reads: home, challenge list, a challenge page,
search, dashboard, API list; 20 % writes through ``/api/v1/member/``: create a solution,
publish one of its own). After each run every write that answered success is looked up in
the database: a write answered 2xx but missing is a lost write (the target is 0).

Prints a table and one JSON object; a run of 60 s or more also writes
``benchmarks/results/load.json`` (``--json PATH`` chooses another file, ``--json -`` none).
Everything started is stopped and the database dropped at the end, also on failure.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlparse

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import git_commit, machine  # noqa: E402
from stack import BIN, Stack, database_recreate, manage  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_JSON = ROOT / "benchmarks" / "results" / "load.json"
REQUEST_TIMEOUT = 30.0
SEARCH_WORDS = ["ドローン", "見守り", "防災", "子育て", "drone", "センサー"]
# (operation, weight): reads 80 %, writes 20 %.
MIX = [
    ("home", 12),
    ("challenge_list", 14),
    ("challenge_page", 16),
    ("search", 14),
    ("dashboard", 10),
    ("api_list", 14),
    ("solution_create", 12),
    ("solution_publish", 8),
]
WRITES = {"solution_create", "solution_publish"}


# The stack ------------------------------------------------------------------------------


TOKEN_SCRIPT = """
import json
from forum.models import User
from forum.services.api_tokens import api_token_create
user = User.objects.get(email="member@naniwa.example.jp")
print(json.dumps({"token": api_token_create(actor=user, name="load benchmark")[1]}))
"""


def site_build(stack: Stack) -> str:
    """Migrate, load the demo site, collect static files; returns a member's API token."""
    steps = [
        ("migrate", ["migrate", "--no-input", "-v0"]),
        ("demo site", ["setup_site", "--demo"]),
        ("static files", ["collectstatic", "--no-input", "-v0"]),
    ]
    for label, args in steps:
        started = time.monotonic()
        manage(stack, *args)
        print(f"  {label}: {time.monotonic() - started:.0f} s", flush=True)
    output = manage(stack, "shell", "-c", TOKEN_SCRIPT)
    return json.loads(output.strip().splitlines()[-1])["token"]


# HTTP -----------------------------------------------------------------------------------


def http_request(port: int, method: str, path: str, *, token: str = "", body=None):
    """One request on a fresh connection; returns (status, parsed JSON or None)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    headers = {"Host": "127.0.0.1", "Accept-Language": "ja"}
    data = None
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    try:
        conn.request(method, path, body=data, headers=headers)
        response = conn.getresponse()
        payload = response.read()
        is_json = response.getheader("Content-Type", "").startswith("application/json")
        return response.status, (json.loads(payload) if is_json and payload else None)
    finally:
        conn.close()


def http_get_status(port: int, path: str) -> int:
    return http_request(port, "GET", path)[0]


@dataclass
class Targets:
    """What the clients read and write, discovered from the running site."""

    port: int
    token: str
    organisation: int
    challenge_paths: list[str]


def targets_discover(port: int, token: str) -> Targets:
    status, me = http_request(port, "GET", "/api/v1/member/me/", token=token)
    if status != 200:
        raise SystemExit(f"/api/v1/member/me/ answered {status}")
    _, challenges = http_request(port, "GET", "/api/v1/challenges/?page_size=50")
    paths = [urlparse(item["url"]).path for item in challenges["results"]]
    return Targets(port, token, me["organisations"][0]["id"], paths)


# Clients --------------------------------------------------------------------------------


@dataclass
class Sample:
    op: str
    at: float  # seconds since the run started
    ms: float
    status: int  # 0: no answer (refused, reset, timed out)
    ok: bool


@dataclass
class Client:
    """One simulated client: its random stream, its own solutions, its writes that succeeded."""

    number: int
    targets: Targets
    rng: random.Random
    drafts: list[int] = field(default_factory=list)
    created: dict[int, str] = field(default_factory=dict)  # id → title, answered 201
    published: set[int] = field(default_factory=set)  # answered 200 to publish
    sequence: int = 0

    def request(self, op: str) -> tuple[str, int, bool]:
        """Do one operation; returns the operation done, the status and whether it succeeded."""
        if op == "solution_publish" and not self.drafts:
            op = "solution_create"  # nothing of its own to publish yet
        handler = getattr(self, f"_{op}", None)
        if handler is not None:
            return (op, *handler())
        status, _ = http_request(self.targets.port, "GET", self._read_path(op))
        return op, status, status == 200

    def _read_path(self, op: str) -> str:
        return {
            "home": "/",
            "challenge_list": "/challenges/",
            "challenge_page": self.rng.choice(self.targets.challenge_paths),
            "search": f"/search/?q={quote(self.rng.choice(SEARCH_WORDS))}",
            "dashboard": "/dashboard/",
            "api_list": f"/api/v1/challenges/?page={self.rng.randint(1, 2)}",
        }[op]

    def _solution_create(self) -> tuple[int, bool]:
        self.sequence += 1
        title = f"負荷試験ソリューション {self.number}-{self.sequence}"
        body = {
            "organisation": self.targets.organisation,
            "title": title,
            "summary": "ドローンとセンサーで水位を見守ります。",
            "fields": ["safety"],
            "technologies": ["sensor"],
        }
        status, answer = http_request(
            self.targets.port,
            "POST",
            "/api/v1/member/solutions/",
            token=self.targets.token,
            body=body,
        )
        if status == 201:
            self.created[answer["id"]] = title
            self.drafts.append(answer["id"])
        return status, status == 201

    def _solution_publish(self) -> tuple[int, bool]:
        solution_id = self.drafts.pop(0)
        path = f"/api/v1/member/solutions/{solution_id}/publish/"
        status, _ = http_request(self.targets.port, "POST", path, token=self.targets.token, body={})
        if status == 200:
            self.published.add(solution_id)
        return status, status == 200


def client_loop(client: Client, started: float, deadline: float, samples: list, lock) -> None:
    ops = [op for op, _ in MIX]
    weights = [weight for _, weight in MIX]
    while time.monotonic() < deadline:
        op = client.rng.choices(ops, weights)[0]
        begun = time.monotonic()
        try:
            op, status, ok = client.request(op)
        except (OSError, http.client.HTTPException, ValueError):
            status, ok = 0, False
        sample = Sample(op, begun - started, (time.monotonic() - begun) * 1000, status, ok)
        with lock:
            samples.append(sample)


def run_clients(targets: Targets, *, clients: int, duration: float, seed: int, on_time=None):
    """Run the clients for `duration` seconds; `on_time` is (seconds, callable) to fire once."""
    samples: list[Sample] = []
    lock = threading.Lock()
    started = time.monotonic()
    deadline = started + duration
    crowd = [Client(n, targets, random.Random(seed * 1000 + n)) for n in range(clients)]
    threads = [
        threading.Thread(
            target=client_loop, args=(c, started, deadline, samples, lock), daemon=True
        )
        for c in crowd
    ]
    for thread in threads:
        thread.start()
    if on_time is not None:
        at, action = on_time
        time.sleep(max(0.0, started + at - time.monotonic()))
        action()
    for thread in threads:
        thread.join(timeout=duration + REQUEST_TIMEOUT + 10)
    return samples, crowd


# Figures --------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 1)
    return round(statistics.quantiles(values, n=100, method="inclusive")[q - 1], 1)


def figures(samples: list[Sample], seconds: float) -> dict:
    ms = [s.ms for s in samples]
    statuses: dict[str, int] = {}
    for sample in samples:
        key = str(sample.status or "no answer")
        statuses[key] = statuses.get(key, 0) + 1
    errors = sum(not s.ok for s in samples)
    return {
        "requests": len(samples),
        "errors": errors,
        "error_rate": round(errors / len(samples), 4) if samples else None,
        "requests_per_s": round(len(samples) / seconds, 1) if seconds else None,
        "p50_ms": percentile(ms, 50),
        "p95_ms": percentile(ms, 95),
        "statuses": dict(sorted(statuses.items())),
    }


def lost_writes(stack: Stack, crowd: list[Client]) -> dict:
    """Writes answered with success that the database does not hold."""
    created = {pk: title for c in crowd for pk, title in c.created.items()}
    published = {pk for c in crowd for pk in c.published}
    with psycopg.connect(stack.database_url) as conn:
        rows = conn.execute(
            "SELECT id, title, is_published FROM forum_solutionprofile WHERE id = ANY(%s)",
            [list(created)],
        ).fetchall()
    found = {pk: (title, is_published) for pk, title, is_published in rows}
    lost_creates = [pk for pk, title in created.items() if found.get(pk, ("",))[0] != title]
    lost_publishes = [pk for pk in published if not found.get(pk, ("", False))[1]]
    return {
        "writes_answered_success": len(created) + len(published),
        "solutions_created": len(created),
        "solutions_published": len(published),
        "lost_writes": len(lost_creates) + len(lost_publishes),
        "lost_ids": sorted(lost_creates + lost_publishes)[:50],
    }


def scenario_report(stack, samples, crowd, *, duration: float, stop_at: float | None) -> dict:
    report = figures(samples, duration)
    report["by_operation"] = {
        op: figures([s for s in samples if s.op == op], duration) for op, _ in MIX
    }
    report["reads"] = figures([s for s in samples if s.op not in WRITES], duration)
    report["writes"] = figures([s for s in samples if s.op in WRITES], duration)
    if stop_at is not None:
        report["before_redis_stop"] = figures([s for s in samples if s.at < stop_at], stop_at)
        report["after_redis_stop"] = figures(
            [s for s in samples if s.at >= stop_at], duration - stop_at
        )
    report.update(lost_writes(stack, crowd))
    return report


def print_report(name: str, report: dict) -> None:
    print(f"\n{name}")
    header = f"  {'':22} {'requests':>8} {'errors':>7} {'req/s':>6} {'p50 ms':>8} {'p95 ms':>8}"
    print(header)
    rows = [("all", report), ("reads", report["reads"]), ("writes", report["writes"])]
    rows += [(f"  {op}", part) for op, part in report["by_operation"].items()]
    for label in ("before_redis_stop", "after_redis_stop"):
        if label in report:
            rows.append((label.replace("_", " "), report[label]))
    for label, part in rows:
        print(
            f"  {label:22} {part['requests']:>8} {part['errors']:>7} "
            f"{part['requests_per_s'] or 0:>6} {part['p50_ms'] or 0:>8} {part['p95_ms'] or 0:>8}"
        )
    print(f"  statuses: {report['statuses']}")
    print(
        f"  writes answered success: {report['writes_answered_success']}, "
        f"lost writes: {report['lost_writes']}"
    )


# Main -----------------------------------------------------------------------------------


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60, help="seconds per run (default 60)")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (default 20)")
    parser.add_argument(
        "--redis-stop-at",
        type=float,
        default=None,
        help="second of the second run at which Redis is killed (default: half the duration)",
    )
    parser.add_argument("--web-workers", type=int, default=3, help="gunicorn workers (default 3)")
    parser.add_argument(
        "--worker-concurrency", type=int, default=1, help="Celery worker processes (default 1)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--admin-url",
        default=os.environ.get(
            "BENCH_ADMIN_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
        help="a PostgreSQL database to connect to for creating and dropping the benchmark's own",
    )
    parser.add_argument("--database", default="bench_load")
    parser.add_argument("--json", default=None, help="where to write the JSON ('-' for nowhere)")
    parser.add_argument("--logs", default=None, help="a folder to keep the services' logs in")
    args = parser.parse_args(argv)
    if args.redis_stop_at is None:
        args.redis_stop_at = args.duration / 2
    if not 0 < args.redis_stop_at < args.duration:
        parser.error("--redis-stop-at must lie inside the run")
    if args.json is None:
        args.json = str(DEFAULT_JSON) if args.duration >= 60 else "-"
    return args


def preflight() -> None:
    missing = [tool for tool in ("redis-server",) if shutil.which(tool) is None]
    missing += [str(path) for path in (BIN / "gunicorn", BIN / "celery") if not path.exists()]
    if missing:
        raise SystemExit(
            f"Missing: {', '.join(missing)} (pip install gunicorn; apt-get install redis-server)"
        )


def run_scenarios(stack: Stack, targets: Targets, args) -> dict:
    results = {}
    print(f"\nsteady: {args.clients} clients for {args.duration:.0f} s", flush=True)
    samples, crowd = run_clients(
        targets, clients=args.clients, duration=args.duration, seed=args.seed
    )
    results["steady"] = scenario_report(stack, samples, crowd, duration=args.duration, stop_at=None)
    print(
        f"redis_stopped: {args.clients} clients for {args.duration:.0f} s, "
        f"Redis killed at {args.redis_stop_at:.0f} s",
        flush=True,
    )
    samples, crowd = run_clients(
        targets,
        clients=args.clients,
        duration=args.duration,
        seed=args.seed + 1,
        on_time=(args.redis_stop_at, lambda: stack.stop("redis", sig=signal.SIGKILL)),
    )
    results["redis_stopped"] = scenario_report(
        stack, samples, crowd, duration=args.duration, stop_at=args.redis_stop_at
    )
    return results


def main(argv=None) -> None:
    args = parse_args(argv)
    preflight()
    workdir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    stack = Stack(admin_url=args.admin_url, database=args.database, workdir=workdir)
    load_before = os.getloadavg()
    began = time.monotonic()
    try:
        print(f"Building the site in database {args.database} ({workdir})", flush=True)
        database_recreate(stack)
        token = site_build(stack)
        stack.start_redis()
        stack.start_worker(args.worker_concurrency)
        stack.start_web(args.web_workers)
        targets = targets_discover(stack.web_port, token)
        results = run_scenarios(stack, targets, args)
    finally:
        stack.stop_all()
        database_recreate(stack, drop_only=True)
        if args.logs:
            Path(args.logs).mkdir(parents=True, exist_ok=True)
            for log in workdir.glob("*.log"):
                shutil.copy(log, Path(args.logs) / log.name)
        shutil.rmtree(workdir, ignore_errors=True)
    record = {
        "benchmark": "load",
        "commit": git_commit(),
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": machine(load_before),
        "settings": {
            "duration_s": args.duration,
            "clients": args.clients,
            "redis_stop_at_s": args.redis_stop_at,
            "web": f"gunicorn, {args.web_workers} sync workers",
            "celery_worker_concurrency": args.worker_concurrency,
            "mix": dict(MIX),
        },
        "scenarios": results,
        "wall_time_s": round(time.monotonic() - began),
    }
    for name, report in results.items():
        print_report(name, report)
    print(json.dumps(record, ensure_ascii=False))
    if args.json != "-":
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n")
        print(f"written to {args.json}")


if __name__ == "__main__":
    main()
