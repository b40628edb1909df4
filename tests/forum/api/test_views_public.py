"""The open-data endpoints: what anonymous clients see, filters, pagination, bad input."""

from datetime import timedelta

from django.utils import timezone

import pytest

from forum.models import Challenge, Organisation, SolutionProfile, Technology
from forum.selectors.challenges import ChallengeFilters, challenge_list_filtered
from forum.services.proposals import proposal_create
from tests.factories import MunicipalityOrganisationFactory, SecretariatFactory
from tests.forum.api.helpers import solution_of
from tests.forum.helpers import company_member
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


def test_unpublished_challenge_is_neither_listed_nor_readable(client):
    """A withdrawn challenge row disappears from the list and its detail is 404."""
    shown = published_challenge(title="公開中")
    hidden = published_challenge(code="272051", title="取り下げ", is_published=False)
    assert _ids(client.get("/api/v1/challenges/")) == [shown.pk]
    assert client.get(f"/api/v1/challenges/{shown.pk}/").json()["title"] == "公開中"
    _error(client.get(f"/api/v1/challenges/{hidden.pk}/"), 404)


def test_challenge_filters_give_what_the_public_list_gives(client):
    """Each filter of the API returns exactly the challenges of the same filter on the web."""
    sensor = Technology.objects.get(slug="sensor")
    a = published_challenge(title="ため池の水位")
    a.technologies.add(sensor)
    published_challenge(code="272051", title="通学路の見守り", desired_stage="implementation")
    published_challenge(code="272078", title="古い課題", status=Challenge.Status.CLOSED)
    published_challenge(code="272124", title="子育て相談", field_id=2)
    cases = {
        "field=safety": ChallengeFilters(field="safety"),
        "municipality=271403": ChallengeFilters(municipality="271403"),
        "technology=sensor": ChallengeFilters(technology="sensor"),
        "status=closed": ChallengeFilters(status="closed"),
        "stage=implementation": ChallengeFilters(stage="implementation"),
        "q=見守り": ChallengeFilters(q="見守り"),
        "sort=deadline&field=safety": ChallengeFilters(sort="deadline", field="safety"),
    }
    for query, filters in cases.items():
        expected = list(challenge_list_filtered(filters).values_list("pk", flat=True))
        assert _ids(client.get(f"/api/v1/challenges/?{query}")) == expected, query
        assert expected, query


def test_challenge_payload_names_everything_in_japanese_and_english(client):
    """References carry ids, codes and both names; coded values carry both labels."""
    challenge = published_challenge()
    challenge.technologies.add(Technology.objects.get(slug="drone"))
    item = client.get(f"/api/v1/challenges/{challenge.pk}/").json()
    assert item["municipality"] == {
        "id": challenge.municipality_id,
        "code": "271403",
        "name_ja": "堺市",
        "name_en": "Sakai City",
    }
    assert item["field"]["slug"] == "safety" and item["field"]["name_en"]
    assert item["technologies"][0]["name_ja"] == "ドローン"
    assert item["status"] == {"code": "open", "name_ja": "募集中", "name_en": "Open"}
    assert item["desired_stage"]["name_ja"] == "実証実験"
    assert item["url"].startswith("http") and item["url"].endswith("/challenges/271403/tameike/")


def test_updated_since_returns_only_what_changed_since(client):
    """Incremental harvesting: only challenges updated at or after the given moment."""
    old = published_challenge(title="前から")
    Challenge.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=10))
    new = published_challenge(code="272051", title="新しい")
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert _ids(client.get("/api/v1/challenges/", {"updated_since": since})) == [new.pk]
    assert _ids(client.get("/api/v1/challenges/", {"updated_since": "2000-01-01"})) == [
        new.pk,
        old.pk,
    ]
    assert _ids(client.get("/api/v1/challenges/?sort=updated")) == [old.pk, new.pk]


def test_solutions_show_only_published_ones_of_approved_organisations(client):
    """Drafts and solutions of pending organisations never appear, even flagged published."""
    user, organisation = company_member()
    published = solution_of(user, organisation, title="公開品", published=True)
    draft = solution_of(user, organisation, title="下書き品", published=False)
    _pending_user, pending = company_member(status=Organisation.Status.PENDING)
    flagged = SolutionProfile.objects.create(
        organisation=pending, title="審査中の団体の製品", summary="s", is_published=True
    )
    assert _ids(client.get("/api/v1/solutions/")) == [published.pk]
    for hidden in (draft, flagged):
        _error(client.get(f"/api/v1/solutions/{hidden.pk}/"), 404)
    item = client.get(f"/api/v1/solutions/{published.pk}/").json()
    assert item["organisation"]["name"] == organisation.name
    assert item["fields"][0]["slug"] == "safety"
    assert "is_published" not in item


def test_solution_filters_follow_the_directory(client):
    """Field, stage, organisation and text filters narrow the published solutions."""
    user, organisation = company_member()
    a = solution_of(user, organisation, title="水位センサー", published=True)
    other_user, other = company_member()
    b = solution_of(other_user, other, title="見守りアプリ", published=True)
    assert _ids(client.get("/api/v1/solutions/?q=センサー")) == [a.pk]
    assert _ids(client.get(f"/api/v1/solutions/?organisation={other.pk}")) == [b.pk]
    assert _ids(client.get("/api/v1/solutions/?field=health")) == []
    assert _ids(client.get("/api/v1/solutions/?stage=poc_ready")) == [b.pk, a.pk]


def test_organisations_list_only_approved_members_with_public_columns(client):
    """Pending organisations, municipalities and the secretariat are absent; no private fields."""
    _user, approved = company_member()
    approved.address = "大阪市北区1-1"
    approved.description = "非公開の紹介"
    approved.save()
    company_member(status=Organisation.Status.PENDING)
    MunicipalityOrganisationFactory()
    SecretariatFactory()
    response = client.get("/api/v1/organisations/")
    assert _ids(response) == [approved.pk]
    item = response.json()["results"][0]
    assert set(item) == {
        "id",
        "name",
        "name_kana",
        "kind",
        "website",
        "published_solutions",
        "updated_at",
    }


def test_reference_lists_serve_the_vocabularies(client):
    """Fields, municipalities and technologies with both names; the page size reaches all 44 bodies."""
    fields = client.get("/api/v1/fields/").json()
    assert fields["count"] == 7 and fields["results"][0]["name_en"]
    municipalities = client.get("/api/v1/municipalities/?page_size=100").json()
    assert municipalities["count"] == 44 and len(municipalities["results"]) == 44
    assert municipalities["results"][0]["kind"]["code"] == "prefecture"
    assert client.get("/api/v1/technologies/").json()["count"] == Technology.objects.count()


def test_anonymous_clients_never_reach_proposals(client):
    """Proposals exist, but the member endpoints ask for a token and no public payload names one."""
    user, organisation = company_member()
    challenge = published_challenge()
    proposal_create(
        actor=user, challenge=challenge, organisation=organisation, title="秘密の提案", summary="s"
    )
    for path in ("/api/v1/member/proposals/", "/api/v1/member/solutions/", "/api/v1/member/me/"):
        response = client.get(path)
        _error(response, 401)
        assert response["WWW-Authenticate"].startswith("Bearer")
    for path in ("/api/v1/challenges/", f"/api/v1/challenges/{challenge.pk}/"):
        assert "秘密の提案" not in client.get(path).content.decode()


def test_signed_in_session_is_anonymous_to_the_api(client):
    """The API ignores the session cookie: a signed-in member still needs a token."""
    user, _organisation = company_member()
    client.force_login(user)
    _error(client.get("/api/v1/member/solutions/"), 401)


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("field=nowhere", "field"),
        ("municipality=12", "municipality"),
        ("status=maybe", "status"),
        ("stage=", "stage"),
        ("updated_since=yesterday", "updated_since"),
        ("updated_since=2025-13-40T00:00:00Z", "updated_since"),
        ("colour=red", "colour"),
        ("status=open&status=closed", "status"),
        ("q=" + "あ" * 201, "q"),
        ("q=%00", "q"),
        ("page_size=1000", "page_size"),
        ("page_size=0", "page_size"),
        ("page=-1", "page"),
        ("page=abc", "page"),
    ],
)
def test_malformed_list_parameters_get_400_with_japanese_message(client, query, parameter):
    """Bad filters, unknown parameters and huge pages are refused with the parameter named."""
    error = _error(client.get(f"/api/v1/challenges/?{query}"), 400)
    assert error["code"] == "invalid"
    assert error["message"] == "入力内容を確認してください。"
    assert parameter in error["details"]


def test_page_past_the_end_is_404_and_pages_are_bounded(client):
    """Pages hold at most the page size; a page beyond the last one is a JSON 404."""
    for index in range(3):
        published_challenge(code=("271403", "272051", "272078")[index], title=f"課題{index}")
    first = client.get("/api/v1/challenges/?page_size=2").json()
    assert first["count"] == 3 and len(first["results"]) == 2 and first["next"]
    assert len(client.get("/api/v1/challenges/?page_size=2&page=2").json()["results"]) == 1
    error = _error(client.get("/api/v1/challenges/?page_size=2&page=3"), 404)
    assert "3ページ目" in error["message"]


def test_detail_takes_no_parameters_and_unknown_ids_are_404(client):
    """A detail URL refuses query parameters; a missing id is 404 in JSON, not an HTML page."""
    challenge = published_challenge()
    _error(client.get(f"/api/v1/challenges/{challenge.pk}/?field=safety"), 400)
    _error(client.get("/api/v1/challenges/999999999/"), 404)
    _error(client.get("/api/v1/challenges/99999999999999999999999/"), 404)
    _error(client.get("/api/v1/no-such-thing/"), 404)
    _error(client.post("/api/v1/no-such-thing/"), 404)


def test_write_methods_on_open_data_get_405(client):
    """Open data is read-only: other methods are refused with the allowed ones named."""
    challenge = published_challenge()
    response = client.delete(f"/api/v1/challenges/{challenge.pk}/")
    _error(response, 405)
    assert "GET" in response["Allow"]
    assert Challenge.objects.filter(pk=challenge.pk).exists()


def test_errors_speak_english_when_the_visitor_chose_english(client, settings):
    """The language switch applies to API errors too."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    error = _error(client.get("/api/v1/challenges/?colour=red"), 400)
    assert error["message"] == "Please check what you entered."
    assert error["details"]["colour"] == ["This parameter is not accepted."]


def test_public_responses_may_be_read_by_other_sites(client):
    """Open data allows every origin: the API uses no cookies."""
    assert client.get("/api/v1/fields/")["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(
    "since",
    [
        "0001-01-01T00:00:00+23:59",
        "9999-12-31T23:59:59-23:59",
        "2016-12-31T23:59:60Z",
        "2025-04-01T09:00:00.1234567+09:00",
        "2025-04-01",
        "0001-01-01",
        "0001-01-01T00:00:00",
        "9999-12-31T23:59:59",
    ],
)
def test_legal_edge_dates_in_updated_since_are_read_not_refused(client, since):
    """RFC 3339 allows leap seconds, long fractions and offsets past the calendar's ends."""
    published_challenge()
    assert client.get("/api/v1/challenges/", {"updated_since": since}).status_code == 200


def test_client_accepting_only_html_gets_406_in_json(client):
    """The API speaks JSON; a client that accepts nothing else is told so, in JSON."""
    response = client.get("/api/v1/fields/", HTTP_ACCEPT="text/html")
    error = _error(response, 406)
    assert "application/json" in error["message"]
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert client.get("/api/v1/fields/", HTTP_ACCEPT=browser).status_code == 200
