"""Staff read the Wagtail admin in Japanese from the first screen to the last."""

import json
import re
from datetime import timedelta
from html.parser import HTMLParser
from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from wagtail.models import Site

import pytest

from cms.models import ChallengePage
from cms.services import SITE_NAME, site_ensure
from forum.models import Challenge, Organisation
from forum.services.questions import question_ask
from tests.cms.factories import challenge_page, municipality_place, staff_of
from tests.factories import OrganisationFactory
from tests.forum.helpers import company_member, secretariat_user, signed_in_with_mfa

pytestmark = pytest.mark.django_db

CODE = "271004"  # 大阪市

# Words that stay as they are in Japanese text: names, codes, units and keys.
ALLOWED_WORDS = {
    "wagtail",
    "cms",
    "id",
    "url",
    "urls",
    "api",
    "pdf",
    "docx",
    "xlsx",
    "pptx",
    "png",
    "jpg",
    "jpeg",
    "gif",
    "webp",
    "svg",
    "csv",
    "json",
    "html",
    "totp",
    "ctrl",
    "alt",
    "shift",
    "enter",
    "esc",
    "cmd",
    "tab",
    "kb",
    "mb",
    "px",
    "javascript",
    "v2",
    "v3",
}
ALLOWED_PATTERNS = [
    re.compile(r"https?://\S+"),
    re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+"),
    re.compile(r"\b[\w-]+\.(pdf|docx|xlsx|pptx|png|jpe?g|gif|webp|svg|csv)\b", re.I),
    re.compile(r"/\S*"),
    re.compile(r"\b[a-z_]+\.[a-z_]+\b"),  # model labels such as cms.challengepage
    re.compile(r"\b[A-Z0-9]{2,6}\b"),  # acronyms in technology names: LPWA, GIS, RPA
]
# Names stored as data rather than interface text: Wagtail's default groups, task and root
# collection made by its migrations, and the English names the forum keeps for municipalities.
WAGTAIL_DEFAULT_DATA = {"Editors", "Moderators", "Moderators approval", "Root"}
# Wagtail's aging-pages report prints the publisher of a page published by setup_site (no user)
# as the Python value None; the only English left, until Wagtail names a missing user.
KNOWN_ENGLISH = {"/admin/reports/aging-pages/": ["None", "None", "None"]}
ACCESSIBLE_ATTRIBUTES = {"aria-label", "title", "placeholder", "alt", "aria-description"}
VOID_ELEMENTS = {"input", "img", "br", "hr", "meta", "link", "source", "col", "area", "wbr"}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")


class _VisibleText(HTMLParser):
    """Collects text nodes and accessible names, skipping script and style contents, hidden
    elements and select options that show their own value (time zone names)."""

    skipped = {"script", "style"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skipping: list[str] = []
        self.option_value: str | None = None
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        opens_skip = tag in self.skipped or ("hidden" in attributes and tag not in VOID_ELEMENTS)
        if opens_skip or (self.skipping and tag == self.skipping[-1]):
            self.skipping.append(tag)
            return
        self.option_value = attributes.get("value") if tag == "option" else None
        for name, value in attrs:
            if name in ACCESSIBLE_ATTRIBUTES and value and not self.skipping:
                self.found.append(f"{tag}[{name}]: {value}")

    def handle_endtag(self, tag):
        if self.skipping and tag == self.skipping[-1]:
            self.skipping.pop()

    def handle_data(self, data):
        text = data.strip()
        if text and not self.skipping and text != self.option_value:
            self.found.append(text)


def _data_values() -> set[str]:
    from django.contrib.auth import get_user_model

    from forum.models import Municipality

    User = get_user_model()

    names = set(Municipality.objects.values_list("name_en", flat=True))
    users = {name for pair in User.objects.values_list("username", "email") for name in pair}
    return WAGTAIL_DEFAULT_DATA | names | users | {"English"}


def _english(text: str) -> bool:
    for pattern in ALLOWED_PATTERNS:
        text = pattern.sub(" ", text)
    text = text.split(": ", 1)[1] if re.match(r"^\w+\[[\w-]+\]: ", text) else text
    return any(word.lower() not in ALLOWED_WORDS for word in LATIN_WORD.findall(text))


def english_on(client, url: str) -> list[str]:
    """The English text nodes and accessible names of the admin screen at url."""
    response = client.get(url, follow=True)
    assert response.status_code == 200, (url, response.status_code, response.get("Location"))
    parser = _VisibleText()
    parser.feed(response.content.decode())
    data = _data_values()
    return [text for text in parser.found if text not in data and _english(text)]


@pytest.fixture
def place(site):
    """大阪市's challenge index with a challenge in it, and the default site named."""
    _, index = municipality_place(CODE)
    page = challenge_page(CODE, title="公園の見守り")
    # Its English older than its Japanese: the editor's notice and the translation report show.
    ChallengePage.objects.filter(pk=page.pk).update(
        title_en="Watching over parks",
        english_changed_at=timezone.now() - timedelta(days=3),
        japanese_changed_at=timezone.now(),
    )
    # A question waiting for an answer: the home's questions panel lists it.
    question_ask(
        actor=company_member()[0],
        challenge=Challenge.objects.get(page_id=page.pk),
        body="設置場所は決まっていますか？",
    )
    # An application waiting for approval: the home's panels, the list's and the edit
    # screen's approval buttons are shown.
    OrganisationFactory(name="株式会社まちの見守り", status=Organisation.Status.PENDING)
    return index, page


def _shared_screens(index, page) -> list[str]:
    return [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore", args=[index.pk]),
        reverse("wagtailadmin_pages:edit", args=[page.pk]),
        reverse("wagtailadmin_pages:add", args=["cms", "challengepage", index.pk]),
        reverse("wagtailadmin_pages:history", args=[page.pk]),
        reverse("wagtailadmin_pages:search") + "?q=見守り",
        reverse("wagtaildocs:index"),
        reverse("wagtailimages:index"),
        reverse("wagtailadmin_account"),
        reverse("cms_english_versions"),
        reverse("cms_english_versions") + "?kind=challenge&state=outdated",
    ]


def _secretariat_screens(index, page) -> list[str]:
    pending = Organisation.objects.get(status=Organisation.Status.PENDING)
    return [
        *_shared_screens(index, page),
        reverse("forum_organisation:edit", args=[pending.pk]),
        reverse("forum_organisation:review", args=[pending.pk]),
        reverse("wagtailadmin_explore_root"),
        reverse("wagtailadmin_explore", args=[index.get_parent().pk]),
        reverse("wagtailadmin_pages:search") + "?q=該当しない語",
        reverse("wagtailadmin_workflows:index"),
        reverse("wagtailadmin_workflows:task_index"),
        reverse("wagtailadmin_reports:workflow"),
        reverse("wagtailadmin_reports:workflow_tasks"),
        reverse("wagtailadmin_reports:locked_pages"),
        reverse("wagtailadmin_reports:aging_pages"),
        reverse("wagtailadmin_reports:site_history"),
        reverse("wagtailadmin_reports:page_types_usage"),
        reverse("forum_organisation:index"),
        reverse("forum_municipality:index"),
        reverse("wagtailsnippets:index"),
        reverse("wagtailusers_users:index"),
    ]


def test_secretariat_admin_screens_have_no_english(client, place):
    """Every main admin screen the secretariat opens reads in Japanese, accessible names too."""
    signed_in_with_mfa(client, secretariat_user())
    found = {url: english_on(client, url) for url in _secretariat_screens(*place)}
    assert {url: texts for url, texts in found.items() if texts} == KNOWN_ENGLISH


def test_municipality_staff_admin_screens_have_no_english(client, place):
    """A municipality's staff see their challenge index, editor and lists in Japanese."""
    signed_in_with_mfa(client, staff_of(CODE))
    found = {url: english_on(client, url) for url in _shared_screens(*place)}
    assert {url: texts for url, texts in found.items() if texts} == {}


def _js_catalogue(client) -> dict[str, str | list[str]]:
    text = client.get(reverse("wagtailadmin_javascript_catalog")).content.decode()
    return json.loads(re.search(r"const newcatalog = (\{.*?\});", text, re.S).group(1))


def test_admin_javascript_catalogue_is_japanese(client, place):
    """The editor's JavaScript strings (block inserter, sidebar, section toggles) are Japanese."""
    signed_in_with_mfa(client, secretariat_user())
    catalogue = _js_catalogue(client)
    assert catalogue["Insert a block"] == "ブロックを挿入"
    assert catalogue["Toggle sidebar"] == "サイドバーの開閉"
    assert catalogue["Collapse all"] == "すべて折りたたむ"
    assert catalogue["Write something or type ‘/’ to insert a block"].startswith("文章を入力")
    assert catalogue["%(num)s error"] == ["%(num)s 件のエラー"]


def test_admin_catalogues_leave_no_string_untranslated():
    """Every Wagtail, allauth, taggit and Django admin string has Japanese (after an upgrade
    `manage.py admin_catalogue_check` lists the new ones)."""
    from cms.management.commands.admin_catalogue_check import catalogue_gaps

    assert {
        f"{gap.label} [{gap.domain}]": len(gap.missing) for gap in catalogue_gaps() if gap.missing
    } == {}


def test_setup_names_the_wagtail_site_after_the_forum(site):
    """Wagtail's first site, named by nobody, takes the forum's name rather than "localhost"."""
    Site.objects.update(site_name="")
    site_ensure()
    assert Site.objects.get(is_default_site=True).site_name == SITE_NAME


def test_setup_keeps_a_site_name_the_secretariat_chose(site):
    """A name the secretariat gave the site is not overwritten by setup_site."""
    Site.objects.update(site_name="別の名前")
    call_command("setup_site", stdout=StringIO())
    assert Site.objects.get(is_default_site=True).site_name == "別の名前"


def test_staff_home_shows_the_forum_name_not_localhost(client, place):
    """The staff home's summary names the forum's site."""
    Site.objects.update(site_name="")
    site_ensure()
    signed_in_with_mfa(client, secretariat_user())
    html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert SITE_NAME in html
    assert "localhost" not in html
