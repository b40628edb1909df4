"""The whole call in a browser: the call opens, a company asks and the published answer shows
without the asker, two companies propose (one jointly), a panel of two scores with one conflict
declared, the decision, the feedback to the company not chosen, the public result on the
challenge page (which no longer takes proposals) and the project with every organisation."""

import os
from pathlib import Path

import pytest

from forum.models import Challenge, ProjectProposal, Proposal
from forum.services.evaluation import CriterionInput, criteria_set, panel_member_add
from forum.services.proposals import proposal_create, proposal_transition
from tests.browser import chromium, signed_in_context
from tests.factories import OrganisationFactory
from tests.forum.call_fixtures import forum_call
from tests.forum.helpers import member_of, secretariat_user

SAKAI = "271403"
SHOTS = Path(os.environ.get("SCREENSHOT_DIR", "var/screenshots"))


def _drafted(challenge, name: str, title: str):
    organisation = OrganisationFactory(name=name)
    user = member_of(organisation, role="admin")
    proposal = proposal_create(
        actor=user, challenge=challenge, organisation=organisation, title=title, summary="概要"
    )
    return proposal, user


def _shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / name), full_page=True)


def _call_opens(browser, live_server, call) -> None:
    """A visitor finds the call taking proposals, with where we are on its timeline."""
    context = browser.new_context(locale="ja-JP")
    page = context.new_page()
    page.goto(f"{live_server.url}/calls/{call.slug}/")
    timeline = page.get_by_test_id("call-timeline").inner_text()
    assert "提案受付" in timeline and "現在" in timeline
    assert page.get_by_test_id("call-phase").inner_text() == "提案受付中"
    _shot(page, "call-page.png")
    context.close()


def _question_answered_and_published(browser, live_server, challenge, asker, staff) -> None:
    """The company asks privately; the municipality answers and publishes; everyone reads the
    answer on the challenge page without the asker's name."""
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

    context = browser.new_context(locale="ja-JP")
    page = context.new_page()
    page.goto(f"{live_server.url}{challenge.url}")
    answers = page.get_by_test_id("public-questions").inner_text()
    assert "水位計の設置場所は決まっていますか？" in answers
    assert "市内の3か所のため池を予定しています。" in answers
    body = page.content()
    assert asker.email not in body
    for membership in asker.memberships.select_related("organisation"):
        assert membership.organisation.name not in body
    assert "募集中" in body
    _shot(page, "challenge-answers.png")
    context.close()


def _propose_jointly(browser, live_server, proposal, lead, partner):
    """The lead invites the university, whose member accepts; the lead then submits."""
    context = signed_in_context(browser, live_server, lead)
    page = context.new_page()
    page.goto(f"{live_server.url}/member/proposals/{proposal.pk}/")
    page.select_option("#id_organisation", label="なにわ工科大学")
    page.click("button:has-text('共同提案への参加を依頼する')")
    page.wait_for_load_state("networkidle")
    context.close()
    context = signed_in_context(browser, live_server, partner)
    page = context.new_page()
    page.goto(f"{live_server.url}/member/notifications/")
    page.click("text=共同提案への参加依頼が届きました")
    page.wait_for_load_state("networkidle")
    page.click("button:has-text('共同提案団体として参加する')")
    page.wait_for_load_state("networkidle")
    assert page.locator("#proposal-status").inner_text() == "下書き"
    context.close()
    context = signed_in_context(browser, live_server, lead)
    page = context.new_page()
    page.goto(f"{live_server.url}/member/proposals/{proposal.pk}/")
    page.click("button[data-action=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator("#proposal-status").inner_text() == "提出済み"
    context.close()


def _score(page, live_server, challenge, proposal, criteria, values, *, conflict=False):
    page.goto(f"{live_server.url}/member/panel/challenges/{challenge.pk}/proposals/{proposal.pk}/")
    page.check("#id_has_conflict_1" if conflict else "#id_has_conflict_0")
    if conflict:
        page.fill("#id_note", "提案団体の元社員です。")
    page.click("button:has-text('申告する')")
    page.wait_for_load_state("networkidle")
    if conflict:
        assert page.locator("text=この提案は採点しません").is_visible()
        return
    for criterion, value in zip(criteria, values, strict=True):
        page.check(f"input[name=score_{criterion.pk}][value='{value}']")
    page.fill("#id_note", "実現性が高い。")
    page.click("button:has-text('採点を保存する')")
    page.wait_for_load_state("networkidle")
    assert page.locator("text=採点を保存しました").is_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_call_question_joint_proposals_panel_decision_result_and_project(live_server):
    """The main journey of a call, from its opening to the project it starts."""
    from cms.services import site_ensure
    from tests.cms.factories import challenge_page, staff_of

    site_ensure()
    reviewer, secretariat = staff_of(SAKAI), secretariat_user()
    call = forum_call(secretariat, description_ja="フォーラム全体の募集です。")
    page_obj = challenge_page(SAKAI, title="ため池の水位を見守りたい", field="safety")
    page_obj.call = call
    page_obj.save_revision().publish()
    challenge = Challenge.objects.get(page_id=page_obj.pk)
    assert challenge.call == call
    criteria = criteria_set(
        actor=reviewer,
        challenge=challenge,
        criteria=[
            CriterionInput("課題への適合性", 30),
            CriterionInput("実現性", 25),
            CriterionInput("費用", 20),
            CriterionInput("横展開の可能性", 15),
            CriterionInput("実績", 10),
        ],
    )
    rival_org = OrganisationFactory(name="株式会社かんし")
    second_user = member_of(rival_org, role="admin")
    university = OrganisationFactory(name="なにわ工科大学", kind="university")
    partner = member_of(university, role="admin")
    for user in (reviewer, secretariat):
        panel_member_add(actor=reviewer, challenge=challenge, user=user)
    SHOTS.mkdir(parents=True, exist_ok=True)

    with chromium() as browser:
        _call_opens(browser, live_server, call)
        _question_answered_and_published(browser, live_server, challenge, second_user, reviewer)

        first, lead = _drafted(challenge, "株式会社みずもり", "水位センサーで常時監視")
        second = proposal_create(
            actor=second_user,
            challenge=challenge,
            organisation=rival_org,
            title="カメラで巡回を省く",
            summary="概要",
        )
        proposal_transition(actor=second_user, proposal=second, action="submit")
        _propose_jointly(browser, live_server, first, lead, partner)
        first.refresh_from_db()
        context = signed_in_context(browser, live_server, secretariat)
        page = context.new_page()
        _score(page, live_server, challenge, first, criteria, [4, 4, 4, 3, 3])
        _score(page, live_server, challenge, second, criteria, [], conflict=True)
        context.close()

        context = signed_in_context(browser, live_server, reviewer)
        page = context.new_page()
        _score(page, live_server, challenge, first, criteria, [5, 5, 4, 4, 3])
        _score(page, live_server, challenge, second, criteria, [2, 3, 5, 2, 1])
        # The plain accept/decline would skip the panel: the proposal page does not offer them.
        page.goto(f"{live_server.url}/member/proposals/{first.pk}/")
        assert page.locator("button[data-action=accept]").count() == 0
        assert page.locator("button[data-action=decline]").count() == 0
        assert page.get_by_test_id("decided-by-selection").first.is_visible()
        page.goto(f"{live_server.url}/member/review/challenges/{challenge.pk}/evaluation/")
        table = page.locator(".evaluation-table")
        assert "82.0" in table.inner_text() and "利益相反" in table.inner_text()
        page.locator("#comparison-h").scroll_into_view_if_needed()
        _shot(page, "evaluation-comparison.png")
        page.select_option(f"#id_outcome_{first.pk}", "selected")
        page.fill(f"#id_reason_{first.pk}", "合計点が最も高く、費用も予算内。")
        page.select_option(f"#id_outcome_{second.pk}", "not_selected")
        page.fill(f"#id_reason_{second.pk}", "実現性の評価が低い。")
        page.fill(f"#id_feedback_{second.pk}", "費用の提案は優れていました。")
        page.click("button:has-text('選定結果を決定する')")
        page.wait_for_load_state("networkidle")
        assert page.locator("text=選定結果を決定しました").is_visible()
        page.fill("#id_public_reasons", "課題への適合性と実現性が高く評価されました。")
        page.click("button:has-text('結果を公表する')")
        page.wait_for_load_state("networkidle")
        context.close()

        context = signed_in_context(browser, live_server, second_user)
        page = context.new_page()
        page.goto(f"{live_server.url}/member/notifications/")
        page.click("text=選定結果と評価のお知らせ")
        page.wait_for_load_state("networkidle")
        assert page.locator("text=費用の提案は優れていました。").is_visible()
        assert "水位センサーで常時監視" not in page.content()
        context.close()

        context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(f"{live_server.url}{page_obj.url}")
        result = page.locator("#result-h").locator("xpath=..")
        assert "株式会社みずもり" in result.inner_text()
        assert "なにわ工科大学" in result.inner_text()
        body = page.content()
        assert "株式会社かんし" not in body and "82.0" not in body
        assert "募集中" not in body and "この課題に提案する" not in body
        assert page.get_by_test_id("intake-closed").is_visible()
        page.locator("#result-h").scroll_into_view_if_needed()
        _shot(page, "evaluation-public-result.png")
        context.close()

    project = ProjectProposal.objects.get(proposal=first).project
    assert set(project.participants.values_list("organisation__name", flat=True)) >= {
        "株式会社みずもり",
        "なにわ工科大学",
    }
    assert Proposal.objects.get(pk=second.pk).status == Proposal.Status.DECLINED
