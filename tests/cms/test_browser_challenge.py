from datetime import timedelta

from django.utils import timezone

import pytest

from cms.models import ChallengePage
from forum.models import Challenge
from tests.browser import chromium, signed_in_context
from tests.cms.factories import municipality_place, staff_of
from tests.forum.helpers import secretariat_user

SAKAI = "271403"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_municipality_creates_secretariat_approves_visitor_finds(live_server):
    """A Sakai official writes and submits a challenge, the secretariat approves it, a visitor filters to it."""
    from cms.services import site_ensure

    site_ensure()
    _, index = municipality_place(SAKAI)
    staff = staff_of(SAKAI)
    secretariat = secretariat_user()
    deadline = (timezone.localdate() + timedelta(days=40)).isoformat()

    with chromium() as browser:
        context = signed_in_context(browser, live_server, staff)
        page = context.new_page()
        page.goto(f"{live_server.url}/admin/pages/add/cms/challengepage/{index.pk}/")
        page.fill("#id_title", "公園の遊具の点検記録をデジタル化したい")
        page.locator("#id_slug").evaluate("input => { input.value = 'park-inspection' }")
        page.select_option("#id_field", label="インフラ・環境・エネルギー")
        page.fill("#id_summary", "紙の点検票をやめ、写真つきの記録を共有したい。")
        page.fill("#id_deadline", deadline)
        page.locator('button[name="action-submit"]').evaluate("button => button.click()")
        page.wait_for_url(f"**/admin/pages/{index.pk}/", timeout=15000)
        page.wait_for_load_state("networkidle")
        context.close()

        challenge = ChallengePage.objects.get(title="公園の遊具の点検記録をデジタル化したい")
        assert not challenge.live

        context = signed_in_context(browser, live_server, secretariat)
        page = context.new_page()
        page.goto(f"{live_server.url}/admin/pages/{challenge.pk}/edit/")
        page.locator(
            'button[data-workflow-action-name="approve"]:not([data-workflow-action-modal-url])'
        ).evaluate("button => button.click()")
        page.wait_for_load_state("networkidle")
        context.close()

        challenge.refresh_from_db()
        assert challenge.live
        assert Challenge.objects.get(page_id=challenge.pk).is_published

        visitor = browser.new_context(locale="ja-JP")
        page = visitor.new_page()
        page.goto(f"{live_server.url}/challenges/")
        page.select_option("#id_field", value="infrastructure")
        page.select_option("#id_municipality", value=SAKAI)
        page.click("button[type=submit]:has-text('絞り込む')")
        page.wait_for_url("**field=infrastructure**")
        page.wait_for_load_state("networkidle")
        assert page.locator("text=公園の遊具の点検記録をデジタル化したい").is_visible()
        page.click("text=公園の遊具の点検記録をデジタル化したい")
        page.wait_for_url(f"**{challenge.url}")
        page.wait_for_load_state("networkidle")
        assert "紙の点検票をやめ" in page.content()
        page.screenshot(path=str(timezone.now().strftime("/tmp/challenge-browser-%H%M%S.png")))
        visitor.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_phone_list_folds_the_filters_above_the_results(live_server):
    """At 390 px the filters are one folded line saying how many are in use, so the first result
    is on the first screen; the summary opens them from the keyboard. On a desktop, and on a
    phone without JavaScript, every filter shows."""
    from cms.services import site_ensure
    from tests.cms.factories import challenge_page

    site_ensure()
    challenge_page(SAKAI, title="浸水の予兆を知りたい", field="safety")
    url = f"{live_server.url}/challenges/?field=safety&status=open"
    with chromium() as browser:
        phone = browser.new_context(locale="ja-JP", viewport={"width": 390, "height": 844})
        page = phone.new_page()
        page.goto(url)
        page.wait_for_load_state("load")
        assert not page.locator("#id_field").is_visible()
        assert page.locator("#filter-count").inner_text() == "2件の条件を適用中"
        first = page.locator(".card").first.bounding_box()
        assert first is not None and first["y"] < 844
        page.locator("#filter-panel > summary").focus()
        page.keyboard.press("Enter")
        assert page.locator("#id_field").is_visible()
        page.set_viewport_size({"width": 1280, "height": 900})
        page.reload()
        page.wait_for_load_state("load")
        assert page.locator("#id_field").is_visible()
        phone.close()

        no_js = browser.new_context(
            locale="ja-JP", viewport={"width": 390, "height": 844}, java_script_enabled=False
        )
        page = no_js.new_page()
        page.goto(url)
        assert page.locator("#id_field").is_visible()
        no_js.close()
