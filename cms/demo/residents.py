"""Demo residents (住民) in three municipalities, their needs in every state, support, a need
turned into a draft challenge, and a project recruiting testers."""

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from cms.demo.accounts import SECRETARIAT_EMAIL, STAFF_EMAIL, DemoLogin
from cms.need_challenges import challenge_draft_from_need
from forum.models import Challenge, Field, Municipality, Need, Project, ResidentProfile, User
from forum.services.accounts import account_ensure
from forum.services.needs import need_decline, need_merge, need_publish, need_submit
from forum.services.notifications import notification_mark_emailed
from forum.services.residents import resident_register
from forum.services.supports import support_toggle
from forum.services.testers import tester_apply, tester_call_open

# (email, display name, municipality code); the first one's login is printed.
RESIDENTS = [
    ("hanako@yao.example.jp", "八尾 花子", "272124"),
    ("jiro@yao.example.jp", "八尾 次郎", "272124"),
    ("ichiro@toyonaka.example.jp", "豊中 一郎", "272035"),
    ("sakura@suita.example.jp", "吹田 さくら", "272051"),
]
# (resident index, title, description, field slug, place, what becomes of it)
NEEDS = [
    (
        0,
        "通学路の見通しが悪い交差点",
        "朝の通学時間に車と子どもが近く、ヒヤッとすることがあります。",
        "safety",
        "久宝寺駅の南側",
        "challenge",
    ),
    (
        1,
        "公園の遊具が古くなっている",
        "すべり台の塗装がはがれ、さびが出ています。",
        "infrastructure",
        "市内の児童公園",
        "published",
    ),
    (
        2,
        "バス停に屋根とベンチがほしい",
        "高齢の方が雨の日に立って待っています。",
        "mobility",
        "豊中駅前のバス停",
        "published",
    ),
    (
        3,
        "夜の歩道が暗い",
        "駅から住宅街までの道に街灯が少なく、帰り道が不安です。",
        "safety",
        "千里山の住宅街",
        "submitted",
    ),
    (
        1,
        "通学路の交差点が危ない",
        "見通しの悪い交差点で事故が心配です。",
        "safety",
        "久宝寺付近",
        "merged",
    ),
    (
        2,
        "隣の家の木の枝が気になる",
        "隣家の庭木が道路にはみ出しています。",
        "infrastructure",
        "",
        "declined",
    ),
]


def _residents(password: str) -> tuple[list[User], DemoLogin | None]:
    users, first_login = [], None
    for email, name, code in RESIDENTS:
        user, created = account_ensure(email=email, display_name=name, password=password)
        if not ResidentProfile.objects.filter(user=user).exists():
            resident_register(user=user, municipality=Municipality.objects.get(code=code))
        users.append(user)
        if first_login is None:
            first_login = DemoLogin(email, password, "resident", created=created)
    return users, first_login


def _needs(residents: list[User], moderator: User) -> dict[str, Need]:
    made: dict[str, Need] = {}
    for index, title, description, field, place, outcome in NEEDS:
        need = need_submit(
            actor=residents[index],
            title=title,
            description=description,
            field=Field.objects.get(slug=field),
            place_name=place,
        )
        if outcome in ("published", "challenge"):
            need_publish(actor=moderator, need=need)
        elif outcome == "declined":
            need_decline(
                actor=moderator,
                need=need,
                reason="個人の敷地の問題のため、市の窓口（道路管理課）にご相談ください。",
            )
        elif outcome == "merged":
            need_merge(actor=moderator, need=need, into=made["challenge"])
        made[outcome] = need
    return made


def _supports(residents: list[User], needs: dict[str, Need]) -> None:
    for resident in residents[1:]:
        support_toggle(actor=resident, need=needs["challenge"])
    support_toggle(actor=residents[0], need=needs["published"])
    support_toggle(actor=residents[3], need=needs["published"])
    for challenge in Challenge.objects.filter(is_published=True).order_by("pk")[:2]:
        for resident in residents[:3]:
            support_toggle(actor=resident, challenge=challenge)


def _testers(residents: list[User], secretariat: User) -> None:
    project = Project.objects.filter(stage__in=["poc_planning", "poc"]).order_by("pk").first()
    project = project or Project.objects.order_by("pk").first()
    if project is None:
        return
    today = timezone.localdate()
    call = tester_call_open(
        actor=secretariat,
        project=project,
        title="実証サービスのモニター募集",
        description="実証中のサービスをスマートフォンで2週間お試しいただき、アンケートにご協力ください。",
        place="プロジェクトの実施地域",
        starts_on=today + timedelta(days=14),
        ends_on=today + timedelta(days=28),
        places=10,
        conditions="実施地域にお住まいで、スマートフォンをお持ちの方",
    )
    tester_apply(actor=residents[0], call=call, note="毎日この地域を通勤で通ります。")


@transaction.atomic
def demo_residents_create(*, password: str | None = None) -> list[DemoLogin]:
    """Create the demo residents and what they did, once; returns the resident's login."""
    if Need.objects.filter(title=NEEDS[0][1]).exists():
        return []
    secretariat = User.objects.filter(email=SECRETARIAT_EMAIL).first()
    yao_staff = User.objects.filter(email=STAFF_EMAIL).first()
    if secretariat is None or yao_staff is None:
        return []
    started = timezone.now()
    residents, login = _residents(password or secrets.token_urlsafe(12))
    needs = _needs(residents, secretariat)
    challenge_draft_from_need(actor=yao_staff, need_id=needs["challenge"].pk)
    _supports(residents, needs)
    _testers(residents, secretariat)
    notification_mark_emailed(created_since=started)
    return [login] if login else []
