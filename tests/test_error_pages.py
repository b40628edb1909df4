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
