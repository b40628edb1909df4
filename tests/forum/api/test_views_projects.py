"""Public projects in the API: only public ones, their public record, filters like /projects/."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import pytest

from forum.models import Project, ProjectParticipant, ProjectStageChange
from forum.selectors.projects.lists import project_list_public
from forum.services.projects.lifecycle import project_publication_update, project_rollout_start
from forum.services.projects.participants import project_participant_add
from forum.services.projects.tracking import project_milestone_add
from tests.factories import OrganisationFactory
from tests.forum.api.helpers import member_with_token
from tests.forum.project_fixtures import (
    CASE_STUDY,
    INSIDE_ONLY,
    LESSONS,
    SUITA,
    make_crew,
    tell_public_story,
)
from tests.forum.proposal_fixtures import published_challenge

pytestmark = pytest.mark.django_db


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def _error(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["status"] == status and error["message"]
    return error


@pytest.fixture
def story(crew):
    """The crew's project told publicly, and a private project in Suita beside it."""
    tell_public_story(crew)
    private = make_crew(
        title="吹田の非公開", challenge=published_challenge(SUITA, title="吹田の課題")
    )
    return crew, private


def test_private_projects_are_neither_listed_nor_readable(client, story):
    """Anonymous clients get the public project only; the private one is a JSON 404."""
    crew, private = story
    assert _ids(client.get("/api/v1/projects/")) == [crew.project.pk]
    assert client.get(f"/api/v1/projects/{crew.project.pk}/").status_code == 200
    _error(client.get(f"/api/v1/projects/{private.project.pk}/"), 404)
    assert "吹田の非公開" not in client.get("/api/v1/projects/").content.decode()


def test_token_of_a_participant_still_reads_public_projects_only(client, story):
    """Open data is the same for everyone: a participant's token does not open a private project."""
    _crew, private = story
    _user, organisation, raw = member_with_token()
    project_participant_add(
        actor=private.secretariat,
        project=private.project,
        organisation=organisation,
        role="company",
    )
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert private.project.pk not in _ids(client.get("/api/v1/projects/", **headers))
    _error(client.get(f"/api/v1/projects/{private.project.pk}/", **headers), 404)
    assert ProjectParticipant.objects.filter(project=private.project, organisation=organisation)


def test_project_that_goes_private_leaves_the_api(client, story):
    """Taking a project private removes it from the list and its detail at once."""
    crew, _private = story
    project_publication_update(
        actor=crew.secretariat, project=crew.project, is_public=False, case_study=CASE_STUDY
    )
    assert _ids(client.get("/api/v1/projects/")) == []
    _error(client.get(f"/api/v1/projects/{crew.project.pk}/"), 404)


def test_public_record_has_stages_outcome_participants_and_progress(client, story):
    """Stage and history are coded values, the outcome carries its lessons, progress is by weight."""
    crew, _private = story
    item = client.get(f"/api/v1/projects/{crew.project.pk}/").json()
    assert item["stage"] == {
        "code": "implementation",
        "name_ja": "社会実装",
        "name_en": "Implementation",
    }
    assert item["case_study"] == CASE_STUDY
    assert item["progress"] == 75
    assert [(c["from_stage"] or {}).get("code") for c in item["stage_history"]] == [
        None,
        "matched",
        "poc_planning",
        "poc",
        "evaluation",
    ]
    assert item["stage_history"][-1]["to_stage"]["code"] == "implementation"
    assert item["stage_history"][-1]["outcome"] == item["outcome"]
    assert item["outcome"] == {
        "decision": {"code": "adopted", "name_ja": "本格導入が決定", "name_en": "Adopted"},
        "lessons": LESSONS,
    }
    assert [c["outcome"] for c in item["stage_history"][:-1]] == [None] * 4
    roles = {p["organisation"]["name"]: p["role"]["code"] for p in item["participants"]}
    assert roles == {
        crew.coordinator_org.name: "coordinator",
        crew.company_org.name: "company",
        crew.university_org.name: "university",
        crew.municipality_org.name: "municipality",
    }
    assert [m["code"] for m in item["municipalities"]] == ["271403"]
    assert item["field"]["slug"] == "safety"
    assert item["url"].endswith(f"/projects/{crew.project.pk}/")


def test_public_record_names_no_people_notes_reports_or_withdrawn_challenges(client, story):
    """No actor, note or report text, no milestone titles, and only published challenges."""
    crew, _private = story
    response = client.get(f"/api/v1/projects/{crew.project.pk}/")
    body = response.content.decode()
    for private in (*INSIDE_ONLY, "水位計の設置", "取り下げた課題"):
        assert private not in body, private
    for person in (crew.coordinator, crew.secretariat, crew.municipality):
        assert person.email not in body
        assert str(person) not in body
    change = response.json()["stage_history"][1]
    assert set(change) == {"from_stage", "to_stage", "changed_at", "is_correction", "outcome"}
    assert [c["title"] for c in response.json()["challenges"]] == [crew.challenge.title]


def test_roll_outs_and_origins_are_named_only_when_public(client, story):
    """A private roll-out is not named by its public origin; once public, both name each other."""
    crew, _private = story
    suita_challenge = published_challenge(SUITA, title="吹田のため池")
    rollout = project_rollout_start(
        actor=crew.secretariat,
        origin=crew.project,
        municipality=suita_challenge.municipality,
        challenges=[suita_challenge],
    )
    origin_url = f"/api/v1/projects/{crew.project.pk}/"
    assert client.get(origin_url).json()["rollouts"] == []
    Project.objects.filter(pk=crew.project.pk).update(updated_at=timezone.now() - timedelta(days=3))
    project_publication_update(
        actor=crew.secretariat, project=rollout, is_public=True, case_study="吹田への横展開"
    )
    origin = client.get(origin_url).json()
    assert [r["id"] for r in origin["rollouts"]] == [rollout.pk]
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert crew.project.pk in _ids(client.get("/api/v1/projects/", {"updated_since": since}))
    assert client.get(f"/api/v1/projects/{rollout.pk}/").json()["origin"]["id"] == crew.project.pk
    project_publication_update(
        actor=crew.secretariat, project=crew.project, is_public=False, case_study=CASE_STUDY
    )
    assert client.get(f"/api/v1/projects/{rollout.pk}/").json()["origin"] is None


def test_project_filters_give_what_the_public_list_gives(client, story):
    """Stage, field and municipality filters return exactly the public list's projects."""
    crew, _private = story
    other = make_crew(title="豊中の子育て", challenge=published_challenge("272035", field_id=2))
    project_publication_update(
        actor=other.secretariat, project=other.project, is_public=True, case_study="子育ての事例"
    )
    cases = {
        "stage=implementation": {"stage": "implementation"},
        "stage=matched": {"stage": "matched"},
        "field=safety": {"field": "safety"},
        "municipality=271403": {"municipality": "271403"},
        "municipality=272035": {"municipality": "272035"},
        "field=safety&stage=implementation": {"field": "safety", "stage": "implementation"},
    }
    for query, filters in cases.items():
        expected = list(project_list_public(**filters).values_list("pk", flat=True))
        assert expected, query
        assert _ids(client.get(f"/api/v1/projects/?{query}")) == expected, query
        page = client.get("/projects/", filters).context["page_obj"]
        assert [p.pk for p in page.object_list] == expected, query
    assert _ids(client.get("/api/v1/projects/?municipality=272051")) == []


def test_updated_since_sees_progress_and_participant_changes(client, story):
    """A milestone or a new participant dates the project as changed, so harvesters pick it up."""
    crew, _private = story
    long_ago = timezone.now() - timedelta(days=10)
    since = (timezone.now() - timedelta(days=1)).isoformat()
    Project.objects.filter(pk=crew.project.pk).update(updated_at=long_ago)
    assert _ids(client.get("/api/v1/projects/", {"updated_since": since})) == []
    project_milestone_add(
        actor=crew.coordinator,
        project=crew.project,
        title="追加の点検",
        due_on=timezone.localdate(),
        weight=4,
    )
    assert _ids(client.get("/api/v1/projects/", {"updated_since": since})) == [crew.project.pk]
    assert client.get(f"/api/v1/projects/{crew.project.pk}/").json()["progress"] == 38
    Project.objects.filter(pk=crew.project.pk).update(updated_at=long_ago)
    project_participant_add(
        actor=crew.secretariat,
        project=crew.project,
        organisation=OrganisationFactory(name="株式会社あとから"),
        role="company",
    )
    assert _ids(client.get("/api/v1/projects/", {"updated_since": since})) == [crew.project.pk]


def test_sort_updated_pages_oldest_change_first(client, story):
    """sort=updated lists by last change, oldest first; the default is newest start first."""
    crew, _private = story
    newer = make_crew(title="新しい公開", challenge=published_challenge(SUITA))
    project_publication_update(
        actor=newer.secretariat, project=newer.project, is_public=True, case_study="事例"
    )
    Project.objects.filter(pk=newer.project.pk).update(
        updated_at=timezone.now() - timedelta(days=5)
    )
    assert _ids(client.get("/api/v1/projects/")) == [newer.project.pk, crew.project.pk]
    assert _ids(client.get("/api/v1/projects/?sort=updated")) == [newer.project.pk, crew.project.pk]
    Project.objects.filter(pk=crew.project.pk).update(updated_at=timezone.now() - timedelta(days=9))
    assert _ids(client.get("/api/v1/projects/?sort=updated")) == [crew.project.pk, newer.project.pk]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("stage=maybe", "stage"),
        ("stage=", "stage"),
        ("field=nowhere", "field"),
        ("municipality=12", "municipality"),
        ("municipality=271403&municipality=272051", "municipality"),
        ("updated_since=yesterday", "updated_since"),
        ("sort=random", "sort"),
        ("q=ため池", "q"),
        ("page_size=1000", "page_size"),
        ("page=0", "page"),
    ],
)
def test_malformed_project_filters_get_400_with_japanese_message(client, query, parameter):
    """Bad or unknown filters are refused in the error envelope, naming the parameter."""
    error = _error(client.get(f"/api/v1/projects/?{query}"), 400)
    assert error["code"] == "invalid" and error["message"] == "入力内容を確認してください。"
    assert parameter in error["details"]


def test_project_detail_refuses_parameters_and_writes(client, story):
    """A project's URL takes no parameters and no writes; unknown ids are 404 in JSON."""
    crew, _private = story
    _error(client.get(f"/api/v1/projects/{crew.project.pk}/?stage=poc"), 400)
    _error(client.get("/api/v1/projects/999999999/"), 404)
    _error(client.delete(f"/api/v1/projects/{crew.project.pk}/"), 405)
    assert Project.objects.filter(pk=crew.project.pk).exists()


def test_evaluation_stage_is_named_evaluation_in_english(client, crew):
    """The stage 評価 is an evaluation, not the rating of a suggestion."""
    crew.at_stage("evaluation")
    project_publication_update(
        actor=crew.secretariat, project=crew.project, is_public=True, case_study="事例"
    )
    stage = client.get(f"/api/v1/projects/{crew.project.pk}/").json()["stage"]
    assert stage == {"code": "evaluation", "name_ja": "評価", "name_en": "Evaluation"}


def _grow(crew, n: int) -> None:
    """n more public projects, each with participants, history, milestones and challenges."""
    for i in range(n):
        project = Project.objects.create(
            title=f"公開{n}-{i}", field=crew.project.field, is_public=True, case_study="事例"
        )
        project.municipalities.set(crew.project.municipalities.all())
        project.challenges.set([crew.challenge])
        ProjectParticipant.objects.create(
            project=project, organisation=OrganisationFactory(), role="company"
        )
        ProjectStageChange.objects.create(project=project, to_stage="matched")
        project_milestone_add(
            actor=crew.secretariat,
            project=project,
            title="m",
            due_on=timezone.localdate(),
        )


def test_project_list_reads_with_a_fixed_number_of_queries(client, story):
    """One page of projects costs the same queries for 1 or 6 projects."""
    crew, _private = story

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/projects/").status_code == 200
        return len(queries)

    _grow(crew, 1)
    few = count()
    _grow(crew, 5)
    assert count() == few
