"""Open data downloads: each dataset once, offered as CSV (UTF-8 with BOM) and JSON.

A dataset is its records (the API's serialized objects, so the files and the API agree),
the CSV columns read from those records, and when it last changed. Public projects and
the dashboard's figures join with one ``dataset_register`` call each.
"""

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from forum.api.fields import label_in
from forum.api.serializers import ChallengeSerializer, absolute_url
from forum.selectors.challenges import challenge_list_published, challenges_last_updated

LICENSE = {
    "name": "CC BY 4.0",
    "title": "クリエイティブ・コモンズ 表示 4.0 国際",
    "url": "https://creativecommons.org/licenses/by/4.0/deed.ja",
}
PUBLISHER = "大阪スマートシティパートナーズフォーラム"


def attribution() -> str:
    """The credit line reusers are asked to show."""
    return f"出典：{PUBLISHER}（{absolute_url('/opendata/')}）"


@dataclass(frozen=True)
class Column:
    """One CSV column: a fixed Japanese header (files keep their shape whatever the UI language)."""

    header: str
    value: Callable[[dict], Any]


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: Promise
    description: Promise
    records: Callable[[], Iterable[dict]]
    columns: tuple[Column, ...]
    count: Callable[[], int]
    last_updated: Callable[[], datetime | None]

    def csv_rows(self) -> Iterator[list]:
        """The header row, then one row per record."""
        yield [column.header for column in self.columns]
        for record in self.records():
            yield [_cell(column.value(record)) for column in self.columns]

    def as_json(self) -> dict:
        """The whole dataset with its licence and dates."""
        records = list(self.records())
        updated = self.last_updated()
        return {
            "dataset": self.slug,
            "title": label_in("ja", self.title),
            "title_en": label_in("en", self.title),
            "publisher": PUBLISHER,
            "license": {**LICENSE, "attribution": attribution()},
            "source": absolute_url(f"/opendata/#{self.slug}"),
            "last_updated": timezone.localtime(updated).isoformat() if updated else None,
            "generated_at": timezone.localtime().isoformat(),
            "count": len(records),
            "records": records,
        }


DATASETS: dict[str, Dataset] = {}


def dataset_register(dataset: Dataset) -> Dataset:
    """Offer a dataset on /opendata/ (in the order registered)."""
    DATASETS[dataset.slug] = dataset
    return dataset


def _cell(value) -> str | int:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return value


def _names(items: list[dict], key: str) -> str:
    separator = "、" if key == "name_ja" else "; "
    return separator.join(item[key] for item in items)


def _challenge_records() -> Iterator[dict]:
    qs = challenge_list_published().order_by("pk")
    for challenge in qs.iterator(chunk_size=200):
        yield ChallengeSerializer(challenge).data


CHALLENGES = dataset_register(
    Dataset(
        slug="challenges",
        title=_("地域課題"),
        description=_("府内の市町村がフォーラムで公開している地域課題（募集終了のものを含む）。"),
        records=_challenge_records,
        columns=(
            Column("ID", lambda r: r["id"]),
            Column("課題名", lambda r: r["title"]),
            Column("市町村コード", lambda r: r["municipality"]["code"]),
            Column("市町村名", lambda r: r["municipality"]["name_ja"]),
            Column("市町村名（英語）", lambda r: r["municipality"]["name_en"]),
            Column("分野", lambda r: r["field"]["name_ja"]),
            Column("分野（英語）", lambda r: r["field"]["name_en"]),
            Column("技術", lambda r: _names(r["technologies"], "name_ja")),
            Column("技術（英語）", lambda r: _names(r["technologies"], "name_en")),
            Column("募集状況", lambda r: r["status"]["name_ja"]),
            Column("募集状況（英語）", lambda r: r["status"]["name_en"]),
            Column("目指す段階", lambda r: r["desired_stage"]["name_ja"]),
            Column("目指す段階（英語）", lambda r: r["desired_stage"]["name_en"]),
            Column("予算下限（千円）", lambda r: r["budget_min"]),
            Column("予算上限（千円）", lambda r: r["budget_max"]),
            Column("募集締切", lambda r: r["deadline"]),
            Column("概要", lambda r: r["summary"]),
            Column("背景", lambda r: r["background"]),
            Column("求める解決策", lambda r: r["wanted"]),
            Column("提供可能なデータ", lambda r: r["data_available"]),
            Column("問い合わせ先", lambda r: r["contact"]),
            Column("URL", lambda r: r["url"]),
            Column("公開日時", lambda r: r["published_at"]),
            Column("更新日時", lambda r: r["updated_at"]),
        ),
        count=lambda: challenge_list_published().count(),
        last_updated=challenges_last_updated,
    )
)


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def csv_stream(dataset: Dataset) -> Iterator[str]:
    """The CSV text in pieces: a byte order mark so that Excel reads UTF-8, then CRLF rows."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield "\ufeff"
    for row in dataset.csv_rows():
        yield writer.writerow(row)


def site_last_updated() -> datetime | None:
    """The latest change over every dataset, for the page's headline date."""
    dates = [d for d in (dataset.last_updated() for dataset in DATASETS.values()) if d]
    return max(dates) if dates else None
