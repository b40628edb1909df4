"""A member's suggestions (/member/suggestions/for-me/) at the size of a whole prefecture.

Usage: .venv/bin/python benchmarks/suggestions.py --database NAME [--var-dir DIR]
       [--seconds 10] [--rounds 3] [--clients 2] [--json benchmarks/results/suggestions.json]

Runs against a database that already holds the scaled data set (``benchmarks/pages_data.py``:
2,000 challenges, 10,000 solutions; ``benchmarks/pages.py --keep`` leaves one behind) and
changes nothing in it. First, in process: the queries the page makes and a warm render. Then
gunicorn (``config/gunicorn.py``, 2 sync workers, production settings, Redis as the cache, the
shared matching snapshot under ``--var-dir``) with the demo member signed in: the first
request after the server started (cold), then ``--rounds`` rounds of ``--clients`` clients for
``--seconds`` each, the trivial view (``/_util/login/``) first in every round for the ratio.
(The static files are collected under ``--var-dir`` first, as production settings need.)
Afterwards the memory of each worker from /proc/<pid>/smaps_rollup. Prints a summary and
writes it with the machine's load average to ``--json``.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (  # noqa: E402
    free_port,
    get,
    git_commit,
    hammer,
    machine,
    manage,
    percentile,
    production_env,
    wait_until,
)
from pages import LOGIN_SCRIPT, TRIVIAL  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PAGE = "/member/suggestions/for-me/"

IN_PROCESS = """
import json, time
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from forum.models import User
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(User.objects.get(email="member@naniwa.example.jp"))
started = time.perf_counter()
first = client.get("/member/suggestions/for-me/")
first_ms = (time.perf_counter() - started) * 1000
timings = []
for _ in range(5):
    started = time.perf_counter()
    client.get("/member/suggestions/for-me/")
    timings.append((time.perf_counter() - started) * 1000)
with CaptureQueriesContext(connection) as queries:
    response = client.get("/member/suggestions/for-me/")
from forum.models import SolutionProfile
from forum.selectors.roles import organisation_list_for_user
user = User.objects.get(email="member@naniwa.example.jp")
print(json.dumps({
    "status": response.status_code,
    "suggestions_shown": response.content.decode().count('id="pair-'),
    "member_published_solutions": SolutionProfile.objects.filter(
        organisation__in=organisation_list_for_user(user), is_published=True).count(),
    "queries": len(queries),
    "first_render_ms": round(first_ms),
    "warm_render_ms_best": round(min(timings)),
}))
"""


def memory_of(pid: int) -> dict[str, float]:
    """Rss, Pss and Private megabytes of a process, from /proc/<pid>/smaps_rollup."""
    values = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, _, rest = line.partition(":")
        values[name] = int(rest.split()[0]) / 1024
    return {
        "rss_mb": round(values["Rss"], 1),
        "pss_mb": round(values["Pss"], 1),
        "private_mb": round(values["Private_Clean"] + values["Private_Dirty"], 1),
    }


def environment(args, port: int) -> dict[str, str]:
    return production_env(
        port=port,
        database_url=f"{args.admin_url.rsplit('/', 1)[0]}/{args.database}",
        var_dir=args.var_dir,
        cache_url=args.cache_url,
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS=str(args.workers),
        GUNICORN_TIMEOUT="300",
    )


def manage_shell(env: dict, script: str) -> dict:
    return json.loads(manage(env, "shell", "-c", script).strip().splitlines()[-1])


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def summary(latencies: list[float], rates: list[float]) -> dict:
    return {
        "rps_median": round(statistics.median(rates), 2),
        "rps_min": round(min(rates), 2),
        "p50_ms": round(percentile(latencies, 0.5) * 1000),
        "p95_ms": round(percentile(latencies, 0.95) * 1000),
        "requests": len(latencies),
    }


def serve_and_measure(args, env: dict, port: int, cookie: str) -> dict:
    started = time.monotonic()
    web = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "config/gunicorn.py", "config.wsgi:application"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_until(lambda: get(port, TRIVIAL)[0] == 302, "gunicorn", timeout=1800)
        ready = time.monotonic() - started
        headers = {"Cookie": cookie}
        status, cold = get(port, PAGE, headers)
        if status != 200:
            raise SystemExit(f"{PAGE} answered {status}")
        page, trivial = {"latencies": [], "rates": []}, {"latencies": [], "rates": []}
        for _ in range(args.rounds):
            for name, path, sample in ((TRIVIAL, TRIVIAL, trivial), (PAGE, PAGE, page)):
                run = hammer(
                    port,
                    path,
                    headers if name == PAGE else {},
                    clients=args.clients,
                    seconds=args.seconds,
                )
                sample["latencies"].extend(run["latencies"])
                sample["rates"].append(run["rps"])
        memory = [memory_of(pid) for pid in worker_pids(web.pid)]
    finally:
        os.killpg(web.pid, signal.SIGTERM)
        web.wait(timeout=60)
    page_summary = summary(page["latencies"], page["rates"])
    trivial_summary = summary(trivial["latencies"], trivial["rates"])
    page_summary["ratio_to_trivial"] = round(
        page_summary["rps_median"] / trivial_summary["rps_median"], 3
    )
    return {
        "server_ready_s": round(ready, 1),
        "first_request_after_start_ms": round(cold * 1000),
        "member_suggestions": page_summary,
        "trivial_view": trivial_summary,
        "worker_memory": memory,
    }


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", required=True)
    parser.add_argument(
        "--admin-url",
        default=os.environ.get(
            "BENCH_ADMIN_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
    )
    parser.add_argument("--var-dir", default=str(ROOT / "var"))
    parser.add_argument("--cache-url", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--port", type=int, default=0, help="default: a free port")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", default=str(ROOT / "benchmarks/results/suggestions.json"))
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    port = args.port or free_port()
    env = environment(args, port)
    load_before = os.getloadavg()
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    in_process = manage_shell(env, IN_PROCESS)
    print(f"in process: {in_process}", flush=True)
    login = manage_shell(env, LOGIN_SCRIPT)
    served = serve_and_measure(args, env, port, login["cookie"])
    record = {
        "benchmark": "member suggestions",
        "path": PAGE,
        "commit": git_commit(),
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": machine(load_before),
        "settings": {
            "web": f"gunicorn, {args.workers} sync workers, config.settings.production",
            "clients": args.clients,
            "seconds_per_round": args.seconds,
            "rounds": args.rounds,
        },
        "in_process": in_process,
        **served,
    }
    print(json.dumps(record, ensure_ascii=False, indent=2))
    if args.json != "-":
        path = Path(args.json)
        runs = json.loads(path.read_text()) if path.exists() else []
        path.write_text(json.dumps([*runs, record], ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
