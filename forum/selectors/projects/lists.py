"""Lists of projects: the public list and open data, the member's projects, the ones followed,
and those an accepted proposal may join; with their progress read in the same query."""

from datetime import date, datetime, timedelta

from django.db.models import IntegerField, Max, OuterRef, Prefetch, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from forum.models import (
    AuditEvent,
    Challenge,
    Follow,
    Organisation,
    ProgressReport,
    Project,
    ProjectMilestone,
    ProjectParticipant,
    ProjectStageChange,
    Proposal,
)
from forum.models.projects import ParticipantRole, Stage
from forum.rules.project_progress import (
    REPORTING_STAGES,
    STALE_AFTER_DAYS,
    progress_percent,
    project_is_stale,
)
from forum.selectors.kpis import kpi_project_ids_public
from forum.selectors.projects.access import project_list_of_user, project_list_visible
from forum.selectors.roles import user_is_secretariat
from forum.selectors.tags import DATASETS, TAGGINGS

PROJECT_SORTS = {
    "new": ("-created_at", "-pk"),
    # Oldest change first: what an incremental harvest pages through.
    "updated": ("updated_at", "pk"),
}


def _with_progress(qs: QuerySet[Project]) -> QuerySet[Project]:
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
    department: str = "",
    updated_since: datetime | None = None,
    sort: str = "new",
    kpi_unit: str = "",
    kpi_year: str = "",
    sdg: str = "",
    theme: str = "",
    dataset: str = "",
) -> QuerySet[Project]:
    """Public projects for the public list and the API, filtered by stage, field slug and
    municipality code when given (and changed since a time), sorted as asked. ``kpi_unit``
    (and ``kpi_year``) narrow to the projects behind a figure of the public KPI roll-up."""
    qs = Project.objects.filter(is_public=True)
    if stage in Stage.values:
        qs = qs.filter(stage=stage)
    if field:
        qs = qs.filter(field__slug=field)
    if municipality:
        qs = qs.filter(
            pk__in=Project.objects.filter(municipalities__code=municipality).values("pk")
        )
    if department:
        qs = qs.filter(department__slug=department)
    if updated_since is not None:
        qs = qs.filter(updated_at__gte=updated_since)
    if kpi_unit:
        qs = qs.filter(pk__in=kpi_project_ids_public(kpi_unit, kpi_year))
    if sdg:
        qs = qs.filter(pk__in=Project.objects.filter(sdg_goals__number=sdg).values("pk"))
    if theme:
        qs = qs.filter(
            pk__in=Project.objects.filter(theme_taggings__theme__slug=theme).values("pk")
        )
    if dataset:
        qs = qs.filter(pk__in=Project.objects.filter(datasets__slug=dataset).values("pk"))
    return _list_related(_with_progress(qs)).order_by(
        *PROJECT_SORTS.get(sort, PROJECT_SORTS["new"])
    )


def project_with_public_record(qs: QuerySet[Project]) -> QuerySet[Project]:
    """What open data shows of each public project, read with a fixed number of queries:
    its published challenges, its stage history with outcomes, and the public projects it
    came from or rolled out to (``published_challenges`` and ``public_rollouts``)."""
    return qs.select_related("origin", "department__organisation").prefetch_related(
        "sdg_goals",
        TAGGINGS,
        DATASETS,
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


def project_public_last_updated() -> datetime | None:
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
    projects = list(
        _list_related(_with_progress(project_list_of_user(user))).order_by("-created_at")
    )
    for project in projects:
        _decorate(project, today)
    return projects


def project_list_owned(department_id: int, *, everything: bool) -> list[Project]:
    """The projects a department owns (only public ones unless ``everything``), with progress,
    latest report and a stale flag, newest first."""
    qs = Project.objects.filter(department_id=department_id)
    if not everything:
        qs = qs.filter(is_public=True)
    today = timezone.localdate()
    projects = list(_list_related(_with_progress(qs)).order_by("-created_at", "-pk"))
    for project in projects:
        _decorate(project, today)
    return projects


def project_list_followed(user) -> list[Project]:
    """Projects the user follows and may still see."""
    if not user.is_authenticated:
        return []
    followed = Follow.objects.filter(user=user, project__isnull=False).values("project_id")
    return list(
        _list_related(project_list_visible(user).filter(pk__in=followed)).order_by("-created_at")
    )


def _decorate(project: Project, today: date) -> None:
    project.progress = progress_percent(project.weight_done, project.weight_total)
    project.is_stale = project_is_stale(
        stage=project.stage,
        started_on=timezone.localtime(project.created_at).date(),
        last_report_on=project.last_report_on,
        today=today,
    )


def project_list_joinable(user, proposal: Proposal) -> list[Project]:
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


def project_list_stale(user) -> QuerySet[Project]:
    """Projects that have stalled, for the secretariat only (the admin home's panel), each with
    ``quiet_since``.

    A project counts when it is in a stage that expects progress reports (``REPORTING_STAGES``:
    マッチング成立, 実証実験の準備, 実証実験, 評価) and has filed none for STALE_AFTER_DAYS
    (counted from its start when it never reported). 社会実装 and 横展開 are in service and 中止
    is closed, so their silence is not a stall and they are left out. The longest silent come
    first; the list and its count are those of the dashboard's full list of stale projects.
    """
    if not user_is_secretariat(user):
        return Project.objects.none()
    cutoff = timezone.localdate() - timedelta(days=STALE_AFTER_DAYS)
    return (
        Project.objects.filter(stage__in=REPORTING_STAGES)
        .annotate(quiet_since=Coalesce(Max("reports__reported_on"), TruncDate("created_at")))
        .filter(quiet_since__lte=cutoff)
        .order_by("quiet_since", "pk")
    )
