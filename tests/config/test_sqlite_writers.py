"""The embedded default's SQLite file under concurrent writers (config/settings/base.py)."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from tests.config import sqlite_writers


def test_concurrent_writers_on_sqlite_file_all_succeed(tmp_path):
    """Eight threads creating solutions through the service at once lose no write to a lock."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'forum.sqlite3'}",
        "SEARCH_VECTORS": "0",
        "VAR_DIR": str(tmp_path / "var"),
    }
    result = subprocess.run(
        [sys.executable, "-m", "tests.config.sqlite_writers"],
        cwd=Path(settings.BASE_DIR),
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    outcome = json.loads(result.stdout)
    assert outcome["failures"] == []
    assert outcome["saved"] == sqlite_writers.THREADS * sqlite_writers.WRITES_PER_THREAD
