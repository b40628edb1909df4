"""The dashboard, its figures over time and the annual report at scale.

Usage: .venv/bin/python benchmarks/dashboard.py [--projects 5000] [--changes 50000]
       [--database-url postgres://postgres@127.0.0.1:5432/bench_dashboard] [--json PATH]

Fills a throw-away database (a temporary SQLite file unless ``--database-url`` names one,
which is migrated and emptied first: give it a database of its own) with the reference data,
published challenges with proposals, and projects whose stage histories add up to
``--changes`` stage changes (with returns from evaluation to a second PoC), dated over
FY2020–FY2026. It first builds a tenth of the projects and counts the queries of every page,
then the rest and counts again: the counts must be equal (a constant number of queries).
Then it times, best of five after a warm-up, the secretariat's dashboard, the public one, the
figures over time by year and by quarter (each a full page render), and the annual report's
PDF. Targets: each page ≤ 300 ms, the report ≤ 10 s. Prints one JSON object and writes
``benchmarks/results/dashboard.json`` (``--json -`` writes none), with the machine's load
average before and after, since the machine may be shared.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_JSON = ROOT / "benchmarks" / "results" / "dashboard.json"
PAGE_TARGET_MS, REPORT_TARGET_S = 300, 10

# A project's path before it is cut to its length; the middle loop is a return from evaluation.
PATH = [
    "matched",
    "poc_planning",
    "poc",
    "evaluation",
    "poc",
    "evaluation",
    "poc",
    "evaluation",
    "implementation",
    "rollout",
]


def _setup(database_url: str | None) -> None:
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
        os.environ["VAR_DIR"] = tempfile.mkdtemp(prefix="bench-dashboard-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("flush", verbosity=0, interactive=False)
    from forum.services.reference import reference_data_load

    reference_data_load()


def _fill(first: int, count: int, changes_per_project: int, rng: random.Random) -> None:
    """Projects ``first`` .. ``first + count - 1`` with their places and histories."""
    from django.utils import timezone

    from forum.models import Field, Municipality, Project, ProjectStageChange

    fields = list(Field.objects.all())
    places = list(Municipality.objects.all())
    start = timezone.make_aware(datetime(2020, 8, 1, 12))
    projects = []
    for i in range(first, first + count):
        length = changes_per_project
        stage = PATH[min(length, len(PATH)) - 1]
        projects.append(
            Project(
                title=f"プロジェクト{i}",
                field=fields[i % len(fields)],
                stage=stage,
                is_public=i % 2 == 0,
                case_study="事例" if i % 2 == 0 else "",
                created_at=start + timedelta(days=rng.randrange(0, 6 * 365)),
            )
        )
    projects = Project.objects.bulk_create(projects, batch_size=1000)
    through = Project.municipalities.through
    through.objects.bulk_create(
        [through(project_id=p.pk, municipality_id=rng.choice(places).pk) for p in projects],
        batch_size=2000,
    )
    history = []
    for project in projects:
        at, previous = project.created_at, ""
        for stage in PATH[:changes_per_project]:
            history.append(
                ProjectStageChange(
                    project=project, from_stage=previous, to_stage=stage, created_at=at
                )
            )
            previous, at = stage, at + timedelta(days=rng.randrange(20, 120))
    ProjectStageChange.objects.bulk_create(history, batch_size=5000)


def _challenges(count: int, rng: random.Random) -> None:
    from django.utils import timezone

    from forum.models import Challenge, Field, Municipality, Organisation, Proposal

    fields, places = list(Field.objects.all()), list(Municipality.objects.all())
    start = timezone.make_aware(datetime(2020, 8, 1, 12))
    challenges = Challenge.objects.bulk_create(
        [
            Challenge(
                title=f"課題{i}",
                summary="概要",
                municipality=rng.choice(places),
                field=rng.choice(fields),
                is_published=True,
                published_at=start + timedelta(days=rng.randrange(0, 6 * 365)),
            )
            for i in range(count)
        ]
    )
    companies = [
        Organisation.objects.create(name=f"株式会社ベンチ{i}", kind="company", status="approved")
        for i in range(3)
    ]
    Proposal.objects.bulk_create(
        [
            Proposal(
                challenge=c,
                organisation=company,
                title="提案",
                summary="s",
                status="submitted",
                submitted_at=c.published_at + timedelta(days=10),
            )
            for c in challenges
            for company in companies
        ]
    )


def _pages():
    """name → a callable that renders the page fully and returns its response."""
    from django.contrib.auth import get_user_model
    from django.test import Client, RequestFactory

    from forum.views import dashboard, reports

    User = get_user_model()
    user = User.objects.filter(username="bench").first() or User.objects.create_superuser(
        "bench", "bench@example.jp", "x"
    )
    client, factory = Client(), RequestFactory()

    def secretariat(view, path, **kwargs):
        def call():
            request = factory.get(path)
            request.user = user
            response = view(request, **kwargs)
            return response.render() if hasattr(response, "render") else response

        return call

    return {
        "dashboard_secretariat": secretariat(dashboard.dashboard_secretariat, "/member/dashboard/"),
        "dashboard_public": lambda: client.get("/dashboard/"),
        "series_by_year_secretariat": secretariat(
            dashboard.dashboard_series_secretariat, "/member/dashboard/time/"
        ),
        "series_by_quarter_public": lambda: client.get("/dashboard/time/?grain=quarter"),
        "series_json_public": lambda: client.get("/dashboard/time.json"),
        "series_api": lambda: client.get("/api/v1/dashboard/series/?grain=quarter"),
        "annual_report_pdf": secretariat(
            reports.annual_report_pdf, "/member/dashboard/report/2024.pdf", year=2024
        ),
    }


def _queries(pages) -> dict[str, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name, call in pages.items():
        with CaptureQueriesContext(connection) as captured:
            response = call()
        assert response.status_code == 200, (name, response.status_code)
        counts[name] = len(captured)
    return counts


def _time(call, repeat: int) -> float:
    call()  # warm-up
    best = float("inf")
    for _ in range(repeat):
        began = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - began)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=5000)
    parser.add_argument("--changes", type=int, default=50000)
    parser.add_argument("--challenges", type=int, default=1000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--json", default=str(DEFAULT_JSON))
    args = parser.parse_args()
    load_before = os.getloadavg()
    per_project = max(1, min(len(PATH), round(args.changes / args.projects)))
    rng = random.Random(16)
    _setup(args.database_url)
    from django.db import connection

    _challenges(args.challenges, rng)
    small = args.projects // 10
    _fill(0, small, per_project, rng)
    pages = _pages()
    queries_small = _queries(pages)
    _fill(small, args.projects - small, per_project, rng)
    queries_full = _queries(pages)
    from forum.models import Project, ProjectStageChange

    timings = {}
    for name, call in pages.items():
        seconds = _time(call, 2 if name == "annual_report_pdf" else 5)
        timings[name] = round(seconds * 1000, 1)
    result = {
        "when": datetime.now().isoformat(timespec="seconds"),
        "database": connection.vendor,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_before": [round(x, 2) for x in load_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
        },
        "projects": Project.objects.count(),
        "stage_changes": ProjectStageChange.objects.count(),
        "challenges": args.challenges,
        "queries_at_a_tenth": queries_small,
        "queries_at_full_size": queries_full,
        "constant_queries": queries_small == queries_full,
        "best_ms": timings,
        "targets": {"page_ms": PAGE_TARGET_MS, "annual_report_ms": REPORT_TARGET_S * 1000},
        "pages_within_target": all(
            ms <= PAGE_TARGET_MS for name, ms in timings.items() if name != "annual_report_pdf"
        ),
        "report_within_target": timings["annual_report_pdf"] <= REPORT_TARGET_S * 1000,
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    if args.json != "-":
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")
    return 0 if result["constant_queries"] else 1


if __name__ == "__main__":
    sys.exit(main())
