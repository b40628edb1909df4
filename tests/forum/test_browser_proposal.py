import pytest

from forum.models import Challenge, Proposal, SolutionProfile
from tests.browser import chromium, signed_in_context
from tests.forum.helpers import company_member

SAKAI = "271403"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_company_proposes_and_municipality_accepts(live_server):
    """A company registers a solution, proposes it to a challenge; Sakai shortlists and accepts."""
    from cms.services import site_ensure
    from tests.cms.factories import challenge_page, staff_of

    site_ensure()
    page_obj = challenge_page(SAKAI, title="公園のため池を見守りたい", field="safety")
    reviewer = staff_of(SAKAI)
    company_user, organisation = company_member()

    with chromium() as browser:
        context = signed_in_context(browser, live_server, company_user)
        page = context.new_page()
        page.goto(f"{live_server.url}/member/solutions/new/")
        page.fill("#id_title", "水位センサーのクラウド監視")
        page.fill("#id_summary", "LPWAの水位センサーで、ため池を24時間見守ります。")
        page.get_by_label("防災・防犯").check()
        page.click("button:has-text('保存する')")
        page.wait_for_load_state("networkidle")
        page.click("button:has-text('公開する')")
        page.wait_for_load_state("networkidle")
        assert page.locator("text=公開しました").is_visible()

        page.goto(f"{live_server.url}{page_obj.url}")
        page.click("text=この課題に提案する")
        page.wait_for_load_state("networkidle")
        page.fill("#id_title", "ため池の水位を常時監視する提案")
        page.fill("#id_summary", "センサー5台で実証します。")
        page.select_option("#id_solution", label="水位センサーのクラウド監視")
        page.click("button:has-text('下書きを保存する')")
        page.wait_for_load_state("networkidle")
        page.click("button[data-action=submit]")
        page.wait_for_load_state("networkidle")
        assert page.locator("#proposal-status").inner_text() == "提出済み"
        context.close()

        proposal = Proposal.objects.get(title="ため池の水位を常時監視する提案")
        assert proposal.solution == SolutionProfile.objects.get(title="水位センサーのクラウド監視")

        context = signed_in_context(browser, live_server, reviewer)
        page = context.new_page()
        page.goto(f"{live_server.url}/member/review/")
        page.click(f"text={page_obj.title}")
        page.wait_for_load_state("networkidle")
        page.click("text=ため池の水位を常時監視する提案")
        page.wait_for_load_state("networkidle")
        page.click("button[data-action=shortlist]")
        page.wait_for_load_state("networkidle")
        assert page.locator("#proposal-status").inner_text() == "候補に選定"
        page.click("button[data-action=accept]")
        page.wait_for_load_state("networkidle")
        assert page.locator("#proposal-status").inner_text() == "採択"
        context.close()

    proposal.refresh_from_db()
    assert proposal.status == "accepted"
    assert Challenge.objects.get(page_id=page_obj.pk).proposals.count() == 1
