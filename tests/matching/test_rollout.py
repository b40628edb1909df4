from django.urls import reverse

import pytest

from forum.models import Field, ProjectProposal, Proposal, Technology
from forum.services.solutions import solution_create, solution_set_published
from matching.rollout import rollout_suggestions
from search.backends import get_store
from search.services import index_rebuild
from tests.forum.project_fixtures import make_crew
from tests.forum.proposal_fixtures import published_challenge

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """A Sakai reservoir project in implementation, a similar challenge in Suita, another in Sakai,
    an unrelated one in Toyonaka, and the sensor solution of the accepted proposal."""
    sensor = Technology.objects.get(slug="sensor")
    challenge = published_challenge(
        "271403", title="ため池の水位を見守りたい", summary="大雨のときにため池の水位を知りたい"
    )
    challenge.technologies.set([sensor])
    crew = make_crew(challenge=challenge)
    crew.at_stage("implementation")
    suita = published_challenge(
        "272051", title="ため池の水位を遠くから知りたい", summary="ため池の水位を大雨の前に知りたい"
    )
    suita.technologies.set([sensor])
    sakai_again = published_challenge(
        "271403", title="河川とため池の水位監視", summary="ため池の水位を知りたい", url="/c/2/"
    )
    toyonaka = published_challenge(
        "272035",
        title="商店街のにぎわいづくり",
        summary="来訪者を増やしたい",
        field=Field.objects.get(slug="industry"),
    )
    solution = solution_create(
        actor=crew.coordinator,
        organisation=crew.coordinator_org,
        title="水位センサーで見守り",
        summary="ため池や河川の水位を見守るセンサー",
        fields=[Field.objects.get(slug="safety")],
        technologies=[sensor],
    )
    solution_set_published(actor=crew.coordinator, solution=solution, published=True)
    proposal = Proposal.objects.create(
        challenge=challenge,
        organisation=crew.coordinator_org,
        solution=solution,
        title="センサー提案",
        summary="s",
        status="accepted",
    )
    ProjectProposal.objects.create(project=crew.project, proposal=proposal)
    index_rebuild()
    return {
        "crew": crew,
        "suita": suita,
        "sakai_again": sakai_again,
        "toyonaka": toyonaka,
        "challenge": challenge,
    }


def test_similar_municipality_is_suggested_with_reasons(world):
    """Suita, whose reservoir challenge is like the project's, comes first with the field named."""
    suggestions = rollout_suggestions(world["crew"].project)
    assert suggestions[0].municipality.code == "272051"
    assert [c.challenge for c in suggestions[0].challenges] == [world["suita"]]
    labels = [r.label for r in suggestions[0].reasons]
    assert "同じ分野: 防災・防犯" in labels
    assert "共通の技術: センサー" in labels


def test_municipalities_already_in_the_project_are_left_out(world):
    """Sakai's other challenge and the project's own challenge are never suggested."""
    suggested = [
        c.challenge for s in rollout_suggestions(world["crew"].project) for c in s.challenges
    ]
    assert world["sakai_again"] not in suggested
    assert world["challenge"] not in suggested
    assert "271403" not in [s.municipality.code for s in rollout_suggestions(world["crew"].project)]


def test_the_projects_solution_alone_finds_challenges(world):
    """Without the project's challenge in the index, the accepted proposal's solution still finds Suita."""
    get_store().delete("challenge", world["challenge"].pk)
    suggestions = rollout_suggestions(world["crew"].project)
    assert suggestions[0].municipality.code == "272051"


def test_no_suggestions_before_implementation(world):
    """A project still in PoC gets no roll-out suggestions."""
    project = world["crew"].at_stage("poc")
    assert rollout_suggestions(project) == []


def test_secretariat_sees_suggestions_linking_to_rollout_form(client, world):
    """The secretariat's page lists Suita with a link that prefills the roll-out form."""
    crew = world["crew"]
    client.force_login(crew.secretariat)
    response = client.get(reverse("matching:project_rollout", args=[crew.project.pk]))
    body = response.content.decode()
    assert "吹田市" in body
    start = reverse("forum:project_rollout_start", args=[crew.project.pk])
    assert (
        f"{start}?municipality={world['suita'].municipality_id}&amp;challenge={world['suita'].pk}"
        in body
    )


@pytest.mark.parametrize("role", ["coordinator", "municipality", "outsider"])
def test_suggestions_are_for_the_secretariat(client, world, role):
    """Participants and outsiders get a 404 from the roll-out suggestions."""
    crew = world["crew"]
    client.force_login(crew.user(role))
    assert (
        client.get(reverse("matching:project_rollout", args=[crew.project.pk])).status_code == 404
    )


def test_project_page_links_secretariat_to_suggestions(client, world):
    """The project page shows the secretariat the way to the roll-out suggestions; not the coordinator."""
    crew = world["crew"]
    url = reverse("projects:detail", args=[crew.project.pk])
    link = reverse("matching:project_rollout", args=[crew.project.pk])
    client.force_login(crew.secretariat)
    assert link in client.get(url).content.decode()
    client.force_login(crew.coordinator)
    assert link not in client.get(url).content.decode()
