"""How a project's progress reads: the done share of its milestones' weights, when a working
project counts as stale (in a reporting stage, no report for STALE_AFTER_DAYS), and when its
record is closed to new progress (discontinued)."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from forum.models.projects import Stage

STALE_AFTER_DAYS = 90

# The stages that expect progress reports: from the match to the end of the evaluation the
# project is working towards a decision, so a long silence means it has stalled. Implemented
# and rolled-out projects are in service (their news is the KPIs and the case study) and a
# discontinued one is closed: their silence is not a stall.
REPORTING_STAGES = (Stage.MATCHED, Stage.POC_PLANNING, Stage.POC, Stage.EVALUATION)


def progress_percent(weight_done: int, weight_total: int) -> int | None:
    """The done share of the milestone weights in whole percent; None without milestones."""
    if not weight_total:
        return None
    return round(100 * weight_done / weight_total)


def milestones_progress(milestones) -> int | None:
    """Progress of a list of milestones, by weight."""
    milestones = list(milestones)
    return progress_percent(
        sum(m.weight for m in milestones if m.done), sum(m.weight for m in milestones)
    )


def project_is_stale(
    *, stage: str, started_on: date, last_report_on: date | None, today: date | None = None
) -> bool:
    """A project in a reporting stage with no report for 90 days (counted from its start when it
    never reported)."""
    if stage not in REPORTING_STAGES:
        return False
    today = today or timezone.localdate()
    since = last_report_on or started_on
    return (today - since).days >= STALE_AFTER_DAYS


# A discontinued project's record is closed: what it did stays readable (its history, reports,
# milestones, KPIs, documents and the lessons of its evaluation), and its documents may still
# be filed, but no progress is added to it and no residents are called to test it unless the
# secretariat reopens it (a stage correction).
CLOSED_STAGES = frozenset({Stage.DISCONTINUED})


def project_takes_progress(stage: str) -> bool:
    """Whether a project in this stage takes progress reports, milestones, KPIs and tester calls."""
    return stage not in CLOSED_STAGES


def project_progress_refusal(stage: str) -> str | None:
    """Why a project in this stage takes no new progress, or None when it does."""
    if project_takes_progress(stage):
        return None
    return _(
        "このプロジェクトは中止されています。記録は閲覧できますが、進捗報告・マイルストーン・KPI・モニター募集の追加や変更はできません。再開するときは事務局に相談してください。"
    )
