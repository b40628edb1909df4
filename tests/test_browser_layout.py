"""The site layout in a real browser: the header and the member pages' tables fit the window."""

import pytest

from forum.models import Notification, SolutionProfile
from forum.services.proposals import proposal_create, proposal_transition
from tests.browser import chromium, signed_in_context
from tests.forum.helpers import company_member, member_of
from tests.forum.proposal_fixtures import municipality_staff_for, published_challenge

# Every box in the header, measured against the window and against each other.
MEASURE = """() => {
  const width = document.documentElement.clientWidth;
  const header = document.querySelector('.site-header');
  const boxes = [...header.querySelectorAll('.navbar-brand, .nav-link, .navbar-toggler, select')]
    .filter(el => el.getClientRects().length)
    .map(el => { const r = el.getBoundingClientRect();
                 return {text: el.innerText.trim(), left: r.left, right: r.right, top: r.top, bottom: r.bottom}; });
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1)
      overlaps.push(a.text + ' / ' + b.text);
  }
  return {width, scrollWidth: document.documentElement.scrollWidth,
          outside: boxes.filter(b => b.right > width + 0.5 || b.left < -0.5).map(b => b.text),
          overlaps, boxes};
}"""


def _assert_fits(page, where: str) -> dict:
    measured = page.evaluate(MEASURE)
    assert measured["scrollWidth"] <= measured["width"], f"{where}: the page scrolls sideways"
    assert measured["outside"] == [], f"{where}: outside the window: {measured['outside']}"
    assert measured["overlaps"] == [], f"{where}: overlapping: {measured['overlaps']}"
    return measured


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_signed_in_header_with_unread_badge_fits_desktop_in_both_languages(live_server):
    """At 1280 px and at 1200 px (the narrowest desktop layout) the header of a member with unread
    notifications stays inside the window without overlaps, in Japanese and after switching to
    English, and the badge tells the count."""
    user, _organisation = company_member()
    Notification.objects.bulk_create(
        Notification(recipient=user, verb="test", title=f"お知らせ {i}") for i in range(120)
    )
    with chromium() as browser:
        context = signed_in_context(browser, live_server, user)
        page = context.new_page()
        page.goto(f"{live_server.url}/member/notifications/")
        for language, notifications, news in (
            ("ja", "通知", "お知らせ"),
            ("en", "Notifications", "News"),
        ):
            if language == "en":
                page.select_option("#language-select", "en")
                page.click(".language-switch button")
                page.wait_for_load_state("networkidle")
            assert page.locator("html").get_attribute("lang") == language
            badge = page.locator(".site-header .site-notifications .badge")
            assert badge.locator("[aria-hidden=true]").inner_text() == "99+"
            assert "120" in badge.locator(".visually-hidden").inner_text()
            assert (
                page.locator(".site-header .site-notifications")
                .inner_text()
                .startswith(notifications)
            )
            assert page.locator(".site-nav-main a[href='/news/']").inner_text() == news
            for width in (1280, 1200):
                page.set_viewport_size({"width": width, "height": 800})
                _assert_fits(page, f"{language} {width}px")
        context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_phone_header_keeps_menu_button_beside_brand_and_opens_menu(live_server):
    """At 390 px the menu button sits on the brand's row inside the window, and the opened menu
    lists the account links without widening the page."""
    user, _organisation = company_member()
    Notification.objects.create(recipient=user, verb="test", title="お知らせ")
    with chromium() as browser:
        context = signed_in_context(browser, live_server, user)
        page = context.new_page()
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(f"{live_server.url}/member/notifications/")
        measured = _assert_fits(page, "390px")
        brand = next(b for b in measured["boxes"] if "フォーラム" in b["text"])
        toggler = page.locator(".navbar-toggler").bounding_box()
        assert toggler["y"] < brand["bottom"], "the menu button wrapped below the brand"
        page.click(".navbar-toggler")
        page.wait_for_selector("#site-nav.show")
        assert page.locator("#site-nav a", has_text="マイページ").is_visible()
        _assert_fits(page, "390px, menu open")
        context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_member_and_review_tables_do_not_widen_the_page_on_a_phone(live_server):
    """At 390 px in English the member's solution and proposal lists, the organisation page, the
    review of a challenge and the open data page scroll their wide tables inside the page, not the
    whole page sideways."""
    user, organisation = company_member()
    staff = municipality_staff_for("271403")
    challenge = published_challenge(title="ため池と河川の水位を、職員が現地へ行かずに確かめたい")
    SolutionProfile.objects.create(
        organisation=organisation,
        title="Water level monitoring for irrigation ponds and small rivers",
        summary="LPWA sensors and a cloud dashboard.",
    )
    proposal = proposal_create(
        actor=user,
        challenge=challenge,
        organisation=organisation,
        title="Low-cost water level sensors with alerts by email and LINE",
        summary="We install sensors.",
    )
    proposal_transition(actor=user, proposal=proposal, action="submit")
    member_of(organisation)  # a second member row on the organisation page
    pages = {
        user: [
            "/member/solutions/",
            "/member/proposals/",
            f"/member/organisations/{organisation.pk}/",
            "/opendata/",
        ],
        staff: ["/member/review/", f"/member/review/challenges/{challenge.pk}/"],
    }
    with chromium() as browser:
        for person, paths in pages.items():
            context = signed_in_context(browser, live_server, person)
            context.add_cookies(
                [{"name": "django_language", "value": "en", "url": live_server.url}]
            )
            page = context.new_page()
            page.set_viewport_size({"width": 390, "height": 844})
            for path in paths:
                page.goto(f"{live_server.url}{path}")
                assert page.locator("html").get_attribute("lang") == "en"
                assert page.locator("main table").count() >= 1, path
                width = page.evaluate(
                    "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
                )
                assert width[0] <= width[1], f"{path} scrolls sideways: {width}"
            context.close()
