"""Project pages by role, the member-area forms (keeping what was typed on errors), downloads, follows."""

import re
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

import pytest

from forum.models import (
    Follow,
    ProgressReport,
    Project,
    ProjectKpi,
    ProjectMilestone,
    ProjectStageChange,
)
from forum.services.projects.lifecycle import project_publication_update
from forum.services.projects.stages import project_move_stage
from forum.services.projects.tracking import (
    project_document_add,
    project_kpi_add,
    project_milestone_add,
    project_report_submit,
)
from forum.services.proposals import proposal_create, proposal_transition
from tests.factories import OrganisationFactory
from tests.forum.helpers import member_of
from tests.forum.project_fixtures import INSIDE_ONLY, LESSONS, ROLES, make_crew, tell_public_story
from tests.forum.proposal_fixtures import pdf_upload, published_challenge

pytestmark = pytest.mark.django_db

PARTICIPANTS = {"coordinator", "company", "university", "municipality", "secretariat"}


def _login(client, crew, role):
    if role != "anonymous":
        client.force_login(crew.user(role))


def _with_history(crew):
    """A report, a milestone and a stage move with a note, which only insiders may read."""
    project_milestone_add(
        actor=crew.coordinator,
        project=crew.project,
        title="水位計の設置",
        due_on=timezone.localdate(),
        weight=2,
    )
    project_report_submit(
        actor=crew.coordinator,
        project=crew.project,
        reported_on=timezone.localdate(),
        body="内部向けの報告本文",
    )
    project_move_stage(
        actor=crew.coordinator, project=crew.project, to_stage="poc_planning", note="内部メモ"
    )


def _publish(crew, text="堺市のため池を見守った事例です。"):
    project_publication_update(
        actor=crew.secretariat, project=crew.project, is_public=True, case_study=text
    )
    crew.project.refresh_from_db()


@pytest.mark.parametrize("role", ["anonymous", *ROLES])
def test_private_project_page_only_for_participants(client, crew, role):
    """A private project's page opens for its participants and the secretariat; others get a 404."""
    _with_history(crew)
    _login(client, crew, role)
    response = client.get(reverse("projects:detail", args=[crew.project.pk]))
    if role in PARTICIPANTS:
        assert response.status_code == 200
        body = response.content.decode()
        assert "内部向けの報告本文" in body and "内部メモ" in body and "水位計の設置" in body
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("role", ["anonymous", "visitor", "outsider"])
def test_public_project_shows_curated_summary_to_everyone(client, crew, role):
    """Outsiders of a public project read the case study and the stages, never reports or notes."""
    _with_history(crew)
    _publish(crew)
    _login(client, crew, role)
    response = client.get(reverse("projects:detail", args=[crew.project.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "堺市のため池を見守った事例です。" in body
    assert "実証実験の準備" in body
    assert crew.coordinator_org.name in body
    for private in ("内部向けの報告本文", "内部メモ", "水位計の設置", "進捗を更新する"):
        assert private not in body


def test_public_project_page_shows_the_outcome_the_api_serves(client, crew):
    """Visitors read the outcome and lessons of an evaluation (as open data does), not the notes."""
    tell_public_story(crew)
    body = client.get(reverse("projects:detail", args=[crew.project.pk])).content.decode()
    assert "本格導入が決定" in body and LESSONS in body
    for private in INSIDE_ONLY:
        assert private not in body


def test_public_list_filters_by_municipality(client, crew):
    """The municipality filter keeps the projects that municipality takes part in."""
    _publish(crew)
    other = make_crew(title="吹田の公開", challenge=published_challenge("272051"))
    _publish(other, text="吹田の事例です。")
    response = client.get(reverse("projects:list"), {"municipality": "272051"})
    assert [p.pk for p in response.context["page_obj"]] == [other.project.pk]
    body = response.content.decode()
    assert 'value="272051" selected' in body
    response = client.get(reverse("projects:list"), {"municipality": "272035"})
    assert "条件に合う公開プロジェクトはありません" in response.content.decode()
    unknown = client.get(reverse("projects:list"), {"municipality": "nowhere"})
    assert len(unknown.context["page_obj"]) == 2


def test_public_list_shows_only_public_projects(client, crew):
    """The public list shows public projects, filters by stage, and says so when nothing matches."""
    other = make_crew(title="吹田の非公開", challenge=published_challenge("272051"))
    _publish(crew)
    response = client.get(reverse("projects:list"))
    body = response.content.decode()
    assert crew.project.title in body
    assert other.project.title not in body
    response = client.get(reverse("projects:list"), {"stage": "implementation"})
    assert crew.project.title not in response.content.decode()
    assert "条件に合う公開プロジェクトはありません" in response.content.decode()


@pytest.mark.parametrize("role", ["anonymous", *ROLES])
def test_manage_page_only_for_participants(client, crew, role):
    """The member-area page of a project opens for participants and the secretariat only."""
    _login(client, crew, role)
    response = client.get(reverse("forum:project_manage", args=[crew.project.pk]))
    if role in PARTICIPANTS:
        assert response.status_code == 200
    elif role == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == 404


def test_manage_page_offers_only_the_roles_moves(client, crew):
    """The coordinator is offered the next stage; the company participant is offered none."""
    client.force_login(crew.coordinator)
    form = client.get(reverse("forum:project_manage", args=[crew.project.pk])).context["stage_form"]
    assert [value for value, _label in form.fields["to_stage"].choices] == ["", "poc_planning"]
    client.force_login(crew.company)
    response = client.get(reverse("forum:project_manage", args=[crew.project.pk]))
    assert response.context["stage_targets"] == []
    assert "このステージから移す操作はありません" in response.content.decode()


def test_future_report_keeps_the_text_and_saves_nothing(client, crew):
    """A report dated tomorrow comes back with the reason and the typed text; no report is saved."""
    kpi = project_kpi_add(actor=crew.coordinator, project=crew.project, name="地点", unit="count")
    client.force_login(crew.coordinator)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        reverse("forum:project_report", args=[crew.project.pk]),
        {"reported_on": tomorrow.isoformat(), "body": "明日の報告です", f"kpi_{kpi.pk}": "4"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "未来の日付" in body
    assert "明日の報告です" in body
    assert 'value="4"' in body
    assert not ProgressReport.objects.exists()


def test_negative_kpi_value_keeps_the_form(client, crew):
    """A negative number of people is refused with the unit named; the typed values stay."""
    kpi = project_kpi_add(
        actor=crew.coordinator, project=crew.project, name="参加者", unit="people"
    )
    client.force_login(crew.municipality)
    response = client.post(
        reverse("forum:project_report", args=[crew.project.pk]),
        {
            "reported_on": timezone.localdate().isoformat(),
            "body": "参加者が減りました",
            f"kpi_{kpi.pk}": "-3",
        },
    )
    body = response.content.decode()
    assert "「参加者」の単位（人）では負の値は使えません" in body
    assert "参加者が減りました" in body and 'value="-3"' in body
    assert not ProgressReport.objects.exists()


def test_report_through_the_page_is_saved(client, crew):
    """A valid report with a KPI value is saved and the page shows it."""
    kpi = project_kpi_add(actor=crew.coordinator, project=crew.project, name="地点", unit="count")
    client.force_login(crew.coordinator)
    response = client.post(
        reverse("forum:project_report", args=[crew.project.pk]),
        {"reported_on": timezone.localdate().isoformat(), "body": "順調です", f"kpi_{kpi.pk}": "6"},
        follow=True,
    )
    assert "進捗報告を登録しました" in response.content.decode()
    report = ProgressReport.objects.get()
    assert report.kpi_values.get().value == Decimal(6)


def test_illegal_stage_move_keeps_the_note(client, crew):
    """Asking for implementation from matching is refused with a message; the note stays typed."""
    client.force_login(crew.coordinator)
    response = client.post(
        reverse("forum:project_stage", args=[crew.project.pk]),
        {"to_stage": "implementation", "note": "一気に進めたい"},
    )
    body = response.content.decode()
    assert "「マッチング成立」から「社会実装」へは移せません" in body
    assert "一気に進めたい" in body
    crew.project.refresh_from_db()
    assert crew.project.stage == "matched"
    assert ProjectStageChange.objects.filter(project=crew.project).count() == 1


def test_evaluation_without_outcome_keeps_the_lessons(client, crew):
    """Leaving evaluation without an outcome is refused; the lessons typed are still there."""
    crew.at_stage("evaluation")
    client.force_login(crew.coordinator)
    response = client.post(
        reverse("forum:project_stage", args=[crew.project.pk]),
        {"to_stage": "implementation", "lessons": "住民説明が大切だった"},
    )
    body = response.content.decode()
    assert "成果（評価の結論）を選んでください" in body
    assert "住民説明が大切だった" in body
    crew.project.refresh_from_db()
    assert crew.project.stage == "evaluation"


def _stage_options(html: str) -> list[str]:
    """The labels of the stage select's options, as the page shows them."""
    select = html[html.index('name="to_stage"') :]
    select = select[: select.index("</select>")]
    return re.findall(r"<option[^>]*>([^<]*)</option>", select)


def test_refused_stage_move_offers_the_same_stages_again(client, crew):
    """After 実証実験 is chosen without an outcome, the form offers the same allowed stages as
    before and the error names the outcome field by its label."""
    crew.at_stage("evaluation")
    client.force_login(crew.municipality)
    manage = reverse("forum:project_manage", args=[crew.project.pk])
    offered = _stage_options(client.get(manage).content.decode())
    assert "実証実験" in offered and len(offered) < 1 + 7
    response = client.post(
        reverse("forum:project_stage", args=[crew.project.pk]), {"to_stage": "poc"}
    )
    body = response.content.decode()
    assert _stage_options(body) == offered
    assert "成果（評価の結論）を選んでください" in body
    assert "成果（判断）" not in body


def test_stage_move_through_the_page(client, crew):
    """The coordinator moves the project on and the page shows the new stage."""
    client.force_login(crew.coordinator)
    response = client.post(
        reverse("forum:project_stage", args=[crew.project.pk]),
        {"to_stage": "poc_planning", "note": "計画を始めます"},
        follow=True,
    )
    assert "ステージを変更しました" in response.content.decode()
    crew.project.refresh_from_db()
    assert crew.project.stage == "poc_planning"


def test_repeated_stage_post_says_nothing_changed(client, crew):
    """Posting the same move twice (a double click) says the project is already there, not changed."""
    client.force_login(crew.coordinator)
    url = reverse("forum:project_stage", args=[crew.project.pk])
    first = client.post(url, {"to_stage": "poc_planning"}, follow=True).content.decode()
    assert "ステージを変更しました" in first
    body = client.post(url, {"to_stage": "poc_planning"}, follow=True).content.decode()
    assert "このプロジェクトはすでにそのステージです" in body
    assert "ステージを変更しました" not in body
    assert (
        ProjectStageChange.objects.filter(project=crew.project, to_stage="poc_planning").count()
        == 1
    )


def test_company_participant_stage_move_is_forbidden(client, crew):
    """A company participant posting a stage move gets a 403 and nothing moves."""
    client.force_login(crew.company)
    response = client.post(
        reverse("forum:project_stage", args=[crew.project.pk]), {"to_stage": "poc_planning"}
    )
    assert response.status_code == 403
    crew.project.refresh_from_db()
    assert crew.project.stage == "matched"


def test_tampered_milestone_id_changes_nothing(client, crew):
    """Marking another project's milestone through this project's URL is refused with a message."""
    other = make_crew(title="別のプロジェクト", challenge=published_challenge(title="別の課題"))
    foreign = project_milestone_add(
        actor=other.coordinator,
        project=other.project,
        title="よその作業",
        due_on=timezone.localdate(),
    )
    client.force_login(crew.coordinator)
    response = client.post(
        reverse("forum:project_milestone_done", args=[crew.project.pk, foreign.pk]),
        {"done": "1"},
        follow=True,
    )
    assert "指定されたマイルストーンはこのプロジェクトにありません" in response.content.decode()
    foreign.refresh_from_db()
    assert foreign.done is False
    # And through the other project's own URL, a non-participant gets a 404.
    response = client.post(
        reverse("forum:project_milestone_done", args=[other.project.pk, foreign.pk]), {"done": "1"}
    )
    assert response.status_code == 404


def test_milestone_form_keeps_input_on_error(client, crew):
    """A milestone with weight 0 comes back with the title still typed."""
    client.force_login(crew.coordinator)
    response = client.post(
        reverse("forum:project_milestone_add", args=[crew.project.pk]),
        {"title": "センサー設置", "due_on": timezone.localdate().isoformat(), "weight": "0"},
    )
    assert response.status_code == 200
    assert 'value="センサー設置"' in response.content.decode()
    assert not ProjectMilestone.objects.exists()


def test_kpi_form_refuses_negative_target(client, crew):
    """A negative target for a percent KPI is refused with the name kept."""
    client.force_login(crew.coordinator)
    response = client.post(
        reverse("forum:project_kpi_add", args=[crew.project.pk]),
        {"name": "開封率", "unit": "percent", "target": "-10"},
    )
    body = response.content.decode()
    assert "負の値は使えません" in body and 'value="開封率"' in body
    assert not ProjectKpi.objects.exists()


@pytest.mark.parametrize("role", ["anonymous", *ROLES])
def test_document_download_only_for_participants(client, crew, role):
    """A project's document is served to participants and the secretariat, never to others."""
    document = project_document_add(
        actor=crew.coordinator, project=crew.project, upload=pdf_upload()
    )
    _publish(crew)  # even a public project keeps its documents private
    _login(client, crew, role)
    response = client.get(reverse("forum:project_document", args=[crew.project.pk, document.pk]))
    if role in PARTICIPANTS:
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        assert response["Cache-Control"] == "private, no-store"
    else:
        assert response.status_code in (302, 404)


def test_other_projects_document_id_is_not_served(client, crew):
    """A document id of another project through this project's URL is a 404."""
    other = make_crew(title="別のプロジェクト", challenge=published_challenge(title="別の課題"))
    document = project_document_add(
        actor=other.coordinator, project=other.project, upload=pdf_upload()
    )
    client.force_login(crew.coordinator)
    response = client.get(reverse("forum:project_document", args=[crew.project.pk, document.pk]))
    assert response.status_code == 404


def test_reviewer_accepts_into_existing_project_from_proposal_page(client, cast):
    """The accept form offers the reviewer's project; choosing it adds the proposal there."""
    cast.proposal("accepted")
    project = Project.objects.get()
    organisation = OrganisationFactory(name="株式会社ふたつめ")
    proposer = member_of(organisation, role="admin")
    second = proposal_create(
        actor=proposer,
        challenge=cast.challenge,
        organisation=organisation,
        title="二つ目の提案",
        summary="s",
    )
    proposal_transition(actor=proposer, proposal=second, action="submit")
    client.force_login(cast.reviewer)
    page = client.get(reverse("forum:proposal_detail", args=[second.pk]))
    assert page.context["joinable_projects"] == [project]
    response = client.post(
        reverse("forum:proposal_action", args=[second.pk, "accept"]),
        {"project": str(project.pk)},
        follow=True,
    )
    assert f"プロジェクト「{project.title}」で進めます" in response.content.decode()
    assert Project.objects.count() == 1
    assert project.proposal_links.filter(proposal=second).exists()


def test_follow_and_unfollow_a_public_project(client, crew):
    """A member follows a public project from its page and can stop following."""
    _publish(crew)
    client.force_login(crew.outsider)
    url = reverse("forum:project_follow", args=[crew.project.pk])
    client.post(url, {"action": "follow"})
    assert Follow.objects.filter(user=crew.outsider, project=crew.project).exists()
    page = client.get(reverse("projects:detail", args=[crew.project.pk]))
    assert "フォローを解除" in page.content.decode()
    client.post(url, {"action": "unfollow"})
    assert not Follow.objects.filter(user=crew.outsider).exists()


def test_following_a_private_project_is_a_404(client, crew):
    """An outsider cannot follow, or learn about, a private project."""
    client.force_login(crew.outsider)
    response = client.post(
        reverse("forum:project_follow", args=[crew.project.pk]), {"action": "follow"}
    )
    assert response.status_code == 404
    assert not Follow.objects.exists()


def test_follow_a_challenge_from_its_page(client, crew):
    """A member follows a challenge and is sent back to where they were (never off-site)."""
    client.force_login(crew.outsider)
    response = client.post(
        reverse("forum:challenge_follow", args=[crew.challenge.pk]),
        {"action": "follow", "next": "https://evil.example/"},
    )
    assert response["Location"] == crew.challenge.url
    assert Follow.objects.filter(user=crew.outsider, challenge=crew.challenge).exists()


def test_only_secretariat_creates_projects_on_the_page(client, crew):
    """The create page is the secretariat's; their form keeps the title when no challenge is chosen."""
    client.force_login(crew.coordinator)
    assert client.get(reverse("forum:project_create")).status_code == 404
    client.force_login(crew.secretariat)
    response = client.post(reverse("forum:project_create"), {"title": "新しい取り組み"})
    assert response.status_code == 200
    assert 'value="新しい取り組み"' in response.content.decode()
    response = client.post(
        reverse("forum:project_create"),
        {"title": "新しい取り組み", "challenges": [crew.challenge.pk]},
    )
    created = Project.objects.get(title="新しい取り組み")
    assert response["Location"] == reverse("forum:project_manage", args=[created.pk])


def test_secretariat_starts_rollout_from_the_form(client, crew):
    """The roll-out form, prefilled from a suggestion, creates the linked project."""
    crew.at_stage("implementation")
    suita = published_challenge("272051", title="吹田のため池")
    client.force_login(crew.secretariat)
    url = reverse("forum:project_rollout_start", args=[crew.project.pk])
    page = client.get(url, {"municipality": suita.municipality_id, "challenge": suita.pk})
    assert page.context["form"].initial["challenges"] == [str(suita.pk)]
    response = client.post(url, {"municipality": suita.municipality_id, "challenges": [suita.pk]})
    rollout = Project.objects.get(origin=crew.project)
    assert response["Location"] == reverse("forum:project_manage", args=[rollout.pk])
    client.force_login(crew.coordinator)
    assert client.get(url).status_code == 404


def test_admin_publication_goes_through_the_service(client, crew):
    """In the Wagtail admin, publishing without a case study is refused; with one it is saved."""
    client.force_login(crew.secretariat)
    url = reverse("forum_project:edit", args=[crew.project.pk])
    response = client.post(url, {"is_public": "on", "case_study": ""})
    assert response.status_code == 200
    assert "公開するには事例紹介を入力してください" in response.content.decode()
    crew.project.refresh_from_db()
    assert crew.project.is_public is False
    client.post(url, {"is_public": "on", "case_study": "公開用の事例紹介"})
    crew.project.refresh_from_db()
    assert (crew.project.is_public, crew.project.case_study) == (True, "公開用の事例紹介")
    from forum.models import AuditEvent

    assert AuditEvent.objects.filter(verb="project.publication", actor=crew.secretariat).exists()


def test_public_rollout_never_names_a_private_origin(client, crew):
    """Visitors of a public roll-out do not learn its private origin; the origin's participants do."""
    from forum.models import Project
    from forum.services.projects.lifecycle import project_rollout_start
    from tests.forum.proposal_fixtures import municipality_staff_for, published_challenge

    crew.at_stage("implementation")
    municipality_staff_for("272051")
    suita_challenge = published_challenge("272051", title="吹田のため池")
    rollout = project_rollout_start(
        actor=crew.secretariat,
        origin=crew.project,
        municipality=suita_challenge.municipality,
        challenges=[suita_challenge],
        title="吹田での見守り",
    )
    Project.objects.filter(pk=rollout.pk).update(is_public=True, case_study="吹田の事例")
    url = reverse("projects:detail", args=[rollout.pk])
    body = client.get(url).content.decode()
    assert "吹田の事例" in body and crew.project.title not in body
    client.force_login(crew.coordinator)
    body = client.get(url).content.decode()
    assert reverse("projects:detail", args=[crew.project.pk]) in body


def test_admin_project_listing_costs_the_same_with_more_projects(client, crew):
    """The admin's project list reads each project's field without a query per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from forum.models import Project

    client.force_login(crew.secretariat)
    url = reverse("forum_project:index")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for i in range(4):
        Project.objects.create(title=f"追加のプロジェクト{i}", field=crew.project.field)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) == len(small)


def test_follow_buttons_are_offered_only_to_members_who_may_follow(client, crew):
    """Someone signed in without an approved organisation sees no follow button on a public
    project or on a challenge page; a member of an approved organisation does."""
    from cms.services import site_ensure
    from forum.models import Challenge
    from forum.services.projects.lifecycle import project_publication_update
    from tests.cms.factories import challenge_page
    from tests.factories import UserFactory

    project_publication_update(
        actor=crew.secretariat, project=crew.project, is_public=True, case_study="事例"
    )
    site_ensure()
    page = challenge_page("272051", title="吹田の見守り")
    record = Challenge.objects.get(page_id=page.pk)
    follow_url = reverse("forum:challenge_follow", args=[record.pk])
    loner = UserFactory()
    client.force_login(loner)
    assert client.get(crew.project.get_absolute_url()).context["view"].can_follow is False
    response = client.get(page.url)
    assert response.status_code == 200 and follow_url not in response.content.decode()
    client.force_login(crew.outsider)
    assert client.get(crew.project.get_absolute_url()).context["view"].can_follow is True
    assert follow_url in client.get(page.url).content.decode()


CASE_JA = "堺市のため池を水位センサーで見守った事例です。"
CASE_EN = "How Sakai watched its reservoirs with water-level sensors."
CASE_FALLBACK = "This case study is not yet available in English; it is shown in Japanese."


def test_case_study_in_english_or_plainly_in_japanese(client, crew):
    """The secretariat's English case study is what the English site shows; without one the
    Japanese text is shown under a notice."""
    from forum.services.errors import PermissionDenied
    from forum.services.projects.lifecycle import project_publication_update

    url = reverse("projects:detail", args=[crew.project.pk])
    project_publication_update(
        actor=crew.secretariat, project=crew.project, is_public=True, case_study=CASE_JA
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url).content.decode()
    assert CASE_FALLBACK in english and CASE_JA in english
    with pytest.raises(PermissionDenied):
        project_publication_update(
            actor=crew.coordinator,
            project=crew.project,
            is_public=True,
            case_study=CASE_JA,
            case_study_en="Overwritten",
        )
    project_publication_update(
        actor=crew.secretariat,
        project=crew.project,
        is_public=True,
        case_study=CASE_JA,
        case_study_en=f"  {CASE_EN}  ",
    )
    crew.project.refresh_from_db()
    assert crew.project.case_study_en == CASE_EN
    english = client.get(url).content.decode()
    assert CASE_EN in english and CASE_JA not in english and CASE_FALLBACK not in english
    assert CASE_EN in client.get("/projects/").content.decode()
    api = client.get(f"/api/v1/projects/{crew.project.pk}/").json()
    assert (api["case_study"], api["case_study_en"]) == (CASE_JA, CASE_EN)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ja"
    japanese = client.get(url).content.decode()
    assert CASE_JA in japanese and CASE_EN not in japanese


def test_admin_saves_the_english_name_and_records_which_language_changed(client, crew):
    """The admin form saves the English name with the case study; the service records when the
    Japanese and the English case study last changed, so the translation report can compare."""
    client.force_login(crew.secretariat)
    url = reverse("forum_project:edit", args=[crew.project.pk])
    client.post(
        url,
        {
            "is_public": "on",
            "case_study": "公開用の事例紹介",
            "case_study_en": "A public case study.",
            "title_en": "Pond watch project",
        },
    )
    crew.project.refresh_from_db()
    assert crew.project.title_en == "Pond watch project"
    english_at = crew.project.case_study_en_changed_at
    assert english_at is not None and crew.project.case_study_changed_at is not None
    client.post(
        url,
        {
            "is_public": "on",
            "case_study": "公開用の事例紹介（改訂）",
            "case_study_en": "A public case study.",
            "title_en": "Pond watch project",
        },
    )
    crew.project.refresh_from_db()
    assert crew.project.case_study_en_changed_at == english_at
    assert crew.project.case_study_changed_at > english_at


def test_kpi_labels_use_half_width_brackets_in_english(client, crew):
    """The progress report form labels a KPI "利用登録世帯数 (people)" on the English site and
    利用登録世帯数（人） on the Japanese one, never mixing full-width brackets into English."""
    project_kpi_add(
        actor=crew.coordinator, project=crew.project, name="利用登録世帯数", unit="people"
    )
    client.force_login(crew.coordinator)
    url = reverse("forum:project_manage", args=[crew.project.pk])
    assert "利用登録世帯数（人）" in client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url).content.decode()
    assert "利用登録世帯数 (people)" in english
    assert "（people）" not in english


def test_milestone_form_labels_one_milestone(client, crew):
    """The 「マイルストーンを追加」 form's title field reads "Milestone" in English, not "Milestones"."""
    client.force_login(crew.coordinator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("forum:project_manage", args=[crew.project.pk])).content.decode()
    assert "Add a milestone" in page
    assert '<label class="form-label" for="id_title">Milestone <span' in page
    assert ">Milestones <span" not in page


def test_stopped_project_page_is_read_only(client, crew):
    """A discontinued project's page shows its reports and milestones with the reason it is
    closed, and offers no report, milestone, KPI or tester-call action; the secretariat may
    still reopen it."""
    today = timezone.localdate()
    project_milestone_add(actor=crew.coordinator, project=crew.project, title="設置", due_on=today)
    project_report_submit(
        actor=crew.coordinator, project=crew.project, reported_on=today, body="設置を終えました"
    )
    crew.at_stage("discontinued")
    manage = reverse("forum:project_manage", args=[crew.project.pk])
    client.force_login(crew.municipality)
    body = client.get(manage).content.decode()
    assert "このプロジェクトは中止されています" in body
    assert "設置を終えました" in body and "設置" in body
    for form in ('id="report-form"', 'id="milestone-form"', 'id="kpi-form"'):
        assert form not in body
    assert "完了にする" not in body and "モニター募集を開く" not in body
    client.force_login(crew.secretariat)
    assert "実証実験の準備" in _stage_options(client.get(manage).content.decode())
