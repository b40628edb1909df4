"""static/js/forms.js in a real browser: a form being sent is not sent again by a second click."""

import pytest

from tests.browser import chromium, signed_in_context
from tests.forum.helpers import company_member

# Counts the submissions that would go to the server, and keeps the page where it is, as if
# the server had not answered yet (a listener on window runs after the site's own).
HOLD_SUBMISSIONS = """() => {
  window.sent = 0;
  window.addEventListener("submit", (event) => {
    if (!event.defaultPrevented) { window.sent += 1; }
    event.preventDefault();
  });
}"""


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_second_click_while_the_form_is_being_sent_sends_nothing(live_server):
    """Once save is clicked its button is disabled, and clicking again sends nothing more."""
    from playwright.sync_api import expect

    user, _organisation = company_member()
    with chromium() as browser:
        context = signed_in_context(browser, live_server, user)
        page = context.new_page()
        page.goto(f"{live_server.url}/member/solutions/new/")
        page.fill("#id_title", "二度押しされた製品")
        page.fill("#id_summary", "保存ボタンが二回押されました。")
        page.evaluate(HOLD_SUBMISSIONS)
        save = page.locator("button:has-text('保存する')")
        save.click()
        expect(save).to_be_disabled()
        save.click(force=True)
        assert page.evaluate("window.sent") == 1
        context.close()
