"""Open data downloads: CSV that Excel reads as Japanese, JSON with its licence and dates."""

import codecs
import csv
import io
import json
from datetime import timedelta

from django.utils import timezone
from django.utils.http import http_date

import pytest

from forum.models import Challenge, Technology
from forum.opendata import CHALLENGES
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
