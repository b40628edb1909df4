"""Strategy tags: the 17 SDGs as reference data, the secretariat's themes, tagging with its
permissions and audit, and the filters, API fields and breakdown that read them."""

from django.urls import reverse

import pytest

from forum.models import AuditEvent, SdgGoal, StrategyTheme
from forum.selectors.challenges import (
    ChallengeFilters,
    challenge_facets,
    challenge_list_filtered,
)
from forum.services.errors import PermissionDenied, ServiceError
from forum.services.projects.lifecycle import project_create, project_publication_update
from forum.services.reference import reference_data_load
from forum.services.tags import challenge_tags_set, project_tags_set, strategy_theme_save
from tests.factories import listed_and_retired_datasets
from tests.forum.project_fixtures import SAKAI
from tests.forum.proposal_fixtures import published_challenge

pytestmark = pytest.mark.django_db


def test_seventeen_bilingual_sdgs_load_once():
    """The loader brings the 17 goals in Japanese and English; a second run adds none."""
    reference_data_load()
    assert SdgGoal.objects.count() == 17
    goal = SdgGoal.objects.get(number=11)
    assert (goal.name_ja, goal.name_en) == (
        "住み続けられるまちづくりを",
        "Sustainable cities and communities",
    )


@pytest.fixture
def themes(crew):
    special = strategy_theme_save(
        actor=crew.secretariat,
        slug="special-zone",
        name_ja="国家戦略特区",
        name_en="National Strategic Special Zone",
        asks_regulatory_relief=True,
    )
    expo = strategy_theme_save(
        actor=crew.secretariat,
        slug="expo-legacy",
        name_ja="大阪・関西万博 2025 レガシー",
        name_en="Expo 2025 legacy",
    )
    return special, expo


@pytest.mark.parametrize("role", ["coordinator", "municipality", "outsider", "visitor"])
def test_only_the_secretariat_keeps_themes(crew, role):
    """Anyone but the secretariat is refused creating a theme."""
    with pytest.raises(PermissionDenied):
        strategy_theme_save(actor=crew.user(role), slug="x", name_ja="テーマ")
    assert not StrategyTheme.objects.exists()


def test_participant_tags_project_with_relief_audited(crew, themes):
    """A participant sets SDGs and themes; the special zone needs its regulatory relief."""
    with pytest.raises(ServiceError, match="規制緩和"):
        project_tags_set(
            actor=crew.company,
            project=crew.project,
            sdg_numbers=["11"],
            themes={"special-zone": ""},
        )
    project_tags_set(
        actor=crew.company,
        project=crew.project,
        sdg_numbers=["11", "9"],
        themes={"special-zone": "ドローン飛行の規制緩和", "expo-legacy": ""},
    )
    assert [g.number for g in crew.project.sdg_goals.all()] == [9, 11]
    tagging = crew.project.theme_taggings.get(theme__slug="special-zone")
    assert tagging.regulatory_relief == "ドローン飛行の規制緩和"
    event = AuditEvent.objects.get(verb="project.tags_set")
    assert event.actor == crew.company and event.data["sdgs"] == [9, 11]


@pytest.mark.parametrize("role", ["outsider", "other_municipality", "visitor"])
def test_outsiders_cannot_tag_a_project(crew, themes, role):
    with pytest.raises(PermissionDenied):
        project_tags_set(actor=crew.user(role), project=crew.project, sdg_numbers=["11"])


def test_unknown_sdg_is_refused(crew):
    with pytest.raises(ServiceError):
        project_tags_set(actor=crew.coordinator, project=crew.project, sdg_numbers=["18"])


def test_challenge_tagged_by_its_municipality_not_another(crew, themes):
    """Staff of the challenge's municipality may tag it; another municipality's may not."""
    challenge_tags_set(
        actor=crew.municipality, challenge=crew.challenge, sdg_numbers=["6"], themes={}
    )
    assert list(crew.challenge.sdg_goals.values_list("number", flat=True)) == [6]
    with pytest.raises(PermissionDenied):
        challenge_tags_set(
            actor=crew.other_municipality, challenge=crew.challenge, sdg_numbers=["1"]
        )
    with pytest.raises(PermissionDenied):
        challenge_tags_set(actor=crew.company, challenge=crew.challenge, sdg_numbers=["1"])


@pytest.fixture
def tagged(crew, themes):
    """A public tagged project, a private tagged one, and a tagged published challenge."""
    s = crew.secretariat
    project_publication_update(actor=s, project=crew.project, is_public=True, case_study="事例")
    project_tags_set(
        actor=s,
        project=crew.project,
        sdg_numbers=["11"],
        themes={"special-zone": "ドローン飛行の規制緩和"},
    )
    hidden = project_create(
        actor=s, title="非公開の実証", challenges=[published_challenge(SAKAI, url="/c/h/")]
    )
    project_tags_set(actor=s, project=hidden, sdg_numbers=["11"], themes={"expo-legacy": ""})
    other = published_challenge(SAKAI, title="別の課題", url="/c/o/")
    challenge_tags_set(actor=s, challenge=crew.challenge, sdg_numbers=["11", "6"])
    return {"public": crew.project, "hidden": hidden, "other": other}


def test_project_list_and_api_filter_by_tag(client, crew, tagged):
    """/projects/ and the API narrow by SDG and theme, public projects only."""
    page = client.get(reverse("projects:list"), {"sdg": "11"})
    assert [p.pk for p in page.context["page_obj"].object_list] == [tagged["public"].pk]
    page = client.get(reverse("projects:list"), {"theme": "expo-legacy"})
    assert list(page.context["page_obj"].object_list) == []
    data = client.get("/api/v1/projects/", {"theme": "special-zone"}).json()
    assert [p["id"] for p in data["results"]] == [tagged["public"].pk]
    item = data["results"][0]
    assert item["sdgs"] == [{"number": 11, "name": "住み続けられるまちづくりを"}]
    assert item["themes"] == [
        {
            "slug": "special-zone",
            "name": "国家戦略特区",
            "regulatory_relief": "ドローン飛行の規制緩和",
        }
    ]
    assert client.get("/api/v1/projects/", {"sdg": "18"}).status_code == 400


def test_challenge_api_and_facets_by_sdg(client, crew, tagged):
    """The challenge API filters by SDG and shows the goals; the list's facets count them."""
    data = client.get("/api/v1/challenges/", {"sdg": "6"}).json()
    assert [c["id"] for c in data["results"]] == [crew.challenge.pk]
    assert [g["number"] for g in data["results"][0]["sdgs"]] == [6, 11]
    facets = challenge_facets(ChallengeFilters())
    counts = {f["value"]: f["count"] for f in facets["sdg"]}
    assert counts["11"] == 1 and counts["6"] == 1 and counts["1"] == 0


def test_breakdown_counts_public_only(client, crew, tagged):
    """The dashboard's tag page counts the public project, never the private one."""
    response = client.get(reverse("dashboard:tags"))
    rows = {(r.kind, r.key): (r.challenges, r.projects) for r in response.context["sdg_rows"]}
    rows |= {(r.kind, r.key): (r.challenges, r.projects) for r in response.context["theme_rows"]}
    assert rows[("sdg", "11")] == (1, 1)
    assert rows[("sdg", "6")] == (1, 0)
    assert rows[("theme", "expo-legacy")] == (0, 0)
    assert rows[("theme", "special-zone")] == (0, 1)
    assert "非公開の実証" not in response.content.decode()


def test_project_page_shows_tags_and_relief(client, crew, tagged):
    html = client.get(reverse("projects:detail", args=[tagged["public"].pk])).content.decode()
    assert "国家戦略特区" in html and "ドローン飛行の規制緩和" in html


def test_tag_form_saves_through_the_service(client, crew, themes):
    """The member-area form sets the tags; an outsider gets 404."""
    client.force_login(crew.outsider)
    assert client.get(reverse("forum:project_tags", args=[crew.project.pk])).status_code == 404
    client.force_login(crew.coordinator)
    response = client.post(
        reverse("forum:project_tags", args=[crew.project.pk]),
        {"sdgs": ["3"], "themes": ["special-zone"], "relief_special-zone": "遠隔診療の特例"},
    )
    assert response.status_code == 302
    assert crew.project.theme_taggings.get().regulatory_relief == "遠隔診療の特例"
    response = client.post(
        reverse("forum:project_tags", args=[crew.project.pk]),
        {"sdgs": ["3"], "themes": ["special-zone"]},
    )
    assert response.status_code == 200 and "規制緩和" in response.content.decode()


def test_challenge_tag_page_for_its_municipality(client, crew, themes):
    """The municipality's staff set a challenge's tags on its page; another municipality's
    staff are refused."""
    url = reverse("forum:challenge_tags", args=[crew.challenge.pk])
    client.force_login(crew.municipality)
    assert client.get(url).status_code == 200
    client.post(url, {"sdgs": ["6"], "themes": ["expo-legacy"]})
    assert list(crew.challenge.sdg_goals.values_list("number", flat=True)) == [6]
    client.force_login(crew.other_municipality)
    assert client.get(url).status_code == 404
    assert client.post(url, {"sdgs": ["1"]}).status_code == 404
    assert list(crew.challenge.sdg_goals.values_list("number", flat=True)) == [6]


@pytest.fixture
def with_data(crew, tagged):
    """ORDEN, used by the crew's challenge, its public project and the private one; a retired
    dataset used by the other challenge."""
    orden, retired = listed_and_retired_datasets()
    orden.challenges.add(crew.challenge)
    orden.projects.add(tagged["public"], tagged["hidden"])
    retired.challenges.add(tagged["other"])
    return {**tagged, "orden": orden, "retired": retired}


def test_lists_and_api_filter_by_dataset(client, crew, with_data):
    """/projects/, the challenge list's selector and both APIs narrow by dataset; a retired
    dataset is refused by the API and counted nowhere."""
    page = client.get(reverse("projects:list"), {"dataset": "orden"})
    assert [p.pk for p in page.context["page_obj"].object_list] == [with_data["public"].pk]
    assert 'id="f_dataset"' in page.content.decode()
    data = client.get("/api/v1/projects/", {"dataset": "orden"}).json()
    assert [p["id"] for p in data["results"]] == [with_data["public"].pk]
    data = client.get("/api/v1/challenges/", {"dataset": "orden"}).json()
    assert [c["id"] for c in data["results"]] == [crew.challenge.pk]
    data = client.get("/api/v1/challenges/", {"dataset": "orden", "sdg": "6"}).json()
    assert [c["id"] for c in data["results"]] == [crew.challenge.pk]
    assert client.get("/api/v1/challenges/", {"dataset": "old"}).status_code == 400
    assert client.get("/api/v1/projects/", {"dataset": "nothing"}).status_code == 400
    listed = challenge_list_filtered(ChallengeFilters.from_query({"dataset": "orden"}))
    assert [c.pk for c in listed] == [crew.challenge.pk]
    facets = challenge_facets(ChallengeFilters())
    assert [(f["value"], f["count"]) for f in facets["dataset"]] == [("orden", 1)]


def test_challenge_api_filters_by_theme(client, crew, with_data, themes):
    """/api/v1/challenges/?theme= lists the challenges tagged with the theme."""
    challenge_tags_set(
        actor=crew.secretariat,
        challenge=with_data["other"],
        sdg_numbers=[],
        themes={"expo-legacy": ""},
    )
    data = client.get("/api/v1/challenges/", {"theme": "expo-legacy"}).json()
    assert [c["id"] for c in data["results"]] == [with_data["other"].pk]


def test_breakdown_counts_datasets(client, crew, with_data):
    """The dashboard's tag page counts published challenges and public projects per listed
    dataset, with links to each list; the private project and the retired dataset are not."""
    response = client.get(reverse("dashboard:tags"))
    rows = {r.key: (r.challenges, r.projects) for r in response.context["dataset_rows"]}
    assert rows == {"orden": (1, 1)}
    [row] = response.context["dataset_rows"]
    assert row.projects_url.endswith("?dataset=orden")
    assert row.challenges_url == "/challenges/?dataset=orden"
    html = response.content.decode()
    assert 'id="table-datasets"' in html and "廃止したデータ" not in html
