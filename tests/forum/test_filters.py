"""One filter specification per public list (forum/filters.py), shared by the pages and the API."""

from django.utils import translation

import pytest

from forum.filters import (
    CHALLENGE_FILTERS,
    ORGANISATION_FILTERS,
    PROJECT_FILTERS,
    SOLUTION_FILTERS,
    Choice,
)
from forum.models import Department, Municipality, Organisation, StrategyTheme
from forum.models.challenges import DesiredStage
from forum.selectors.challenges import ChallengeFilters
from tests.factories import CatalogDatasetFactory
from tests.forum.call_fixtures import forum_call
from tests.forum.helpers import secretariat_user
from tests.forum.proposal_fixtures import published_challenge

pytestmark = pytest.mark.django_db

LISTS = {
    "challenges": CHALLENGE_FILTERS,
    "solutions": SOLUTION_FILTERS,
    "organisations": ORGANISATION_FILTERS,
    "projects": PROJECT_FILTERS,
}


@pytest.mark.parametrize("stage", DesiredStage.values)
def test_every_desired_stage_filters_the_page_and_the_api(client, stage):
    """Each desired stage of the model is a filter value of the challenge page and the API alike."""
    wanted = published_challenge(title="目指す段階の課題", desired_stage=stage)
    published_challenge(
        code="272051",
        title="別の段階の課題",
        desired_stage=next(v for v in DesiredStage.values if v != stage),
    )
    assert ChallengeFilters.from_query({"stage": stage}).stage == stage
    response = client.get(f"/api/v1/challenges/?stage={stage}")
    assert [item["id"] for item in response.json()["results"]] == [wanted.pk]


@pytest.mark.parametrize("list_name", LISTS)
def test_a_value_the_page_drops_is_refused_by_the_api(client, list_name):
    """For every choice of every list, a value the page ignores is a 400 from the API, and a
    value the page keeps is accepted by the API."""
    forum_call(secretariat_user())
    city = Municipality.objects.get(code="271004")
    organisation = Organisation.objects.create(
        name=city.name, kind="municipality", municipality=city, status="approved"
    )
    Department.objects.create(organisation=organisation, name="建設局", slug="osaka-kensetsu")
    spec = LISTS[list_name]
    StrategyTheme.objects.create(slug="super-city", name_ja="スーパーシティ")
    CatalogDatasetFactory()
    for choice in (f for f in spec if isinstance(f, Choice)):
        assert spec.parse({choice.name: "no-such-value"}).values[choice.name] == choice.default
        refused = client.get(f"/api/v1/{list_name}/?{choice.name}=no-such-value")
        assert refused.status_code == 400
        assert choice.name in refused.json()["error"]["details"]
        value = choice.allowed()[-1]
        assert spec.parse({choice.name: value}).values[choice.name] == value
        assert client.get(f"/api/v1/{list_name}/?{choice.name}={value}").status_code == 200


def test_pages_tidy_what_the_api_takes_as_sent():
    """A page forgives spaces and overlong text; the strict parse names the problem."""
    lenient = CHALLENGE_FILTERS.parse({"field": " safety ", "q": " 見守り\x00 "})
    assert (lenient.values["field"], lenient.values["q"]) == ("safety", "見守り")
    strict = CHALLENGE_FILTERS.parse({"field": " safety ", "q": "あ" * 201}, strict=True)
    assert set(strict.errors) == {"field", "q"}


def test_filter_errors_speak_the_users_language():
    """The per-filter message follows the active language."""
    assert CHALLENGE_FILTERS.parse({"status": "maybe"}, strict=True).errors["status"] == [
        "「maybe」は指定できる値ではありません。"
    ]
    with translation.override("en"):
        [message] = CHALLENGE_FILTERS.parse({"status": "maybe"}, strict=True).errors["status"]
    assert message == '"maybe" is not one of the accepted values.'
