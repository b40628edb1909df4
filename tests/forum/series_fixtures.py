"""A hand-counted history for the figures over time, with fiscal-year boundaries.

Times are Japan's (Asia/Tokyo). 23:30 on 31 March and 00:10 on 1 April fall in different
fiscal years in Japan but in the same UTC day, so counting in the wrong zone shows.

- Challenge A published 2023-03-31 23:30 → FY2022 (Q4); B 2023-04-01 00:10 → FY2023 (Q1).
- Proposals: to A 2023-04-01 09:00 and to B 2024-01-10 → both FY2023.
- P1 (public): matched 2022-05-01, PoC planning 2022-06-01, PoC 2023-03-31 22:00 (FY2022),
  evaluation 2023-04-01 08:00 (FY2023), implementation 2024-03-31 (FY2023), roll-out
  2024-04-01 (FY2024).
- P2 skips PoC planning and repeats PoC and evaluation: started 2022-04-01 00:30 (FY2022),
  PoC 2022-10-01 00:30, evaluation 2023-06-01, PoC again 2023-07-01, evaluation again
  2023-09-01, implementation 2025-01-15 (FY2024).
- P3 imported with past dates (created today): matched 2021-03-31 10:00 (FY2020), PoC
  2021-04-01 10:00 (FY2021), discontinued 2022-03-31 10:00 (FY2021).
- P4: matched 2024-04-01 (FY2024), nothing since.
Today is 2025-06-01 (FY2025).
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from forum.models import (
    Challenge,
    Field,
    Municipality,
    Organisation,
    Project,
    ProjectStageChange,
    Proposal,
)

JST = ZoneInfo("Asia/Tokyo")
TODAY = date(2025, 6, 1)


def at(text: str) -> datetime:
    """A Japan time from "YYYY-MM-DD" or "YYYY-MM-DD HH:MM" (noon when no time)."""
    moment = datetime.fromisoformat(text if " " in text else f"{text} 12:00")
    return moment.replace(tzinfo=JST)


def series_project(title, path, *, public=False, created=None, department=None):
    stage = path[-1][0]
    project = Project.objects.create(
        title=title,
        field=Field.objects.get(slug="safety"),
        stage=stage,
        is_public=public,
        case_study="事例" if public else "",
        created_at=at(created or path[0][1]),
        department=department,
    )
    project.municipalities.set([Municipality.objects.get(code="271004")])
    previous = ""
    for to_stage, when in path:
        ProjectStageChange.objects.create(
            project=project, from_stage=previous, to_stage=to_stage, created_at=at(when)
        )
        previous = to_stage
    return project


def make_series_world(*, department=None) -> dict:
    """The world of the module docstring."""
    city = Municipality.objects.get(code="271004")
    safety = Field.objects.get(slug="safety")
    a, b = (
        Challenge.objects.create(
            title=title,
            summary="s",
            municipality=city,
            field=safety,
            is_published=True,
            published_at=at(when),
            department=department,
        )
        for title, when in (("課題A", "2023-03-31 23:30"), ("課題B", "2023-04-01 00:10"))
    )
    company = Organisation.objects.create(name="株式会社推移", kind="company", status="approved")
    for challenge, when in ((a, "2023-04-01 09:00"), (b, "2024-01-10")):
        Proposal.objects.create(
            challenge=challenge,
            organisation=company,
            title="提案",
            summary="s",
            status="submitted",
            submitted_at=at(when),
        )
    return {
        "p1": series_project(
            "P1",
            [
                ("matched", "2022-05-01"),
                ("poc_planning", "2022-06-01"),
                ("poc", "2023-03-31 22:00"),
                ("evaluation", "2023-04-01 08:00"),
                ("implementation", "2024-03-31"),
                ("rollout", "2024-04-01"),
            ],
            public=True,
            department=department,
        ),
        "p2": series_project(
            "P2",
            [
                ("matched", "2022-04-01 00:30"),
                ("poc", "2022-10-01 00:30"),
                ("evaluation", "2023-06-01"),
                ("poc", "2023-07-01"),
                ("evaluation", "2023-09-01"),
                ("implementation", "2025-01-15"),
            ],
            department=department,
        ),
        "p3": series_project(
            "P3",
            [
                ("matched", "2021-03-31 10:00"),
                ("poc", "2021-04-01 10:00"),
                ("discontinued", "2022-03-31 10:00"),
            ],
            created="2025-05-20",
        ),
        "p4": series_project("P4", [("matched", "2024-04-01")]),
    }
