"""The project page: everything it shows, read once with a fixed number of queries."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch
from django.utils import timezone

from forum.models import (
    Challenge,
    Follow,
    KpiValue,
    ProgressReport,
    Project,
    ProjectMilestone,
    ProjectParticipant,
    ProjectProposal,
    ProjectStageChange,
)
from forum.models.projects import STAGE_ORDER, ParticipantRole, Stage
from forum.rules.project_progress import milestones_progress, project_is_stale
from forum.rules.project_stages import SECRETARIAT
from forum.selectors.follows import user_can_follow
from forum.selectors.kpis import kpi_list_public
from forum.selectors.projects.access import project_list_visible, project_roles
from forum.selectors.proposals import proposal_list_visible
from forum.selectors.tags import project_tags_of

# Within a day, the timeline shows the stage first, then milestones, then reports.
TIMELINE_ORDER = {"stage": 0, "milestone": 1, "report": 2}


@dataclass
class TimelineEntry:
    """One dated line of the project's timeline."""

    when: date
    kind: str  # "stage", "milestone" or "report"
    item: object


@dataclass
class ProjectView:
    """Everything the project page shows, read with a fixed number of queries."""

    project: Project
    roles: set[str]
    full: bool
    progress: int | None
    participants: list
    municipalities: list
    challenges: list
    stage_changes: list
    milestones: list = field(default_factory=list)
    reports: list = field(default_factory=list)
    kpis: list = field(default_factory=list)
    documents: list = field(default_factory=list)
    proposals: list = field(default_factory=list)
    visible_proposal_ids: set = field(default_factory=set)
    rollouts: list = field(default_factory=list)
    origin: Project | None = (
        None  # the project this one was rolled out from, if the user may see it
    )
    timeline: list = field(default_factory=list)
    is_following: bool = False
    can_follow: bool = False
    is_stale: bool = False
    last_report_on: date | None = None
    kpi_rows: list = field(default_factory=list)
    public_kpi_rows: list = field(default_factory=list)  # approved KPIs, for everyone else
    sdgs: list = field(default_factory=list)
    themes: list = field(default_factory=list)
    datasets: list = field(default_factory=list)

    @property
    def stage_path(self) -> list[dict]:
        """The working stages with done, current or ahead, from the stages the history reached."""
        reached = {c.to_stage for c in self.stage_changes}
        current = self.project.stage
        path = []
        for stage in STAGE_ORDER:
            if stage == current:
                state = "current"
            elif stage in reached:
                state = "done"
            else:
                state = "ahead"
            path.append({"value": stage, "label": Stage(stage).label, "state": state})
        if current == Stage.DISCONTINUED:
            path.append({"value": current, "label": Stage(current).label, "state": "current"})
        return path

    @property
    def coordinator(self):
        """The coordinating organisation, if one is assigned."""
        return next(
            (p.organisation for p in self.participants if p.role == ParticipantRole.COORDINATOR),
            None,
        )

    @property
    def is_secretariat(self) -> bool:
        return SECRETARIAT in self.roles


def _project_for_page(project_id: int) -> Project | None:
    return (
        Project.objects.select_related("field", "origin", "department__organisation")
        .prefetch_related(
            "municipalities",
            Prefetch(
                "participants",
                queryset=ProjectParticipant.objects.select_related("organisation"),
            ),
            Prefetch(
                "challenges",
                queryset=Challenge.objects.select_related("municipality", "field"),
            ),
            Prefetch(
                "stage_changes",
                queryset=ProjectStageChange.objects.select_related("actor", "outcome"),
            ),
        )
        .filter(pk=project_id)
        .first()
    )


def _stage_entries(stage_changes) -> list[TimelineEntry]:
    return [
        TimelineEntry(timezone.localtime(c.created_at).date(), "stage", c) for c in stage_changes
    ]


def _summary(user, project: Project, roles: set[str]) -> ProjectView:
    """What everyone who may see the project sees: participants and the secretariat see every
    challenge and the roll-outs they may see, others the published and public ones."""
    full = bool(roles)
    rollouts = project_list_visible(user) if full else Project.objects.filter(is_public=True)
    return ProjectView(
        project=project,
        roles=roles,
        full=full,
        progress=None,
        participants=list(project.participants.all()),
        municipalities=list(project.municipalities.all()),
        challenges=[c for c in project.challenges.all() if full or c.is_published],
        stage_changes=list(project.stage_changes.all()),
        rollouts=list(rollouts.filter(origin=project).order_by("created_at")),
    )


def _add_follow_state(view: ProjectView, user) -> None:
    project = view.project
    if project.origin_id and project_list_visible(user).filter(pk=project.origin_id).exists():
        view.origin = project.origin
    if user.is_authenticated:
        view.is_following = Follow.objects.filter(user=user, project=project).exists()
        view.can_follow = view.is_following or user_can_follow(user)


def _reports(project: Project) -> list[ProgressReport]:
    """The project's reports with their KPI values, newest first."""
    return list(
        ProgressReport.objects.filter(project=project)
        .select_related("author")
        .prefetch_related(Prefetch("kpi_values", queryset=KpiValue.objects.select_related("kpi")))
        .order_by("-reported_on", "-pk")
    )


def _kpi_rows(kpis: list, reports: list[ProgressReport]) -> list[tuple]:
    """Each KPI with its latest value and the date of the report that gave it."""
    latest: dict[int, tuple] = {}
    for report in reports:  # newest first, so the first value seen is the latest
        for value in report.kpi_values.all():
            latest.setdefault(value.kpi_id, (value, report.reported_on))
    return [(kpi, *latest.get(kpi.pk, (None, None))) for kpi in kpis]


def _add_proposals(view: ProjectView, user) -> None:
    """The project's proposals, and which of them the user may open."""
    view.proposals = [
        link.proposal
        for link in ProjectProposal.objects.filter(project=view.project).select_related(
            "proposal", "proposal__organisation"
        )
    ]
    view.visible_proposal_ids = set(
        proposal_list_visible(user)
        .filter(pk__in=[p.pk for p in view.proposals])
        .values_list("pk", flat=True)
    )


def _add_inside(view: ProjectView, user, milestones: list) -> None:
    """What participants and the secretariat see beside the summary."""
    project = view.project
    reports = _reports(project)
    view.last_report_on = reports[0].reported_on if reports else None
    view.is_stale = project_is_stale(
        stage=project.stage,
        started_on=timezone.localtime(project.created_at).date(),
        last_report_on=view.last_report_on,
    )
    view.milestones = milestones
    view.reports = reports
    view.kpis = list(project.kpis.all())
    view.kpi_rows = _kpi_rows(view.kpis, reports)
    view.documents = list(project.documents.select_related("uploaded_by"))
    _add_proposals(view, user)
    entries = _stage_entries(view.stage_changes)
    entries += [TimelineEntry(m.due_on, "milestone", m) for m in milestones]
    entries += [TimelineEntry(r.reported_on, "report", r) for r in reports]
    view.timeline = sorted(entries, key=lambda e: (e.when, TIMELINE_ORDER[e.kind]))


def project_get_view(user, project_id: int) -> ProjectView | None:
    """The project as the user may see it: all of it for participants and the secretariat,
    the curated summary for everyone else when it is public; None when it is hidden."""
    project = _project_for_page(project_id)
    if project is None:
        return None
    roles = project_roles(user, project)
    if not roles and not project.is_public:
        return None
    view = _summary(user, project, roles)
    view.sdgs, view.themes = project_tags_of(project)
    view.datasets = list(project.datasets.filter(is_active=True))
    _add_follow_state(view, user)
    milestones = list(ProjectMilestone.objects.filter(project=project))
    view.progress = milestones_progress(milestones)
    if view.full:
        _add_inside(view, user, milestones)
    else:
        view.timeline = _stage_entries(view.stage_changes)
        view.public_kpi_rows = _public_kpi_rows(project)
    return view


def _public_kpi_rows(project: Project) -> list[tuple]:
    """The KPIs the secretariat approved, with their latest values: never a report's text."""
    kpis = list(kpi_list_public().filter(project=project))
    values = (
        KpiValue.objects.filter(kpi__in=kpis)
        .select_related("report")
        .order_by("-report__reported_on", "-report_id")
    )
    latest: dict[int, tuple] = {}
    for value in values:
        latest.setdefault(value.kpi_id, (value, value.report.reported_on))
    return [(kpi, *latest.get(kpi.pk, (None, None))) for kpi in kpis]
