"""The Makefile's `run`: what the commands it starts are given, read through a stand-in Python."""

import os
import shutil
import subprocess
from pathlib import Path

from django.conf import settings

import pytest

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")

ROOT = Path(settings.BASE_DIR)


def _make_run(tmp_path, **env) -> list[str]:
    """`make run` with a virtual environment whose python only logs SITE_URL and its arguments."""
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    log = tmp_path / "calls.log"
    python = venv / "bin" / "python"
    python.write_text(f'#!/bin/sh\necho "$SITE_URL $*" >> {log}\n')
    python.chmod(0o755)
    stamp = subprocess.run(
        ["cksum"], input=(ROOT / "pyproject.toml").read_bytes(), capture_output=True, check=True
    ).stdout.split()[0]
    (venv / f".installed-{stamp.decode()}").touch()
    base = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "HOST", "PORT")}
    subprocess.run(
        ["make", "-s", "run", f"VENV={venv}"],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        check=True,
        timeout=60,
    )
    return log.read_text().splitlines()


def test_run_links_to_the_port_it_serves_on(tmp_path):
    """PORT=8012 make run gives the server and the site setup SITE_URL http://127.0.0.1:8012, so
    feeds and API links point at the port the site is served on."""
    calls = _make_run(tmp_path, PORT="8012")
    assert "http://127.0.0.1:8012 manage.py runserver 127.0.0.1:8012" in calls
    assert "http://127.0.0.1:8012 manage.py setup_site --demo" in calls


def test_run_keeps_a_site_url_set_in_the_environment(tmp_path):
    """A SITE_URL given in the environment wins over the one derived from HOST and PORT."""
    calls = _make_run(tmp_path, PORT="8012", SITE_URL="https://forum.example.jp")
    assert "https://forum.example.jp manage.py runserver 127.0.0.1:8012" in calls
