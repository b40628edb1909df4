"""Keyboard and focus in a real browser: the language switch and the focus rings of the header."""

import pytest

from tests.browser import chromium

# The contrast of the focused element's outline against the header behind it (WCAG 2.x formula).
FOCUS_CONTRAST = """(el) => {
  const rgb = c => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
  const lum = ([r, g, b]) => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const style = getComputedStyle(el);
  let node = el.parentElement, bg = 'rgba(0, 0, 0, 0)';
  while (node && /rgba\\(0, 0, 0, 0\\)|transparent/.test(bg)) { bg = getComputedStyle(node).backgroundColor; node = node.parentElement; }
  const [a, b] = [lum(rgb(style.outlineColor)), lum(rgb(bg))].sort((x, y) => y - x);
  return {style: style.outlineStyle, width: parseFloat(style.outlineWidth), ratio: (a + 0.05) / (b + 0.05)};
}"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_language_changes_only_on_the_button_not_on_arrow_keys(live_server):
    """Arrowing through the language list keeps the page; the 切替 button switches to English."""
    from cms.services import site_ensure

    site_ensure()
    with chromium() as browser:
        page = browser.new_page(locale="ja-JP", viewport={"width": 1280, "height": 900})
        page.goto(f"{live_server.url}/")
        page.focus("#language-select")
        page.keyboard.press("ArrowDown")
        page.wait_for_timeout(500)
        assert page.locator("html").get_attribute("lang") == "ja"
        assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
        page.select_option("#language-select", "en")
        with page.expect_navigation():
            page.click(".language-switch button")
        assert page.locator("html").get_attribute("lang") == "en"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_header_links_and_selects_show_a_focus_ring_of_at_least_3_to_1(live_server):
    """Tabbing onto each header link, button and the language select shows a solid ring ≥ 3:1."""
    from cms.services import site_ensure

    site_ensure()
    with chromium() as browser:
        page = browser.new_page(locale="ja-JP", viewport={"width": 1280, "height": 900})
        page.goto(f"{live_server.url}/")
        seen = []
        for _ in range(40):
            page.keyboard.press("Tab")
            focused = page.evaluate_handle("document.activeElement")
            if not page.evaluate("el => !!el.closest('.site-header')", focused):
                if seen:
                    break
                continue
            ring = page.evaluate(FOCUS_CONTRAST, focused)
            name = page.evaluate("el => el.tagName + ' ' + (el.innerText || el.id)", focused)
            seen.append(name)
            assert ring["style"] == "solid" and ring["width"] >= 2, name
            assert ring["ratio"] >= 3, f"{name}: {ring['ratio']:.2f}:1"
        assert any(name.startswith("SELECT") for name in seen)
        assert any(name.startswith("A ") for name in seen)


def _place():
    """The site with a published challenge of 大阪市, a member company and both staff roles."""
    from cms.services import site_ensure
    from forum.models import Organisation
    from tests.cms.factories import challenge_page, staff_of
    from tests.factories import OrganisationFactory
    from tests.forum.helpers import company_member, secretariat_user

    site_ensure()
    page = challenge_page("271004", title="公園の見守り", technologies=("iot",))
    member, _organisation = company_member()
    # An application waiting: the secretariat's home panels and approval buttons are checked too.
    OrganisationFactory(name="株式会社まちの見守り", status=Organisation.Status.PENDING)
    return page, member, secretariat_user(), staff_of("271004")


def _audit(browser, live_server, urls: list[str], *, user=None) -> dict[str, list[str]]:
    """Every URL in Japanese and in English: its serious and critical axe violations."""
    from django.conf import settings

    from tests.browser import axe_script, axe_violations
    from tests.forum.helpers import Client, signed_in_with_mfa

    script = axe_script()
    found = {}
    for language in ("ja", "en"):
        context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
        cookies = [
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}
        ]
        if user is not None:
            client = Client()
            signed_in_with_mfa(client, user)
            session = client.cookies["sessionid"].value
            cookies.append({"name": "sessionid", "value": session, "url": live_server.url})
        context.add_cookies(cookies)
        page = context.new_page()
        for url in urls:
            response = page.goto(f"{live_server.url}{url}")
            assert response.status == 200, f"{url}: {response.status}"
            assert page.locator("html").get_attribute("lang").startswith(language), url
            violations = axe_violations(page, script)
            if violations:
                found[f"{language} {url}"] = violations
        context.close()
    return found


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_public_member_and_admin_pages_have_no_serious_axe_violations(live_server):
    """axe-core finds no serious or critical violation on the main public, member and admin
    pages, in Japanese and in English."""
    from django.urls import reverse

    from forum.models import Challenge, Organisation

    challenge, member, secretariat, staff = _place()
    challenge_row = Challenge.objects.get(page_id=challenge.pk)
    pending = Organisation.objects.get(status=Organisation.Status.PENDING)
    public = [
        "/",
        "/challenges/",
        challenge.url,
        "/directory/solutions/",
        "/directory/organisations/",
        "/projects/",
        "/dashboard/",
        "/search/?q=見守り",
        "/opendata/",
        "/accounts/login/",
        "/accounts/signup/",
    ]
    member_pages = [
        "/member/",
        "/member/proposals/",
        "/member/notifications/",
        "/member/solutions/new/",
        reverse("forum:proposal_create", args=[challenge_row.pk]),
        "/member/settings/notifications/",
    ]
    admin = [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore", args=[challenge.get_parent().pk]),
        reverse("wagtailadmin_pages:edit", args=[challenge.pk]),
        reverse("forum_organisation:index"),
        reverse("forum_organisation:edit", args=[pending.pk]),
    ]
    staff_admin = [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_pages:edit", args=[challenge.pk]),
    ]
    with chromium() as browser:
        found = _audit(browser, live_server, public)
        found |= _audit(browser, live_server, member_pages, user=member)
        found |= _audit(browser, live_server, admin, user=secretariat)
        found |= {
            f"staff {url}": v
            for url, v in _audit(browser, live_server, staff_admin, user=staff).items()
        }
    assert found == {}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_translation_screens_and_english_lists_have_no_serious_axe_violations(live_server):
    """The translation report, the editor's notice of an old English version, the questions
    panel and the English site's lists marking a Japanese fallback pass axe-core."""
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone

    from cms.models import ChallengePage
    from forum.models import Challenge
    from forum.services.questions import question_ask

    challenge, member, secretariat, staff = _place()
    ChallengePage.objects.filter(pk=challenge.pk).update(
        title_en="Watching over parks",
        english_changed_at=timezone.now() - timedelta(days=3),
        japanese_changed_at=timezone.now(),
    )
    question_ask(
        actor=member, challenge=Challenge.objects.get(page_id=challenge.pk), body="設置場所は？"
    )
    report = reverse("cms_english_versions")
    admin = [
        reverse("wagtailadmin_home"),
        report,
        report + "?kind=challenge&state=outdated",
        reverse("wagtailadmin_pages:edit", args=[challenge.pk]),
    ]
    with chromium() as browser:
        found = _audit(browser, live_server, ["/challenges/", "/search/?q=見守り", "/calls/"])
        found |= _audit(browser, live_server, ["/member/proposals/"], user=member)
        found |= _audit(browser, live_server, admin, user=secretariat)
        found |= {
            f"staff {url}": v for url, v in _audit(browser, live_server, admin, user=staff).items()
        }
    assert found == {}
