import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings


def _python(*args: str, env: dict) -> subprocess.CompletedProcess:
    """Run the project's Python with these arguments in a fresh process, from the project root."""
    return subprocess.run(
        [sys.executable, *args],
        cwd=Path(settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_deploy_checks():
    """check --deploy with production settings and a real secret reports no warnings."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": "p8Kq2vN7xR4mT9wZ1bC6yH3jL5sD0fG8aE2uI7oP4nM6kB1vX9",
        "DJANGO_ALLOWED_HOSTS": "forum.example.jp",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    result = _python("manage.py", "check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_to_start_without_secret():
    """Without DJANGO_SECRET_KEY production settings stop with a clear error."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production"}
    env.pop("DJANGO_SECRET_KEY", None)
    result = _python("manage.py", "check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_web_processes_keep_their_database_connection():
    """Production keeps a connection for a minute (checked before reuse); the operator can say 0."""
    script = (
        "from django.conf import settings; d = settings.DATABASES['default']; "
        "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    for value, expected in ((None, "60 True"), ("0", "0 True")):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": "p8Kq2vN7xR4mT9wZ1bC6yH3jL5sD0fG8aE2uI7oP4nM6kB1vX9",
        }
        env.pop("DATABASE_CONN_MAX_AGE", None)
        if value is not None:
            env["DATABASE_CONN_MAX_AGE"] = value
        result = _python("manage.py", "shell", "-c", script, env=env)
        assert result.stdout.strip().splitlines()[-1] == expected, result.stderr


def _blas_timeout_seen_by_a_site_process(environment: dict) -> str:
    """What a process that starts the site hands OpenBLAS, and whether numpy came after it."""
    script = (
        "import os, sys, django\n"
        "django.setup()\n"
        "from matching.backends.embedded import site_matcher\n"
        "print(os.environ.get('OPENBLAS_THREAD_TIMEOUT'))\n"
    )
    env = {**environment, "DJANGO_SETTINGS_MODULE": "config.settings.dev"}
    env.pop("DATABASE_URL", None)
    result = _python("-X", "importtime", "-c", script, env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    imported = [line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()]
    assert imported.index("config.threads") < imported.index("numpy")
    return result.stdout.strip()


def test_site_processes_let_blas_threads_sleep_before_numpy_starts_them():
    """Two web processes at once must not lose their cores to each other's spinning BLAS
    threads: the release is set before numpy loads OpenBLAS, which reads it only then."""
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_THREAD_TIMEOUT"}
    assert _blas_timeout_seen_by_a_site_process(env) == "4"


def test_an_operators_blas_thread_setting_wins():
    env = {**os.environ, "OPENBLAS_THREAD_TIMEOUT": "12"}
    assert _blas_timeout_seen_by_a_site_process(env) == "12"
