"""Builds the demonstration site: news, events, an about page and published challenges."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from cms.demo.challenges import CHALLENGES
from cms.demo.english import demo_english_load
from cms.models import (
    ChallengeIndexPage,
    ChallengePage,
    EventIndexPage,
    EventPage,
    HomePage,
    NewsIndexPage,
    NewsPage,
    StandardPage,
)
from cms.services import municipality_space_ensure
from forum.models import Field, Municipality, Organisation, Technology
from forum.services.organisations import organisation_register

NEWS = [
    (
        "令和8年度 地域課題の募集を始めました",
        "府内の市町村から寄せられた地域課題の掲載を始めました。企業・大学の皆さまからの提案をお待ちしています。",
        3,
    ),
    (
        "実証実験の成果報告会を開催しました",
        "見守り、防災、移動の3分野で行った実証実験の成果と、社会実装に向けた課題を共有しました。",
        20,
    ),
    (
        "新しい分野「データ利活用」を追加しました",
        "分野をまたぐデータ活用の取り組みを広げるため、フォーラムの分野に「データ利活用」を加えました。",
        45,
    ),
    (
        "会員向けマッチング機能を公開しました",
        "登録したソリューションに合う地域課題を、理由とともにお知らせする機能を公開しました。",
        60,
    ),
]

EVENTS = [
    (
        "スマートシティ・ピッチ（防災・防犯）",
        14,
        2,
        "大阪府咲洲庁舎 会議室",
        "",
        60,
        "防災・防犯分野の地域課題について、市町村の担当者と企業が直接話し合うピッチイベントです。",
    ),
    (
        "オンライン説明会：はじめてのフォーラム活用",
        7,
        1,
        "",
        "https://meet.example.jp/forum-intro",
        None,
        "会員登録からソリューションの掲載、課題への提案までを1時間でご説明します。",
    ),
    (
        "市町村×スタートアップ交流会",
        30,
        3,
        "大阪イノベーションハブ",
        "",
        2,
        "府内の市町村職員とスタートアップが、少人数で課題と技術を紹介し合う交流会です。",
    ),
]


def _about_page(home: HomePage) -> int:
    if StandardPage.objects.filter(slug="about").exists():
        return 0
    about = home.add_child(
        instance=StandardPage(
            title="フォーラムについて",
            slug="about",
            show_in_menus=True,
            intro="大阪スマートシティパートナーズフォーラムは、府内43市町村と企業・大学などが集まり、地域の課題をともに解決する場です。",
            body=[
                ("heading", {"text": "参加のしかた", "level": "h2"}),
                (
                    "paragraph",
                    "<p>企業・大学・団体の方は会員登録のうえ団体を申請してください。事務局の承認後、ソリューションの掲載や課題への提案ができます。</p>",
                ),
                (
                    "callout",
                    {
                        "title": "市町村の皆さまへ",
                        "text": "<p>課題の掲載は、市町村ごとの掲載場所から作成し、事務局の確認を経て公開されます。</p>",
                    },
                ),
            ],
        )
    )
    about.save_revision().publish()
    return 1


def _news(home: HomePage) -> int:
    news_index = NewsIndexPage.objects.first()
    if news_index is None:
        news_index = home.add_child(instance=NewsIndexPage(title="お知らせ", slug="news"))
        news_index.save_revision().publish()
    created = 0
    for title, intro, days_ago in NEWS:
        if NewsPage.objects.filter(title=title).exists():
            continue
        page = news_index.add_child(
            instance=NewsPage(
                title=title,
                slug=f"news-{NewsPage.objects.count() + 1}",
                date=timezone.localdate() - timedelta(days=days_ago),
                intro=intro,
                body=[("paragraph", f"<p>{intro}</p>")],
            )
        )
        page.save_revision().publish()
        created += 1
    return created


def _events(home: HomePage) -> int:
    event_index = EventIndexPage.objects.first()
    if event_index is None:
        event_index = home.add_child(
            instance=EventIndexPage(
                title="イベント", slug="events", intro="セミナーや交流会のご案内です。"
            )
        )
        event_index.save_revision().publish()
    created = 0
    for title, days_ahead, hours, venue, online_url, capacity, intro in EVENTS:
        if EventPage.objects.filter(title=title).exists():
            continue
        start = (timezone.localtime() + timedelta(days=days_ahead)).replace(
            hour=14, minute=0, second=0, microsecond=0
        )
        page = event_index.add_child(
            instance=EventPage(
                title=title,
                slug=f"event-{EventPage.objects.count() + 1}",
                start_at=start,
                end_at=start + timedelta(hours=hours),
                venue=venue,
                online_url=online_url,
                capacity=capacity,
                intro=intro,
            )
        )
        page.save_revision().publish()
        created += 1
    return created


def _challenge_place(municipality: Municipality) -> ChallengeIndexPage:
    """The municipality's place for challenges, its organisation registered if missing."""
    organisation = Organisation.objects.filter(municipality=municipality).first()
    if organisation is None:
        organisation = organisation_register(
            actor=None,
            name=municipality.name,
            kind=Organisation.Kind.MUNICIPALITY,
            municipality=municipality,
            approved=True,
        )
    return municipality_space_ensure(
        organisation_id=organisation.pk
    ) or ChallengeIndexPage.objects.get(municipality=municipality)


def _challenges() -> int:
    fields = {f.slug: f for f in Field.objects.all()}
    technologies = {t.slug: t for t in Technology.objects.all()}
    created = 0
    for number, row in enumerate(CHALLENGES, start=1):
        code, field, techs, stage, days, budget, title, summary, background, wanted = row
        if ChallengePage.objects.filter(title=title).exists():
            continue
        municipality = Municipality.objects.get(code=code)
        page = ChallengePage(
            title=title,
            slug=slugify(f"challenge-{number}"),
            field=fields[field],
            summary=summary,
            background=background,
            wanted=wanted,
            desired_stage=stage,
            deadline=timezone.localdate() + timedelta(days=days),
            budget_min=budget[0],
            budget_max=budget[1],
            contact=f"{municipality.name} スマートシティ担当",
        )
        _challenge_place(municipality).add_child(instance=page)
        page.technologies.set([technologies[slug] for slug in techs])
        page.save_revision().publish()
        created += 1
    return created


@transaction.atomic
def demo_content_load(*, stdout=None) -> dict[str, int]:
    """Create the demonstration pages once; running again adds nothing."""
    home = HomePage.objects.get()
    created = {"news": 0, "events": 0, "challenges": 0, "pages": 0, "english": 0}
    created["pages"] = _about_page(home)
    created["news"] = _news(home)
    created["events"] = _events(home)
    created["challenges"] = _challenges()
    created["english"] = demo_english_load()
    if stdout is not None:
        stdout.write(
            f"      demo content: +{created['challenges']} challenges, +{created['news']} news, "
            f"+{created['events']} events, +{created['pages']} pages, "
            f"+{created['english']} English versions"
        )
    return created
