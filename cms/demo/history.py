"""Create the forum's history (cms.demo.history_data) in the database.

Every step goes through the forum's services as the secretariat; only the dates are then
moved into the past (forum.services.demo).
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cms.demo.accounts import SECRETARIAT_EMAIL
from cms.demo.history_data import (
    DEPARTMENTS,
    HISTORY,
    LESSONS,
    OSAKA_CITY,
    PREFECTURE,
    ROAD_APP,
    ROLLOUT_DEPARTMENT,
    ROLLOUT_PATH,
    ROLLOUT_START,
    STAGES,
    STOP_NOTE,
    Story,
)
from cms.models import ChallengePage
from forum.models import Challenge, Department, Field, Municipality, Organisation, Project
from forum.models.kpis import KpiUnit
from forum.services.demo import (
    demo_challenge_backdate,
    demo_last_change_backdate,
    demo_project_backdate,
)
from forum.services.departments import department_save, project_owner_set
from forum.services.notifications import notification_mark_emailed
from forum.services.projects.kpis import (
    project_kpi_publicity_decide,
    project_kpi_publicity_request,
)
from forum.services.projects.lifecycle import (
    project_create,
    project_publication_update,
    project_rollout_start,
)
from forum.services.projects.stages import project_move_stage
from forum.services.projects.tracking import (
    project_kpi_add,
    project_milestone_add,
    project_report_submit,
)


def _moment(text: str) -> datetime:
    """Noon in Japan on the day."""
    return timezone.make_aware(datetime.combine(date.fromisoformat(text), time(12)))


def _steps(path: str) -> list[tuple[str, str]]:
    return [(STAGES[code], day) for code, day in (step.split(":") for step in path.split())]


def _departments(secretariat) -> dict[str, Department]:
    found = {}
    for code, slug, name, name_en, _post in DEPARTMENTS:
        organisation = Organisation.objects.get(municipality__code=code)
        found[slug] = Department.objects.filter(slug=slug).first() or department_save(
            actor=secretariat, organisation=organisation, name=name, name_en=name_en, slug=slug
        )
    return found


def _stop_note(leaving_evaluation: bool) -> str:
    """A stop's reason: after an evaluation the decision (its lessons go with the outcome),
    before one the reason itself."""
    return STOP_NOTE if leaving_evaluation else LESSONS["discontinued"]


def _move(project: Project, secretariat, to_stage: str, day: str) -> None:
    leaving_evaluation = project.stage == "evaluation"
    outcome = ""
    if leaving_evaluation:
        outcome = {"implementation": "budgeted", "poc": "continued", "discontinued": "stopped"}[
            to_stage
        ]
    lessons = LESSONS.get(to_stage, "") if leaving_evaluation else ""
    project_move_stage(
        actor=secretariat,
        project=project,
        to_stage=to_stage,
        outcome=outcome,
        lessons=lessons,
        note=_stop_note(leaving_evaluation) if to_stage == "discontinued" else "",
    )
    demo_last_change_backdate(project=project, created_at=_moment(day))
    project.refresh_from_db()


def _owner(project, department: Department | None, secretariat) -> None:
    if department is None:
        return
    post = next(d[4] for d in DEPARTMENTS if d[1] == department.slug)
    project_owner_set(
        actor=secretariat, project=project, department=department, responsible_post=post
    )


def _finish(project: Project, story_title: str, secretariat, *, reports: bool, today) -> None:
    """Publish what was implemented with a case study; recent reports and milestones."""
    if project.stage in ("implementation", "rollout"):
        project_publication_update(
            actor=secretariat,
            project=project,
            is_public=True,
            case_study=f"「{story_title}」は実証実験で効果を確かめ、社会実装に至りました。担当所属が運用を続けています。",
        )
        if project.department_id:
            _saved_hours(project, secretariat)
        return
    if project.stage == "discontinued":
        return
    if reports:
        project_report_submit(
            actor=secretariat,
            project=project,
            reported_on=today - timedelta(days=20),
            body="予定どおり進んでいます。次の報告会で結果を共有します。",
            values={},
        )
    if project.department_id:
        for title, days in (("中間報告の提出", 14), ("関係課との調整会議", -10)):
            project_milestone_add(
                actor=secretariat,
                project=project,
                title=title,
                due_on=today + timedelta(days=days),
                weight=1,
            )


def _saved_hours(project: Project, secretariat) -> None:
    """An implemented project of a department reports the staff hours it saved, made public, so
    the public KPIs add up by department and fiscal year (「削減された業務時間」)."""
    implemented = project.stage_changes.order_by("-created_at").first().created_at
    measured_on = timezone.localtime(implemented).date()
    target = Decimal(120 + 40 * (project.pk % 5))
    kpi = project_kpi_add(
        actor=secretariat,
        project=project,
        name="削減された業務時間",
        unit=KpiUnit.HOURS,
        baseline=Decimal(0),
        baseline_on=timezone.localtime(project.created_at).date(),
        target=target,
        target_on=measured_on,
    )
    project_report_submit(
        actor=secretariat,
        project=project,
        reported_on=measured_on,
        body="社会実装後の1年間の実績です。",
        values={kpi.pk: (target * Decimal("0.85")).quantize(Decimal(1))},
    )
    project_kpi_publicity_request(actor=secretariat, project=project, kpi_id=kpi.pk)
    project_kpi_publicity_decide(actor=secretariat, kpi_id=kpi.pk, approve=True)


def _story(story: Story, challenge: Challenge, fields, departments, secretariat, today) -> Project:
    start, *rest = story.path.split()
    # The challenge was published before the first project on it began.
    demo_challenge_backdate(challenge=challenge, published_at=_moment(start) - timedelta(days=60))
    project = project_create(
        actor=secretariat,
        title=story.title,
        challenges=[challenge],
        summary=challenge.summary,
        field=fields[story.field],
    )
    demo_project_backdate(project=project, created_at=_moment(start))
    project.refresh_from_db()
    _owner(project, departments.get(story.department), secretariat)
    for to_stage, day in _steps(" ".join(rest)):
        _move(project, secretariat, to_stage, day)
    _finish(project, story.title, secretariat, reports=story.reports, today=today)
    return project


def _rollout(origin: Project, departments, secretariat, today) -> Project:
    """The prefecture takes over 大阪市's road-damage report for its own roads."""
    prefecture = Municipality.objects.get(code=PREFECTURE)
    project = project_rollout_start(
        actor=secretariat,
        origin=origin,
        municipality=prefecture,
        challenges=list(Challenge.objects.filter(is_published=True, municipality=prefecture)[:1]),
        title=f"{ROAD_APP}（大阪府の府管理道路への横展開）",
    )
    demo_project_backdate(project=project, created_at=_moment(ROLLOUT_START))
    demo_last_change_backdate(project=origin, created_at=_moment(ROLLOUT_START))
    project.refresh_from_db()
    _owner(project, departments[ROLLOUT_DEPARTMENT], secretariat)
    for to_stage, day in _steps(ROLLOUT_PATH):
        _move(project, secretariat, to_stage, day)
    _finish(project, project.title, secretariat, reports=True, today=today)
    return project


def _challenge_owners(departments, secretariat) -> None:
    """Name the owners in the challenge pages' editor, as staff do: a new revision, published,
    which writes them to the forum's record."""
    for code, slug in ((OSAKA_CITY, "osaka-city-digital"), (PREFECTURE, "osaka-pref-smartcity")):
        post = next(d[4] for d in DEPARTMENTS if d[1] == slug)
        page_ids = Challenge.objects.filter(
            is_published=True, municipality__code=code, page_id__isnull=False
        ).values_list("page_id", flat=True)
        for page in ChallengePage.objects.filter(pk__in=list(page_ids)).order_by("pk"):
            page.department = departments[slug]
            page.responsible_post = post
            page.save_revision(user=secretariat).publish(user=secretariat)


@transaction.atomic
def demo_history_create() -> int:
    """Create the history once; returns how many projects it opened (0 when it exists already
    or the demo's secretariat, municipalities or challenges are missing)."""
    if Project.objects.filter(title=ROAD_APP).exists():
        return 0
    secretariat = get_user_model().objects.filter(email=SECRETARIAT_EMAIL).first()
    places = {s.place for s in HISTORY}
    challenges = {}
    for challenge in (
        Challenge.objects.filter(is_published=True, municipality__code__in=places)
        .select_related("municipality")
        .order_by("pk")
    ):
        challenges.setdefault(challenge.municipality.code, challenge)
    if secretariat is None or set(challenges) != places:
        return 0
    began = timezone.now()
    today = timezone.localdate()
    departments = _departments(secretariat)
    _challenge_owners(departments, secretariat)
    fields = {f.slug: f for f in Field.objects.all()}
    opened = [
        _story(story, challenges[story.place], fields, departments, secretariat, today)
        for story in HISTORY
    ]
    _rollout(opened[0], departments, secretariat, today)
    notification_mark_emailed(created_since=began)
    return len(opened) + 1
