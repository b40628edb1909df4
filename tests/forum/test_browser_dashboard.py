"""The public dashboard in a browser: how its tables read on a laptop's screen."""

import pytest

from forum.models import Municipality
from forum.services.needs import need_publish, need_submit
from tests.browser import chromium
from tests.forum.helpers import municipality_staff
from tests.forum.resident_fixtures import a_field, resident_of

# How many lines a cell's text takes in the browser.
LINES = "cell => { const r = document.createRange(); r.selectNodeContents(cell); return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; }"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_residents_table_keeps_municipality_names_whole(live_server):
    """In the 住民の声 table the municipality and the field each stay on one line (大阪市, not
    大阪 / 市), though the table has nine columns."""
    osaka = Municipality.objects.get(name="大阪市")
    need = need_submit(
        actor=resident_of(osaka), title="歩道が暗い", description="夜道が不安", field=a_field()
    )
    need_publish(actor=municipality_staff(municipality=osaka), need=need)
    with chromium() as browser:
        page = browser.new_context(
            locale="ja-JP", viewport={"width": 1024, "height": 800}
        ).new_page()
        page.goto(f"{live_server.url}/dashboard/")
        row = page.locator("#table-residents tbody tr", has_text="大阪市").first
        assert row.locator("th").evaluate(LINES) == 1
        assert row.locator("td").first.evaluate(LINES) == 1
