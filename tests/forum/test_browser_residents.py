import re

from django.core import mail

import pytest

from forum.models import Municipality, Need
from forum.selectors.supports import support_count
from tests.browser import chromium, signed_in_context
from tests.forum.resident_fixtures import resident_of

YAO = "272124"
PASSWORD = "a-long-password-for-tests-2026"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_resident_need_becomes_challenge_and_is_supported(live_server):
    """A resident signs up and sends a need; Yao's staff publish it and make it a draft
    challenge; another resident supports it."""
    from cms.services import site_ensure
    from tests.cms.factories import staff_of

    site_ensure()
    staff = staff_of(YAO)
    yao = Municipality.objects.get(code=YAO)

    with chromium() as browser:
        context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(f"{live_server.url}/accounts/signup/")
        page.fill("input[name=email]", "kenta@example.jp")
        page.get_by_label("住民として登録").check()
        page.select_option("select[name=municipality]", label="八尾市")
        page.fill("input[name=password1]", PASSWORD)
        page.fill("input[name=password2]", PASSWORD)
        page.click("#main form button[type=submit]")
        page.wait_for_load_state("networkidle")
        link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body)
        path = "/" + link.group(0).split("://", 1)[1].split("/", 1)[1]
        page.goto(f"{live_server.url}{path}")
        page.click("#main form button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert page.locator("h1").inner_text() == "住民のマイページ"

        page.click("text=困りごとを送る")
        page.fill("#id_title", "駅前の歩道が暗い")
        page.fill("#id_description", "夜の帰り道が不安です。街灯を増やしてほしい。")
        page.select_option("#id_field", label="防災・防犯")
        page.fill("#id_place_name", "八尾駅前")
        page.click("button:has-text('送信する')")
        page.wait_for_load_state("networkidle")
        assert page.locator("text=市町村の職員が確認しています").is_visible()
        context.close()
        need = Need.objects.get(title="駅前の歩道が暗い")
        assert need.municipality == yao and need.status == Need.Status.SUBMITTED

        context = signed_in_context(browser, live_server, staff)
        page = context.new_page()
        page.goto(f"{live_server.url}/member/needs/")
        page.click("text=確認する")
        page.wait_for_load_state("networkidle")
        page.click("button:has-text('公開する')")
        page.wait_for_load_state("networkidle")
        assert page.locator("text=公開しました").is_visible()
        page.click("button:has-text('課題の下書きを作る')")
        page.wait_for_load_state("networkidle")
        assert "/admin/pages/" in page.url
        context.close()
        need.refresh_from_db()
        assert need.challenge_page_id is not None

        neighbour = resident_of(yao)
        context = signed_in_context(browser, live_server, neighbour)
        page = context.new_page()
        page.goto(f"{live_server.url}/residents/needs/")
        page.click("text=駅前の歩道が暗い")
        page.wait_for_load_state("networkidle")
        assert page.locator("text=八尾市の住民").first.is_visible()
        assert page.locator("text=課題になりました").first.is_visible()
        page.click("button:has-text('私も困っています')")
        page.wait_for_load_state("networkidle")
        assert page.locator("text=1人が「私も困っています」").is_visible()
        context.close()
    assert support_count(need=need).local == 1
