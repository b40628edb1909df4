"""Who may see which project and in what role, and the reads of the project pages, decided once."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.db.models import (
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from forum.models import (
    AuditEvent,
    Challenge,
    Follow,
    KpiValue,
    Membership,
    Organisation,
    ProgressReport,
    Project,
    ProjectMilestone,
    ProjectParticipant,
    ProjectProposal,
    ProjectStageChange,
    Proposal,
)
from forum.models.projects import STAGE_ORDER, ParticipantRole, Stage
from forum.rules.project_progress import milestones_progress, progress_percent, project_is_stale
from forum.rules.project_stages import SECRETARIAT
from forum.selectors.notifications import secretariat_users
from forum.selectors.proposals import proposals_visible_to
from forum.selectors.roles import organisations_for_user, user_is_secretariat

PROJECT_SORTS = {
    "new": ("-created_at", "-pk"),
    # Oldest change first: what an incremental harvest pages through.
    "updated": ("updated_at", "pk"),
}


def _approved_organisation_ids(user) -> QuerySet:
    return Membership.objects.filter(
        user=user, organisation__status=Organisation.Status.APPROVED
    ).values("organisation_id")


def _participating_project_ids(user) -> QuerySet:
    return ProjectParticipant.objects.filter(
        organisation_id__in=_approved_organisation_ids(user)
    ).values("project_id")


def project_roles(user, project: Project) -> set[str]:
    """The user's roles on the project: participant roles of their organisations, and secretariat."""
    if not user.is_authenticated:
        return set()
    roles = set(
        ProjectParticipant.objects.filter(
            project=project, organisation_id__in=_approved_organisation_ids(user)
        ).values_list("role", flat=True)
    )
    if user_is_secretariat(user):
        roles.add(SECRETARIAT)
    return roles


def projects_visible_to(user) -> QuerySet[Project]:
    """Public projects for everyone; the user's own projects; every project for the secretariat."""
    if user.is_authenticated and user_is_secretariat(user):
        return Project.objects.all()
    condition = Q(is_public=True)
    if user.is_authenticated:
        condition |= Q(pk__in=_participating_project_ids(user))
    return Project.objects.filter(condition)


def projects_of_user(user) -> QuerySet[Project]:
    """Projects an organisation of the user takes part in (all of them for the secretariat)."""
    if not user.is_authenticated:
        return Project.objects.none()
    if user_is_secretariat(user):
        return Project.objects.all()
    return Project.objects.filter(pk__in=_participating_project_ids(user))


def with_progress(qs: QuerySet[Project]) -> QuerySet[Project]:
    """Annotate the weights behind the progress and the date of the latest report, in one query."""
    milestones = (
        ProjectMilestone.objects.filter(project=OuterRef("pk")).order_by().values("project")
    )
    return qs.annotate(
        weight_total=Coalesce(
            Subquery(milestones.annotate(n=Sum("weight")).values("n"), output_field=IntegerField()),
            Value(0),
        ),
        weight_done=Coalesce(
            Subquery(
                milestones.filter(done=True).annotate(n=Sum("weight")).values("n"),
                output_field=IntegerField(),
            ),
            Value(0),
        ),
        last_report_on=Subquery(
            ProgressReport.objects.filter(project=OuterRef("pk"))
            .order_by()
            .values("project")
            .annotate(latest=Max("reported_on"))
            .values("latest")
        ),
    )


def _list_related(qs: QuerySet[Project]) -> QuerySet[Project]:
    return qs.select_related("field").prefetch_related(
        "municipalities",
        Prefetch(
            "participants",
            queryset=ProjectParticipant.objects.select_related("organisation"),
        ),
    )


def project_list_public(
    *,
    stage: str = "",
    field: str = "",
    municipality: str = "",
    updated_since: datetime | None = None,
    sort: str = "new",
) -> QuerySet[Project]:
    """Public projects for the public list and the API, filtered by stage, field slug and
    municipality code when given (and changed since a time), sorted as asked."""
    qs = Project.objects.filter(is_public=True)
    if stage in Stage.values:
        qs = qs.filter(stage=stage)
    if field:
        qs = qs.filter(field__slug=field)
    if municipality:
        qs = qs.filter(
            pk__in=Project.objects.filter(municipalities__code=municipality).values("pk")
        )
    if updated_since is not None:
        qs = qs.filter(updated_at__gte=updated_since)
    return _list_related(with_progress(qs)).order_by(*PROJECT_SORTS.get(sort, PROJECT_SORTS["new"]))


def project_public_record(qs: QuerySet[Project]) -> QuerySet[Project]:
    """What open data shows of each public project, read with a fixed number of queries:
    its published challenges, its stage history with outcomes, and the public projects it
    came from or rolled out to (``published_challenges`` and ``public_rollouts``)."""
    return qs.select_related("origin").prefetch_related(
        Prefetch(
            "challenges",
            queryset=Challenge.objects.filter(is_published=True)
            .select_related("municipality")
            .order_by("pk"),
            to_attr="published_challenges",
        ),
        Prefetch(
            "stage_changes",
            queryset=ProjectStageChange.objects.select_related("outcome").order_by(
                "created_at", "pk"
            ),
        ),
        Prefetch(
            "rollouts",
            queryset=Project.objects.filter(is_public=True).order_by("created_at", "pk"),
            to_attr="public_rollouts",
        ),
    )


def projects_public_last_updated() -> datetime | None:
    """When the set of public projects last changed: an edit of a public project, or a
    project made public or private (the latter is no longer public, but the set changed)."""
    edited = Project.objects.filter(is_public=True).aggregate(last=Max("updated_at"))["last"]
    flipped = AuditEvent.objects.filter(
        verb="project.publication", target_type="forum.project", data__changed=True
    ).aggregate(last=Max("created_at"))["last"]
    dates = [d for d in (edited, flipped) if d]
    return max(dates) if dates else None


def project_list_for_member(user) -> list[Project]:
    """The user's projects with progress, latest report and a stale flag, newest first."""
    today = timezone.localdate()
    projects = list(_list_related(with_progress(projects_of_user(user))).order_by("-created_at"))
    for project in projects:
        _decorate(project, today)
    return projects


def projects_followed_by(user) -> list[Project]:
    """Projects the user follows and may still see."""
    if not user.is_authenticated:
        return []
    followed = Follow.objects.filter(user=user, project__isnull=False).values("project_id")
    return list(
        _list_related(projects_visible_to(user).filter(pk__in=followed)).order_by("-created_at")
    )


def _decorate(project: Project, today: date) -> None:
    project.progress = progress_percent(project.weight_done, project.weight_total)
    project.is_stale = project_is_stale(
        stage=project.stage,
        started_on=timezone.localtime(project.created_at).date(),
        last_report_on=project.last_report_on,
        today=today,
    )


def projects_joinable_for_accept(user, proposal: Proposal) -> list[Project]:
    """Working projects of the reviewer's municipality that an accepted proposal may join."""
    if not user.is_authenticated:
        return []
    municipality_orgs = Organisation.objects.filter(
        kind=Organisation.Kind.MUNICIPALITY,
        municipality_id=proposal.challenge.municipality_id,
        status=Organisation.Status.APPROVED,
        memberships__user=user,
    ).values("pk")
    return list(
        Project.objects.filter(
            participants__organisation_id__in=municipality_orgs,
            participants__role=ParticipantRole.MUNICIPALITY,
        )
        .exclude(stage=Stage.DISCONTINUED)
        .distinct()
        .order_by("-created_at")
    )


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


def project_view(user, project_id: int) -> ProjectView | None:
    """The project as the user may see it: all of it for participants and the secretariat,
    the curated summary for everyone else when it is public; None when it is hidden."""
    project = (
        Project.objects.select_related("field", "origin")
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
    if project is None:
        return None
    roles = project_roles(user, project)
    if not roles and not project.is_public:
        return None
    full = bool(roles)
    participants = list(project.participants.all())
    view = ProjectView(
        project=project,
        roles=roles,
        full=full,
        progress=None,
        participants=participants,
        municipalities=list(project.municipalities.all()),
        challenges=[c for c in project.challenges.all() if full or c.is_published],
        stage_changes=list(project.stage_changes.all()),
        rollouts=list(
            (projects_visible_to(user) if full else Project.objects.filter(is_public=True))
            .filter(origin=project)
            .order_by("created_at")
        ),
    )
    if project.origin_id and projects_visible_to(user).filter(pk=project.origin_id).exists():
        view.origin = project.origin
    if user.is_authenticated:
        view.is_following = Follow.objects.filter(user=user, project=project).exists()
        view.can_follow = view.is_following or user_may_follow(user)
    milestones = list(ProjectMilestone.objects.filter(project=project))
    view.progress = milestones_progress(milestones)
    if not full:
        view.timeline = [
            TimelineEntry(timezone.localtime(c.created_at).date(), "stage", c)
            for c in view.stage_changes
        ]
        return view
    reports = list(
        ProgressReport.objects.filter(project=project)
        .select_related("author")
        .prefetch_related(Prefetch("kpi_values", queryset=KpiValue.objects.select_related("kpi")))
        .order_by("-reported_on", "-pk")
    )
    view.last_report_on = reports[0].reported_on if reports else None
    view.is_stale = project_is_stale(
        stage=project.stage,
        started_on=timezone.localtime(project.created_at).date(),
        last_report_on=view.last_report_on,
    )
    view.milestones = milestones
    view.reports = reports
    view.kpis = list(project.kpis.all())
    latest: dict[int, tuple] = {}
    for report in reports:  # newest first, so the first value seen is the latest
        for value in report.kpi_values.all():
            latest.setdefault(value.kpi_id, (value, report.reported_on))
    view.kpi_rows = [(kpi, *latest.get(kpi.pk, (None, None))) for kpi in view.kpis]
    view.documents = list(project.documents.select_related("uploaded_by"))
    view.proposals = [
        link.proposal
        for link in ProjectProposal.objects.filter(project=project).select_related(
            "proposal", "proposal__organisation"
        )
    ]
    view.visible_proposal_ids = set(
        proposals_visible_to(user)
        .filter(pk__in=[p.pk for p in view.proposals])
        .values_list("pk", flat=True)
    )
    entries = [
        TimelineEntry(timezone.localtime(c.created_at).date(), "stage", c)
        for c in view.stage_changes
    ]
    entries += [TimelineEntry(m.due_on, "milestone", m) for m in milestones]
    entries += [TimelineEntry(r.reported_on, "report", r) for r in reports]
    order = {"stage": 0, "milestone": 1, "report": 2}
    view.timeline = sorted(entries, key=lambda e: (e.when, order[e.kind]))
    return view


def project_for_participant(user, project_id: int) -> tuple[Project, set[str]] | None:
    """The project and the user's roles when the user takes part in it or is the secretariat."""
    project = Project.objects.select_related("field").filter(pk=project_id).first()
    if project is None:
        return None
    roles = project_roles(user, project)
    return (project, roles) if roles else None


def _participant_members(project: Project) -> Q:
    """Users who belong to one of the project's approved participating organisations."""
    participant_orgs = ProjectParticipant.objects.filter(
        project=project, organisation__status=Organisation.Status.APPROVED
    ).values("organisation_id")
    return Q(memberships__organisation_id__in=participant_orgs)


def _sees_everything(project: Project) -> Q:
    """Users who see the whole project: members of its approved participants, the secretariat."""
    return _participant_members(project) | Q(pk__in=secretariat_users().values("pk"))


def project_audience(project: Project, *, exclude=None) -> list:
    """Who hears of a stage change or a report: members of the participating organisations,
    followers of the project who may still see it and, for a public project, followers of its
    challenges."""
    User = get_user_model()
    members = _participant_members(project)
    followers = Q(follows__project=project)
    if not project.is_public:
        # A private project's followers must still be entitled to see it.
        followers &= _sees_everything(project)
    condition = members | followers
    if project.is_public:
        condition |= Q(follows__challenge__in=project.challenges.values("pk"))
    users = User.objects.filter(condition, is_active=True).distinct()
    if exclude is not None and getattr(exclude, "pk", None):
        users = users.exclude(pk=exclude.pk)
    return list(users)


def project_audience_split(project: Project, *, exclude=None) -> tuple[list, list]:
    """The audience in two: those who see the whole project, and the followers who see only
    its public page (so they may be told what happened, but not the text behind it)."""
    audience = project_audience(project, exclude=exclude)
    inside = set(
        get_user_model()
        .objects.filter(_sees_everything(project), pk__in=[user.pk for user in audience])
        .values_list("pk", flat=True)
    )
    return (
        [user for user in audience if user.pk in inside],
        [user for user in audience if user.pk not in inside],
    )


def user_may_follow(user) -> bool:
    """Following is for members of an approved organisation, as follow_add requires."""
    return user.is_authenticated and organisations_for_user(user).exists()


def follow_state(user, *, challenge: Challenge | None = None) -> bool:
    """Whether the user follows the challenge."""
    if not user.is_authenticated or challenge is None:
        return False
    return Follow.objects.filter(user=user, challenge=challenge).exists()
