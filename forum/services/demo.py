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
    """Publish a few solution profiles of the demo company through the services (idempotent).

    Going through solution_create and solution_set_published records them as a member would,
    so they reach the search index and matching like any other profile.
    """
    from forum.models import Field, SolutionProfile, Technology
    from forum.services.solutions import solution_create, solution_set_published

    company = Organisation.objects.filter(name="株式会社なにわデータラボ").first()
    member = company and company.memberships.select_related("user").first()
    if company is None or member is None:
        return 0
    created = 0
    for title, summary, description, fields, technologies, stage, record in DEMO_SOLUTIONS:
        if SolutionProfile.objects.filter(organisation=company, title=title).exists():
            continue
        solution = solution_create(
            actor=member.user,
            organisation=company,
            title=title,
            summary=summary,
            description=description,
            stage=stage,
            track_record=record,
            language="en" if title.isascii() else "ja",
            fields=list(Field.objects.filter(slug__in=fields)),
            technologies=list(Technology.objects.filter(slug__in=technologies)),
        )
        solution_set_published(actor=member.user, solution=solution, published=True)
        created += 1
    return created


# title, challenge title, stage path as (stage, days ago, outcome, lessons), public case study,
# KPIs (name, unit, target), reports (days ago, text, values in KPI order)
DEMO_PROJECTS = [
    (
        "子育て情報プッシュ配信アプリ「やおっこナビ」",
        "子育て世帯への情報を、必要な人に必要な時期に届けたい",
        [
            ("poc_planning", 330, "", ""),
            ("poc", 300, "", ""),
            ("evaluation", 200, "", ""),
            (
                "implementation",
                170,
                "budgeted",
                "月齢に合わせた通知は開封率が高く、紙の案内より問い合わせが減った。対象を未就学児のいる全世帯に広げる予算を確保した。",
            ),
        ],
        "八尾市となにわデータラボが、子どもの月齢に合わせて健診・予防接種・子育て支援の情報を保護者のスマートフォンに届けるアプリを実証し、翌年度から本格導入しました。利用登録は3,000世帯を超え、通知の開封率は6割を維持しています。",
        [("利用登録世帯数", "people", 3000), ("通知の開封率", "percent", 60)],
        [
            (150, "本格導入に向けて、健診の案内を全世帯へ配信しました。", [2100, 58]),
            (90, "保育所の入所案内を追加し、登録が伸びました。", [2800, 61]),
            (20, "登録3,000世帯を達成しました。次は近隣市への横展開を検討します。", [3150, 63]),
        ],
    ),
    (
        "AIチャットボットによる夜間・休日の問い合わせ対応",
        "市民からの問い合わせに、夜間や休日も答えられるようにしたい",
        [("poc_planning", 160, "", ""), ("poc", 130, "", ""), ("evaluation", 25, "", "")],
        "夜間・休日の問い合わせに多言語のチャットボットが答える実証実験を行い、いまその結果を評価しています。",
        [("自動応答できた割合", "percent", 70), ("職員の対応時間", "hours", None)],
        [(40, "ごみ出しと各種証明書の質問の8割に自動で答えられました。", [78, 120])],
    ),
    (
        "生活リズム分析による高齢者見守りの実証",
        "一人暮らし高齢者の見守りを、本人の負担なく続けたい",
        [("poc_planning", 200, "", ""), ("poc", 150, "", "")],
        "",
        [("見守り対象世帯", "people", 100)],
        [(120, "電力データの取得に協力いただける50世帯で実証を始めました。", [50])],
    ),
    (
        "大雨後の河川・斜面のドローン確認",
        "大雨の後の河川と斜面の状況を、職員が近づかずに確認したい",
        [],
        "",
        [],
        [],
    ),
    (
        "交通機関をまたぐ経路案内と決済の実証",
        "観光客と市民が使いやすい、交通機関をまたぐ経路案内と決済",
        [
            ("poc_planning", 400, "", ""),
            ("poc", 360, "", ""),
            ("evaluation", 260, "", ""),
            (
                "discontinued",
                230,
                "stopped",
                "事業者ごとに決済の仕組みが異なり、連携の費用が見込みを大きく超えた。まず経路案内だけを既存アプリに組み込む方が現実的だった。",
            ),
        ],
        "",
        [],
        [],
    ),
]


@transaction.atomic
def demo_projects_create() -> int:
    """Projects in different stages with their history, for the dashboard and the project pages.

    Accepting the demo proposal opens the first one the way a municipality would; the others are
    opened by the secretariat. Dates are moved into the past so that the dashboard has times in
    each stage. The notices these steps create stay in-app: nobody needs their emails.
    """
    from datetime import timedelta
    from decimal import Decimal

    from forum.models import Challenge, Notification, Project, ProjectStageChange
    from forum.services.projects import (
        project_coordinator_assign,
        project_create,
        project_kpi_add,
        project_milestone_add,
        project_milestone_set_done,
        project_move_stage,
        project_participant_add,
        project_publication_update,
        project_report_submit,
    )
    from forum.services.proposals import proposal_create, proposal_transition

    if Project.objects.filter(title=DEMO_PROJECTS[0][0]).exists():
        return 0
    User = get_user_model()
    secretariat = User.objects.filter(email="secretariat@example.jp").first()
    staff = User.objects.filter(email="staff@yao.example.jp").first()
    member = User.objects.filter(email="member@naniwa.example.jp").first()
    company = Organisation.objects.filter(name="株式会社なにわデータラボ").first()
    challenges = {
        c.title: c
        for c in Challenge.objects.filter(
            is_published=True, title__in=[row[1] for row in DEMO_PROJECTS]
        )
    }
    if not (secretariat and staff and member and company) or len(challenges) < len(DEMO_PROJECTS):
        return 0
    university = _organisation(
        "なにわ工科大学 地域データ研究室",
        Organisation.Kind.UNIVERSITY,
        name_kana="なにわこうかだいがく",
        description="自治体のデータ活用と効果検証を研究しています（デモ用の架空の団体です）。",
    )
    started = timezone.now()
    today = timezone.localdate()
    created = 0
    for index, (title, challenge_title, path, case_study, kpis, reports) in enumerate(
        DEMO_PROJECTS
    ):
        challenge = challenges[challenge_title]
        first_day = (path[0][1] + 30) if path else 20
        if index == 0:
            proposal = proposal_create(
                actor=member,
                challenge=challenge,
                organisation=company,
                title=title,
                summary="子どもの月齢に合わせた通知と、手続きのオンライン申請への案内を一つのアプリで提供します。",
            )
            proposal_transition(actor=member, proposal=proposal, action="submit")
            proposal_transition(actor=staff, proposal=proposal, action="accept")
            project = proposal.project_link.project
        else:
            project = project_create(
                actor=secretariat,
                title=title,
                challenges=[challenge],
                summary=challenge.summary,
            )
        if index != 3:
            project_coordinator_assign(actor=secretariat, project=project, organisation=company)
        if index in (0, 2):
            project_participant_add(
                actor=secretariat, project=project, organisation=university, role="university"
            )
        Project.objects.filter(pk=project.pk).update(created_at=started - timedelta(days=first_day))
        ProjectStageChange.objects.filter(project=project).update(
            created_at=started - timedelta(days=first_day)
        )
        for weight, (label, offset, done) in zip(
            (1, 2, 3, 1),
            [
                ("実施計画の合意", first_day - 10, bool(path)),
                ("実証実験の開始", first_day - 40, len(path) >= 2),
                ("効果の検証と報告", first_day - 120, len(path) >= 3),
                ("本格導入の準備", first_day - 160, len(path) >= 4 and index == 0),
            ],
            strict=True,
        ):
            milestone = project_milestone_add(
                actor=secretariat,
                project=project,
                title=label,
                due_on=today - timedelta(days=offset),
                weight=weight,
            )
            if done:
                project_milestone_set_done(
                    actor=secretariat, project=project, milestone_id=milestone.pk, done=True
                )
        kpi_ids = [
            project_kpi_add(
                actor=secretariat,
                project=project,
                name=name,
                unit=unit,
                target=None if target is None else Decimal(target),
            ).pk
            for name, unit, target in kpis
        ]
        for to_stage, days_ago, outcome, lessons in path:
            project_move_stage(
                actor=secretariat,
                project=project,
                to_stage=to_stage,
                outcome=outcome,
                lessons=lessons,
                note="" if to_stage != "discontinued" else lessons,
            )
            ProjectStageChange.objects.filter(project=project, to_stage=to_stage).update(
                created_at=started - timedelta(days=days_ago)
            )
        for days_ago, text, values in reports:
            project_report_submit(
                actor=secretariat,
                project=project,
                reported_on=today - timedelta(days=days_ago),
                body=text,
                values={
                    kpi_id: Decimal(value) for kpi_id, value in zip(kpi_ids, values, strict=True)
                },
            )
        if case_study:
            project_publication_update(
                actor=secretariat, project=project, is_public=True, case_study=case_study
            )
        created += 1
    # Demo notices are for the in-app list only; marking them sent keeps the terminal quiet.
    Notification.objects.filter(created_at__gte=started, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    return created
