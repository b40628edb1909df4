"""Making a KPI public: the participants ask, the secretariat approves or refuses with a reason.

Only approved KPIs of public projects reach the public dashboard's roll-up
(forum.selectors.kpis). A participant may take a KPI back to private at any time; a refused
KPI may be asked for again.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.models import Project, ProjectKpi
from forum.models.kpis import KpiPublicity
from forum.selectors.notifications import user_list_secretariat
from forum.selectors.projects.audience import project_audience_split
from forum.services.audit import audit_record
from forum.services.errors import ServiceError
from forum.services.notifications import notification_send
from forum.services.projects.common import project_lock, require_participant, require_secretariat
from forum.services.text import clean_text

P = KpiPublicity


def _lock_kpi(project: Project, kpi_id) -> ProjectKpi:
    kpi = ProjectKpi.objects.select_for_update().filter(pk=kpi_id, project=project).first()
    if kpi is None:
        raise ServiceError(_("指定されたKPIはこのプロジェクトにありません。"))
    return kpi


def _tell_participants(project: Project, *, actor, verb: str, title, body="") -> None:
    inside, _outside = project_audience_split(project, exclude=actor)
    notification_send(
        recipients=inside,
        verb=verb,
        title=title,
        body=body,
        url=reverse("forum:project_manage", args=[project.pk]) + "#kpis",
    )


@transaction.atomic
def project_kpi_publicity_request(*, actor, project: Project, kpi_id: int) -> ProjectKpi:
    """A participant asks the secretariat to make a KPI public."""
    project = project_lock(project)
    require_participant(actor, project, _("このプロジェクトのKPIを編集する権限がありません。"))
    kpi = _lock_kpi(project, kpi_id)
    if kpi.publicity == P.PROPOSED:
        raise ServiceError(_("「%(name)s」はすでに公開を申請中です。") % {"name": kpi.name})
    if kpi.publicity == P.APPROVED:
        raise ServiceError(_("「%(name)s」はすでに公開されています。") % {"name": kpi.name})
    kpi.publicity = P.PROPOSED
    kpi.publicity_note = ""
    kpi.publicity_decided_by = None
    kpi.publicity_decided_at = None
    kpi.save(
        update_fields=[
            "publicity",
            "publicity_note",
            "publicity_decided_by",
            "publicity_decided_at",
        ]
    )
    audit_record(actor=actor, verb="project.kpi_publicity_request", target=project, kpi=kpi.pk)
    notification_send(
        recipients=user_list_secretariat(),
        verb="project.kpi_publicity_request",
        title=lambda: (
            _("プロジェクト「%(title)s」のKPI「%(name)s」の公開申請が届きました")
            % {"title": project.title, "name": kpi.name}
        ),
        url=reverse("forum:kpi_review"),
    )
    return kpi


@transaction.atomic
def project_kpi_publicity_decide(
    *, actor, kpi_id: int, approve: bool, reason: str = ""
) -> ProjectKpi:
    """The secretariat approves a requested KPI for publication, or refuses it with a reason."""
    require_secretariat(actor, _("KPIの公開を判断できるのは事務局だけです。"))
    kpi = ProjectKpi.objects.filter(pk=kpi_id).select_related("project").first()
    if kpi is None:
        raise ServiceError(_("指定されたKPIはありません。"))
    project = project_lock(kpi.project)
    kpi = _lock_kpi(project, kpi_id)
    if kpi.publicity != P.PROPOSED:
        raise ServiceError(
            _("「%(name)s」は公開を申請中ではありません（現在：%(state)s）。")
            % {"name": kpi.name, "state": kpi.get_publicity_display()}
        )
    reason = clean_text(reason, label=_("理由"), limit=1000, required=not approve)
    kpi.publicity = P.APPROVED if approve else P.REFUSED
    kpi.publicity_note = "" if approve else reason
    kpi.publicity_decided_by = actor
    kpi.publicity_decided_at = timezone.now()
    kpi.save(
        update_fields=[
            "publicity",
            "publicity_note",
            "publicity_decided_by",
            "publicity_decided_at",
        ]
    )
    verb = "project.kpi_publicity_approve" if approve else "project.kpi_publicity_refuse"
    audit_record(actor=actor, verb=verb, target=project, kpi=kpi.pk, reason=reason)

    def title() -> str:
        if approve:
            return _("KPI「%(name)s」の公開が承認されました") % {"name": kpi.name}
        return _("KPI「%(name)s」の公開は見送られました") % {"name": kpi.name}

    _tell_participants(project, actor=actor, verb=verb, title=title, body=reason)
    return kpi


@transaction.atomic
def project_kpi_publicity_withdraw(*, actor, project: Project, kpi_id: int) -> ProjectKpi:
    """A participant (or the secretariat) takes a KPI back to private, or cancels a request."""
    project = project_lock(project)
    require_participant(actor, project, _("このプロジェクトのKPIを編集する権限がありません。"))
    kpi = _lock_kpi(project, kpi_id)
    if kpi.publicity not in (P.PROPOSED, P.APPROVED):
        raise ServiceError(_("「%(name)s」は公開されていません。") % {"name": kpi.name})
    kpi.publicity = P.PRIVATE
    kpi.publicity_note = ""
    kpi.save(update_fields=["publicity", "publicity_note"])
    audit_record(actor=actor, verb="project.kpi_publicity_withdraw", target=project, kpi=kpi.pk)
    return kpi
