"""The 見える化 dashboard: the funnel, stage counts, implementation rate, time in each stage, stale projects.

Two audiences read the same computation. The secretariat sees every project. The public version
counts only what is already public: published challenges, the number of proposals they received
(a total, never who proposed what) and projects marked public; it has no stale list, which
names projects.

The figures are read in two steps. ``dashboard_facts`` has the database count them
(forum.selectors.dashboard_queries: projects by field and stage, and by municipality, the
projects that reached each stage, the stays and their medians, the first stale projects and
how many there are), with a fixed number of queries that each return a few rows however many
projects there are. Then one builder per table turns the facts into the table and its
figures, without touching the database, so each can be checked alone with facts made by hand.

Beside the tables, every number is also kept as a ``Figure`` that says what it counts in codes
(table, measure, stage, field, municipality), built in the same loop as the cell it fills:
the API and the open data files serve those, so they cannot drift from the page.

``dashboard_tables`` defines the tables, cells and figures; ``dashboard_facts`` reads the facts;
``dashboard_builders`` holds the builders; this module puts them together for the pages, the API
and the open data.
"""

from datetime import date, datetime

from django.db import models
from django.db.models import Max
from django.utils import timezone

from forum.models import Call, Proposal
from forum.selectors import dashboard_queries as queries
from forum.selectors.challenges import challenge_last_updated
from forum.selectors.dashboard_builders import BUILDERS, dashboard_stale
from forum.selectors.dashboard_facts import DashboardFacts, dashboard_facts, dashboard_scope
from forum.selectors.dashboard_tables import Dashboard, Figure, Table
from forum.selectors.projects.lists import project_public_last_updated


def dashboard_from_facts(facts: DashboardFacts, *, public: bool) -> Dashboard:
    """Every table of the dashboard and its figures, built from the facts."""
    tables: dict[str, Table] = {}
    figures: list[Figure] = []
    for build in BUILDERS:
        table, built = build(facts)
        tables[table.key] = table
        figures += built
    if not public:
        tables["stale"] = dashboard_stale(facts)
    return Dashboard(
        public=public,
        today=facts.today,
        tables=tables,
        project_count=facts.total,
        implemented_count=facts.implemented,
        implementation_rate=facts.implementation_rate,
        figures=figures,
    )


def dashboard_figures(
    *,
    public: bool,
    today: date | None = None,
    call: Call | None = None,
    department_id: int | None = None,
) -> Dashboard:
    """Every table of the dashboard, for the public (public projects only) or the secretariat,
    of the whole forum, of one call or of one department's."""
    facts = dashboard_facts(
        public=public,
        today=today or timezone.localdate(),
        call=call,
        department_id=department_id,
        with_residents=True,
    )
    return dashboard_from_facts(facts, public=public)


def dashboard_stale_list(
    *, call: Call | None = None, department_id: int | None = None, today: date | None = None
) -> models.QuerySet:
    """Every stale project the secretariat's dashboard counts (narrowed as it is), the longest
    silence first, each with ``last_report_on`` and ``quiet_since``: the full stale list."""
    scope = dashboard_scope(public=False, call=call, department_id=department_id)
    return queries.stale_projects(scope.projects, today or timezone.localdate())


def dashboard_last_updated() -> datetime | None:
    """When the public figures last changed: a published challenge, a proposal submitted to
    one, or the public projects (their stage moves included) changing."""
    submitted = Proposal.objects.filter(challenge__is_published=True).aggregate(
        last=Max("submitted_at")
    )["last"]
    dates = [d for d in (challenge_last_updated(), submitted, project_public_last_updated()) if d]
    return max(dates) if dates else None
