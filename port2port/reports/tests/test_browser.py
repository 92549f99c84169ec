"""The report pages in a real browser (Debian's chromium driven by Playwright), under the real
Content Security Policy: an analyst files and shares a report with the map and the share
dialog, a partner reads it, an outsider gets the page for "not found". No console errors, no
CSP violations, no request leaves the machine.
"""

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.slow


@pytest.fixture
def browser(monkeypatch):
    if not os.path.exists(CHROMIUM):
        pytest.fail("Debian's chromium is needed for the browser tests (apt-get install chromium); .ci/run installs it")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


class Page:
    """A browser tab that remembers console errors and refuses any request off this machine."""

    def __init__(self, browser, base_url):
        self.base = base_url
        self.page = browser.new_page(viewport={"width": 1366, "height": 900})
        self.problems = []
        self.page.on("console", lambda m: self.problems.append(m.text) if m.type == "error" else None)
        self.page.route("**/*", self._only_local)

    def _only_local(self, route):
        if route.request.url.startswith(self.base):
            route.continue_()
        else:
            self.problems.append(f"request off the machine: {route.request.url}")
            route.abort()

    def sign_in(self, email):
        self.page.goto(self.base + "/accounts/login/")
        self.page.fill("input[name=login]", email)
        self.page.fill("input[name=password]", "correct horse battery")
        self.page.press("input[name=password]", "Enter")
        self.page.wait_for_url(self.base + "/")


def test_an_analyst_files_and_shares_a_report_that_a_partner_reads_and_an_outsider_cannot(
        transactional_db, world, live_server, browser):
    analyst = Page(browser, live_server.url)
    analyst.sign_in("analyst.a@p2p.test")
    page = analyst.page
    page.goto(live_server.url + "/reports/new/")
    page.fill("input[name=title]", "Extraction team found in a reefer at quay 869")
    page.select_option("select[name=category]", "drug_smuggling")
    page.select_option("select[name=modus_operandi]", "extraction_team")  # shown by script for drugs
    page.fill("input[name=occurred_at]", "2026-11-20T03:15")
    page.fill("textarea[name=narrative]", "Two men hidden in an empty reefer, with food and tools.")
    page.locator(".map").first.click(position={"x": 200, "y": 120})  # a point on the map
    assert page.input_value("input[name=latitude]") != ""
    page.check("input[name=tlp][value=amber]")
    page.check("input[name=audience][value=group]")
    page.select_option("select[name=sharing_group]", label="Drugs")
    page.click("button[name=intent][value=share]")
    page.wait_for_selector("text=Extraction team found in a reefer at quay 869")
    report_url = page.url
    assert "/reports/" in report_url and "TLP:AMBER" in page.inner_text("body")

    partner = Page(browser, live_server.url)
    partner.sign_in("analyst.b@p2p.test")
    partner.page.goto(report_url)
    assert "Two men hidden in an empty reefer" in partner.page.inner_text("body")

    outsider = Page(browser, live_server.url)
    outsider.sign_in("outsider.c@p2p.test")
    response = outsider.page.goto(report_url)
    assert response.status == 404
    assert "Two men hidden" not in outsider.page.inner_text("body")

    for tab in (analyst, partner, outsider):
        assert [p for p in tab.problems if "404" not in p] == []
