"""Who hears of what happens to a project, and how much of it they may be told."""

from django.contrib.auth import get_user_model
from django.db.models import Q

from forum.models import Organisation, Project, ProjectParticipant
from forum.selectors.notifications import user_list_secretariat


def _participant_members(project: Project) -> Q:
    """Users who belong to one of the project's approved participating organisations."""
    participant_orgs = ProjectParticipant.objects.filter(
        project=project, organisation__status=Organisation.Status.APPROVED
    ).values("organisation_id")
    return Q(memberships__organisation_id__in=participant_orgs)


def _sees_everything(project: Project) -> Q:
    """Users who see the whole project: members of its approved participants, the secretariat."""
    return _participant_members(project) | Q(pk__in=user_list_secretariat().values("pk"))


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
