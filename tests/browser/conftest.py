"""Real headless Chromium (Debian's /usr/bin/chromium) driven by Playwright, plus axe-core.

Never ``playwright install``: it downloads a browser and cannot work here.
"""

import functools
import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def browser_context_args(browser_context_args, live_server):
    return {**browser_context_args, "base_url": live_server.url, "locale": "en-GB"}


class Browser:
    """A signed-in journey helper: sign in, check accessibility, keep screenshots."""

    def __init__(self, page, live_server, name: str):
        self.page = page
        self.url = live_server.url
        self.name = name
        self.shots = 0
        self.csp_violations: list[str] = []
        page.on("console", self._watch_console)

    def _watch_console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.csp_violations.append(message.text)

    def sign_in(self, username: str, password: str) -> None:
        self.page.goto(f"{self.url}/accounts/login/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()

    def sign_out(self) -> None:
        self.page.get_by_role("button", name="Sign out").click()

    def fill_date(self, legend: str, day) -> None:
        """Type ``day`` (a ``date``) into the GOV.UK date input whose legend is ``legend``,
        box by box, as a person does."""
        group = self.page.get_by_role("group", name=legend, exact=True)
        group.get_by_label("Day").fill(str(day.day))
        group.get_by_label("Month").fill(str(day.month))
        group.get_by_label("Year").fill(str(day.year))

    def check(self, label: str) -> None:
        """Screenshot the page, then fail on any axe-core violation."""
        self.screenshot(label)
        assert_accessible(self.page, label)
        assert self.csp_violations == [], f"{label}: {self.csp_violations}"

    def screenshot(self, label: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.shots += 1
        path = SCREENSHOTS / f"{self.name}-{self.shots:02d}-{label}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


def assert_accessible(page, label: str = "") -> None:
    # Evaluated through the DevTools protocol, so the page's strict CSP stays in force; once
    # a page (a second check of the same page, at another width, reuses it). Only the
    # violations come back: axe's passes and inapplicable rules are most of its answer.
    if page.evaluate("typeof window.axe === 'undefined'"):
        page.evaluate(_axe_source())
    violations = page.evaluate(AXE_VIOLATIONS, WCAG_TAGS)
    assert violations == [], f"{label}: {json.dumps(violations, indent=2)}"


AXE_VIOLATIONS = """
async (tags) => {
  const result = await axe.run(document, {
    runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
  });
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target),
  }));
}
"""


@functools.cache
def _axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def journey(page, live_server, request):
    return Browser(page, live_server, request.node.name)
