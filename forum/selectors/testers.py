"""Reading tester calls: open ones for residents, a project's for its participants."""

from django.db.models import Count, Q, QuerySet

from forum.models import Project, TesterApplication, TesterCall
from forum.selectors.projects.access import project_roles


def tester_call_list_open() -> QuerySet[TesterCall]:
    """Calls residents may apply to, with how many applied and the project's municipalities
    (what a call shows of a private project besides its own words)."""
    return (
        TesterCall.objects.filter(status=TesterCall.Status.OPEN)
        .select_related("project")
        .prefetch_related("project__municipalities")
        .annotate(applicant_count=Count("applications"))
    )


def tester_call_list_for_project(project: Project) -> QuerySet[TesterCall]:
    """A project's calls with their applicant and selected counts."""
    return project.tester_calls.annotate(
        applicant_count=Count("applications"),
        selected_count=Count(
            "applications", filter=Q(applications__status=TesterApplication.Status.SELECTED)
        ),
    )


def user_can_manage_tester_call(user, call: TesterCall) -> bool:
    """The project's participants (and the secretariat) run its calls and see applicants."""
    return bool(project_roles(user, call.project))


def tester_application_list_for_call(user, call: TesterCall) -> QuerySet[TesterApplication]:
    """Applicants of the call, for those who run it only: nothing else of the person."""
    if not user_can_manage_tester_call(user, call):
        return TesterApplication.objects.none()
    return call.applications.select_related("user", "user__resident_profile__municipality")


def tester_application_get_own(user, call: TesterCall) -> TesterApplication | None:
    """The resident's own application to the call."""
    if not user.is_authenticated:
        return None
    return call.applications.filter(user=user).first()
