"""Demo projects in different stages, with their history, for the dashboards and project pages.

Accepting the demo proposal opens the first one the way a municipality would; the others are
opened by the secretariat. Every step goes through the project services; only the dates are
then moved into the past (forum.services.demo), so that the dashboard has times in each stage.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cms.demo.accounts import (
    COMPANY,
    MEMBER_EMAIL,
    SECRETARIAT_EMAIL,
    STAFF_EMAIL,
    UNIVERSITY,
    demo_organisation,
)
from cms.demo.history_data import STOP_NOTE
from cms.demo.selection import demo_selection_run
from forum.models import Challenge, Organisation, Project
from forum.services.demo import demo_project_backdate, demo_stage_change_backdate
from forum.services.notifications import notification_mark_emailed
from forum.services.projects.lifecycle import project_create, project_publication_update
from forum.services.projects.participants import (
    project_coordinator_assign,
    project_participant_add,
)
from forum.services.projects.stages import project_move_stage
from forum.services.projects.tracking import (
    project_kpi_add,
    project_milestone_add,
    project_milestone_set_done,
    project_report_submit,
)
from forum.services.proposals import proposal_create, proposal_transition


@dataclass(frozen=True)
class DemoProject:
    """One demo project: how it is opened, the stages it went through and what it reported.

    ``proposal`` is the summary of the accepted proposal that opens it (else the secretariat
    opens it); ``coordinator`` names the company its coordinator; ``university`` adds the
    demo university as a participant.
    """

    title: str
    challenge: str
    path: list  # (stage, days ago, outcome, lessons)
    case_study: str = ""
    kpis: list = ()  # (name, unit, target)
    reports: list = ()  # (days ago, text, values in KPI order)
    proposal: str = ""
    coordinator: bool = True
    university: bool = False
    selection: bool = False  # chosen by a panel against another proposal (cms.demo.selection)

    @property
    def first_day(self) -> int:
        """How many days ago the project was opened."""
        return (self.path[0][1] + 30) if self.path else 20


# title, challenge title, stage path as (stage, days ago, outcome, lessons), public case study,
# KPIs (name, unit, target), reports (days ago, text, values in KPI order)
DEMO_PROJECTS = [
    DemoProject(
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
        proposal="子どもの月齢に合わせた通知と、手続きのオンライン申請への案内を一つのアプリで提供します。",
        university=True,
        selection=True,
    ),
    DemoProject(
        "AIチャットボットによる夜間・休日の問い合わせ対応",
        "市民からの問い合わせに、夜間や休日も答えられるようにしたい",
        [("poc_planning", 160, "", ""), ("poc", 130, "", ""), ("evaluation", 25, "", "")],
        "夜間・休日の問い合わせに多言語のチャットボットが答える実証実験を行い、いまその結果を評価しています。",
        [("自動応答できた割合", "percent", 70), ("職員の対応時間", "hours", None)],
        [(40, "ごみ出しと各種証明書の質問の8割に自動で答えられました。", [78, 120])],
    ),
    DemoProject(
        "生活リズム分析による高齢者見守りの実証",
        "一人暮らし高齢者の見守りを、本人の負担なく続けたい",
        [("poc_planning", 200, "", ""), ("poc", 150, "", "")],
        "",
        [("見守り対象世帯", "people", 100)],
        [(120, "電力データの取得に協力いただける50世帯で実証を始めました。", [50])],
        university=True,
    ),
    DemoProject(
        "大雨後の河川・斜面のドローン確認",
        "大雨の後の河川と斜面の状況を、職員が近づかずに確認したい",
        [],
        "",
        [],
        [],
        coordinator=False,
    ),
    DemoProject(
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


@dataclass
class Cast:
    """The demo's people and organisations every project needs."""

    secretariat: object
    staff: object
    member: object
    company: Organisation
    university: Organisation | None = None


def _cast() -> Cast | None:
    users = get_user_model().objects
    cast = Cast(
        secretariat=users.filter(email=SECRETARIAT_EMAIL).first(),
        staff=users.filter(email=STAFF_EMAIL).first(),
        member=users.filter(email=MEMBER_EMAIL).first(),
        company=Organisation.objects.filter(name=COMPANY["name"]).first(),
    )
    if not (cast.secretariat and cast.staff and cast.member and cast.company):
        return None
    return cast


def _open(demo: DemoProject, challenge: Challenge, cast: Cast) -> Project:
    if demo.proposal:
        proposal = proposal_create(
            actor=cast.member,
            challenge=challenge,
            organisation=cast.company,
            title=demo.title,
            summary=demo.proposal,
        )
        proposal_transition(actor=cast.member, proposal=proposal, action="submit")
        if demo.selection:
            demo_selection_run(
                challenge=challenge,
                proposal=proposal,
                staff=cast.staff,
                secretariat=cast.secretariat,
            )
        else:
            proposal_transition(actor=cast.staff, proposal=proposal, action="accept")
        proposal.refresh_from_db()
        return proposal.project_link.project
    return project_create(
        actor=cast.secretariat, title=demo.title, challenges=[challenge], summary=challenge.summary
    )


def _milestones(demo: DemoProject, project: Project, cast: Cast, today) -> None:
    steps = len(demo.path)
    milestones = [
        ("実施計画の合意", demo.first_day - 10, steps >= 1, 1),
        ("実証実験の開始", demo.first_day - 40, steps >= 2, 2),
        ("効果の検証と報告", demo.first_day - 120, steps >= 3, 3),
        ("本格導入の準備", demo.first_day - 160, steps >= 4 and bool(demo.proposal), 1),
    ]
    for label, offset, done, weight in milestones:
        milestone = project_milestone_add(
            actor=cast.secretariat,
            project=project,
            title=label,
            due_on=today - timedelta(days=offset),
            weight=weight,
        )
        if done:
            project_milestone_set_done(
                actor=cast.secretariat, project=project, milestone_id=milestone.pk, done=True
            )


def _stages(demo: DemoProject, project: Project, cast: Cast, started) -> None:
    for to_stage, days_ago, outcome, lessons in demo.path:
        project_move_stage(
            actor=cast.secretariat,
            project=project,
            to_stage=to_stage,
            outcome=outcome,
            lessons=lessons,
            note=STOP_NOTE if to_stage == "discontinued" else "",
        )
        demo_stage_change_backdate(
            project=project, to_stage=to_stage, created_at=started - timedelta(days=days_ago)
        )


def _kpis(demo: DemoProject, project: Project, cast: Cast) -> list[int]:
    return [
        project_kpi_add(
            actor=cast.secretariat,
            project=project,
            name=name,
            unit=unit,
            target=None if target is None else Decimal(target),
        ).pk
        for name, unit, target in demo.kpis
    ]


def _reports(demo: DemoProject, project: Project, cast: Cast, kpi_ids, today) -> None:
    for days_ago, text, values in demo.reports:
        project_report_submit(
            actor=cast.secretariat,
            project=project,
            reported_on=today - timedelta(days=days_ago),
            body=text,
            values={kpi_id: Decimal(value) for kpi_id, value in zip(kpi_ids, values, strict=True)},
        )


def _project(demo: DemoProject, challenge: Challenge, cast: Cast, started) -> None:
    today = timezone.localdate()
    project = _open(demo, challenge, cast)
    if demo.coordinator:
        project_coordinator_assign(
            actor=cast.secretariat, project=project, organisation=cast.company
        )
    if demo.university:
        project_participant_add(
            actor=cast.secretariat, project=project, organisation=cast.university, role="university"
        )
    demo_project_backdate(project=project, created_at=started - timedelta(days=demo.first_day))
    _milestones(demo, project, cast, today)
    kpi_ids = _kpis(demo, project, cast)
    _stages(demo, project, cast, started)
    _reports(demo, project, cast, kpi_ids, today)
    if demo.case_study:
        project_publication_update(
            actor=cast.secretariat, project=project, is_public=True, case_study=demo.case_study
        )


@transaction.atomic
def demo_projects_create() -> int:
    """Open the demo projects and walk them through their stages; returns how many were opened.

    Nothing is done when they exist already or the demo logins and challenges are missing.
    The notices these steps create stay in-app: nobody needs their emails.
    """
    if Project.objects.filter(title=DEMO_PROJECTS[0].title).exists():
        return 0
    cast = _cast()
    challenges = {
        c.title: c
        for c in Challenge.objects.filter(
            is_published=True, title__in=[demo.challenge for demo in DEMO_PROJECTS]
        )
    }
    if cast is None or len(challenges) < len(DEMO_PROJECTS):
        return 0
    cast.university = demo_organisation(UNIVERSITY)
    started = timezone.now()
    for demo in DEMO_PROJECTS:
        _project(demo, challenges[demo.challenge], cast, started)
    notification_mark_emailed(created_since=started)
    return len(DEMO_PROJECTS)
