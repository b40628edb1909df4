"""The production stack the load benchmark starts on loopback: its processes, their settings,
management commands against its database, and the database itself."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

import psycopg
from common import free_port, get, port_open, production_env, wait_until
from common import manage as run_manage

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(PYTHON).parent
REDIS_PORT = 6393


@dataclass
class Stack:
    """The processes this benchmark starts, each in its own process group, and their settings."""

    admin_url: str
    database: str
    workdir: Path
    web_port: int = field(default_factory=free_port)
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(50))
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def database_url(self) -> str:
        parsed = urlparse(self.admin_url)
        return parsed._replace(path=f"/{self.database}").geturl()

    def env(self, *, services: bool = True) -> dict[str, str]:
        redis = f"redis://127.0.0.1:{REDIS_PORT}"
        return production_env(
            port=self.web_port,
            database_url=self.database_url,
            var_dir=str(self.workdir),
            broker_url=f"{redis}/1" if services else "",
            cache_url=f"{redis}/2" if services else "",
            DJANGO_SECRET_KEY=self.secret_key,
        )

    def log(self, name: str):
        return (self.workdir / f"{name}.log").open("ab")

    def start(self, name: str, command: list[str]) -> None:
        self.processes[name] = subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env(),
            stdout=self.log(name),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def stop(self, name: str, *, sig=signal.SIGTERM, wait: float = 20.0) -> None:
        process = self.processes.pop(name, None)
        if process is None or process.poll() is not None:
            return
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=wait)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def start_redis(self) -> None:
        if port_open(REDIS_PORT):
            raise SystemExit(
                f"Port {REDIS_PORT} is taken; this benchmark starts its own Redis there."
            )
        self.start(
            "redis",
            [
                "redis-server",
                "--port",
                str(REDIS_PORT),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
        )
        wait_until(lambda: port_open(REDIS_PORT), "redis-server", timeout=20)

    def start_worker(self, concurrency: int) -> None:
        self.start(
            "worker",
            [
                str(BIN / "celery"),
                "-A",
                "config",
                "worker",
                f"--concurrency={concurrency}",
                "--loglevel=WARNING",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ],
        )

    def start_web(self, workers: int) -> None:
        self.start(
            "web",
            [
                str(BIN / "gunicorn"),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.web_port}",
                f"--workers={workers}",
                "--timeout=60",
            ],
        )
        wait_until(lambda: get(self.web_port, "/")[0] == 200, "gunicorn", timeout=120)

    def stop_all(self) -> None:
        for name in ("web", "worker", "redis"):
            self.stop(name)


def manage(stack: Stack, *args: str, timeout: float = 1200) -> str:
    """Run a management command against the benchmark database (tasks in process)."""
    return run_manage(stack.env(services=False), *args, timeout=timeout)


def database_recreate(stack: Stack, *, drop_only: bool = False) -> None:
    with psycopg.connect(stack.admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{stack.database}" WITH (FORCE)')
        if not drop_only:
            conn.execute(f'CREATE DATABASE "{stack.database}"')
