"""What the benchmarks share: free ports, waiting for a server, the served site's production
environment, percentiles, timed GETs, and the commit and machine a run was measured on."""

from __future__ import annotations

import http.client
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def wait_until(predicate, what: str, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{what} did not come up within {timeout:.0f} s")


def git_commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", *args], cwd=ROOT, capture_output=True, text=True, check=False
        ).stdout.strip()

    commit = git("rev-parse", "HEAD")
    return commit + (
        "+local-changes" if git("status", "--porcelain", "--untracked-files=no") else ""
    )


def machine(load_before) -> dict:
    """The machine a run was measured on: cores, load averages before and now, and how long
    finished OpenBLAS threads of the site's processes spin (config/threads.py; the library's
    default is 28, a process of the site sets its own unless the environment says)."""
    from config.threads import RELEASE_AFTER

    return {
        "cores": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "openblas_thread_timeout": os.environ.get("OPENBLAS_THREAD_TIMEOUT", RELEASE_AFTER),
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def get(port: int, path: str, headers: dict | None = None) -> tuple[int, float]:
    """One GET on a fresh connection: (status, seconds)."""
    started = time.perf_counter()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request(
            "GET", path, headers={"Host": "127.0.0.1", "Accept-Language": "ja", **(headers or {})}
        )
        response = conn.getresponse()
        response.read()
        return response.status, time.perf_counter() - started
    finally:
        conn.close()


def hammer(port: int, path: str, headers: dict, *, clients: int, seconds: float) -> dict:
    """`clients` threads requesting `path` for `seconds`: requests per second and latencies."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def loop() -> None:
        while time.monotonic() < deadline:
            status, took = get(port, path, headers)
            with lock:
                latencies.append(took)
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=loop) for _ in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {"rps": len(latencies) / elapsed, "latencies": latencies, "statuses": statuses}


def production_env(
    *,
    port: int,
    database_url: str,
    var_dir: str,
    cache_url: str = "",
    broker_url: str = "",
    **extra,
) -> dict[str, str]:
    """The environment of a site served on loopback with production settings: its own secret,
    no HTTPS redirect or secure cookies, mail dropped, warnings only, API limits out of reach of
    the clients, and the cache and broker given (empty: none). `extra` adds or overrides."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "DATABASE_URL": database_url,
        "VAR_DIR": var_dir,
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "LOG_LEVEL": "WARNING",
        # The clients would meet the API's rate limits within seconds.
        "API_THROTTLE_ANON": "1000000/min",
        "API_THROTTLE_TOKEN": "1000000/min",
        "CELERY_BROKER_URL": broker_url,
        "CACHE_URL": cache_url,
        **extra,
    }
    env.pop("REDIS_URL", None)
    return env


def manage(env: dict, *args: str, timeout: float = 3600) -> str:
    """Run a management command of the project in this environment; its output, or the run ends
    with the command's output when it fails."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode:
        raise SystemExit(
            f"manage.py {' '.join(args[:1])} failed:\n{result.stdout}\n{result.stderr}"
        )
    return result.stdout
