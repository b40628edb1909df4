"""Demo organisations and their logins: the secretariat, Yao city and a company."""

import secrets
from dataclasses import dataclass

from django.db import transaction

from forum.models import Membership, Municipality, Organisation
from forum.services.accounts import account_authenticator_ensure, account_ensure
from forum.services.groups import groups_ensure, user_groups_sync
from forum.services.memberships import membership_create
from forum.services.organisations import organisation_register

SECRETARIAT = {
    "name": "大阪スマートシティパートナーズフォーラム事務局",
    "kind": Organisation.Kind.SECRETARIAT,
    "name_kana": "おおさかすまーとしてぃぱーとなーずふぉーらむじむきょく",
    "description": "フォーラムの運営、課題の掲載審査、マッチングの支援を行います。",
}
YAO = {
    "name": "八尾市",
    "kind": Organisation.Kind.MUNICIPALITY,
    "name_kana": "やおし",
    "municipality": "272124",
}
COMPANY = {
    "name": "株式会社なにわデータラボ",
    "kind": Organisation.Kind.COMPANY,
    "name_kana": "なにわでーたらぼ",
    "website": "https://example.jp/",
    "description": "自治体のデータ活用を支援する大阪のスタートアップです。",
    "size": Organisation.Size.SMALL,
}
UNIVERSITY = {
    "name": "なにわ工科大学 地域データ研究室",
    "kind": Organisation.Kind.UNIVERSITY,
    "name_kana": "なにわこうかだいがく",
    "description": "自治体のデータ活用と効果検証を研究しています（デモ用の架空の団体です）。",
}


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    display_name: str
    organisation: dict
    superuser: bool = False
    authenticator: bool = False


# The secretariat's login comes first: it registers the memberships of the others.
ACCOUNTS = [
    DemoAccount(
        "secretariat",
        "secretariat@example.jp",
        "事務局 管理者",
        SECRETARIAT,
        superuser=True,
        authenticator=True,
    ),
    DemoAccount("municipality", "staff@yao.example.jp", "八尾市 職員", YAO, authenticator=True),
    DemoAccount("member", "member@naniwa.example.jp", "なにわデータラボ 担当", COMPANY),
]
SECRETARIAT_EMAIL = ACCOUNTS[0].email
STAFF_EMAIL = ACCOUNTS[1].email
MEMBER_EMAIL = ACCOUNTS[2].email


@dataclass
class DemoLogin:
    email: str
    password: str
    role: str
    totp_secret: str = ""
    created: bool = False


def demo_organisation(details: dict) -> Organisation:
    """The approved demo organisation with these details (a municipality by its code), registered once."""
    organisation = Organisation.objects.filter(name=details["name"]).first()
    if organisation is not None:
        return organisation
    values = dict(details)
    code = values.pop("municipality", None)
    municipality = Municipality.objects.get(code=code) if code else None
    return organisation_register(actor=None, approved=True, municipality=municipality, **values)


def _account(account: DemoAccount, password: str, registrar) -> tuple[DemoLogin, object]:
    user, created = account_ensure(
        email=account.email,
        display_name=account.display_name,
        password=password,
        superuser=account.superuser,
    )
    organisation = demo_organisation(account.organisation)
    if not organisation.memberships.filter(user=user).exists():
        membership_create(
            actor=registrar or user,
            user=user,
            organisation=organisation,
            role=Membership.Role.ADMIN,
        )
    secret = account_authenticator_ensure(user=user) if account.authenticator else ""
    return DemoLogin(user.email, password, account.role, secret, created), user


@transaction.atomic
def demo_accounts_create(*, password: str | None = None) -> list[DemoLogin]:
    """Create the secretariat, a municipality and a company with one login each (idempotent)."""
    password = password or secrets.token_urlsafe(12)
    groups_ensure()
    logins, users = [], []
    for account in ACCOUNTS:
        login, user = _account(account, password, users[0] if users else None)
        logins.append(login)
        users.append(user)
    for user in users:
        user_groups_sync(user_id=user.pk)
    return logins
