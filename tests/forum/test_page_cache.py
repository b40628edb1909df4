"""Public pages cached for visitors who are not signed in, dropped at once on every change."""

from django.core.cache import cache

import pytest

from forum.models import Field
from forum.page_cache import CSRF_PLACEHOLDER, HIT_HEADER
from forum.services.solutions import solution_create, solution_set_published
from tests.forum.helpers import company_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def _published_solution(user, organisation, title):
    solution = solution_create(
        actor=user,
        organisation=organisation,
        title=title,
        summary="概要",
        fields=[Field.objects.get(slug="safety")],
        technologies=[],
        track_record_municipalities=[],
    )
    solution_set_published(actor=user, solution=solution, published=True)
    return solution


def test_a_public_page_is_served_from_the_cache_and_a_change_shows_at_once(
    client, django_capture_on_commit_callbacks
):
    """The second visit is a cache hit; publishing a solution makes the next visit show it."""
    user, organisation = company_member()
    with django_capture_on_commit_callbacks(execute=True):
        _published_solution(user, organisation, "ため池の水位センサー")
    first = client.get("/directory/solutions/")
    second = client.get("/directory/solutions/")
    assert first.status_code == second.status_code == 200
    assert HIT_HEADER not in first and second[HIT_HEADER] == "hit"
    assert "ため池の水位センサー" in second.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        _published_solution(user, organisation, "河川の監視カメラ")
    after = client.get("/directory/solutions/")
    assert HIT_HEADER not in after
    assert "河川の監視カメラ" in after.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        solution_set_published(
            actor=user,
            solution=organisation.solutions.get(title="河川の監視カメラ"),
            published=False,
        )
    assert "河川の監視カメラ" not in client.get("/directory/solutions/").content.decode()


def test_signed_in_people_never_get_a_cached_page_nor_fill_the_cache(client):
    """A member sees their own page; a visitor after them never sees the member's page."""
    user, _organisation = company_member()
    client.get("/directory/solutions/")
    assert client.get("/directory/solutions/")[HIT_HEADER] == "hit"
    client.force_login(user)
    signed_in = client.get("/directory/solutions/")
    assert HIT_HEADER not in signed_in
    assert "/accounts/logout/" in signed_in.content.decode()
    client.logout()
    client.cookies.clear()
    visitor = client.get("/directory/solutions/")
    assert visitor[HIT_HEADER] == "hit"
    assert "/accounts/logout/" not in visitor.content.decode()


def test_every_visitor_gets_their_own_csrf_token_in_a_cached_page(client):
    """The language switch's token is never shared: each answer carries the visitor's own."""
    client.get("/directory/solutions/")
    other = type(client)()
    hit = other.get("/directory/solutions/")
    assert hit[HIT_HEADER] == "hit"
    body = hit.content.decode()
    assert 'name="csrfmiddlewaretoken"' in body
    assert CSRF_PLACEHOLDER.decode() not in body
    assert "csrftoken" in hit.cookies
    switched = other.post(
        "/i18n/setlang/",
        {"language": "en", "next": "/directory/solutions/"},
        HTTP_X_REQUESTED_WITH="",
    )
    assert switched.status_code == 302  # the token of the cached page is accepted


def test_visitors_with_messages_or_a_session_are_answered_afresh(client):
    """A pending message or a session means the page may be theirs alone."""
    client.get("/directory/solutions/")
    client.cookies["messages"] = "pending"
    assert HIT_HEADER not in client.get("/directory/solutions/")


def test_pages_answer_without_the_cache_when_it_is_unreachable(client, monkeypatch):
    """A cache that answers nothing (Redis down) keeps and serves nothing; pages still work."""
    monkeypatch.setattr(cache, "get", lambda *args, **kwargs: None)
    monkeypatch.setattr(cache, "add", lambda *args, **kwargs: False)
    for _ in range(2):
        response = client.get("/directory/solutions/")
        assert response.status_code == 200 and HIT_HEADER not in response


def test_member_pages_are_never_kept(client):
    """Paths of the member area, accounts and the API are left alone even for visitors."""
    client.get("/api/v1/challenges/")
    assert HIT_HEADER not in client.get("/api/v1/challenges/")
    client.get("/accounts/login/")
    assert HIT_HEADER not in client.get("/accounts/login/")


def test_every_audited_write_drops_the_cached_pages(client, django_capture_on_commit_callbacks):
    """A write that records an audit row (answers, results, needs, KPI approvals…) makes the
    next anonymous visit a miss, so a new public fact never waits for the cache to expire."""
    from forum.services.audit import audit_record

    user, organisation = company_member()
    client.get("/directory/solutions/")
    assert client.get("/directory/solutions/")[HIT_HEADER] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        audit_record(actor=user, verb="organisation.updated", target=organisation)
    assert HIT_HEADER not in client.get("/directory/solutions/")
