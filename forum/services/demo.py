"""Accounts and organisations for a demonstration site. Never run against production data."""

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

from forum.models import Membership, Municipality, Organisation
from forum.services.groups import groups_ensure, user_groups_sync


@dataclass
class DemoLogin:
    email: str
    password: str
    role: str
    totp_secret: str = ""
    created: bool = False


def _user(email: str, display_name: str, *, password: str, superuser: bool = False):
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).first()
    created = user is None
    if created:
        factory = User.objects.create_superuser if superuser else User.objects.create_user
        user = factory(username=email.split("@")[0], email=email, password=password)
        user.display_name = display_name
        user.save(update_fields=["display_name"])
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
    return user, created


def _totp(user) -> str:
    """Give a staff login an authenticator so the demo can sign in; return the new secret."""
    if Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        return ""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def _organisation(
    name: str, kind: str, *, municipality: Municipality | None = None, **extra
) -> Organisation:
    organisation = Organisation.objects.filter(name=name).first()
    if organisation is None:
        organisation = Organisation.objects.create(
            name=name,
            kind=kind,
            municipality=municipality,
            status=Organisation.Status.APPROVED,
            reviewed_at=timezone.now(),
            **extra,
        )
    return organisation


@transaction.atomic
def demo_accounts_create(*, password: str | None = None) -> list[DemoLogin]:
    """Create the secretariat, a municipality and a company with one login each (idempotent)."""
    password = password or secrets.token_urlsafe(12)
    groups_ensure()
    logins: list[DemoLogin] = []

    secretariat = _organisation(
        "大阪スマートシティパートナーズフォーラム事務局",
        Organisation.Kind.SECRETARIAT,
        name_kana="おおさかすまーとしてぃぱーとなーずふぉーらむじむきょく",
        description="フォーラムの運営、課題の掲載審査、マッチングの支援を行います。",
    )
    admin, created = _user(
        "secretariat@example.jp", "事務局 管理者", password=password, superuser=True
    )
    Membership.objects.get_or_create(
        user=admin, organisation=secretariat, defaults={"role": Membership.Role.ADMIN}
    )
    logins.append(DemoLogin(admin.email, password, "secretariat", _totp(admin), created))

    yao = Municipality.objects.get(code="272124")
    city = _organisation(
        "八尾市", Organisation.Kind.MUNICIPALITY, municipality=yao, name_kana="やおし"
    )
    staff, created = _user("staff@yao.example.jp", "八尾市 職員", password=password)
    Membership.objects.get_or_create(
        user=staff, organisation=city, defaults={"role": Membership.Role.ADMIN}
    )
    logins.append(DemoLogin(staff.email, password, "municipality", _totp(staff), created))

    company = _organisation(
        "株式会社なにわデータラボ",
        Organisation.Kind.COMPANY,
        name_kana="なにわでーたらぼ",
        website="https://example.jp/",
        description="自治体のデータ活用を支援する大阪のスタートアップです。",
        size=Organisation.Size.SMALL,
    )
    member, created = _user("member@naniwa.example.jp", "なにわデータラボ 担当", password=password)
    Membership.objects.get_or_create(
        user=member, organisation=company, defaults={"role": Membership.Role.ADMIN}
    )
    logins.append(DemoLogin(member.email, password, "member", "", created))

    for user in (admin, staff, member):
        user_groups_sync(user_id=user.pk)
    return logins


DEMO_SOLUTIONS = [
    (
        "ため池・河川の水位見守りサービス",
        "LPWA通信の水位センサーとクラウドで、ため池や小河川の水位を24時間見守ります。",
        "電池で5年動く小型の水位センサーを設置し、10分ごとの水位をクラウドに集めます。しきい値を超えると担当職員へメールとLINEで知らせ、地図上で各地点の状況を確認できます。",
        ["safety", "infrastructure"],
        ["sensor", "lpwa", "iot", "cloud"],
        "in_service",
        "府内外の8自治体で計120か所に設置",
    ),
    (
        "高齢者見守りのための生活リズム分析",
        "電力使用量の変化から一人暮らし高齢者の生活リズムを推定し、異変を早く知らせます。",
        "スマートメーターの電力データをAIで分析し、起床・就寝や家電の使い方がいつもと違う日を見つけます。カメラを使わないため、本人の抵抗感が少ないのが特長です。",
        ["health"],
        ["ai", "big-data", "iot"],
        "poc_ready",
        "2市で実証実験を実施",
    ),
    (
        "AI-powered multilingual chatbot for city halls",
        "Answers residents' questions in Japanese, English, Chinese and Korean around the clock.",
        "Built on each city's FAQ and web pages, the chatbot hands over to staff when it cannot answer and learns from the conversations it could not handle.",
        ["government"],
        ["nlp", "ai", "cloud"],
        "in_service",
        "Used by 5 municipalities in Japan",
    ),
]


@transaction.atomic
def demo_solutions_create() -> int:
    """Publish a few solution profiles of the demo company (idempotent)."""
    from forum.models import Field, SolutionProfile, Technology

    company = Organisation.objects.filter(name="株式会社なにわデータラボ").first()
    if company is None:
        return 0
    created = 0
    for title, summary, description, fields, technologies, stage, record in DEMO_SOLUTIONS:
        if SolutionProfile.objects.filter(organisation=company, title=title).exists():
            continue
        solution = SolutionProfile.objects.create(
            organisation=company,
            title=title,
            summary=summary,
            description=description,
            stage=stage,
            track_record=record,
            language="en" if title.isascii() else "ja",
            is_published=True,
            published_at=timezone.now(),
        )
        solution.fields.set(Field.objects.filter(slug__in=fields))
        solution.technologies.set(Technology.objects.filter(slug__in=technologies))
        created += 1
    return created
