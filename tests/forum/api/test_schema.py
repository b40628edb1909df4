"""The served OpenAPI schema: valid, documented locally, and honoured by every operation.

Schemathesis reads /api/schema/ from the running WSGI application and sends generated
requests (valid and invalid) to every operation, anonymously and with a token. The run
is bounded (few examples per operation, fixed seed) so that it fits in CI.
"""

import hashlib
import json
from datetime import timedelta

from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from forum.models import Challenge, Department, Organisation, Proposal
from forum.services.projects.lifecycle import project_publication_update, project_rollout_start
from forum.services.proposals import proposal_create
from forum.services.tags import strategy_theme_save
from tests.factories import CatalogDatasetFactory
from tests.forum.api.helpers import member_with_token, solution_of
from tests.forum.call_fixtures import forum_call
from tests.forum.project_fixtures import make_crew, tell_public_story
from tests.forum.proposal_fixtures import published_challenge

pytestmark = pytest.mark.django_db

BOUNDED = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture(autouse=True)
def _node_id_for_schemathesis(request):
    """schemathesis 4's fixture-loaded schemas relabel ``Node._nodeid``, which pytest 9.2 dropped."""
    if not hasattr(request.node, "_nodeid"):
        request.node._nodeid = request.node.nodeid


@pytest.fixture
def same_transaction_requests():
    """Keep the test's database transaction open across WSGI requests, as Django's test client does."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_world(db):
    """Open and closed challenges, an event, a member with a token, solutions and a draft, and
    projects: a public one in implementation with its outcome, its public roll-out, a private one."""
    from cms.models import EventIndexPage, EventPage
    from cms.services import site_ensure

    home = site_ensure()
    index = home.add_child(instance=EventIndexPage(title="イベント", slug="events"))
    start = timezone.now() + timedelta(days=10)
    event = index.add_child(
        instance=EventPage(
            title="交流会", slug="meetup", start_at=start, end_at=start, venue="大阪市"
        )
    )
    event.save_revision().publish()
    open_challenge = published_challenge()
    other_open = published_challenge(code="272051", title="通学路の安全")
    closed = published_challenge(
        code="272078", title="終了した課題", status=Challenge.Status.CLOSED
    )
    user, organisation, raw = member_with_token()
    published = solution_of(user, organisation, title="水位センサー", published=True)
    draft = solution_of(user, organisation, title="試作中の製品", published=False)
    proposal = proposal_create(
        actor=user,
        challenge=open_challenge,
        organisation=organisation,
        title="水位の見える化",
        summary="センサーで水位を測ります。",
    )
    crew = make_crew(challenge=open_challenge)
    public = tell_public_story(crew)
    rollout = project_rollout_start(
        actor=crew.secretariat,
        origin=public,
        municipality=other_open.municipality,
        challenges=[other_open],
    )
    project_publication_update(
        actor=crew.secretariat, project=rollout, is_public=True, case_study="吹田市への横展開"
    )
    private = make_crew(title="非公開の検証", challenge=closed).project
    call = forum_call(crew.secretariat)
    Challenge.objects.filter(pk=other_open.pk).update(call=call)
    # A department owns the open challenge, so the department filter has a value to document.
    place = Organisation.objects.filter(
        municipality=open_challenge.municipality
    ).first() or Organisation.objects.create(
        name="堺市",
        kind="municipality",
        municipality=open_challenge.municipality,
        status="approved",
    )
    Department.objects.create(organisation=place, name="危機管理室", slug="sakai-kiki")
    # Strategy themes are the secretariat's vocabulary: with one, the theme filter has values.
    strategy_theme_save(actor=crew.secretariat, slug="super-city", name_ja="スーパーシティ")
    # A listed catalogue dataset, so the dataset filter has a value to document.
    CatalogDatasetFactory().challenges.add(open_challenge)
    return {
        "token": raw,
        "organisation": organisation.pk,
        "challenges": [open_challenge.pk, other_open.pk, closed.pk],
        "solutions": [published.pk, draft.pk],
        "proposals": [proposal.pk],
        "events": [event.pk],
        "projects": [public.pk, rollout.pk, private.pk],
    }


def _towards_real_objects(world):
    """A map_case hook: valid cases often name objects that exist, so success paths run too.

    Only cases generated as valid are touched, and only with other valid values, so the
    checks about invalid input are not fooled.
    """
    ids_by_prefix = {
        "/api/v1/member/proposals/": world["proposals"],
        "/api/v1/member/solutions/": world["solutions"],
        "/api/v1/challenges/": world["challenges"],
        "/api/v1/solutions/": world["solutions"][:1],
        "/api/v1/events/": world["events"],
        "/api/v1/organisations/": [world["organisation"]],
        "/api/v1/projects/": world["projects"],
    }

    def map_case(context, case):
        if case.meta is None or not case.meta.generation.mode.is_positive:
            return case
        _towards_real_id(case, ids_by_prefix)
        if isinstance(case.body, dict):
            _towards_real_body(case, world)
        if "Idempotency-Key" in (case.headers or {}):
            case.headers["Idempotency-Key"] = _key_for(case)
        return case

    return map_case


def _towards_real_id(case, ids_by_prefix):
    """Most generated ids become ids of objects that exist (every third stays as generated)."""
    # Ids are strings in the schema (a digits pattern), so they come as "123".
    identifier = str((case.path_parameters or {}).get("id", ""))
    if not (identifier.isascii() and identifier.isdigit()) or int(identifier) % 3 == 0:
        return
    for prefix, ids in ids_by_prefix.items():
        if case.operation.path.startswith(prefix):
            case.path_parameters["id"] = str(ids[int(identifier) % len(ids)])


def _towards_real_body(case, world):
    """A created object names the token's organisation and real challenges and solutions."""
    if case.method == "POST" and "{id}" not in case.operation.path:
        if "organisation" in case.body:
            case.body["organisation"] = world["organisation"]
        if "challenge" in case.body:
            case.body["challenge"] = world["challenges"][len(case.body) % 3]
    # A proposal names one of its organisation's solutions, when it is created or edited.
    if case.body.get("solution") is not None:
        case.body["solution"] = world["solutions"][0]


def _key_for(case) -> str:
    """As a well-behaved client does: one key per distinct request, the same key for a retry."""
    request = [case.method, case.formatted_path, case.query, case.body]
    return hashlib.sha256(json.dumps(request, sort_keys=True, default=str).encode()).hexdigest()


@pytest.fixture
def served_schema(api_world, same_transaction_requests):
    """The schema as /api/schema/ serves it, calling the application in process."""
    from config.wsgi import application

    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    schema.config.generation.update(allow_x00=False)
    schema.hook(_towards_real_objects(api_world))
    return schema


lazy_schema = schemathesis.pytest.from_fixture("served_schema")


@lazy_schema.include(path_regex=r"^/api/v1/(?!member/)").parametrize()
@BOUNDED
def test_public_operations_anonymously_conform_to_schema(case):
    """Anonymous reads: no server error, every response as documented."""
    case.call_and_validate()


@lazy_schema.include(path_regex=r"^/api/v1/member/").parametrize()
@BOUNDED
def test_member_operations_with_token_conform_to_schema(case, api_world):
    """Token reads and writes: no server error, every response as documented."""
    case.call_and_validate(headers={"Authorization": f"Bearer {api_world['token']}"})


def test_schema_is_served_as_openapi_json(client, api_world):
    """The schema comes as OpenAPI 3 JSON when asked, with the token scheme and every list."""
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    schema = response.json()
    assert response.status_code == 200 and schema["openapi"].startswith("3.")
    assert schema["components"]["securitySchemes"]["personalToken"]["scheme"] == "bearer"
    for path in (
        "/api/v1/challenges/",
        "/api/v1/solutions/",
        "/api/v1/organisations/",
        "/api/v1/fields/",
        "/api/v1/municipalities/",
        "/api/v1/technologies/",
        "/api/v1/events/",
        "/api/v1/projects/",
        "/api/v1/projects/{id}/",
        "/api/v1/dashboard/",
        "/api/v1/member/solutions/",
        "/api/v1/member/proposals/",
    ):
        assert path in schema["paths"], path
    assert not any(path.startswith("/admin/") for path in schema["paths"])
    assert Proposal.objects.exists()


def test_documentation_page_loads_nothing_from_other_sites(client):
    """The Swagger UI page and its assets are served by the site itself, and its links lead back
    into the site."""
    import re

    page = client.get("/api/docs/").content.decode()
    sources = re.findall(r'(?:src="|<link[^>]*href=")([^"]+)"', page)
    assert sources and all(source.startswith("/static/") for source in sources), sources
    links = re.findall(r'<a[^>]*href="([^"]+)"', page)
    assert "/" in links and "/opendata/" in links
    assert all(link.startswith("/") and not link.startswith("//") for link in links), links
    assert "validatorUrl" in page


def test_schema_builds_without_warnings_and_validates(tmp_path):
    """drf-spectacular resolves every view, field and enum, and the result is valid OpenAPI."""
    from django.core.management import call_command

    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert "personalToken" in target.read_text(encoding="utf-8")
