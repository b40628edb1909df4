"""Open data downloads: each dataset once, offered as CSV (UTF-8 with BOM) and JSON.

A dataset is its records (the API's serialized objects, so the files and the API agree),
the CSV columns read from those records, and when it last changed. Each is registered with
one ``dataset_register`` call: published challenges, public projects, the public dashboard's
figures.
"""

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Max
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from forum.api.fields import label_in
from forum.api.serializers.calls import PublicAnswerSerializer
from forum.api.serializers.common import absolute_url
from forum.api.serializers.evaluation import ResultSerializer
from forum.api.serializers.projects import ProjectSerializer
from forum.api.serializers.public import ChallengeSerializer, FigureSerializer
from forum.selectors.challenges import challenge_last_updated, challenge_list_published
from forum.selectors.dashboard import dashboard_figures, dashboard_last_updated
from forum.selectors.evaluation import selection_last_published, selection_list_published
from forum.selectors.needs import need_figures, need_last_updated
from forum.selectors.projects.lists import (
    project_list_public,
    project_public_last_updated,
    project_with_public_record,
)
from forum.selectors.questions import question_list_public_all
from forum.spreadsheets import BOM, spreadsheet_safe

LICENSE = {
    "name": "CC BY 4.0",
    "title": "クリエイティブ・コモンズ 表示 4.0 国際",
    "url": "https://creativecommons.org/licenses/by/4.0/deed.ja",
}
LICENSE_EN = {
    "name": "CC BY 4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "url": "https://creativecommons.org/licenses/by/4.0/",
}


def license_for_visitor() -> dict:
    """The licence as the page names it in the visitor's language (the files keep Japanese)."""
    return LICENSE_EN if (get_language() or "ja").startswith("en") else LICENSE


PUBLISHER = "大阪スマートシティパートナーズフォーラム"


PUBLISHER_EN = "Osaka Smart City Partners Forum"


def attribution(*, english: bool = False, origin: str = "") -> str:
    """The credit line reusers are asked to show: Japanese in the files, the visitor's language
    on the page, with the address the visitor reached the site at (else SITE_URL)."""
    url = f"{origin.rstrip('/')}/opendata/" if origin else absolute_url("/opendata/")
    if english:
        return f"Source: {PUBLISHER_EN} ({url})"
    return f"出典：{PUBLISHER}（{url}）"


# Every column's name in English: the page names the columns in both languages and the CSV
# may be downloaded with English headers (?headers=en); the default file keeps Japanese ones.
COLUMN_NAMES_EN = {
    # The residents' voice (counts only).
    "届いた困りごと": "Needs received",
    "公開中の困りごと": "Needs published",
    "課題になった困りごと": "Needs turned into challenges",
    "困りごとへの応援": "Support of needs",
    "課題への応援": "Support of challenges",
    "うち地元の住民の応援": "Of which from local residents",
    "ID": "ID",
    "URL": "URL",
    "ステージ": "Stage",
    "ステージの歩み": "Stage history",
    "ステージの歩み（英語）": "Stage history (English)",
    "ステージコード": "Stage code",
    "ステージ（英語）": "Stage (English)",
    "プロジェクト名": "Project name",
    "予算上限（千円）": "Budget maximum (thousand yen)",
    "予算下限（千円）": "Budget minimum (thousand yen)",
    "事例紹介": "Case study",
    "値": "Value",
    "公開日時": "Published at",
    "分野": "Field",
    "分野スラッグ": "Field slug",
    "分野（英語）": "Field (English)",
    "募集状況": "Status",
    "募集状況（英語）": "Status (English)",
    "募集締切": "Deadline",
    "参加団体": "Participants",
    "参加団体（英語）": "Participants (English)",
    "問い合わせ先": "Contact",
    "学んだこと": "Lessons learned",
    "市町村コード": "Municipality code",
    "市町村名": "Municipality",
    "市町村名（英語）": "Municipality (English)",
    "成果": "Outcome",
    "成果（英語）": "Outcome (English)",
    "技術": "Technologies",
    "技術（英語）": "Technologies (English)",
    "指標": "Measure",
    "指標コード": "Measure code",
    "指標（英語）": "Measure (English)",
    "提供可能なデータ": "Data available",
    "更新日時": "Updated at",
    "概要": "Summary",
    "求める解決策": "Solution wanted",
    "目指す段階": "Desired stage",
    "目指す段階（英語）": "Desired stage (English)",
    "背景": "Background",
    "表": "Table",
    "表コード": "Table code",
    "表（英語）": "Table (English)",
    "課題ID": "Challenge IDs",
    "課題名": "Challenge",
    "進捗率（%）": "Progress (%)",
    "開始日時": "Started at",
    "横展開の元のプロジェクトID": "Rolled out from project ID",
    "募集回": "Call",
    "課題番号": "Challenge ID",
    "質問": "Question",
    "回答": "Answer",
    "課題のID": "Challenge ID",
    "選定した団体": "Selected organisations",
    "選定した提案": "Selected proposals",
    "評価基準と配点": "Criteria and weights",
    "応募数": "Proposals received",
    "選定理由": "Reasons for the selection",
    "公表日時": "Result published at",
    "課題名（英語）": "Challenge (English)",
    "概要（英語）": "Summary (English)",
    "プロジェクト名（英語）": "Project name (English)",
    "事例紹介（英語）": "Case study (English)",
}


@dataclass(frozen=True)
class Column:
    """One CSV column: a fixed Japanese header (the default file keeps its shape whatever the UI
    language) and its English name."""

    header: str
    value: Callable[[dict], Any]

    @property
    def header_en(self) -> str:
        return COLUMN_NAMES_EN[self.header]


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: Promise
    description: Promise
    records: Callable[[], Iterable[dict]]
    columns: tuple[Column, ...]
    count: Callable[[], int]
    last_updated: Callable[[], datetime | None]

    def csv_rows(self, *, english_headers: bool = False) -> Iterator[list]:
        """The header row (Japanese, or English when asked), then one row per record."""
        yield [column.header_en if english_headers else column.header for column in self.columns]
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
    return spreadsheet_safe(value)


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
            Column("課題名（英語）", lambda r: r["title_en"]),
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
            Column("概要（英語）", lambda r: r["summary_en"]),
            Column("背景", lambda r: r["background"]),
            Column("求める解決策", lambda r: r["wanted"]),
            Column("提供可能なデータ", lambda r: r["data_available"]),
            Column("問い合わせ先", lambda r: r["contact"]),
            Column("募集回", lambda r: r["call"]["slug"] if r["call"] else ""),
            Column("URL", lambda r: r["url"]),
            Column("公開日時", lambda r: r["published_at"]),
            Column("更新日時", lambda r: r["updated_at"]),
        ),
        count=lambda: challenge_list_published().count(),
        last_updated=challenge_last_updated,
    )
)


def _answer_records() -> Iterator[dict]:
    for question in question_list_public_all().iterator(chunk_size=200):
        yield PublicAnswerSerializer(question).data


ANSWERS = dataset_register(
    Dataset(
        slug="answers",
        title=_("課題への質問と回答"),
        description=_(
            "公開中の地域課題に寄せられた質問と、市町村・事務局が公開した回答。"
            "質問者の氏名・団体名は含みません。"
        ),
        records=_answer_records,
        columns=(
            Column("ID", lambda r: r["id"]),
            Column("課題番号", lambda r: r["challenge"]),
            Column("質問", lambda r: r["question"]),
            Column("回答", lambda r: r["answer"]),
            Column("公開日時", lambda r: r["published_at"]),
        ),
        count=lambda: question_list_public_all().count(),
        last_updated=lambda: question_list_public_all().aggregate(last=Max("published_at"))["last"],
    )
)


def _project_records() -> Iterator[dict]:
    qs = project_with_public_record(project_list_public()).order_by("pk")
    for project in qs.iterator(chunk_size=200):
        yield ProjectSerializer(project).data


def _participants(record: dict, key: str) -> str:
    """Each organisation with its role: 株式会社A（プロジェクトコーディネーター）、B市（市町村）."""
    pairs = [(p["organisation"]["name"], p["role"][key]) for p in record["participants"]]
    if key == "name_ja":
        return "、".join(f"{name}（{role}）" for name, role in pairs)
    return "; ".join(f"{name} ({role})" for name, role in pairs)


def _stage_path(record: dict, key: str) -> str:
    """The stage history as dated steps: 2025-04-01 マッチング成立、2025-06-10 実証実験の準備."""
    separator = "、" if key == "name_ja" else "; "
    return separator.join(
        f"{change['changed_at'][:10]} {change['to_stage'][key]}"
        for change in record["stage_history"]
    )


def _outcome(record: dict, key: str) -> str:
    outcome = record["outcome"]
    return outcome["decision"][key] if outcome else ""


PROJECTS = dataset_register(
    Dataset(
        slug="projects",
        title=_("公開プロジェクト"),
        description=_(
            "事務局が公開したプロジェクト：ステージの歩みと成果、参加団体、参加市町村、"
            "課題、進捗率、事例紹介（非公開のプロジェクトは含みません）。"
        ),
        records=_project_records,
        columns=(
            Column("ID", lambda r: r["id"]),
            Column("プロジェクト名", lambda r: r["title"]),
            Column("プロジェクト名（英語）", lambda r: r["title_en"]),
            Column("分野", lambda r: r["field"]["name_ja"]),
            Column("分野（英語）", lambda r: r["field"]["name_en"]),
            Column("ステージ", lambda r: r["stage"]["name_ja"]),
            Column("ステージ（英語）", lambda r: r["stage"]["name_en"]),
            Column("進捗率（%）", lambda r: r["progress"]),
            Column("市町村コード", lambda r: "; ".join(m["code"] for m in r["municipalities"])),
            Column("市町村名", lambda r: _names(r["municipalities"], "name_ja")),
            Column("市町村名（英語）", lambda r: _names(r["municipalities"], "name_en")),
            Column("参加団体", lambda r: _participants(r, "name_ja")),
            Column("参加団体（英語）", lambda r: _participants(r, "name_en")),
            Column("課題ID", lambda r: "; ".join(str(c["id"]) for c in r["challenges"])),
            Column("課題名", lambda r: "、".join(c["title"] for c in r["challenges"])),
            Column("成果", lambda r: _outcome(r, "name_ja")),
            Column("成果（英語）", lambda r: _outcome(r, "name_en")),
            Column("学んだこと", lambda r: r["outcome"]["lessons"] if r["outcome"] else ""),
            Column("ステージの歩み", lambda r: _stage_path(r, "name_ja")),
            Column("ステージの歩み（英語）", lambda r: _stage_path(r, "name_en")),
            Column("事例紹介", lambda r: r["case_study"]),
            Column("事例紹介（英語）", lambda r: r["case_study_en"]),
            Column(
                "横展開の元のプロジェクトID", lambda r: r["origin"]["id"] if r["origin"] else None
            ),
            Column("URL", lambda r: r["url"]),
            Column("開始日時", lambda r: r["started_at"]),
            Column("更新日時", lambda r: r["updated_at"]),
        ),
        count=lambda: project_list_public().count(),
        last_updated=project_public_last_updated,
    )
)


def _figure_records() -> list[dict]:
    return list(FigureSerializer(dashboard_figures(public=True).figures, many=True).data)


def _part(record: dict, name: str, key: str) -> str:
    value = record[name]
    return value[key] if value else ""


DASHBOARD = dataset_register(
    Dataset(
        slug="dashboard",
        title=_("見える化の数値"),
        description=_(
            "見える化（/dashboard/）の公開版の数値：公開中の課題、それらに届いた提案の件数、"
            "公開プロジェクトのステージ・分野・市町村別の件数、社会実装率、各ステージの滞在日数。"
            "1行が1つの数値です。"
        ),
        records=_figure_records,
        columns=(
            Column("表コード", lambda r: r["table"]["code"]),
            Column("表", lambda r: r["table"]["name_ja"]),
            Column("表（英語）", lambda r: r["table"]["name_en"]),
            Column("指標コード", lambda r: r["measure"]["code"]),
            Column("指標", lambda r: r["measure"]["name_ja"]),
            Column("指標（英語）", lambda r: r["measure"]["name_en"]),
            Column("ステージコード", lambda r: _part(r, "stage", "code")),
            Column("ステージ", lambda r: _part(r, "stage", "name_ja")),
            Column("ステージ（英語）", lambda r: _part(r, "stage", "name_en")),
            Column("分野スラッグ", lambda r: _part(r, "field", "slug")),
            Column("分野", lambda r: _part(r, "field", "name_ja")),
            Column("分野（英語）", lambda r: _part(r, "field", "name_en")),
            Column("市町村コード", lambda r: _part(r, "municipality", "code")),
            Column("市町村名", lambda r: _part(r, "municipality", "name_ja")),
            Column("市町村名（英語）", lambda r: _part(r, "municipality", "name_en")),
            Column("値", lambda r: r["value"]),
        ),
        count=lambda: len(dashboard_figures(public=True).figures),
        last_updated=dashboard_last_updated,
    )
)


def _result_records() -> Iterator[dict]:
    for selection in selection_list_published():
        yield ResultSerializer(selection).data


RESULTS = dataset_register(
    Dataset(
        slug="results",
        title=_("選定結果"),
        description=_(
            "地域課題の公表された選定結果：選定した団体、評価基準と配点、応募数、選定理由。"
            "評点や選ばれなかった提案は含みません。"
        ),
        records=_result_records,
        columns=(
            Column("課題のID", lambda r: r["challenge"]["id"]),
            Column("課題名", lambda r: r["challenge"]["title"]),
            Column("市町村コード", lambda r: r["challenge"]["municipality"]["code"]),
            Column("市町村名", lambda r: r["challenge"]["municipality"]["name_ja"]),
            Column(
                "選定した団体",
                lambda r: "、".join(o for s in r["selected"] for o in s["organisations"]),
            ),
            Column("選定した提案", lambda r: "、".join(s["title"] for s in r["selected"])),
            Column(
                "評価基準と配点",
                lambda r: "、".join(f"{c['name']}（{c['weight']}）" for c in r["criteria"]),
            ),
            Column("応募数", lambda r: r["received"]),
            Column("選定理由", lambda r: r["reasons"]),
            Column("公表日時", lambda r: r["published_at"]),
        ),
        count=lambda: selection_list_published().count(),
        last_updated=selection_last_published,
    )
)


class _Echo:
    """A file-like object whose write returns the line, for streaming csv.writer output."""

    def write(self, value: str) -> str:
        return value


def csv_stream(dataset: Dataset, *, english_headers: bool = False) -> Iterator[str]:
    """The CSV text in pieces: a byte order mark so that Excel reads UTF-8, then CRLF rows."""
    writer = csv.writer(_Echo(), lineterminator="\r\n")
    yield BOM
    for row in dataset.csv_rows(english_headers=english_headers):
        yield writer.writerow(row)


RESIDENTS_VOICE = dataset_register(
    Dataset(
        slug="residents-voice",
        title=_("住民の声の件数"),
        description=_(
            "市町村・分野ごとの、住民から届いた困りごと・公開した困りごと・課題になった困りごとの"
            "件数と、困りごと・課題への住民の応援の数（うち地元の住民から）。件数だけで、"
            "個人の情報は含みません。"
        ),
        records=need_figures,
        columns=(
            Column("市町村コード", lambda r: r["municipality"]["code"]),
            Column("市町村名", lambda r: r["municipality"]["name_ja"]),
            Column("市町村名（英語）", lambda r: r["municipality"]["name_en"]),
            Column("分野スラッグ", lambda r: r["field"]["slug"]),
            Column("分野", lambda r: r["field"]["name_ja"]),
            Column("分野（英語）", lambda r: r["field"]["name_en"]),
            Column("届いた困りごと", lambda r: r["needs_received"]),
            Column("公開中の困りごと", lambda r: r["needs_published"]),
            Column("課題になった困りごと", lambda r: r["needs_to_challenges"]),
            Column("困りごとへの応援", lambda r: r["need_supports"]),
            Column("課題への応援", lambda r: r["challenge_supports"]),
            Column("うち地元の住民の応援", lambda r: r["supports_local"]),
        ),
        count=lambda: len(need_figures()),
        last_updated=need_last_updated,
    )
)
