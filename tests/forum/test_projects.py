from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

import pytest

from forum.models import (
    AuditEvent,
    Follow,
    KpiValue,
    Notification,
    Organisation,
    ProgressReport,
    Project,
    ProjectDocument,
    ProjectKpi,
    ProjectMilestone,
    ProjectParticipant,
    ProjectProposal,
    ProjectStageChange,
    Proposal,
)
from forum.rules.project_progress import milestones_progress, project_is_stale
from forum.selectors.projects.audience import project_audience
from forum.selectors.projects.lists import project_list_for_member
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.follows import follow_add, follow_remove
from forum.services.projects.lifecycle import (
    project_create,
    project_publication_update,
    project_rollout_start,
)
from forum.services.projects.participants import project_coordinator_assign, project_participant_add
from forum.services.projects.stages import project_move_stage
from forum.services.projects.tracking import (
    project_document_add,
    project_kpi_add,
    project_milestone_add,
    project_milestone_remove,
    project_milestone_set_done,
    project_report_submit,
)
from forum.services.proposals import proposal_create, proposal_transition
from tests.factories import OrganisationFactory
from tests.forum.helpers import member_of
from tests.forum.project_fixtures import make_crew
from tests.forum.proposal_fixtures import municipality_staff_for, pdf_upload, published_challenge

pytestmark = pytest.mark.django_db


def _second_proposal(cast, name="株式会社あとから"):
    organisation = OrganisationFactory(name=name)
    proposer = member_of(organisation, role="admin")
    proposal = proposal_create(
        actor=proposer,
        challenge=cast.challenge,
        organisation=organisation,
        title="別の提案",
        summary="別の方法で見守ります。",
    )
    proposal_transition(actor=proposer, proposal=proposal, action="submit")
    return proposal, organisation


# --- opening -------------------------------------------------------------------------------------


def test_accepting_a_proposal_opens_a_project(cast):
    """Accepting opens a matched project with both sides as participants, the challenge and the proposal."""
    proposal = cast.proposal("accepted")
    project = Project.objects.get()
    assert project.stage == "matched"
    assert project.field_id == cast.challenge.field_id
    assert list(project.challenges.all()) == [cast.challenge]
    assert list(project.municipalities.values_list("code", flat=True)) == ["271403"]
    assert ProjectProposal.objects.get().proposal == proposal
    roles = dict(project.participants.values_list("organisation__name", "role"))
    assert roles == {"株式会社みずもり": "company", "堺市": "municipality"}
    start = ProjectStageChange.objects.get(project=project)
    assert (start.from_stage, start.to_stage, start.actor, start.actor_role) == (
        "",
        "matched",
        cast.reviewer,
        "municipality",
    )
    assert Notification.objects.filter(recipient=cast.proposer, verb="project.opened").exists()
    assert Notification.objects.filter(
        recipient=cast.secretariat, verb="project.needs_coordinator"
    ).exists()


def test_accepting_into_an_existing_project_joins_it(cast):
    """The reviewer may add a second accepted proposal to their project instead of opening another."""
    cast.proposal("accepted")
    project = Project.objects.get()
    second, organisation = _second_proposal(cast)
    assert proposal_transition(
        actor=cast.reviewer, proposal=second, action="accept", project_id=project.pk
    )
    assert Project.objects.count() == 1
    assert set(project.proposal_links.values_list("proposal_id", flat=True)) == {
        p.pk for p in Proposal.objects.all()
    }
    assert project.participants.filter(organisation=organisation, role="company").exists()
    assert project.challenges.count() == 1


def test_joining_another_municipalitys_project_is_refused(cast):
    """A project id the reviewer's municipality is not part of is refused; the proposal stays unaccepted."""
    other = make_crew(title="吹田の別プロジェクト", challenge=published_challenge("272051"))
    second, _organisation = _second_proposal(cast)
    with pytest.raises(ServiceError, match="選択したプロジェクトには加えられません"):
        proposal_transition(
            actor=cast.reviewer, proposal=second, action="accept", project_id=other.project.pk
        )
    second.refresh_from_db()
    assert second.status == "submitted"
    assert not ProjectProposal.objects.filter(proposal=second).exists()
    assert not other.project.proposal_links.exists()


def test_discontinued_project_cannot_be_joined(cast):
    """A stopped project is not offered and not accepted as a target."""
    cast.proposal("accepted")
    project = Project.objects.get()
    Project.objects.filter(pk=project.pk).update(stage="discontinued")
    second, _organisation = _second_proposal(cast)
    with pytest.raises(ServiceError):
        proposal_transition(
            actor=cast.reviewer, proposal=second, action="accept", project_id=project.pk
        )
    assert Project.objects.count() == 1


def test_secretariat_creates_project_with_coordinator(cast):
    """The secretariat opens a project on a challenge; the municipality joins and the coordinator is set."""
    coordinator = OrganisationFactory(name="株式会社コーディネート")
    project = project_create(
        actor=cast.secretariat,
        title="ため池の共同見守り",
        challenges=[cast.challenge],
        coordinator=coordinator,
    )
    roles = dict(project.participants.values_list("organisation__name", "role"))
    assert roles == {"株式会社コーディネート": "coordinator", "堺市": "municipality"}
    assert ProjectStageChange.objects.get(project=project).actor_role == "secretariat"


def test_only_the_secretariat_creates_projects(cast):
    """A municipality's staff cannot open a project directly."""
    with pytest.raises(PermissionDenied):
        project_create(actor=cast.reviewer, title="t", challenges=[cast.challenge])
    assert not Project.objects.exists()


def test_project_needs_a_published_challenge(cast):
    """Without a challenge, or with an unpublished one, nothing is created."""
    with pytest.raises(ServiceError, match="課題を1件以上"):
        project_create(actor=cast.secretariat, title="t", challenges=[])
    draft = published_challenge(is_published=False, title="下書き")
    with pytest.raises(ServiceError, match="公開されていない課題"):
        project_create(actor=cast.secretariat, title="t", challenges=[draft])
    assert not Project.objects.exists()


def test_assigning_a_new_coordinator_demotes_the_old(crew):
    """There is one coordinator; the previous one stays as a company participant."""
    newcomer = OrganisationFactory(name="株式会社あたらしい")
    assert project_coordinator_assign(
        actor=crew.secretariat, project=crew.project, organisation=newcomer
    )
    roles = dict(crew.project.participants.values_list("organisation_id", "role"))
    assert roles[newcomer.pk] == "coordinator"
    assert roles[crew.coordinator_org.pk] == "company"
    assert list(roles.values()).count("coordinator") == 1
    assert (
        project_coordinator_assign(
            actor=crew.secretariat, project=crew.project, organisation=newcomer
        )
        is False
    )


def test_coordinator_must_be_a_member_organisation(crew):
    """A municipality or an unapproved organisation cannot coordinate; only the secretariat assigns."""
    with pytest.raises(ServiceError, match="市町村の団体は「市町村」の役割"):
        project_coordinator_assign(
            actor=crew.secretariat, project=crew.project, organisation=crew.municipality_org
        )
    pending = OrganisationFactory(status="pending")
    with pytest.raises(ServiceError, match="承認済みの団体ではありません"):
        project_coordinator_assign(
            actor=crew.secretariat, project=crew.project, organisation=pending
        )
    with pytest.raises(PermissionDenied):
        project_coordinator_assign(
            actor=crew.municipality, project=crew.project, organisation=crew.company_org
        )
    assert crew.project.participants.get(role="coordinator").organisation == crew.coordinator_org


def test_participant_role_must_fit_kind(crew):
    """A company cannot join as a university, nor twice; a municipality brings its municipality."""
    company = OrganisationFactory()
    with pytest.raises(ServiceError, match="大学・研究機関の団体だけ"):
        project_participant_add(
            actor=crew.secretariat, project=crew.project, organisation=company, role="university"
        )
    with pytest.raises(ServiceError, match="すでにこのプロジェクトに参加"):
        project_participant_add(
            actor=crew.secretariat,
            project=crew.project,
            organisation=crew.company_org,
            role="company",
        )
    municipality_staff_for("272051")
    suita = Organisation.objects.get(municipality__code="272051")
    project_participant_add(
        actor=crew.secretariat, project=crew.project, organisation=suita, role="municipality"
    )
    assert set(crew.project.municipalities.values_list("code", flat=True)) == {"271403", "272051"}


def test_public_project_needs_a_case_study(crew):
    """Publishing without a case study is refused; with one, it is public and audited."""
    with pytest.raises(ServiceError, match="事例紹介を入力してください"):
        project_publication_update(
            actor=crew.secretariat, project=crew.project, is_public=True, case_study=" "
        )
    crew.project.refresh_from_db()
    assert crew.project.is_public is False
    with pytest.raises(PermissionDenied):
        project_publication_update(
            actor=crew.coordinator, project=crew.project, is_public=True, case_study="事例"
        )
    project_publication_update(
        actor=crew.secretariat, project=crew.project, is_public=True, case_study="堺市の事例"
    )
    crew.project.refresh_from_db()
    assert (crew.project.is_public, crew.project.case_study) == (True, "堺市の事例")
    assert AuditEvent.objects.filter(verb="project.publication", target_id=crew.project.pk).exists()


# --- milestones and progress ---------------------------------------------------------------------


def test_progress_is_the_done_share_of_weights(crew):
    """Weights 1, 3 and 4 with the 3 and the 1 done make 50%; undoing one lowers it; nothing is stored."""
    due = timezone.localdate()
    ids = [
        project_milestone_add(
            actor=crew.coordinator, project=crew.project, title=title, due_on=due, weight=w
        ).pk
        for title, w in (("計画", 1), ("設置", 3), ("検証", 4))
    ]
    assert milestones_progress(ProjectMilestone.objects.filter(project=crew.project)) == 0
    for pk in ids[:2]:
        project_milestone_set_done(
            actor=crew.municipality, project=crew.project, milestone_id=pk, done=True
        )
    assert milestones_progress(ProjectMilestone.objects.filter(project=crew.project)) == 50
    listed = {p.pk: p for p in project_list_for_member(crew.coordinator)}
    assert listed[crew.project.pk].progress == 50
    project_milestone_set_done(
        actor=crew.municipality, project=crew.project, milestone_id=ids[0], done=False
    )
    assert milestones_progress(ProjectMilestone.objects.filter(project=crew.project)) == 38
    assert not hasattr(Project, "progress")


def test_no_milestones_means_no_progress(crew):
    """Without milestones the progress is unknown, not 0%."""
    assert milestones_progress([]) is None
    assert project_list_for_member(crew.coordinator)[0].progress is None


@pytest.mark.parametrize("weight", [0, 101, -1])
def test_milestone_weight_out_of_range_is_refused(crew, weight):
    """Weights run from 1 to 100."""
    with pytest.raises(ServiceError, match="重みは1〜100"):
        project_milestone_add(
            actor=crew.coordinator,
            project=crew.project,
            title="t",
            due_on=timezone.localdate(),
            weight=weight,
        )
    assert not ProjectMilestone.objects.exists()


def test_other_projects_milestone_id_is_refused(crew):
    """Marking or deleting another project's milestone through this project changes nothing."""
    other = make_crew(title="別のプロジェクト", challenge=published_challenge(title="別の課題"))
    milestone = project_milestone_add(
        actor=other.coordinator,
        project=other.project,
        title="よそのマイルストーン",
        due_on=timezone.localdate(),
    )
    with pytest.raises(ServiceError, match="このプロジェクトにありません"):
        project_milestone_set_done(
            actor=crew.coordinator, project=crew.project, milestone_id=milestone.pk, done=True
        )
    with pytest.raises(ServiceError, match="このプロジェクトにありません"):
        project_milestone_remove(
            actor=crew.coordinator, project=crew.project, milestone_id=milestone.pk
        )
    milestone.refresh_from_db()
    assert milestone.done is False


def test_outsiders_cannot_edit_milestones(crew):
    """A member of another organisation may not add milestones."""
    with pytest.raises(PermissionDenied):
        project_milestone_add(
            actor=crew.outsider, project=crew.project, title="t", due_on=timezone.localdate()
        )
    assert not ProjectMilestone.objects.exists()


# --- KPIs and reports ----------------------------------------------------------------------------


def test_report_records_kpi_values_and_notifies(crew):
    """A report keeps its text and KPI values and tells the other participants and followers."""
    kpi = project_kpi_add(
        actor=crew.coordinator,
        project=crew.project,
        name="監視地点",
        unit="count",
        target=Decimal(10),
    )
    change = project_kpi_add(
        actor=crew.coordinator, project=crew.project, name="出動回数の増減", unit="count_change"
    )
    report = project_report_submit(
        actor=crew.municipality,
        project=crew.project,
        reported_on=timezone.localdate(),
        body="5地点で計測を始めました。",
        values={kpi.pk: Decimal(5), change.pk: Decimal(-3)},
    )
    assert dict(report.kpi_values.values_list("kpi__name", "value")) == {
        "監視地点": Decimal(5),
        "出動回数の増減": Decimal(-3),
    }
    notified = set(
        Notification.objects.filter(verb="project.report").values_list("recipient_id", flat=True)
    )
    assert {crew.coordinator.pk, crew.company.pk, crew.university.pk} <= notified
    assert crew.municipality.pk not in notified


def test_report_in_the_future_is_refused(crew):
    """A report dated tomorrow is refused with the date named; nothing is saved."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ServiceError, match="未来の日付"):
        project_report_submit(
            actor=crew.coordinator, project=crew.project, reported_on=tomorrow, body="予定"
        )
    assert not ProgressReport.objects.exists()
    assert not Notification.objects.filter(verb="project.report").exists()


def test_refusal_names_the_date_in_the_visitor_language(crew):
    """The same refusal in English gives the dates in English, not in the Japanese pattern."""
    from django.utils import translation
    from django.utils.formats import date_format

    tomorrow = timezone.localdate() + timedelta(days=1)
    with translation.override("en"), pytest.raises(ServiceError) as refused:
        project_report_submit(
            actor=crew.coordinator, project=crew.project, reported_on=tomorrow, body="plan"
        )
    message = str(refused.value)
    with translation.override("en"):
        assert date_format(tomorrow) in message
    assert "年" not in message and str(tomorrow.year) in message


def test_negative_value_refused_where_unit_forbids(crew):
    """A negative count is refused with the KPI and unit named; a negative change is accepted."""
    kpi = project_kpi_add(
        actor=crew.coordinator, project=crew.project, name="利用者", unit="people"
    )
    with pytest.raises(ServiceError, match="「利用者」の単位（人）では負の値は使えません"):
        project_report_submit(
            actor=crew.coordinator,
            project=crew.project,
            reported_on=timezone.localdate(),
            body="報告",
            values={kpi.pk: Decimal("-1")},
        )
    assert not ProgressReport.objects.exists()
    assert not KpiValue.objects.exists()


def test_negative_target_refused_where_unit_forbids(crew):
    """A KPI in percent cannot have a negative target."""
    with pytest.raises(ServiceError, match="負の値は使えません"):
        project_kpi_add(
            actor=crew.coordinator,
            project=crew.project,
            name="開封率",
            unit="percent",
            target=Decimal(-5),
        )
    assert not ProjectKpi.objects.exists()


def test_other_projects_kpi_id_is_refused(crew):
    """A value for another project's KPI is refused and no report is saved."""
    other = make_crew(title="別のプロジェクト", challenge=published_challenge(title="別の課題"))
    foreign = project_kpi_add(
        actor=other.coordinator, project=other.project, name="よそのKPI", unit="count"
    )
    with pytest.raises(ServiceError, match="このプロジェクトのものではありません"):
        project_report_submit(
            actor=crew.coordinator,
            project=crew.project,
            reported_on=timezone.localdate(),
            body="報告",
            values={foreign.pk: Decimal(1)},
        )
    assert not ProgressReport.objects.exists()


def test_duplicate_kpi_name_is_refused(crew):
    """Two KPIs of a project cannot share a name."""
    project_kpi_add(actor=crew.coordinator, project=crew.project, name="設置数", unit="count")
    with pytest.raises(ServiceError, match="すでにあります"):
        project_kpi_add(actor=crew.coordinator, project=crew.project, name="設置数", unit="count")
    assert ProjectKpi.objects.count() == 1


def test_stale_after_ninety_days_without_report():
    """89 days without a report is fine, 90 is stale; an implemented, rolled-out or discontinued
    project is never stale."""
    today = timezone.localdate()
    start = today - timedelta(days=200)
    assert not project_is_stale(
        stage="poc", started_on=start, last_report_on=today - timedelta(days=89), today=today
    )
    assert project_is_stale(
        stage="poc", started_on=start, last_report_on=today - timedelta(days=90), today=today
    )
    assert project_is_stale(stage="poc", started_on=start, last_report_on=None, today=today)
    assert not project_is_stale(
        stage="poc", started_on=today - timedelta(days=30), last_report_on=None, today=today
    )
    for stage in ("implementation", "rollout", "discontinued"):
        assert not project_is_stale(stage=stage, started_on=start, last_report_on=None, today=today)


# --- documents -----------------------------------------------------------------------------------


def test_documents_are_checked_like_proposals(crew):
    """A PDF is kept in private storage; a disguised file is refused."""
    document = project_document_add(
        actor=crew.university, project=crew.project, upload=pdf_upload("計画書.pdf")
    )
    assert document.original_name == "計画書.pdf"
    assert document.file.name.startswith("projects/")
    with pytest.raises(ServiceError, match="一致しません"):
        project_document_add(
            actor=crew.university,
            project=crew.project,
            upload=SimpleUploadedFile("fake.pdf", b"not a pdf"),
        )
    with pytest.raises(PermissionDenied):
        project_document_add(actor=crew.outsider, project=crew.project, upload=pdf_upload())
    assert ProjectDocument.objects.count() == 1


# --- followers -----------------------------------------------------------------------------------


def test_followers_of_public_project_and_its_challenge_are_told(crew):
    """Followers of a public project and of its challenge hear of reports; of a private one, they do not."""
    follower = member_of(crew.outsider.memberships.get().organisation)
    challenge_follower = member_of(OrganisationFactory())
    follow_add(actor=challenge_follower, challenge=crew.challenge)
    with pytest.raises(PermissionDenied):
        follow_add(actor=follower, project=crew.project)  # private: not visible to them
    assert challenge_follower not in project_audience(crew.project)
    project_publication_update(
        actor=crew.secretariat, project=crew.project, is_public=True, case_study="事例"
    )
    crew.project.refresh_from_db()
    assert follow_add(actor=follower, project=crew.project) is True
    assert follow_add(actor=follower, project=crew.project) is False
    audience = project_audience(crew.project)
    assert follower in audience and challenge_follower in audience
    project_publication_update(
        actor=crew.secretariat, project=crew.project, is_public=False, case_study="事例"
    )
    crew.project.refresh_from_db()
    assert follower not in project_audience(crew.project)
    assert follow_remove(actor=follower, project=crew.project) is True
    assert not Follow.objects.filter(user=follower, project=crew.project).exists()


def test_followers_outside_a_public_project_hear_only_what_its_page_shows(crew):
    """A follower outside the project is told of a report without its text, and of an outcome with
    the decision and lessons the public page shows, but never the move's note."""
    follower = member_of(crew.outsider.memberships.get().organisation)
    challenge_follower = member_of(OrganisationFactory())
    follow_add(actor=challenge_follower, challenge=crew.challenge)
    project_publication_update(
        actor=crew.secretariat, project=crew.project, is_public=True, case_study="事例"
    )
    crew.project.refresh_from_db()
    follow_add(actor=follower, project=crew.project)
    project_report_submit(
        actor=crew.coordinator,
        project=crew.project,
        reported_on=timezone.localdate(),
        body="予算の内訳は非公開です。",
    )
    crew.at_stage("evaluation")
    project_move_stage(
        actor=crew.coordinator,
        project=crew.project,
        to_stage="implementation",
        outcome="adopted",
        lessons="住民説明会を早めに開くと導入が進みます。",
        note="調達の経緯は非公開です。",
    )
    for outside in (follower, challenge_follower):
        moved = Notification.objects.get(verb="project.stage_changed", recipient=outside)
        assert "住民説明会を早めに開くと導入が進みます。" in moved.body
    for verb in ("project.report", "project.stage_changed"):
        told = {n.recipient_id: n for n in Notification.objects.filter(verb=verb)}
        assert {follower.pk, challenge_follower.pk, crew.company.pk} <= set(told)
        assert "非公開" in told[crew.company.pk].body
        for outside in (follower, challenge_follower):
            assert "非公開" not in told[outside.pk].body
            assert told[outside.pk].title == told[crew.company.pk].title


def test_proposal_joining_a_public_project_is_not_named_to_outside_followers(crew):
    """Outside followers hear that a proposal joined, never which one; participants see its title."""
    project_publication_update(
        actor=crew.secretariat, project=crew.project, is_public=True, case_study="事例"
    )
    follower = member_of(crew.outsider.memberships.get().organisation)
    crew.project.refresh_from_db()
    follow_add(actor=follower, project=crew.project)
    proposer = member_of(OrganisationFactory())
    proposal = proposal_create(
        actor=proposer,
        challenge=crew.challenge,
        organisation=proposer.memberships.get().organisation,
        title="極秘の水位センサー提案",
        summary="s",
    )
    proposal_transition(actor=proposer, proposal=proposal, action="submit")
    proposal_transition(
        actor=crew.municipality, proposal=proposal, action="accept", project_id=crew.project.pk
    )
    told = {n.recipient_id: n for n in Notification.objects.filter(verb="project.joined")}
    assert "極秘" in told[crew.company.pk].title
    assert follower.pk in told and "極秘" not in told[follower.pk].title


def test_person_without_organisation_cannot_follow(crew):
    """Following is for members of approved organisations."""
    with pytest.raises(PermissionDenied):
        follow_add(actor=crew.visitor, challenge=crew.challenge)
    assert not Follow.objects.exists()


# --- roll-out ------------------------------------------------------------------------------------


def test_rollout_starts_linked_project_and_moves_origin(crew):
    """The secretariat rolls an implemented project out to Suita: a new linked project keeps the
    organisations, works on Suita's challenge, and the origin moves to roll-out."""
    crew.at_stage("implementation")
    municipality_staff_for("272051")
    suita_challenge = published_challenge("272051", title="吹田のため池")
    rollout = project_rollout_start(
        actor=crew.secretariat,
        origin=crew.project,
        municipality=suita_challenge.municipality,
        challenges=[suita_challenge],
    )
    assert rollout.origin == crew.project
    assert rollout.stage == "matched"
    assert rollout.title == "ため池の見守りプロジェクト（吹田市への横展開）"
    roles = dict(rollout.participants.values_list("organisation__name", "role"))
    assert roles[crew.coordinator_org.name] == "coordinator"
    assert roles["吹田市"] == "municipality"
    assert "堺市" not in roles
    assert list(rollout.municipalities.values_list("code", flat=True)) == ["272051"]
    crew.project.refresh_from_db()
    assert crew.project.stage == "rollout"
    last = ProjectStageChange.objects.filter(project=crew.project).latest("pk")
    assert (last.from_stage, last.to_stage, last.actor_role) == (
        "implementation",
        "rollout",
        "secretariat",
    )


def test_rollout_needs_implementation_and_a_new_municipality(crew):
    """A PoC cannot be rolled out; nor can a municipality already in it; nor with its challenge elsewhere."""
    suita_challenge = published_challenge("272051", title="吹田のため池")
    with pytest.raises(ServiceError, match="社会実装"):
        project_rollout_start(
            actor=crew.secretariat,
            origin=crew.project,
            municipality=suita_challenge.municipality,
            challenges=[suita_challenge],
        )
    crew.at_stage("implementation")
    with pytest.raises(ServiceError, match="すでにこのプロジェクトに参加"):
        project_rollout_start(
            actor=crew.secretariat,
            origin=crew.project,
            municipality=crew.challenge.municipality,
            challenges=[crew.challenge],
        )
    with pytest.raises(ServiceError, match="吹田市の課題ではありません"):
        project_rollout_start(
            actor=crew.secretariat,
            origin=crew.project,
            municipality=suita_challenge.municipality,
            challenges=[crew.challenge],
        )
    with pytest.raises(PermissionDenied):
        project_rollout_start(
            actor=crew.coordinator,
            origin=crew.project,
            municipality=suita_challenge.municipality,
            challenges=[suita_challenge],
        )
    assert Project.objects.count() == 1
    crew.project.refresh_from_db()
    assert crew.project.stage == "implementation"


def test_participants_keep_their_project_after_rollout_count(crew):
    """A participant organisation sees both the origin and the roll-out in its list."""
    crew.at_stage("implementation")
    suita_challenge = published_challenge("272051", title="吹田のため池")
    project_rollout_start(
        actor=crew.secretariat,
        origin=crew.project,
        municipality=suita_challenge.municipality,
        challenges=[suita_challenge],
    )
    assert ProjectParticipant.objects.filter(organisation=crew.coordinator_org).count() == 2
    assert len(project_list_for_member(crew.coordinator)) == 2


def test_stopped_project_takes_no_new_progress_but_keeps_its_record(crew):
    """A discontinued project refuses reports, milestones (added, ticked, removed) and KPIs with
    a message naming why; what it recorded stays, and a closing document may still be filed."""
    today = timezone.localdate()
    milestone = project_milestone_add(
        actor=crew.coordinator, project=crew.project, title="設置", due_on=today
    )
    crew.at_stage("discontinued")
    writes = [
        lambda: project_report_submit(
            actor=crew.coordinator, project=crew.project, reported_on=today, body="続報"
        ),
        lambda: project_milestone_add(
            actor=crew.coordinator, project=crew.project, title="撤去", due_on=today
        ),
        lambda: project_milestone_set_done(
            actor=crew.coordinator, project=crew.project, milestone_id=milestone.pk, done=True
        ),
        lambda: project_milestone_remove(
            actor=crew.secretariat, project=crew.project, milestone_id=milestone.pk
        ),
        lambda: project_kpi_add(
            actor=crew.coordinator, project=crew.project, name="設置数", unit="count"
        ),
    ]
    for write in writes:
        with pytest.raises(ServiceError, match="このプロジェクトは中止されています"):
            write()
    assert list(crew.project.milestones.values_list("title", "done")) == [("設置", False)]
    assert not ProgressReport.objects.exists() and not ProjectKpi.objects.exists()
    document = project_document_add(
        actor=crew.coordinator, project=crew.project, upload=pdf_upload("最終報告.pdf")
    )
    assert document.original_name == "最終報告.pdf"
