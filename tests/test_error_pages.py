"""The 404 and 403 pages (templates/404.html, 403.html): the site's layout, a title and a way on."""

import pytest

from tests.forum.helpers import municipality_staff

pytestmark = pytest.mark.django_db


def test_missing_page_keeps_the_layout_and_offers_search(client):
    """An unknown address answers 404 with the site header, a title and a search box, in the
    visitor's language."""
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<title>ページが見つかりません |" in html
    assert 'class="site-header' in html
    assert 'action="/search/"' in html

    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/no-such-page/").content.decode()
    assert "<title>Page not found |" in html


def test_forbidden_page_has_a_title_and_leads_back(client):
    """A screen a person may not use answers 403 with a title and a link back to their page."""
    client.force_login(municipality_staff())
    response = client.get("/member/suggestions/board/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "<title>この操作はできません |" in html
    assert 'href="/member/"' in html


@pytest.fixture
def database_down():
    """Every query of this thread's connection fails as if the server had gone away."""
    from django.db import OperationalError, connection

    def refuse(execute, sql, params, many, context):
        raise OperationalError("could not connect to server: Connection refused")

    with connection.execute_wrapper(refuse):
        yield


@pytest.fixture
def site(db):
    from cms.services import site_ensure

    return site_ensure()


def assert_outage_page(response) -> None:
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    html = response.content.decode()
    assert "ただいまご利用いただけません" in html
    assert "Temporarily unavailable" in html
    assert 'class="site-header' in html


def test_database_down_wagtail_page_answers_503_in_both_languages(client, site, database_down):
    """A page served by Wagtail while the database is unreachable answers 503 with Retry-After
    and the site's outage page in Japanese and English, not Django's bare 500."""
    assert_outage_page(client.get("/"))


def test_database_down_signed_in_visitor_gets_the_outage_page(client, site):
    """An error raised before the view (reading the signed-in person) is an outage too."""
    from django.db import OperationalError, connection

    client.force_login(municipality_staff())
    client.raise_request_exception = False

    def refuse(execute, sql, params, many, context):
        raise OperationalError("server closed the connection unexpectedly")

    with connection.execute_wrapper(refuse):
        assert_outage_page(client.get("/challenges/"))


def test_server_error_page_needs_no_database_and_speaks_both_languages(
    client, monkeypatch, django_assert_num_queries
):
    """An unexpected error answers the site's own 500 page (both languages), built without
    the database or the context processors."""
    from forum.views import dashboard

    def broken(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(dashboard, "dashboard_figures", broken)
    client.raise_request_exception = False
    with django_assert_num_queries(0):
        response = client.get("/dashboard/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "エラーが発生しました" in html
    assert "Something went wrong" in html
