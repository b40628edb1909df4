"""The demo's strategy layer: themes, the data catalogue, tags on the demo's challenges and
projects, and public KPIs the secretariat approved.

Run after ``projects``; everything goes through the forum's services. A second run adds
nothing (the themes exist already).
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cms.demo.accounts import SECRETARIAT_EMAIL
from forum.models import Challenge, Project, StrategyTheme
from forum.services.datasets import dataset_save
from forum.services.notifications import notification_mark_emailed
from forum.services.projects.kpis import (
    project_kpi_publicity_decide,
    project_kpi_publicity_request,
)
from forum.services.tags import challenge_tags_set, project_tags_set, strategy_theme_save

THEMES = [
    # slug, Japanese, English, asks for the regulatory relief, description
    (
        "super-city",
        "スーパーシティ",
        "Super City",
        True,
        "複数分野のデータ連携と大胆な規制改革で、まるごと未来都市をつくる国家戦略特区の取組。",
    ),
    (
        "special-zone",
        "国家戦略特区",
        "National Strategic Special Zone",
        True,
        "特区で認められる規制の特例を使って、実証や実装を進める取組。",
    ),
    (
        "expo-2025-legacy",
        "大阪・関西万博 2025 レガシー",
        "Expo 2025 Osaka, Kansai legacy",
        False,
        "万博で実証した技術やサービスを、会期後もまちに残して広げる取組。",
    ),
    (
        "digital-divide",
        "デジタルデバイド対策",
        "Bridging the digital divide",
        False,
        "高齢者などデジタルに不慣れな人も取り残さない取組。",
    ),
]

DATASETS = [
    {
        "slug": "orden",
        "name_ja": "大阪広域データ連携基盤（ORDEN）",
        "name_en": "Osaka Regional Data Exchange Network (ORDEN)",
        "description": "府と市町村が、分野をまたいでデータを連携するための基盤です。",
        "publisher": "大阪府",
        "url": "https://www.pref.osaka.lg.jp/",
        "licence": "other",
        "licence_url": "https://www.pref.osaka.lg.jp/",
        "formats": "API, JSON",
    },
    {
        "slug": "osaka-pref-opendata",
        "name_ja": "大阪府オープンデータ",
        "name_en": "Osaka Prefecture open data",
        "description": "府が公開している統計・施設・防災などのデータです。",
        "publisher": "大阪府",
        "url": "https://www.pref.osaka.lg.jp/",
        "licence": "cc-by-4.0",
        "formats": "CSV, XLSX",
    },
]

# project title → (SDGs, {theme: regulatory relief}, datasets, KPIs made public)
PROJECT_TAGS = {
    "子育て情報プッシュ配信アプリ「やおっこナビ」": (
        [3, 4],
        {"digital-divide": ""},
        ["osaka-pref-opendata"],
        ["利用登録世帯数"],
    ),
    "AIチャットボットによる夜間・休日の問い合わせ対応": (
        [11, 16],
        {
            "super-city": "行政手続きの案内をAIが行う際の、本人確認と個人情報の取扱いの特例",
            "expo-2025-legacy": "",
        },
        ["orden"],
        ["職員の対応時間", "自動応答できた割合"],
    ),
}

CHALLENGE_TAGS = {
    "子育て世帯への情報を、必要な人に必要な時期に届けたい": ([4], {}, ["osaka-pref-opendata"]),
    "大雨の後の河川と斜面の状況を、職員が近づかずに確認したい": (
        [11, 13],
        {"special-zone": "目視外でのドローン飛行の手続きの特例"},
        ["orden"],
    ),
}


def _tag_projects(secretariat) -> None:
    for title, (sdgs, themes, datasets, public_kpis) in PROJECT_TAGS.items():
        project = Project.objects.filter(title=title).first()
        if project is None:
            continue
        project_tags_set(
            actor=secretariat, project=project, sdg_numbers=sdgs, themes=themes, datasets=datasets
        )
        for kpi in project.kpis.filter(name__in=public_kpis):
            project_kpi_publicity_request(actor=secretariat, project=project, kpi_id=kpi.pk)
            project_kpi_publicity_decide(actor=secretariat, kpi_id=kpi.pk, approve=True)


def _tag_challenges(secretariat) -> None:
    for title, (sdgs, themes, datasets) in CHALLENGE_TAGS.items():
        for challenge in Challenge.objects.filter(title=title, is_published=True):
            challenge_tags_set(
                actor=secretariat,
                challenge=challenge,
                sdg_numbers=sdgs,
                themes=themes,
                datasets=datasets,
            )


@transaction.atomic
def demo_strategy_create() -> int:
    """Create the themes and catalogue, tag the demo, approve its public KPIs; returns how
    many themes were created (0 when they exist or the secretariat's login is missing)."""
    secretariat = get_user_model().objects.filter(email=SECRETARIAT_EMAIL).first()
    if secretariat is None or StrategyTheme.objects.filter(slug=THEMES[0][0]).exists():
        return 0
    started = timezone.now()
    for order, (slug, name_ja, name_en, relief, description) in enumerate(THEMES, start=1):
        strategy_theme_save(
            actor=secretariat,
            slug=slug,
            name_ja=name_ja,
            name_en=name_en,
            description=description,
            asks_regulatory_relief=relief,
            sort_order=order * 10,
        )
    for values in DATASETS:
        dataset_save(actor=secretariat, **values)
    _tag_projects(secretariat)
    _tag_challenges(secretariat)
    # The notices of the approvals stay in-app: nobody needs their emails.
    notification_mark_emailed(created_since=started)
    return len(THEMES)
