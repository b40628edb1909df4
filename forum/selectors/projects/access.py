"""Who may see which project and in what role, decided once for pages, services and the API."""

from django.db.models import Q, QuerySet

from forum.models import Membership, Organisation, Project, ProjectParticipant
from forum.rules.project_stages import SECRETARIAT
from forum.selectors.roles import user_is_secretariat


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


def project_list_visible(user) -> QuerySet[Project]:
    """Public projects for everyone; the user's own projects; every project for the secretariat."""
    if user.is_authenticated and user_is_secretariat(user):
        return Project.objects.all()
    condition = Q(is_public=True)
    if user.is_authenticated:
        condition |= Q(pk__in=_participating_project_ids(user))
    return Project.objects.filter(condition)


def project_list_of_user(user) -> QuerySet[Project]:
    """Projects an organisation of the user takes part in (all of them for the secretariat)."""
    if not user.is_authenticated:
        return Project.objects.none()
    if user_is_secretariat(user):
        return Project.objects.all()
    return Project.objects.filter(pk__in=_participating_project_ids(user))


def project_get_for_participant(user, project_id: int) -> tuple[Project, set[str]] | None:
    """The project and the user's roles when the user takes part in it or is the secretariat."""
    project = Project.objects.select_related("field").filter(pk=project_id).first()
    if project is None:
        return None
    roles = project_roles(user, project)
    return (project, roles) if roles else None
