import pytest

from forum.services.projects.lifecycle import project_publication_update
from tests.browser import chromium, signed_in_context
from tests.forum.project_fixtures import make_crew


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_coordinator_takes_project_to_implementation_and_dashboard_shows_it(live_server):
    """The coordinator moves a public project through PoC and evaluation to implementation with an
    outcome; the public dashboard then counts one implemented project."""
    crew = make_crew(title="ため池の見守りを全市へ")
    project_publication_update(
        actor=crew.secretariat, project=crew.project, is_public=True, case_study="ため池の事例"
    )

    with chromium() as browser:
        visitor = browser.new_context(locale="ja-JP")
        dashboard = visitor.new_page()
        dashboard.goto(f"{live_server.url}/dashboard/")
        assert dashboard.locator("#figure-implemented").inner_text() == "0"

        context = signed_in_context(browser, live_server, crew.coordinator)
        page = context.new_page()
        page.goto(f"{live_server.url}/member/projects/{crew.project.pk}/")
        for stage, label in (
            ("poc_planning", "実証実験の準備"),
            ("poc", "実証実験"),
            ("evaluation", "評価"),
        ):
            page.select_option("#id_to_stage", stage)
            page.click("#stage-form button[type=submit]")
            page.wait_for_load_state("networkidle")
            assert page.locator("#project-stage").inner_text() == label

        # Leaving evaluation without an outcome is refused and the typed lessons stay.
        page.select_option("#id_to_stage", "implementation")
        page.fill("#id_lessons", "住民への説明会を早めに開くと協力が得られた")
        page.click("#stage-form button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert page.locator("text=成果（評価の結論）を選んでください").is_visible()
        assert (
            page.locator("#id_lessons").input_value()
            == "住民への説明会を早めに開くと協力が得られた"
        )

        page.select_option("#id_to_stage", "implementation")
        page.select_option("#id_outcome", "adopted")
        page.click("#stage-form button[type=submit]")
        page.wait_for_load_state("networkidle")
        assert page.locator("#project-stage").inner_text() == "社会実装"
        context.close()

        dashboard.goto(f"{live_server.url}/dashboard/")
        dashboard.wait_for_load_state("networkidle")
        assert dashboard.locator("#figure-implemented").inner_text() == "1"
        assert dashboard.locator("#figure-rate").inner_text() == "100.0%"
        funnel = dashboard.locator("#table-funnel tr", has_text="社会実装に到達")
        assert funnel.locator("td").inner_text() == "1"
        drawn = dashboard.evaluate(
            "() => Boolean(window.Chart && Chart.getChart(document.querySelector('canvas[data-chart=\"chart-funnel\"]')))"
        )
        assert drawn
        visitor.close()

    crew.project.refresh_from_db()
    assert crew.project.stage == "implementation"
    assert crew.project.outcomes.get().decision == "adopted"
