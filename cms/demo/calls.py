"""Demonstration calls (募集回): one forum-wide call whose intake is over, with a briefing and
published answers, and one open for intake now. Invented for this site; not real calls.

Everything goes through the services: the past call is created with its question period
still open, questions are asked, answered and published, and then its schedule is moved to
where it stands (a recorded call change, as the secretariat would make it).
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cms.demo.accounts import MEMBER_EMAIL, SECRETARIAT_EMAIL
from cms.models import ChallengePage, EventIndexPage, EventPage
from cms.services import challenge_pages_close_expired
from forum.models import Call, Challenge, Organisation
from forum.services.calls import call_create, call_update
from forum.services.notifications import notification_mark_emailed
from forum.services.questions import question_answer, question_ask, question_publish

PAST = "r8-1"
OPEN = "r8-2"

# challenge title → the call it joins
# (Challenges that no demonstration project came from: these calls have not selected yet.)
MEMBERS = {
    "老朽化した下水道管の点検を効率よく進めたい": PAST,
    "通院が難しい患者さんへのオンライン診療を地域で広げたい": PAST,
    "保育所の入所選考の作業時間を減らしたい": OPEN,
    "坂の多い住宅地で、高齢者の買い物や通院の足を確保したい": OPEN,
}

QUESTIONS = [
    (
        "老朽化した下水道管の点検を効率よく進めたい",
        "点検の実証で使える管路の区間と、過去の点検記録の提供は想定されていますか？",
        "市内の2区間（合計約3km）を想定しています。過去10年分の点検記録を、"
        "秘密保持契約のうえで提供します。",
    ),
    (
        "通院が難しい患者さんへのオンライン診療を地域で広げたい",
        "実証に参加いただける医療機関は、すでに決まっていますか？",
        "市内の診療所2か所が参加を予定しています。訪問看護事業所との連携も提案に含めてください。",
    ),
]


def _day(days: int):
    return timezone.localdate() + timedelta(days=days)


def _join(call: Call, title: str) -> Challenge | None:
    page = ChallengePage.objects.filter(title=title).first()
    if page is None:
        return None
    if page.call_id != call.pk:
        page.call = call
        page.save_revision().publish()
    return Challenge.objects.filter(page_id=page.pk).first()


def _briefing(call: Call, title: str, days_ahead: int) -> None:
    index = EventIndexPage.objects.first()
    if index is None or EventPage.objects.filter(title=title).exists():
        return
    start = (timezone.localtime() + timedelta(days=days_ahead)).replace(
        hour=14, minute=0, second=0, microsecond=0
    )
    index.add_child(
        instance=EventPage(
            title=title,
            slug=f"briefing-{call.slug}",
            start_at=start,
            end_at=start + timedelta(hours=2),
            venue="大阪府咲洲庁舎 会議室",
            online_url="https://example.jp/briefing",
            intro=f"「{call.title_ja}」の募集内容と日程、提案の方法をご説明します。",
            call=call,
        )
    ).save_revision().publish()


def _past_call(secretariat, organisation, member) -> None:
    call = call_create(
        actor=secretariat,
        organisation=organisation,
        slug=PAST,
        title_ja="令和8年度 第1回 地域課題募集",
        title_en="FY2026 Call 1 for local challenges",
        description_ja="府内の市町村が掲げる地域課題に、企業・大学・スタートアップからの"
        "実証実験の提案を募集しました。",
        description_en="Proposals for proofs of concept on municipalities' local challenges.",
        intake_opens_on=_day(-5),
        intake_closes_on=_day(10),
        question_deadline=_day(5),
    )
    for title in (t for t, slug in MEMBERS.items() if slug == PAST):
        _join(call, title)
    _briefing(call, "令和8年度 第1回 地域課題募集 説明会", -50)
    for title, body, answer in QUESTIONS:
        challenge = Challenge.objects.filter(title=title, is_published=True).first()
        if challenge is None:
            continue
        question = question_ask(actor=member, challenge=challenge, body=body)
        question_answer(actor=secretariat, question=question, answer=answer)
        question_publish(actor=secretariat, question=question)
    call_update(
        actor=secretariat,
        call=call,
        intake_opens_on=_day(-60),
        intake_closes_on=_day(-10),
        question_deadline=_day(-25),
        answer_date=_day(-20),
        selection_date=_day(10),
        poc_starts_on=_day(40),
        poc_ends_on=_day(220),
        midterm_report_on=_day(130),
        final_report_on=_day(240),
    )
    # The intake is over: its challenges close as the hourly sweep would close them.
    challenge_pages_close_expired()


def _open_call(secretariat, organisation) -> None:
    call = call_create(
        actor=secretariat,
        organisation=organisation,
        slug=OPEN,
        title_ja="令和8年度 第2回 地域課題募集",
        title_en="FY2026 Call 2 for local challenges",
        description_ja="子育て・移動の分野を中心に、実装まで見据えた提案を募集しています。",
        description_en="Open now: childcare and mobility, with implementation in view.",
        intake_opens_on=_day(-5),
        intake_closes_on=_day(25),
        question_deadline=_day(15),
        answer_date=_day(18),
        selection_date=_day(40),
        poc_starts_on=_day(70),
        poc_ends_on=_day(250),
        final_report_on=_day(270),
    )
    for title in (t for t, slug in MEMBERS.items() if slug == OPEN):
        _join(call, title)
    _briefing(call, "令和8年度 第2回 地域課題募集 説明会", 5)


@transaction.atomic
def demo_calls_create() -> int:
    """Create the two demonstration calls once; returns how many were created."""
    users = get_user_model().objects
    secretariat = users.filter(email=SECRETARIAT_EMAIL).first()
    member = users.filter(email=MEMBER_EMAIL).first()
    organisation = Organisation.objects.filter(kind=Organisation.Kind.SECRETARIAT).first()
    if secretariat is None or member is None or organisation is None:
        return 0
    started = timezone.now()
    created = 0
    if not Call.objects.filter(slug=PAST).exists():
        _past_call(secretariat, organisation, member)
        created += 1
    if not Call.objects.filter(slug=OPEN).exists():
        _open_call(secretariat, organisation)
        created += 1
    # The demo's notices (questions asked, answers published) stay in-app: nobody needs them
    # by email.
    notification_mark_emailed(created_since=started)
    return created
