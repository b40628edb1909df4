"""/api/v1/withdrawn/: what left the open data, so that incremental harvesters can delete it."""

from django.utils import timezone

import pytest

from forum.services.challenges import challenge_withdraw
from forum.services.projects.lifecycle import project_publication_update
from forum.services.solutions import solution_set_published
from tests.forum.api.helpers import solution_of
from tests.forum.helpers import company_member
from tests.forum.project_fixtures import CASE_STUDY, SUITA, make_crew, tell_public_story
from tests.forum.proposal_fixtures import published_challenge

pytestmark = pytest.mark.django_db


def _rows(response) -> list[tuple[str, int]]:
    assert response.status_code == 200, response.content
    return [(row["type"], row["id"]) for row in response.json()["results"]]


def _ids(client, path: str, **params) -> set[int]:
    response = client.get(path, {"page_size": 100, **params})
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["results"]}


def test_lists_only_what_was_public_and_is_not_any_more(client, crew):
    """A challenge taken off the site, an unpublished solution and a project made private are
    listed, oldest first; drafts, never-public projects and public records are not."""
    tell_public_story(crew)
    private = make_crew(title="吹田の非公開", challenge=published_challenge(SUITA, title="吹田"))
    withdrawn = published_challenge(code="272051", title="掲載終了", page_id=9001)
    user, organisation = company_member()
    unpublished = solution_of(user, organisation, title="取り下げたサービス", published=True)
    solution_of(user, organisation, title="下書きのまま", published=False)
    solution_of(user, organisation, title="公開中のサービス", published=True)

    before = _rows(client.get("/api/v1/withdrawn/"))  # the story's own withdrawn challenge
    assert [kind for kind, _id in before] == ["challenge"]
    assert challenge_withdraw(page_id=9001)
    solution_set_published(actor=user, solution=unpublished, published=False)
    project_publication_update(
        actor=crew.secretariat, project=crew.project, is_public=False, case_study=CASE_STUDY
    )

    body = client.get("/api/v1/withdrawn/").json()
    assert [(r["type"], r["id"]) for r in body["results"]] == [
        *before,
        ("challenge", withdrawn.pk),
        ("solution", unpublished.pk),
        ("project", crew.project.pk),
    ]
    assert body["count"] == 4
    moments = [r["withdrawn_at"] for r in body["results"]]
    assert moments == sorted(moments) and all(m.endswith("+09:00") for m in moments)
    assert private.project.pk not in [
        i for t, i in _rows(client.get("/api/v1/withdrawn/")) if t == "project"
    ]
    assert _rows(client.get("/api/v1/withdrawn/?type=project")) == [("project", crew.project.pk)]


def test_since_gives_only_the_later_withdrawals_and_a_republished_record_leaves(client):
    """Records withdrawn before ``since`` are not repeated; publishing again removes the row."""
    published_challenge(title="先に終了", page_id=9101)
    later = published_challenge(code="272051", title="後で終了", page_id=9102)
    challenge_withdraw(page_id=9101)
    since = timezone.now()
    challenge_withdraw(page_id=9102)
    assert _rows(client.get("/api/v1/withdrawn/", {"since": since.isoformat()})) == [
        ("challenge", later.pk)
    ]
    assert len(_rows(client.get("/api/v1/withdrawn/"))) == 2

    later.is_published = True
    later.save()
    assert ("challenge", later.pk) not in _rows(client.get("/api/v1/withdrawn/"))
    assert later.pk in _ids(client, "/api/v1/challenges/")


def test_a_harvester_keeps_an_exact_copy_with_updated_since_and_withdrawn(client):
    """Copy the list once; after changes, applying the changed and the withdrawn records
    gives exactly what a full copy would give."""
    user, organisation = company_member()
    kept = solution_of(user, organisation, title="ずっと公開", published=True)
    dropped = solution_of(user, organisation, title="あとで非公開", published=True)
    copy = _ids(client, "/api/v1/solutions/")
    assert copy == {kept.pk, dropped.pk}
    last_harvest = timezone.now()

    added = solution_of(user, organisation, title="新しく公開", published=True)
    solution_set_published(actor=user, solution=dropped, published=False)

    since = {"updated_since": last_harvest.isoformat()}
    copy |= _ids(client, "/api/v1/solutions/", **since)
    removed = client.get(
        "/api/v1/withdrawn/", {"type": "solution", "since": last_harvest.isoformat()}
    ).json()["results"]
    copy -= {row["id"] for row in removed}
    assert copy == _ids(client, "/api/v1/solutions/") == {kept.pk, added.pk}


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("type=proposal", "type"), ("since=yesterday", "since"), ("kind=challenge", "kind")],
)
def test_bad_parameters_are_a_400_with_the_parameter_named(client, query, parameter):
    response = client.get(f"/api/v1/withdrawn/?{query}")
    assert response.status_code == 400
    assert parameter in response.json()["error"]["details"]


def test_only_reading_is_offered(client):
    assert client.post("/api/v1/withdrawn/", {}).status_code == 405
    assert client.get("/api/v1/withdrawn/1/").status_code == 404
