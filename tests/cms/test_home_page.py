"""The home page's markup (templates/cms/home_page.html)."""

from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db


class _DefinitionLists(HTMLParser):
    """Records, for every element directly inside a <dl> or inside a <div> of a <dl>, its tag."""

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.misplaced: list[str] = []
        self.groups = 0

    def handle_starttag(self, tag, attrs):
        parent = self.stack[-1] if self.stack else ""
        grandparent = self.stack[-2] if len(self.stack) > 1 else ""
        if parent == "dl" and tag not in ("dt", "dd", "div", "script", "template"):
            self.misplaced.append(f"<{tag}> in <dl>")
        if parent == "div" and grandparent == "dl":
            if tag not in ("dt", "dd", "script", "template"):
                self.misplaced.append(f"<{tag}> in a <div> of a <dl>")
            elif tag == "dt":
                self.groups += 1
        if tag in ("dt", "dd") and parent not in ("dl", "div"):
            self.misplaced.append(f"<{tag}> in <{parent}>")
        if tag in ("dt", "dd") and parent == "div" and grandparent != "dl":
            self.misplaced.append(f"<{tag}> in a <div> outside a <dl>")
        self.stack.append(tag)

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop() != tag:
            pass


def test_key_figures_are_a_valid_definition_list(client, site):
    """Each key figure is a dt/dd pair grouped by one div straight inside the dl (HTML's content
    model, which screen readers and axe's definition-list rules rely on)."""
    html = client.get("/").content.decode()
    parser = _DefinitionLists()
    parser.feed(html)
    assert 'class="key-figures' in html
    assert parser.misplaced == []
    assert parser.groups >= 4


def test_home_page_title_names_the_site_once(client, site, settings):
    """The home page's <title> is the site's name once, in either language."""
    page = client.get("/").content.decode()
    assert "<title>大阪スマートシティパートナーズフォーラム</title>" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "<title>Osaka Smart City Partners Forum</title>" in client.get("/").content.decode()


def test_site_has_a_favicon(client, site):
    """Every page links the SVG icon, and /favicon.ico leads to it instead of a 404."""
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in (
        client.get("/").content.decode()
    )
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/img/favicon.svg"
