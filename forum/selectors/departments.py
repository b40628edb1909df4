"""Departments (所属・局): the lists, and what a department's page shows to whom.

Everyone sees a department's published challenges and public projects. The staff of the
organisation it belongs to and the secretariat also see everything it owns: private projects,
the stale ones and the milestones that are due.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from forum.models import Challenge, Department, Membership, Organisation, Project, ProjectMilestone
from forum.models.projects import STAGE_ORDER, Stage
from forum.selectors.projects.lists import project_list_owned
from forum.selectors.roles import user_is_secretariat

# Milestones due within this many days (and those overdue) are listed as due.
DUE_WITHIN_DAYS = 30


def department_list() -> QuerySet[Department]:
    """Every department, by organisation then the organisation's order."""
    return Department.objects.select_related("organisation", "organisation__municipality")


def department_list_for_organisation(organisation: Organisation) -> QuerySet[Department]:
    """The departments of one organisation, in its order."""
    return department_list().filter(organisation=organisation)


def department_list_for_project(project: Project) -> QuerySet[Department]:
    """The departments that may own a project: those of the municipality organisations (the
    prefecture's included) of the project's municipalities."""
    return department_list().filter(
        organisation__kind=Organisation.Kind.MUNICIPALITY,
        organisation__municipality__in=project.municipalities.all(),
    )


def department_get_by_slug(slug: str) -> Department | None:
    """One department, or None."""
    return department_list().filter(slug=slug).first()


def department_slugs() -> list[str]:
    """Every department's slug: the values the lists and the dashboard filter by."""
    return list(Department.objects.order_by("slug").values_list("slug", flat=True))


def user_can_see_department_internals(user, department: Department) -> bool:
    """Staff of the department's (approved) organisation and the secretariat see everything it owns."""
    if not user.is_authenticated:
        return False
    if user_is_secretariat(user):
        return True
    return Membership.objects.filter(
        user=user,
        organisation_id=department.organisation_id,
        organisation__status=Organisation.Status.APPROVED,
    ).exists()


@dataclass
class DepartmentPage:
    """What the department's page shows; ``internal`` is False for everyone but its staff."""

    department: Department
    internal: bool
    challenges: list[Challenge]
    projects: list[Project]
    stale: list[Project] = field(default_factory=list)
    due: list[ProjectMilestone] = field(default_factory=list)
    today: date | None = None

    @property
    def working(self) -> int:
        return sum(1 for p in self.projects if p.stage in STAGE_ORDER)


def department_page(user, department: Department, *, today: date | None = None) -> DepartmentPage:
    """The department's challenges and projects, with the stale and the due for its staff."""
    today = today or timezone.localdate()
    internal = user_can_see_department_internals(user, department)
    challenges = Challenge.objects.filter(department=department).select_related(
        "field", "municipality"
    )
    if not internal:
        challenges = challenges.filter(is_published=True)
    projects = project_list_owned(department.pk, everything=internal)
    page = DepartmentPage(
        department=department,
        internal=internal,
        challenges=list(challenges.order_by("-published_at", "-pk")),
        projects=projects,
        today=today,
    )
    if internal:
        page.stale = [p for p in projects if p.is_stale]
        page.due = list(
            ProjectMilestone.objects.filter(
                project__department=department,
                done=False,
                due_on__lte=today + timedelta(days=DUE_WITHIN_DAYS),
            )
            .exclude(project__stage=Stage.DISCONTINUED)
            .select_related("project")
            .order_by("due_on", "pk")
        )
    return page
