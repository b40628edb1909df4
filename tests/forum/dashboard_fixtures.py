"""A known world for the dashboard's figures, and a reader of the tables its page shows.

The dashboard tests assert every number of this world; the API and open data tests check
that they serve the same numbers as the page.
"""

from datetime import timedelta
from html.parser import HTMLParser

from django.utils import timezone

from forum.models import (
    Challenge,
    Field,
    Municipality,
    ProgressReport,
    Project,
    ProjectStageChange,
    Proposal,
)
from tests.factories import OrganisationFactory

SAKAI, SUITA, TOYONAKA = "271403", "272051", "272035"


def dashboard_project(title, field, places, path, *, public=False, reports=()):
    """A project whose history is ``path``: (stage, days ago) from its start, reports days ago."""
    now = timezone.now()
    start = now - timedelta(days=path[0][1])
    project = Project.objects.create(
        title=title,
        field=Field.objects.get(slug=field),
        stage=path[-1][0],
        is_public=public,
        case_study="事例" if public else "",
        created_at=start,
    )
    project.municipalities.set(Municipality.objects.filter(code__in=places))
    previous = ""
    for stage, days in path:
        ProjectStageChange.objects.create(
            project=project,
            from_stage=previous,
            to_stage=stage,
            created_at=now - timedelta(days=days),
        )
        previous = stage
    for days in reports:
        ProgressReport.objects.create(
            project=project, reported_on=timezone.localdate() - timedelta(days=days), body="報告"
        )
    return project


def make_dashboard_world() -> dict[str, Project]:
    """Four published challenges (one draft), three submitted proposals (one draft), five
    projects: two public (implementation in Sakai; PoC in Sakai and Suita), three private."""
    sakai = Municipality.objects.get(code=SAKAI)
    safety = Field.objects.get(slug="safety")
    challenges = [
        Challenge.objects.create(
            title=f"課題{i}",
            summary="s",
            municipality=sakai,
            field=safety,
            is_published=i < 4,
            published_at=timezone.now(),
        )
        for i in range(5)
    ]
    for i in range(4):
        Proposal.objects.create(
            challenge=challenges[i],
            organisation=OrganisationFactory(),
            title=f"提案{i}",
            summary="s",
            status="submitted" if i < 3 else "draft",
            submitted_at=timezone.now() if i < 3 else None,
        )
    return {
        "p1": dashboard_project(
            "公開・社会実装",
            "safety",
            [SAKAI],
            [
                ("matched", 100),
                ("poc_planning", 90),
                ("poc", 70),
                ("evaluation", 40),
                ("implementation", 30),
            ],
            public=True,
            reports=[10],
        ),
        "p2": dashboard_project(
            "公開・実証実験",
            "safety",
            [SAKAI, SUITA],
            [("matched", 60), ("poc_planning", 50), ("poc", 20)],
            public=True,
        ),
        "p3": dashboard_project(
            "非公開・横展開",
            "health",
            [SUITA],
            [
                ("matched", 200),
                ("poc_planning", 180),
                ("poc", 160),
                ("evaluation", 100),
                ("implementation", 90),
                ("rollout", 30),
            ],
            reports=[150, 120],
        ),
        "p4": dashboard_project(
            "非公開・中止", "childcare", [TOYONAKA], [("matched", 150), ("discontinued", 140)]
        ),
        "p5": dashboard_project("非公開・マッチング", "safety", [SAKAI], [("matched", 95)]),
    }


PRIVATE_TITLES = ("非公開・横展開", "非公開・中止", "非公開・マッチング")


class TableReader(HTMLParser):
    """The text of every cell of the tables on a page, by table id."""

    def __init__(self):
        super().__init__()
        self.tables, self.current, self.row, self.cell = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id", "").startswith("table-"):
            self.current = attrs["id"][len("table-") :]
            self.tables[self.current] = []
        elif self.current and tag == "tr":
            self.row = []
        elif self.current and self.row is not None and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table":
            self.current = None
        elif self.current and tag == "tr" and self.row is not None:
            self.tables[self.current].append(self.row)
            self.row = None
        elif self.cell is not None and tag in ("td", "th"):
            self.row.append("".join(self.cell).strip())
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def page_tables(html: str) -> dict[str, list[list[str]]]:
    """Every table of a dashboard page: header row first, then the body rows, as text."""
    reader = TableReader()
    reader.feed(html)
    return reader.tables
