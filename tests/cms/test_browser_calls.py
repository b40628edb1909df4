"""A call page shows its timeline; a company asks about a challenge; the municipality answers
and publishes; the answer appears on the challenge page without the asker's name."""

import os

import pytest

from forum.models import Challenge, Organisation
from tests.browser import chromium, signed_in_context
from tests.cms.factories import challenge_page, staff_of
from tests.factories import OrganisationFactory
from tests.forum.call_fixtures import forum_call
from tests.forum.helpers import member_of, secretariat_user

SAKAI = "271403"
SHOTS = os.environ.get("SCREENSHOT_DIR", "")


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, name), full_page=True)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_call_timeline_question_answer_published_without_asker(live_server):
    from cms.services import site_ensure

    site_ensure()
    staff = staff_of(SAKAI)
    call = forum_call(secretariat_user(), description_ja="フォーラム全体の募集です。")
    page_obj = challenge_page(SAKAI, title="ため池の水位を遠隔で見守りたい")
    page_obj.call = call
    page_obj.save_revision().publish()
    challenge = Challenge.objects.get(page_id=page_obj.pk)
    assert challenge.call == call
    company = OrganisationFactory(name="株式会社みずもりセンサー", kind=Organisation.Kind.COMPANY)
    asker = member_of(company)

    with chromium() as browser:
        visitor = browser.new_context(locale="ja-JP")
        page = visitor.new_page()
        page.goto(f"{live_server.url}/calls/{call.slug}/")
        timeline = page.get_by_test_id("call-timeline")
        assert "提案受付" in timeline.inner_text() and "現在" in timeline.inner_text()
        assert page.get_by_test_id("call-phase").inner_text() == "提案受付中"
        _shot(page, "call-page.png")
        visitor.close()

        context = signed_in_context(browser, live_server, asker)
        page = context.new_page()
        page.goto(f"{live_server.url}{challenge.url}")
        page.fill("#id_question_body", "水位計の設置場所は決まっていますか？")
        page.get_by_role("button", name="質問を送る").click()
        page.wait_for_load_state("networkidle")
        assert "質問を受け付けました" in page.content()
        context.close()

        context = signed_in_context(browser, live_server, staff)
        page = context.new_page()
        page.goto(f"{live_server.url}/member/questions/")
        card = page.get_by_test_id("queued-question").first
        assert "水位計の設置場所" in card.inner_text()
        card.locator("textarea[name=answer]").fill("市内の3か所のため池を予定しています。")
        card.get_by_role("button", name="回答を保存").click()
        page.wait_for_load_state("networkidle")
        page.get_by_test_id("queued-question").first.get_by_role(
            "button", name="回答を公開する"
        ).click()
        page.wait_for_load_state("networkidle")
        assert "回答を公開しました" in page.content()
        context.close()

        visitor = browser.new_context(locale="ja-JP")
        page = visitor.new_page()
        page.goto(f"{live_server.url}{challenge.url}")
        answers = page.get_by_test_id("public-questions").inner_text()
        assert "水位計の設置場所は決まっていますか？" in answers
        assert "市内の3か所のため池を予定しています。" in answers
        body = page.content()
        assert "株式会社みずもりセンサー" not in body and asker.email not in body
        _shot(page, "challenge-answers.png")
        visitor.close()
