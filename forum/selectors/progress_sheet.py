"""The progress sheet's rows for the secretariat's export: every project's stage changes,
milestones, reports and KPI values, in a fixed number of queries."""

from django.db.models import Prefetch
from django.utils import timezone

from forum.models import KpiValue, ProgressReport, Project, ProjectMilestone, ProjectStageChange
from forum.rules.progress_sheet import (
    DONE,
    KPI_VALUE,
    MILESTONE,
    NOT_DONE,
    REPORT,
    STAGE,
    plain_decimal,
    stage_label,
)


def _project_rows(project: Project) -> list[list]:
    rows = []
    base = [project.pk, project.title]
    for change in project.stage_changes.all():
        on = timezone.localtime(change.created_at).date()
        rows.append([STAGE, *base, on.isoformat(), stage_label(change.to_stage), "", change.note])
    for m in project.milestones.all():
        done = DONE if m.done else NOT_DONE
        rows.append([MILESTONE, *base, m.due_on.isoformat(), m.title, str(m.weight), done])
    for report in project.reports.all():
        on = report.reported_on.isoformat()
        rows.append([REPORT, *base, on, "", "", report.body])
        for value in report.kpi_values.all():
            rows.append([KPI_VALUE, *base, on, value.kpi.name, plain_decimal(value.value), ""])
    return rows


def progress_sheet_rows(projects=None) -> list[list]:
    """The rows of every project (or of those given), project by project in id order."""
    qs = (projects if projects is not None else Project.objects.all()).order_by("pk")
    qs = qs.prefetch_related(
        Prefetch("stage_changes", queryset=ProjectStageChange.objects.order_by("created_at", "pk")),
        Prefetch("milestones", queryset=ProjectMilestone.objects.order_by("due_on", "pk")),
        Prefetch(
            "reports",
            queryset=ProgressReport.objects.order_by("reported_on", "pk").prefetch_related(
                Prefetch("kpi_values", queryset=KpiValue.objects.select_related("kpi"))
            ),
        ),
    )
    return [row for project in qs for row in _project_rows(project)]
