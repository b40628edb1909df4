"""Headless Chromium for browser tests: Debian's chromium driven by Playwright."""

import os
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_chromium() -> None:
    """Skip without Chromium, or fail when services are required."""
    if not CHROMIUM.exists():
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail(
                "Chromium is required (REQUIRE_SERVICES=1) but /usr/bin/chromium is missing."
            )
        pytest.skip("Debian's chromium is not installed")


@contextmanager
def chromium():
    """A Playwright browser on Debian's Chromium; the ORM may be used beside its sync API."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                yield browser
            finally:
                browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def signed_in_context(browser, live_server, user):
    """A browser context already signed in as the user (the session cookie of a forced login)."""
    from tests.forum.helpers import Client

    client = Client()
    client.force_login(user)
    context = browser.new_context(locale="ja-JP", viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    return context


AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
# What the accessibility checks refuse: axe-core's two highest impacts.
AXE_REFUSED_IMPACTS = ("serious", "critical")


def axe_script() -> str:
    """axe-core as pinned in package-lock.json (installed by `make test`); skip without it, or
    fail when services are required."""
    if not AXE.exists():
        if os.environ.get("REQUIRE_SERVICES") == "1":
            pytest.fail("axe-core is required (REQUIRE_SERVICES=1): run `npm ci` or `make test`.")
        pytest.skip("axe-core is not installed (npm ci)")
    return AXE.read_text("utf-8")


def axe_violations(page, script: str) -> list[str]:
    """axe-core's serious and critical violations of the page's WCAG 2.x A/AA rules and best
    practices, one line each (rule, impact, help, the first offending elements)."""
    if not page.evaluate("() => !!window.axe"):
        page.add_script_tag(content=script)
    results = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
             .map(v => ({id: v.id, impact: v.impact, help: v.help,
                         nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {', '.join(v['nodes'])}"
        for v in results
        if v["impact"] in AXE_REFUSED_IMPACTS
    ]
