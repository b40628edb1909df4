"""What participants keep up to date: milestones, KPIs, progress reports and documents.

Each belongs to the project's participants; the secretariat may do everything they may. A
discontinued project takes no new progress (forum.rules.project_progress); its documents may
still be filed.
"""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from forum.models import (
    KpiValue,
    ProgressReport,
    Project,
    ProjectDocument,
    ProjectKpi,
    ProjectMilestone,
)
from forum.models.kpis import NEGATIVE_UNITS, KpiUnit
from forum.services.audit import audit_record
from forum.services.errors import ServiceError
from forum.services.files import attachment_add
from forum.services.projects.common import (
    project_lock,
    require_participant,
    require_takes_progress,
    tell_audience,
    touch,
)
from forum.services.text import clean_text

MAX_DOCUMENTS = 30


@transaction.atomic
def project_milestone_add(
    *, actor, project: Project, title: str, due_on: date, weight: int = 1
) -> ProjectMilestone:
    """Add a milestone with a due date and a weight (1–100)."""
    project = project_lock(project)
    require_participant(
        actor, project, _("このプロジェクトのマイルストーンを編集する権限がありません。")
    )
    require_takes_progress(project)
    title = clean_text(title, label=_("マイルストーン"), limit=200, required=True)
    if due_on is None:
        raise ServiceError(_("期日を入力してください。"))
    if weight is None or not 1 <= int(weight) <= 100:
        raise ServiceError(_("重みは1〜100で入力してください。"))
    milestone = ProjectMilestone.objects.create(
        project=project, title=title, due_on=due_on, weight=int(weight), created_by=actor
    )
    touch(project)
    audit_record(actor=actor, verb="project.milestone_add", target=project, milestone=milestone.pk)
    return milestone


def _lock_milestone(actor, project: Project, milestone_id) -> ProjectMilestone:
    """One of the project's milestones, locked with its project, for a participant to change."""
    project = project_lock(project)
    require_participant(
        actor, project, _("このプロジェクトのマイルストーンを編集する権限がありません。")
    )
    require_takes_progress(project)
    milestone = (
        ProjectMilestone.objects.select_for_update()
        .filter(pk=milestone_id, project=project)
        .first()
    )
    if milestone is None:
        raise ServiceError(_("指定されたマイルストーンはこのプロジェクトにありません。"))
    return milestone


@transaction.atomic
def project_milestone_set_done(
    *, actor, project: Project, milestone_id: int, done: bool
) -> ProjectMilestone:
    """Mark one of the project's milestones done or not done."""
    milestone = _lock_milestone(actor, project, milestone_id)
    if milestone.done != done:
        milestone.done = done
        milestone.done_at = timezone.now() if done else None
        milestone.save(update_fields=["done", "done_at"])
        touch(project)
        audit_record(
            actor=actor,
            verb="project.milestone_done" if done else "project.milestone_reopen",
            target=project,
            milestone=milestone.pk,
        )
    return milestone


@transaction.atomic
def project_milestone_remove(*, actor, project: Project, milestone_id: int) -> None:
    """Delete one of the project's milestones."""
    milestone = _lock_milestone(actor, project, milestone_id)
    audit_record(
        actor=actor, verb="project.milestone_remove", target=project, title=milestone.title
    )
    milestone.delete()
    touch(project)


def _check_sign(value: Decimal, unit: str, *, name: str) -> None:
    if value < 0 and unit not in NEGATIVE_UNITS:
        raise ServiceError(
            _("「%(name)s」の単位（%(unit)s）では負の値は使えません。0以上の値を入力してください。")
            % {"name": name, "unit": KpiUnit(unit).label}
        )


@transaction.atomic
def project_kpi_add(
    *,
    actor,
    project: Project,
    name: str,
    unit: str,
    target: Decimal | None = None,
    target_on: date | None = None,
    baseline: Decimal | None = None,
    baseline_on: date | None = None,
) -> ProjectKpi:
    """Define a KPI for the project: name, unit, and an optional target and baseline with dates."""
    project = project_lock(project)
    require_participant(actor, project, _("このプロジェクトのKPIを編集する権限がありません。"))
    require_takes_progress(project)
    name = clean_text(name, label=_("KPI名"), limit=100, required=True)
    if unit not in KpiUnit.values:
        raise ServiceError(_("単位を選んでください。"))
    if target is not None:
        _check_sign(Decimal(target), unit, name=_("目標値"))
    if baseline is not None:
        _check_sign(Decimal(baseline), unit, name=_("基準値"))
    if baseline_on is not None and baseline_on > timezone.localdate():
        raise ServiceError(_("基準値の測定日に未来の日付は指定できません。"))
    if ProjectKpi.objects.filter(project=project, name=name).exists():
        raise ServiceError(_("「%(name)s」というKPIはすでにあります。") % {"name": name})
    kpi = ProjectKpi.objects.create(
        project=project,
        name=name,
        unit=unit,
        target=target,
        target_on=target_on,
        baseline=baseline,
        baseline_on=baseline_on,
    )
    audit_record(actor=actor, verb="project.kpi_add", target=project, kpi=kpi.pk)
    return kpi


@transaction.atomic
def project_report_submit(
    *,
    actor,
    project: Project,
    reported_on: date,
    body: str,
    values: dict[int, Decimal] | None = None,
) -> ProgressReport:
    """File a progress report with the values of the project's KPIs; the date may not be in the future."""
    project = project_lock(project)
    require_participant(actor, project, _("このプロジェクトに報告する権限がありません。"))
    require_takes_progress(project)
    if reported_on is None:
        raise ServiceError(_("報告日を入力してください。"))
    today = timezone.localdate()
    if reported_on > today:
        raise ServiceError(
            _(
                "報告日に未来の日付（%(date)s）は指定できません。今日（%(today)s）以前の日付にしてください。"
            )
            % {
                "date": date_format(reported_on),
                "today": date_format(today),
            }
        )
    body = clean_text(body, label=_("報告内容"), limit=10000, required=True)
    values = {int(k): v for k, v in (values or {}).items() if v is not None}
    kpis = {k.pk: k for k in ProjectKpi.objects.filter(project=project, pk__in=list(values))}
    if set(values) - set(kpis):
        raise ServiceError(_("指定されたKPIはこのプロジェクトのものではありません。"))
    for kpi_id, value in values.items():
        _check_sign(Decimal(value), kpis[kpi_id].unit, name=kpis[kpi_id].name)
    report = ProgressReport.objects.create(
        project=project, reported_on=reported_on, body=body, author=actor
    )
    KpiValue.objects.bulk_create(
        [KpiValue(report=report, kpi_id=kpi_id, value=value) for kpi_id, value in values.items()]
    )
    audit_record(actor=actor, verb="project.report", target=project, report=report.pk)
    tell_audience(
        project,
        actor=actor,
        verb="project.report",
        title=lambda: (
            _("プロジェクト「%(title)s」に進捗報告（%(date)s）が届きました")
            % {"title": project.title, "date": date_format(reported_on)}
        ),
        body=body[:300],
        anchor="#timeline",
    )
    return report


@transaction.atomic
def project_document_add(*, actor, project: Project, upload) -> ProjectDocument:
    """Share a checked file inside the project."""
    project = project_lock(project)
    require_participant(actor, project, _("このプロジェクトに資料を追加する権限がありません。"))
    document = attachment_add(
        project.documents,
        upload=upload,
        actor=actor,
        limit=MAX_DOCUMENTS,
        full=_("登録できる資料は%(n)s件までです。"),
    )
    audit_record(actor=actor, verb="project.document_add", target=project, document=document.pk)
    return document
