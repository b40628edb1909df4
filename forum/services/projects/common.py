"""Steps the project services share: locking and permission checks, taking part, the first
line of the history, dating the public record, and telling the audience and the index layer.

These are not services of their own: each runs inside the transaction of the service that
calls it.
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from forum.models import (
    Challenge,
    Organisation,
    Project,
    ProjectParticipant,
    ProjectStageChange,
)
from forum.models.projects import Stage
from forum.rules.project_participants import participant_role_refusal
from forum.rules.project_progress import project_progress_refusal
from forum.selectors.projects.access import project_roles
from forum.selectors.projects.audience import project_audience_split
from forum.selectors.roles import user_is_secretariat
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.notifications import Text, notification_send
from forum.signals import project_changed


def project_lock(project: Project) -> Project:
    """The project's row, locked until the transaction ends."""
    return Project.objects.select_for_update().get(pk=project.pk)


def require_participant(actor, project: Project, message: str) -> set[str]:
    """The actor's roles on the project; refused with ``message`` when there are none."""
    roles = project_roles(actor, project)
    if not roles:
        raise PermissionDenied(message)
    return roles


def require_secretariat(actor, message: str) -> None:
    """Refuse with ``message`` unless the actor is the secretariat."""
    if not user_is_secretariat(actor):
        raise PermissionDenied(message)


def require_takes_progress(project: Project) -> None:
    """Refuse new progress (reports, milestones, KPIs, tester calls) on a closed project."""
    refusal = project_progress_refusal(project.stage)
    if refusal is not None:
        raise ServiceError(refusal)


def require_role_fits(organisation: Organisation, role: str) -> None:
    """Refuse an organisation the participant rules do not allow in this role."""
    refusal = participant_role_refusal(organisation, role)
    if refusal is not None:
        raise ServiceError(refusal)


def require_published(challenges) -> list[Challenge]:
    """The chosen challenges: at least one, all of them published."""
    challenges = list(challenges)
    if not challenges:
        raise ServiceError(_("課題を1件以上選んでください。"))
    if any(not c.is_published for c in challenges):
        raise ServiceError(_("公開されていない課題は選べません。"))
    return challenges


def municipality_organisations(**filters):
    """Approved municipality organisations, narrowed by the filters."""
    return Organisation.objects.filter(
        kind=Organisation.Kind.MUNICIPALITY, status=Organisation.Status.APPROVED, **filters
    )


def participant_join(
    project: Project, organisation: Organisation, role: str, actor
) -> ProjectParticipant:
    """Add the organisation unless it already takes part; a municipality brings its municipality."""
    participant, _created = ProjectParticipant.objects.get_or_create(
        project=project, organisation=organisation, defaults={"role": role, "added_by": actor}
    )
    if organisation.municipality_id:
        project.municipalities.add(organisation.municipality_id)
    return participant


def start_record(project: Project, actor, *, role: str, note: str) -> ProjectStageChange:
    """The first line of a new project's history: it starts as matched."""
    return ProjectStageChange.objects.create(
        project=project,
        actor=actor,
        actor_role=role,
        from_stage="",
        to_stage=Stage.MATCHED,
        note=note,
    )


def touch(project: Project) -> None:
    """Date the project as changed when something its public record shows changed
    (participants, challenges, progress), so that updated_since harvesters see it."""
    project.updated_at = timezone.now()
    Project.objects.filter(pk=project.pk).update(updated_at=project.updated_at)


def announce_change(project: Project) -> None:
    """Tell the index layer; a public project's search entry follows its stage and case study."""
    project_changed.send(sender=Project, instance_id=project.pk)


def tell_audience(
    project: Project,
    *,
    actor,
    verb: str,
    title: Text,
    body: Text = "",
    public_title: Text = "",
    public_body: Text = "",
    anchor: str = "",
) -> None:
    """Notify the project's audience. Those who see the whole project get the full notice;
    followers who see only its public page get ``public_title`` (or the title) and
    ``public_body`` alone: never a report's text, an outcome's lessons or a proposal's title.
    Texts given as functions are written in each recipient's language."""
    inside, outside = project_audience_split(project, exclude=actor)
    url = project.get_absolute_url() + anchor
    notification_send(recipients=inside, verb=verb, title=title, body=body, url=url)
    notification_send(
        recipients=outside, verb=verb, title=public_title or title, body=public_body, url=url
    )
