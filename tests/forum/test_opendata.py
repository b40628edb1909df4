"""Open data downloads: CSV that Excel reads as Japanese, JSON with its licence and dates."""

import codecs
import csv
import io
import json
import re
from datetime import timedelta

from django.utils import timezone
from django.utils.http import http_date

import pytest

from forum.models import AuditEvent, Challenge, Project, Technology
from forum.opendata import CHALLENGES, DASHBOARD, PROJECTS
from forum.services.projects.lifecycle import project_publication_update
from tests.forum.dashboard_fixtures import PRIVATE_TITLES, make_dashboard_world
from tests.forum.project_fixtures import (
    CASE_STUDY,
    INSIDE_ONLY,
    LESSONS,
    SUITA,
    make_crew,
    tell_public_story,
)
from tests.forum.proposal_fixtures import published_challenge

pytestmark = pytest.mark.django_db


def _csv_bytes(client) -> bytes:
    response = client.get("/opendata/challenges.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def test_csv_starts_with_a_bom_and_reads_back_as_japanese(client):
    """Read with the BOM (utf-8-sig, as Excel does), headers and values are intact Japanese."""
    challenge = published_challenge(title="ため池の見守り、水位の把握", summary="改行を\n含む概要")
    challenge.technologies.add(
        Technology.objects.get(slug="drone"), Technology.objects.get(slug="iot")
    )
    content = _csv_bytes(client)
    assert content.startswith(codecs.BOM_UTF8)
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert len(rows) == 1
    row = rows[0]
    assert row["課題名"] == "ため池の見守り、水位の把握"
    assert row["市町村名"] == "堺市" and row["市町村名（英語）"] == "Sakai City"
    assert row["市町村コード"] == "271403"
    assert row["募集状況"] == "募集中" and row["募集状況（英語）"] == "Open"
    assert set(row["技術"].split("、")) == {"ドローン", "IoT"}
    assert row["概要"] == "改行を\n含む概要"
    assert row["ID"] == str(challenge.pk)
    assert list(row) == [column.header for column in CHALLENGES.columns]


def test_downloads_hold_published_challenges_only(client):
    """A withdrawn challenge is neither in the CSV nor in the JSON."""
    published_challenge(title="公開中")
    published_challenge(code="272051", title="取り下げ済み", is_published=False)
    text = _csv_bytes(client).decode("utf-8-sig")
    assert "公開中" in text and "取り下げ済み" not in text
    records = client.get("/opendata/challenges.json").json()["records"]
    assert [r["title"] for r in records] == ["公開中"]


def test_json_carries_licence_dates_and_the_api_records(client):
    """Licence CC BY 4.0 with attribution, last change, and records shaped like the API's."""
    challenge = published_challenge()
    Challenge.objects.filter(pk=challenge.pk).update(updated_at=timezone.now() - timedelta(days=3))
    challenge.refresh_from_db()
    response = client.get("/opendata/challenges.json")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(response.content.decode("utf-8"))
    assert data["license"]["name"] == "CC BY 4.0"
    assert data["license"]["url"].startswith("https://creativecommons.org/licenses/by/4.0/")
    assert "大阪スマートシティパートナーズフォーラム" in data["license"]["attribution"]
    assert data["last_updated"] == timezone.localtime(challenge.updated_at).isoformat()
    assert data["count"] == 1
    assert data["records"][0] == client.get(f"/api/v1/challenges/{challenge.pk}/").json()


def test_last_updated_counts_a_withdrawn_challenge(client):
    """Withdrawing a challenge changes the dataset, so the date moves on."""
    kept = published_challenge(title="残る")
    gone = published_challenge(code="272051", title="取り下げる")
    Challenge.objects.filter(pk=kept.pk).update(updated_at=timezone.now() - timedelta(days=5))
    Challenge.objects.filter(pk=gone.pk).update(is_published=False, updated_at=timezone.now())
    gone.refresh_from_db()
    assert CHALLENGES.last_updated() == gone.updated_at


def test_unchanged_download_answers_304(client):
    """Harvesters asking If-Modified-Since get 304 when nothing changed."""
    challenge = published_challenge()
    since = http_date(challenge.updated_at.timestamp() + 1)
    assert client.get("/opendata/challenges.json", HTTP_IF_MODIFIED_SINCE=since).status_code == 304
    response = client.get("/opendata/challenges.csv")
    assert response["Last-Modified"]


def test_page_shows_licence_date_formats_and_api(client):
    """The page names the licence, the last update and links both files and the API docs."""
    challenge = published_challenge()
    page = client.get("/opendata/").content.decode()
    assert "CC BY 4.0" in page and "creativecommons.org/licenses/by/4.0" in page
    local = timezone.localtime(challenge.updated_at)
    assert f"{local.year}年{local.month}月{local.day}日" in page
    for link in ("/opendata/challenges.csv", "/opendata/challenges.json", "/api/docs/"):
        assert link in page
    assert "1分あたり" in page


def test_empty_dataset_still_downloads(client):
    """With nothing published the files hold just the header, or no records."""
    text = _csv_bytes(client).decode("utf-8-sig")
    assert text.strip().split(",")[0] == "ID" and text.count("\r\n") == 1
    assert client.get("/opendata/challenges.json").json()["records"] == []
    assert "まだデータはありません" in client.get("/opendata/").content.decode()


def test_unknown_dataset_is_404(client):
    """Only registered datasets are offered."""
    assert client.get("/opendata/secrets.csv").status_code == 404
    assert client.get("/opendata/secrets.json").status_code == 404


def test_footer_links_open_data_and_the_api(client):
    """Visitors find both from any page."""
    page = client.get("/opendata/").content.decode()
    footer = page[page.index("<footer") :]
    assert 'href="/opendata/"' in footer and 'href="/api/docs/"' in footer


# Public projects ------------------------------------------------------------------------------


def _download(client, path: str) -> bytes:
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = b"".join(response.streaming_content)
    assert content.startswith(codecs.BOM_UTF8)
    return content


def _csv_records(content: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


@pytest.fixture
def story(crew):
    """The crew's project told publicly, and a private project in Suita."""
    tell_public_story(crew)
    private = make_crew(
        title="吹田の非公開", challenge=published_challenge(SUITA, title="吹田の課題")
    )
    return crew, private


def test_projects_csv_reads_back_as_japanese_with_the_bom(client, story):
    """Read with the BOM, the public project's row has its Japanese names, outcome and history."""
    crew, _private = story
    rows = _csv_records(_download(client, "/opendata/projects.csv"))
    assert len(rows) == 1
    row = rows[0]
    assert list(row) == [column.header for column in PROJECTS.columns]
    assert row["ID"] == str(crew.project.pk)
    assert row["プロジェクト名"] == "ため池の見守りプロジェクト"
    assert row["分野"] == "防災・防犯"
    assert row["ステージ"] == "社会実装" and row["ステージ（英語）"] == "Implementation"
    assert row["成果"] == "本格導入が決定" and row["学んだこと"] == LESSONS
    assert row["市町村コード"] == "271403" and row["市町村名"] == "堺市"
    assert f"{crew.coordinator_org.name}（プロジェクトコーディネーター）" in row["参加団体"]
    assert row["課題名"] == crew.challenge.title
    assert row["進捗率（%）"] == "75"
    steps = row["ステージの歩み"].split("、")
    assert [step.split(" ", 1)[1] for step in steps] == [
        "マッチング成立",
        "実証実験の準備",
        "実証実験",
        "評価",
        "社会実装",
    ]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", steps[0].split(" ")[0])
    assert row["事例紹介"] == CASE_STUDY


def test_project_files_never_hold_private_projects_or_inside_texts(client, story):
    """Neither file names the private project, a note, a report or a withdrawn challenge."""
    _crew, private = story
    texts = [
        _download(client, "/opendata/projects.csv").decode("utf-8-sig"),
        client.get("/opendata/projects.json").content.decode(),
    ]
    for text in texts:
        for hidden in (private.project.title, *INSIDE_ONLY, "取り下げた課題", "水位計の設置"):
            assert hidden not in text, hidden


def test_projects_json_records_are_the_apis_with_licence(client, story):
    """Each JSON record is the API's project; the licence and last change come with them."""
    crew, _private = story
    data = client.get("/opendata/projects.json").json()
    assert data["license"]["name"] == "CC BY 4.0"
    assert data["count"] == 1
    assert data["records"][0] == client.get(f"/api/v1/projects/{crew.project.pk}/").json()
    crew.project.refresh_from_db()
    assert data["last_updated"] == timezone.localtime(PROJECTS.last_updated()).isoformat()
    assert PROJECTS.last_updated() >= crew.project.updated_at


def test_project_made_private_leaves_the_files_and_moves_the_date(client, story):
    """Taking the project private empties the files and dates the change, so no 304 hides it."""
    crew, _private = story
    two_days_ago = timezone.now() - timedelta(days=2)
    Project.objects.update(updated_at=two_days_ago)
    AuditEvent.objects.update(created_at=two_days_ago)
    before = PROJECTS.last_updated()
    assert before == two_days_ago
    since = http_date(before.timestamp() + 1)
    assert client.get("/opendata/projects.json", HTTP_IF_MODIFIED_SINCE=since).status_code == 304
    project_publication_update(
        actor=crew.secretariat, project=crew.project, is_public=False, case_study=CASE_STUDY
    )
    assert PROJECTS.last_updated() > before
    response = client.get("/opendata/projects.json", HTTP_IF_MODIFIED_SINCE=since)
    assert response.status_code == 200 and response.json()["records"] == []
    assert len(_csv_records(_download(client, "/opendata/projects.csv"))) == 0


# Dashboard figures ---------------------------------------------------------------------------


def test_dashboard_csv_and_json_hold_the_apis_figures(client):
    """Both files hold the API's figures, one per row, with Japanese names read back through the BOM."""
    make_dashboard_world()
    figures = client.get("/api/v1/dashboard/").json()["figures"]
    data = client.get("/opendata/dashboard.json").json()
    assert data["records"] == figures and data["count"] == len(figures)
    assert data["license"]["name"] == "CC BY 4.0" and data["last_updated"]
    rows = _csv_records(_download(client, "/opendata/dashboard.csv"))
    assert list(rows[0]) == [column.header for column in DASHBOARD.columns]
    assert len(rows) == len(figures)
    for row, figure in zip(rows, figures, strict=True):
        assert row["表コード"] == figure["table"]["code"]
        assert row["指標コード"] == figure["measure"]["code"]
        assert row["値"] == ("" if figure["value"] is None else str(figure["value"]))
    first = rows[0]
    assert first["表"] == "課題からプロジェクト、社会実装、横展開まで"
    assert (first["指標"], first["値"]) == ("公開中の課題数", "4")
    rate = next(r for r in rows if r["指標コード"] == "implementation_rate")
    assert rate["値"] == "50.0" and rate["指標"] == "社会実装率（%）"
    sakai = next(
        r
        for r in rows
        if r["表コード"] == "stage_field_municipality"
        and r["市町村コード"] == "271403"
        and r["ステージコード"] == "poc"
    )
    assert (sakai["分野"], sakai["市町村名"], sakai["ステージ"], sakai["値"]) == (
        "防災・防犯",
        "堺市",
        "実証実験",
        "1",
    )


def test_dashboard_files_count_public_projects_only(client):
    """The files count the two public projects; places and fields of private ones stay out."""
    make_dashboard_world()
    rows = _csv_records(_download(client, "/opendata/dashboard.csv"))
    stages = [r for r in rows if r["表コード"] == "stages"]
    assert sum(int(r["値"]) for r in stages) == 2
    assert "豊中市" not in {r["市町村名"] for r in rows}
    health = next(
        r
        for r in rows
        if r["表コード"] == "stage_field"
        and r["分野スラッグ"] == "health"
        and r["ステージコード"] == ""
    )
    assert health["値"] == "0"
    text = client.get("/opendata/dashboard.json").content.decode()
    for title in PRIVATE_TITLES:
        assert title not in text


def test_dashboard_date_follows_public_changes_only(client):
    """A public project's stage move dates the figures; a private one's does not."""
    world = make_dashboard_world()
    before = DASHBOARD.last_updated()
    Project.objects.update(updated_at=before - timedelta(days=1))
    Challenge.objects.update(updated_at=before - timedelta(days=1))
    settled = DASHBOARD.last_updated()
    world["p5"].save()  # a private project changes
    assert DASHBOARD.last_updated() == settled
    world["p1"].save()  # a public one changes
    assert DASHBOARD.last_updated() > settled


def test_page_lists_every_dataset_with_both_formats(client):
    """The open data page offers challenges, public projects and the dashboard figures."""
    page = client.get("/opendata/").content.decode()
    for slug in ("challenges", "projects", "dashboard"):
        assert f"/opendata/{slug}.csv" in page and f"/opendata/{slug}.json" in page
    assert "公開プロジェクト" in page and "見える化の数値" in page


def test_licence_reads_in_english_after_switching(client):
    """The open data page names the licence and links its deed in the visitor's language."""
    client.cookies["django_language"] = "en"
    body = client.get("/opendata/").content.decode()
    assert "Creative Commons Attribution 4.0 International" in body
    assert 'https://creativecommons.org/licenses/by/4.0/"' in body
    client.cookies["django_language"] = "ja"
    assert "deed.ja" in client.get("/opendata/").content.decode()


def test_column_names_are_shown_in_both_languages_and_english_headers_can_be_downloaded(client):
    """Every dataset's columns are named in Japanese and English on the page (the visitor's
    language included either way), and ?headers=en downloads the CSV with English headers."""
    published_challenge(title="ため池の見守り")
    for dataset in (CHALLENGES, PROJECTS, DASHBOARD):
        assert all(column.header_en for column in dataset.columns)
    client.post("/i18n/setlang/", {"language": "en", "next": "/opendata/"})
    html = client.get("/opendata/").content.decode()
    assert '<td lang="ja">市町村名（英語）</td><td lang="en">Municipality (English)</td>' in html
    assert "/opendata/challenges.csv?headers=en" in html

    response = client.get("/opendata/challenges.csv?headers=en")
    assert 'filename="osaka-forum-challenges-en.csv"' in response["Content-Disposition"]
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(content, newline="")))
    assert list(rows[0]) == [column.header_en for column in CHALLENGES.columns]
    assert (
        rows[0]["Challenge"] == "ため池の見守り"
        and rows[0]["Municipality (English)"] == "Sakai City"
    )


def test_challenge_files_carry_the_english_title_and_summary(client):
    """A challenge's English title and summary are their own columns and JSON fields, empty for
    a challenge with no English version; English headers name them too."""
    published_challenge(
        title="ため池の見守り", title_en="Watching over ponds", summary_en="Pond levels."
    )
    published_challenge(title="公園の照明", url="/challenges/park/")
    rows = {r["課題名"]: r for r in _csv_records(_download(client, "/opendata/challenges.csv"))}
    assert rows["ため池の見守り"]["課題名（英語）"] == "Watching over ponds"
    assert rows["ため池の見守り"]["概要（英語）"] == "Pond levels."
    assert rows["公園の照明"]["課題名（英語）"] == "" and rows["公園の照明"]["概要（英語）"] == ""
    records = {r["title"]: r for r in client.get("/opendata/challenges.json").json()["records"]}
    assert records["ため池の見守り"]["title_en"] == "Watching over ponds"
    assert records["ため池の見守り"]["summary_en"] == "Pond levels."
    assert records["公園の照明"]["title_en"] == "" and records["公園の照明"]["summary_en"] == ""
    english = _csv_records(_download(client, "/opendata/challenges.csv?headers=en"))
    by_title = {r["Challenge"]: r for r in english}
    assert by_title["ため池の見守り"]["Challenge (English)"] == "Watching over ponds"
    assert by_title["ため池の見守り"]["Summary (English)"] == "Pond levels."


def test_project_files_carry_the_english_name_and_case_study(client, story):
    """A public project's English name and case study are columns and JSON fields (empty until
    the secretariat writes them)."""
    crew, _private = story
    row = _csv_records(_download(client, "/opendata/projects.csv"))[0]
    assert row["プロジェクト名（英語）"] == "" and row["事例紹介（英語）"] == ""
    project_publication_update(
        actor=crew.secretariat,
        project=crew.project,
        is_public=True,
        case_study=CASE_STUDY,
        case_study_en="A case of watching over ponds in Sakai.",
        title_en="Pond watch project",
    )
    row = _csv_records(_download(client, "/opendata/projects.csv"))[0]
    assert row["プロジェクト名（英語）"] == "Pond watch project"
    assert row["事例紹介（英語）"] == "A case of watching over ponds in Sakai."
    record = client.get("/opendata/projects.json").json()["records"][0]
    assert record["title_en"] == "Pond watch project"
    assert record["case_study_en"] == "A case of watching over ponds in Sakai."
    english = _csv_records(_download(client, "/opendata/projects.csv?headers=en"))[0]
    assert english["Project name (English)"] == "Pond watch project"
    assert english["Case study (English)"] == "A case of watching over ponds in Sakai."


def test_credit_line_in_the_visitor_language_with_the_address_they_used(client, settings):
    """The page's example credit line is in the visitor's language and names the address the
    visitor reached the site at."""
    html = client.get("/opendata/").content.decode()
    assert "出典：大阪スマートシティパートナーズフォーラム（http://testserver/opendata/）" in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/opendata/").content.decode()
    assert "Source: Osaka Smart City Partners Forum (http://testserver/opendata/)" in html
