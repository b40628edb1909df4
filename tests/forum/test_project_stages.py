"""Every stage move by every role: legal moves happen and are recorded, everything else changes nothing."""

import pytest

from forum.models import AuditEvent, Notification, ProjectOutcome, ProjectStageChange
from forum.models.projects import Stage
from forum.rules.project_stages import TRANSITIONS
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.projects.stages import project_move_stage
from tests.forum.helpers import member_of
from tests.forum.project_fixtures import ROLES

pytestmark = pytest.mark.django_db

M, PP, POC, EV, IMP, RO, DIS = (
    "matched",
    "poc_planning",
    "poc",
    "evaluation",
    "implementation",
    "rollout",
    "discontinued",
)

# The rules as the forum states them, written out independently of the service's table.
ORDINARY = {(M, PP), (PP, POC), (POC, EV), (EV, IMP), (EV, POC), (EV, DIS), (IMP, RO)}
STOPS = {(M, DIS), (PP, DIS), (POC, DIS), (IMP, DIS), (RO, DIS)}
CORRECTIONS = {(PP, M), (POC, PP), (IMP, EV), (RO, IMP), (DIS, PP)}
ALLOWED = {
    "coordinator": ORDINARY,
    "municipality": ORDINARY | STOPS,
    "secretariat": ORDINARY | STOPS | CORRECTIONS,
    "company": set(),
    "university": set(),
    "outsider": set(),
    "other_municipality": set(),
    "visitor": set(),
}
# The outcome that fits each move out of evaluation.
FITTING_OUTCOME = {IMP: "adopted", POC: "continued", DIS: "stopped"}
LEGAL = ORDINARY | STOPS | CORRECTIONS
PARTICIPANTS = {"coordinator", "company", "university", "municipality", "secretariat"}
RECORDED_ROLE = {
    "coordinator": "coordinator",
    "municipality": "municipality",
    "secretariat": "secretariat",
}


def test_service_table_is_the_stated_rules():
    """The service's table holds exactly the ordinary moves, the stops and the corrections."""
    assert set(TRANSITIONS) == LEGAL
    for pair in CORRECTIONS:
        assert TRANSITIONS[pair].override and TRANSITIONS[pair].note_required


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("source", Stage.values)
def test_every_move_from_stage_by_role(crew, role, source):
    """From each stage, each role can make exactly its legal moves; every other attempt is refused
    with nothing changed, and each legal move records who, in which role, from, to and the note."""
    actor = crew.user(role)
    for target in Stage.values:
        if target == source:
            continue
        project = crew.at_stage(source)
        before = ProjectStageChange.objects.filter(project=project).count()
        kwargs = {"note": "理由のメモ"}
        if source == EV:
            kwargs.update(outcome=FITTING_OUTCOME.get(target, "adopted"), lessons="学んだこと")
        if (source, target) in ALLOWED[role]:
            assert project_move_stage(actor=actor, project=project, to_stage=target, **kwargs)
            project.refresh_from_db()
            assert project.stage == target
            change = ProjectStageChange.objects.filter(project=project).latest("pk")
            assert (change.from_stage, change.to_stage, change.actor_id, change.note) == (
                source,
                target,
                actor.pk,
                "理由のメモ",
            )
            assert change.actor_role == RECORDED_ROLE[role]
            assert change.is_override == ((source, target) in CORRECTIONS)
            assert change.created_at is not None
            if source == EV:
                assert change.outcome.decision == FITTING_OUTCOME[target]
                assert change.outcome.lessons == "学んだこと"
            else:
                assert not ProjectOutcome.objects.filter(stage_change=change).exists()
            assert AuditEvent.objects.filter(
                verb="project.stage", target_id=project.pk, actor=actor
            ).exists()
        else:
            if role in PARTICIPANTS and (source, target) not in LEGAL:
                expected = ServiceError  # no such move, whoever asks
            else:
                expected = PermissionDenied  # not theirs to make, or not their project
            with pytest.raises(expected):
                project_move_stage(actor=actor, project=project, to_stage=target, **kwargs)
            project.refresh_from_db()
            assert project.stage == source
            assert ProjectStageChange.objects.filter(project=project).count() == before


def test_illegal_move_names_both_stages(crew):
    """Skipping from matching straight to implementation is refused with the two stages named."""
    with pytest.raises(ServiceError, match="「マッチング成立」から「社会実装」へは移せません"):
        project_move_stage(actor=crew.secretariat, project=crew.project, to_stage=IMP)


def test_refused_role_is_told_who_may(crew):
    """A company participant is told that the coordinator, municipality or secretariat moves stages."""
    with pytest.raises(PermissionDenied, match="プロジェクトコーディネーター・市町村・事務局だけ"):
        project_move_stage(actor=crew.company, project=crew.project, to_stage=PP)


def test_leaving_evaluation_needs_an_outcome(crew):
    """Without an outcome the PoC cannot end; the stage and history stay as they were."""
    project = crew.at_stage(EV)
    with pytest.raises(ServiceError, match="成果（評価の結論）を選んでください"):
        project_move_stage(actor=crew.coordinator, project=project, to_stage=IMP, lessons="学び")
    project.refresh_from_db()
    assert project.stage == EV
    assert not ProjectOutcome.objects.exists()


def test_leaving_evaluation_needs_lessons(crew):
    """An outcome without lessons learned is refused."""
    project = crew.at_stage(EV)
    with pytest.raises(ServiceError, match="学んだことを入力してください"):
        project_move_stage(
            actor=crew.coordinator, project=project, to_stage=IMP, outcome="adopted", lessons=" "
        )
    project.refresh_from_db()
    assert project.stage == EV


@pytest.mark.parametrize(
    ("target", "outcome"),
    [
        (IMP, "stopped"),
        (IMP, "continued"),
        (POC, "adopted"),
        (POC, "budgeted"),
        (DIS, "adopted"),
        (DIS, "continued"),
    ],
)
def test_outcome_must_fit_target(crew, target, outcome):
    """Stopped goes with discontinued, continued with more PoC, adopted or budgeted with implementation."""
    project = crew.at_stage(EV)
    with pytest.raises(ServiceError, match="移行に合いません"):
        project_move_stage(
            actor=crew.municipality,
            project=project,
            to_stage=target,
            outcome=outcome,
            lessons="学び",
        )
    project.refresh_from_db()
    assert project.stage == EV
    assert not ProjectOutcome.objects.exists()


def test_budgeted_outcome_leads_to_implementation(crew):
    """Budgeted for the next fiscal year is an implementation, recorded with its lessons."""
    project = crew.at_stage(EV)
    project_move_stage(
        actor=crew.coordinator,
        project=project,
        to_stage=IMP,
        outcome="budgeted",
        lessons="予算化の根拠を早めに整理する",
    )
    outcome = ProjectOutcome.objects.get(project=project)
    assert (outcome.decision, outcome.lessons) == ("budgeted", "予算化の根拠を早めに整理する")


def test_stopping_needs_a_reason(crew):
    """The municipality discontinuing a PoC must say why."""
    project = crew.at_stage(POC)
    with pytest.raises(ServiceError, match="中止する理由"):
        project_move_stage(actor=crew.municipality, project=project, to_stage=DIS)
    project.refresh_from_db()
    assert project.stage == POC


def test_correction_needs_a_note(crew):
    """The secretariat's step back is refused without a note."""
    project = crew.at_stage(POC)
    with pytest.raises(ServiceError, match="事務局による修正には、理由"):
        project_move_stage(actor=crew.secretariat, project=project, to_stage=PP)
    project.refresh_from_db()
    assert project.stage == POC


def test_repeated_move_is_a_no_op(crew):
    """Moving to the stage the project is already in returns False and records nothing."""
    assert project_move_stage(actor=crew.coordinator, project=crew.project, to_stage=PP) is True
    assert project_move_stage(actor=crew.coordinator, project=crew.project, to_stage=PP) is False
    assert ProjectStageChange.objects.filter(project=crew.project, to_stage=PP).count() == 1


def test_unknown_stage_is_refused(crew):
    """A tampered stage value is refused with a message."""
    with pytest.raises(ServiceError, match="移行先のステージを選んでください"):
        project_move_stage(actor=crew.coordinator, project=crew.project, to_stage="launched")


def test_member_of_pending_participant_cannot_move(crew):
    """A participant organisation that lost its approval gives its members no power."""
    crew.coordinator_org.status = "pending"
    crew.coordinator_org.save()
    with pytest.raises(PermissionDenied):
        project_move_stage(actor=crew.coordinator, project=crew.project, to_stage=PP)


def test_stage_change_notifies_participants_and_followers(crew):
    """Members of every participating organisation and followers hear of the move; the actor does
    not; the note, which the public page keeps to participants, reaches participants only."""
    from forum.services.follows import follow_add

    follower = member_of(crew.outsider.memberships.get().organisation)
    crew.project.is_public = True
    crew.project.case_study = "事例"
    crew.project.save()
    follow_add(actor=follower, project=crew.project)
    project_move_stage(actor=crew.coordinator, project=crew.project, to_stage=PP, note="準備へ")
    notified = set(
        Notification.objects.filter(verb="project.stage_changed").values_list(
            "recipient_id", flat=True
        )
    )
    assert {crew.company.pk, crew.university.pk, crew.municipality.pk, follower.pk} <= notified
    assert crew.coordinator.pk not in notified
    assert crew.outsider.pk not in notified
    note = Notification.objects.filter(verb="project.stage_changed", recipient=follower).get()
    assert "実証実験の準備" in note.title
    assert note.body == ""
    inside = Notification.objects.get(verb="project.stage_changed", recipient=crew.company)
    assert inside.body == "準備へ"


def test_stop_notice_says_the_lessons_once_when_the_note_repeats_them(crew):
    """A stop whose note is the lessons themselves tells the participants the lessons once; a
    note of its own is still added below them."""
    lessons = "費用に見合う効果が見込めなかった。"
    crew.at_stage(EV)
    project_move_stage(
        actor=crew.municipality,
        project=crew.project,
        to_stage=DIS,
        outcome="stopped",
        lessons=lessons,
        note=lessons,
    )
    notice = Notification.objects.get(verb="project.stage_changed", recipient=crew.company)
    assert notice.body.count(lessons) == 1
    assert notice.body == f"成果: 取りやめ\n学んだこと: {lessons}"


def test_stop_notice_keeps_a_note_of_its_own(crew):
    """A stop note that differs from the lessons follows them in the participants' notice."""
    crew.at_stage(EV)
    project_move_stage(
        actor=crew.municipality,
        project=crew.project,
        to_stage=DIS,
        outcome="stopped",
        lessons="効果が小さかった。",
        note="市の予算編成で見送りが決まった。",
    )
    notice = Notification.objects.get(verb="project.stage_changed", recipient=crew.company)
    assert (
        notice.body
        == "成果: 取りやめ\n学んだこと: 効果が小さかった。\n市の予算編成で見送りが決まった。"
    )
