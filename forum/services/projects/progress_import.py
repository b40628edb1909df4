"""The secretariat's bulk update of project progress from the progress sheet.

Every row that differs from what the project holds becomes a call of the project services
(stage moves, milestones, reports with their KPI values), so their permission checks, rules
and audit apply to an import exactly as to the member area. The whole import runs in one
transaction: a dry run, or any row that fails, rolls everything back, so nothing is written
unless every row can be.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.models import KpiValue, Project, ProjectStageChange
from forum.rules.progress_sheet import (
    DONE,
    KPI_VALUE,
    MILESTONE,
    REPORT,
    STAGE,
    RowError,
    SheetRow,
    row_read,
    stage_label,
    stage_of,
)
from forum.services.audit import audit_record
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.projects.common import require_secretariat
from forum.services.projects.stages import project_move_stage
from forum.services.projects.tracking import (
    project_milestone_add,
    project_milestone_set_done,
    project_report_submit,
)


@dataclass
class ImportResult:
    """What an import did (or, in a dry run, would do): each change and each row's error."""

    rows: int = 0
    unchanged: int = 0
    changes: list[tuple[int, str]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)
    applied: bool = False


class _Rollback(Exception):
    """Leaves the import's transaction without writing anything."""


def _read(raw_rows, today: date, result: ImportResult) -> list[SheetRow]:
    rows = []
    for number, cells in raw_rows:
        try:
            rows.append(row_read(number, cells, today=today))
        except RowError as error:
            result.errors.append((number, str(error)))
    return rows


def _noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


class _Importer:
    """Applies one project's rows in file order through the services."""

    def __init__(self, actor, project: Project, result: ImportResult):
        self.actor, self.project, self.result = actor, project, result
        self.pending_values: dict[date, dict[int, tuple]] = defaultdict(dict)

    def apply(self, rows: list[SheetRow]) -> None:
        kpis = {k.name: k for k in self.project.kpis.all()}
        reports = {(r.reported_on, r.body) for r in self.project.reports.all()}
        for row in rows:
            if row.kind == KPI_VALUE:
                self._kpi_value(row, kpis)
        for row in rows:
            try:
                with transaction.atomic():
                    self._apply(row, reports)
            except (ServiceError, PermissionDenied, RowError) as error:
                self.result.errors.append((row.number, getattr(error, "message", str(error))))
        for on, values in self.pending_values.items():
            for number, _value in values.values():
                self.result.errors.append(
                    (
                        number,
                        _(
                            "同じプロジェクト・日付（%(date)s）の新しい「報告」の行がありません。KPIの値は報告と一緒に取り込みます。"
                        )
                        % {"date": on.isoformat()},
                    )
                )

    def _apply(self, row: SheetRow, reports: set) -> None:
        if row.kind == STAGE:
            self._stage(row)
        elif row.kind == MILESTONE:
            self._milestone(row)
        elif row.kind == REPORT:
            self._report(row, reports)

    def _unchanged(self) -> None:
        self.result.unchanged += 1

    def _changed(self, row: SheetRow, text: str) -> None:
        self.result.changes.append((row.number, text))

    def _stage(self, row: SheetRow) -> None:
        stage = stage_of(row.item)
        history = list(ProjectStageChange.objects.filter(project=self.project))
        if any(
            c.to_stage == stage and timezone.localtime(c.created_at).date() == row.on
            for c in history
        ):
            return self._unchanged()
        last = max((c.created_at for c in history), default=None)
        if last is not None and row.on < timezone.localtime(last).date():
            raise RowError(
                _("ステージの日付（%(date)s）が、最後のステージ変更の日付より前です。")
                % {"date": row.on.isoformat()}
            )
        project_move_stage(actor=self.actor, project=self.project, to_stage=stage, note=row.text)
        if row.on < timezone.localdate():
            change = ProjectStageChange.objects.filter(project=self.project).latest(
                "created_at", "pk"
            )
            ProjectStageChange.objects.filter(pk=change.pk).update(created_at=_noon(row.on))
        self.project.refresh_from_db()
        self._changed(
            row,
            _("ステージを「%(stage)s」（%(date)s）に変更")
            % {"stage": stage_label(stage), "date": row.on.isoformat()},
        )

    def _milestone(self, row: SheetRow) -> None:
        done = row.text == DONE
        weight = int(row.value) if row.value is not None else 1
        found = self.project.milestones.filter(title=row.item).first()
        if found is None:
            milestone = project_milestone_add(
                actor=self.actor, project=self.project, title=row.item, due_on=row.on, weight=weight
            )
            if done:
                project_milestone_set_done(
                    actor=self.actor, project=self.project, milestone_id=milestone.pk, done=True
                )
            return self._changed(row, _("マイルストーン「%(title)s」を追加") % {"title": row.item})
        if (found.due_on, found.weight) != (row.on, weight):
            raise RowError(
                _(
                    "マイルストーン「%(title)s」の期日・重みは取り込みでは変更できません。プロジェクトの画面で変更してください。"
                )
                % {"title": row.item}
            )
        if found.done == done:
            return self._unchanged()
        project_milestone_set_done(
            actor=self.actor, project=self.project, milestone_id=found.pk, done=done
        )
        self._changed(
            row,
            (_("「%(title)s」を完了に") if done else _("「%(title)s」を未完了に"))
            % {"title": row.item},
        )

    def _kpi_value(self, row: SheetRow, kpis: dict) -> None:
        kpi = kpis.get(row.item)
        if kpi is None:
            self.result.errors.append(
                (
                    row.number,
                    _("KPI「%(name)s」はこのプロジェクトにありません。") % {"name": row.item},
                )
            )
            return
        held = KpiValue.objects.filter(kpi=kpi, report__reported_on=row.on).first()
        if held is None:
            self.pending_values[row.on][kpi.pk] = (row.number, row.value)
        elif held.value == row.value:
            self._unchanged()
        else:
            self.result.errors.append(
                (
                    row.number,
                    _(
                        "%(date)s の報告の「%(name)s」の値は登録済みです（%(value)s）。変更はできません。"
                    )
                    % {"date": row.on.isoformat(), "name": kpi.name, "value": held.display_value},
                )
            )

    def _report(self, row: SheetRow, reports: set) -> None:
        if (row.on, row.text) in reports:
            return self._unchanged()
        pending = self.pending_values.pop(row.on, {})
        project_report_submit(
            actor=self.actor,
            project=self.project,
            reported_on=row.on,
            body=row.text,
            values={kpi_id: value for kpi_id, (_number, value) in pending.items()},
        )
        reports.add((row.on, row.text))
        self._changed(
            row,
            _("%(date)s の進捗報告を追加（KPIの値 %(n)s件）")
            % {"date": row.on.isoformat(), "n": len(pending)},
        )


def project_progress_import(*, actor, raw_rows, dry_run: bool) -> ImportResult:
    """Apply the progress sheet's rows, or show what they would do; secretariat only.

    Nothing is written in a dry run or when any row fails.
    """
    require_secretariat(actor, _("進捗の一括取り込みは事務局だけが行えます。"))
    result = ImportResult(rows=len(raw_rows))
    rows = _read(raw_rows, timezone.localdate(), result)
    by_project: dict[int, list[SheetRow]] = defaultdict(list)
    for row in rows:
        by_project[row.project_id].append(row)
    projects = Project.objects.in_bulk(list(by_project))
    try:
        with transaction.atomic():
            for project_id, project_rows in by_project.items():
                _import_project(actor, projects.get(project_id), project_rows, result)
            result.errors.sort()
            result.changes.sort()
            if dry_run or result.errors or not result.changes:
                raise _Rollback
            audit_record(
                actor=actor,
                verb="project.progress_import",
                target=actor,
                changes=len(result.changes),
            )
            result.applied = True
    except _Rollback:
        pass
    return result


def _import_project(actor, project: Project | None, rows: list[SheetRow], result) -> None:
    if project is None:
        for row in rows:
            result.errors.append(
                (row.number, _("プロジェクトID %(id)s はありません。") % {"id": row.project_id})
            )
        return
    _Importer(actor, project, result).apply(rows)
