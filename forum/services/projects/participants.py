"""Who takes part in a project: the secretariat adds organisations in roles that fit their
kind (forum.rules.project_participants) and assigns the coordinator."""

from django.db import transaction
from django.utils.translation import gettext as _

from forum.models import Organisation, Project, ProjectParticipant
from forum.models.projects import ParticipantRole
from forum.rules.project_participants import participant_role_default
from forum.services.audit import audit_record
from forum.services.errors import ServiceError
from forum.services.notifications import notification_send
from forum.services.projects.common import (
    participant_join,
    project_lock,
    require_role_fits,
    require_secretariat,
    touch,
)

R = ParticipantRole


@transaction.atomic
def project_coordinator_assign(*, actor, project: Project, organisation: Organisation) -> bool:
    """The secretariat makes a member organisation the project's coordinator; False if it already is."""
    require_secretariat(actor, _("コーディネーターを指定できるのは事務局だけです。"))
    project = project_lock(project)
    require_role_fits(organisation, R.COORDINATOR)
    current = ProjectParticipant.objects.filter(project=project, role=R.COORDINATOR).first()
    if current is not None and current.organisation_id == organisation.pk:
        return False
    if current is not None:
        current.role = participant_role_default(current.organisation)
        current.save(update_fields=["role"])
    participant = ProjectParticipant.objects.filter(
        project=project, organisation=organisation
    ).first()
    if participant is None:
        participant_join(project, organisation, R.COORDINATOR, actor)
    else:
        participant.role = R.COORDINATOR
        participant.save(update_fields=["role"])
    touch(project)
    audit_record(
        actor=actor, verb="project.coordinator", target=project, organisation_id=organisation.pk
    )
    notification_send(
        recipients=[
            m.user for m in organisation.memberships.select_related("user") if m.user_id != actor.pk
        ],
        verb="project.coordinator",
        title=lambda: (
            _("プロジェクト「%(title)s」のコーディネーターに指定されました")
            % {"title": project.title}
        ),
        url=project.get_absolute_url(),
    )
    return True


@transaction.atomic
def project_participant_add(
    *, actor, project: Project, organisation: Organisation, role: str
) -> ProjectParticipant:
    """The secretariat adds an organisation to the project in a role that fits its kind."""
    require_secretariat(actor, _("参加団体を追加できるのは事務局だけです。"))
    project = project_lock(project)
    if role == R.COORDINATOR:
        raise ServiceError(_("コーディネーターは「コーディネーターを指定」から設定してください。"))
    require_role_fits(organisation, role)
    if ProjectParticipant.objects.filter(project=project, organisation=organisation).exists():
        raise ServiceError(
            _("「%(name)s」はすでにこのプロジェクトに参加しています。")
            % {"name": organisation.name}
        )
    participant = participant_join(project, organisation, role, actor)
    touch(project)
    audit_record(
        actor=actor,
        verb="project.participant_add",
        target=project,
        organisation_id=organisation.pk,
        role=role,
    )
    return participant
