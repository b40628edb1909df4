"""Eight threads writing through the services into one SQLite file; prints what failed.

Run by tests/config/test_sqlite_writers.py in a process of its own, with DATABASE_URL naming
a new file: the settings under test are then exactly those the embedded default builds.
"""

import json
import os
import sys
import threading

THREADS = 8
WRITES_PER_THREAD = 6


class _NoMigrations(dict):
    """Every app's tables built straight from its models: quicker than replaying history."""

    def __contains__(self, app_label):
        return True

    def __getitem__(self, app_label):
        return None


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.MIGRATION_MODULES = _NoMigrations()
    call_command("migrate", run_syncdb=True, verbosity=0)


def _members() -> list:
    """One member of an approved company per thread."""
    from forum.models import Membership, Organisation, User

    members = []
    for number in range(THREADS):
        organisation = Organisation.objects.create(
            name=f"株式会社並行{number}",
            kind=Organisation.Kind.COMPANY,
            status=Organisation.Status.APPROVED,
        )
        user = User.objects.create_user(username=f"writer{number}", email=f"w{number}@example.jp")
        Membership.objects.create(user=user, organisation=organisation)
        members.append((user, organisation))
    return members


def _writer(user, organisation, failures: list, start: threading.Barrier) -> None:
    from django.db import connection

    from forum.services.solutions import solution_create

    start.wait()
    try:
        for number in range(WRITES_PER_THREAD):
            try:
                solution_create(
                    actor=user,
                    organisation=organisation,
                    title=f"並行書き込み {number}",
                    summary="同時に保存する",
                )
            except Exception as exc:  # every failed write is the finding
                failures.append(f"{type(exc).__name__}: {exc}")
    finally:
        connection.close()


def main() -> None:
    _setup()
    from django.db import connection

    from forum.models import SolutionProfile

    members = _members()
    connection.close()
    failures: list[str] = []
    start = threading.Barrier(THREADS)
    threads = [
        threading.Thread(target=_writer, args=(user, organisation, failures, start))
        for user, organisation in members
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    json.dump(
        {
            "attempted": THREADS * WRITES_PER_THREAD,
            "saved": SolutionProfile.objects.count(),
            "failures": failures,
        },
        sys.stdout,
        ensure_ascii=False,
    )


if __name__ == "__main__":
    main()
