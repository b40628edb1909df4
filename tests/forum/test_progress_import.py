"""The secretariat's progress sheet: export, dry run, row errors, atomicity, round trip."""

import csv
import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

import pytest
from openpyxl import load_workbook

from forum.models import AuditEvent, KpiValue, ProgressReport, ProjectMilestone
from forum.progress_files import SheetUnreadable, sheet_csv, sheet_read, sheet_xlsx
from forum.selectors.progress_sheet import progress_sheet_rows
from forum.services.demo import demo_project_backdate
from forum.services.errors import PermissionDenied
from forum.services.projects.progress_import import project_progress_import
from forum.services.projects.tracking import (
    project_kpi_add,
    project_milestone_add,
    project_report_submit,
)

pytestmark = pytest.mark.django_db

HEAD = "種別,プロジェクトID,プロジェクト名,日付,項目,値,内容\n"


def _raw(text: str):
    return sheet_read(text.encode("utf-8")).rows


@pytest.fixture
def tracked(crew):
    """The crew's project with a milestone, a KPI and a report with its value."""
    actor, project = crew.coordinator, crew.project
    day = timezone.localdate() - timedelta(days=30)
    project_milestone_add(actor=actor, project=project, title="センサー設置", due_on=day, weight=2)
    ahead = timezone.localdate() + timedelta(days=60)
    project_milestone_add(actor=actor, project=project, title="本格導入", due_on=ahead, weight=1)
    kpi = project_kpi_add(actor=actor, project=project, name="削減された業務時間", unit="hours")
    project_report_submit(
        actor=actor, project=project, reported_on=day, body="設置完了", values={kpi.pk: 12}
    )
    return crew


def test_round_trip_changes_nothing(tracked):
    """Export then import: every row is unchanged, nothing is written."""
    text = sheet_csv(progress_sheet_rows())
    result = project_progress_import(
        actor=tracked.secretariat, raw_rows=sheet_read(text.encode("utf-8")).rows, dry_run=False
    )
    assert result.errors == [] and result.changes == []
    assert result.unchanged == result.rows > 3
    assert not AuditEvent.objects.filter(verb="project.progress_import").exists()


def test_excel_round_trip_and_shift_jis(tracked):
    """The .xlsx export reads back unchanged; a Shift_JIS CSV from Excel is read too."""
    client_rows = progress_sheet_rows()

    data = sheet_xlsx(client_rows)
    assert load_workbook(io.BytesIO(data)).active["A1"].value == "種別"
    result = project_progress_import(
        actor=tracked.secretariat, raw_rows=sheet_read(data).rows, dry_run=True
    )
    assert (result.errors, result.changes) == ([], [])
    sjis = sheet_csv(client_rows).lstrip("\ufeff").encode("cp932")
    assert len(sheet_read(sjis).rows) == len(client_rows)


def test_dry_run_shows_changes_and_writes_nothing(tracked):
    """A dry run lists the stage move, the new milestone and the report with its KPI value."""
    p = tracked.project.pk
    day = (timezone.localdate() - timedelta(days=1)).isoformat()
    today = timezone.localdate().isoformat()
    raw = _raw(
        HEAD
        + f"ステージ,{p},,{today},実証実験の準備,,計画を開始\n"
        + f"マイルストーン,{p},,{day},住民説明会,1,完了\n"
        + f"報告,{p},,{day},,,説明会を開催\n"
        + f"KPI値,{p},,{day},削減された業務時間,20,\n"
    )
    result = project_progress_import(actor=tracked.secretariat, raw_rows=raw, dry_run=True)
    assert result.errors == []
    assert [n for n, _text in result.changes] == [2, 3, 4]
    assert "実証実験の準備" in result.changes[0][1]
    tracked.project.refresh_from_db()
    assert tracked.project.stage == "matched"
    assert not ProjectMilestone.objects.filter(title="住民説明会").exists()
    assert ProgressReport.objects.count() == 1

    applied = project_progress_import(actor=tracked.secretariat, raw_rows=raw, dry_run=False)
    assert applied.applied
    tracked.project.refresh_from_db()
    assert tracked.project.stage == "poc_planning"
    change = tracked.project.stage_changes.latest("created_at")
    assert timezone.localtime(change.created_at).date().isoformat() == today
    assert ProjectMilestone.objects.get(title="住民説明会").done
    assert KpiValue.objects.filter(value=20, report__body="説明会を開催").exists()
    assert AuditEvent.objects.filter(verb="project.report", actor=tracked.secretariat).exists()
    # The sheet now exported holds the import, and reads back unchanged.
    again = sheet_csv(progress_sheet_rows()).encode("utf-8")
    assert (
        project_progress_import(
            actor=tracked.secretariat, raw_rows=sheet_read(again).rows, dry_run=True
        ).changes
        == []
    )


def test_any_failing_row_writes_nothing(tracked):
    """One bad row among good ones: every error is listed by row and nothing is written."""
    p = tracked.project.pk
    today = timezone.localdate()
    future = (today + timedelta(days=3)).isoformat()
    raw = _raw(
        HEAD
        + f"マイルストーン,{p},,{today.isoformat()},新しい作業,1,未完了\n"
        + f"報告,99999,,{today.isoformat()},,,存在しない\n"
        + f"報告,{p},,{future},,,未来の報告\n"
        + f"ステージ,{p},,{today.isoformat()},社会実装,,\n"
        + f"KPI値,{p},,{today.isoformat()},ない指標,1,\n"
        + f"KPI値,{p},,{today.isoformat()},削減された業務時間,3,\n"
    )
    result = project_progress_import(actor=tracked.secretariat, raw_rows=raw, dry_run=False)
    assert not result.applied
    errors = dict(result.errors)
    assert "99999" in errors[3]
    assert "未来" in errors[4]
    assert 5 in errors  # matched → implementation is not a legal move
    assert "ない指標" in errors[6]
    assert "報告" in errors[7]
    assert not ProjectMilestone.objects.filter(title="新しい作業").exists()


def test_bad_files_get_clear_messages():
    """Missing columns, an unreadable encoding and a broken workbook are named."""
    with pytest.raises(SheetUnreadable, match="内容"):
        sheet_read("種別,プロジェクトID,プロジェクト名,日付,項目,値\n".encode())
    with pytest.raises(SheetUnreadable, match="文字コード"):
        sheet_read(b"\x82\xa0\xff\xfe\x81")
    with pytest.raises(SheetUnreadable, match="Excel"):
        sheet_read(b"PK\x03\x04broken")


@pytest.mark.parametrize("role", ["coordinator", "municipality", "outsider", "visitor"])
def test_only_the_secretariat_imports(tracked, role):
    with pytest.raises(PermissionDenied):
        project_progress_import(actor=tracked.user(role), raw_rows=[], dry_run=True)


@pytest.mark.parametrize("role", ["coordinator", "municipality", "outsider"])
def test_pages_are_secretariat_only(client, tracked, role):
    client.force_login(tracked.user(role))
    assert client.get(reverse("forum:progress_import")).status_code == 404
    assert client.get(reverse("forum:progress_export", args=["csv"])).status_code == 404


def test_upload_dry_run_then_confirm(client, tracked):
    """The page shows the dry run; confirming applies it; the export downloads as CSV."""
    client.force_login(tracked.secretariat)
    exported = client.get(reverse("forum:progress_export", args=["csv"])).content.decode(
        "utf-8-sig"
    )
    assert next(csv.reader(io.StringIO(exported)))[0] == "種別"
    p, day = tracked.project.pk, timezone.localdate().isoformat()
    upload = SimpleUploadedFile(
        "progress.csv", (HEAD + f"マイルストーン,{p},,{day},報告書の提出,1,未完了\n").encode()
    )
    page = client.post(reverse("forum:progress_import"), {"file": upload})
    html = page.content.decode()
    assert "確認結果（まだ書き込んでいません）" in html and "報告書の提出" in html
    assert not ProjectMilestone.objects.filter(title="報告書の提出").exists()
    client.post(reverse("forum:progress_import"), {"confirm": "1", "sheet": page.context["sheet"]})
    assert ProjectMilestone.objects.filter(title="報告書の提出").exists()


def test_stage_rows_keep_their_past_date_and_order(tracked):
    """A stage row dated in the past is recorded on that date; one before the last change is
    refused, so the history stays in order."""
    p = tracked.project.pk
    today = timezone.localdate()
    demo_project_backdate(project=tracked.project, created_at=timezone.now() - timedelta(days=60))
    too_early = (today - timedelta(days=90)).isoformat()
    refused = project_progress_import(
        actor=tracked.secretariat,
        raw_rows=_raw(HEAD + f"ステージ,{p},,{too_early},実証実験の準備,,\n"),
        dry_run=False,
    )
    assert "前です" in dict(refused.errors)[2]
    day = (today - timedelta(days=10)).isoformat()
    project_progress_import(
        actor=tracked.secretariat,
        raw_rows=_raw(HEAD + f"ステージ,{p},,{day},実証実験の準備,,\n"),
        dry_run=False,
    )
    change = tracked.project.stage_changes.get(to_stage="poc_planning")
    assert timezone.localtime(change.created_at).date().isoformat() == day
