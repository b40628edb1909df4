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
