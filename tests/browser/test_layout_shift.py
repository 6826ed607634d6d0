"""Pages hold still while they load (issue 24): cumulative layout shift ≤ 0.05.

Measured as browsers do (PerformanceObserver 'layout-shift' entries, buffered, without the
shifts that follow a person's input) on the main page of each role, wide and on a phone.
"""

import pytest

from accounts.demo import DEMO_PASSWORD, PEOPLE, seed_people
from prevent_cms.registry import seeders

CLS_LIMIT = 0.05
VIEWPORTS = {"desktop": (1280, 800), "phone": (390, 844)}
# Collects every shift from the first paint; read once the page has settled.
OBSERVE = """
window.__cls = 0; window.__shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.hadRecentInput) continue;
    window.__cls += entry.value;
    const moved = (entry.sources || []).map((s) => [
      s.node ? (s.node.id || s.node.className || s.node.nodeName) : '',
      s.previousRect.y, s.currentRect.y, s.previousRect.height, s.currentRect.height]);
    window.__shifts.push({value: entry.value, moved: moved});
  }
}).observe({type: 'layout-shift', buffered: true});
"""

# The shift so far, read once the page has settled: every font it asked for has arrived (the
# late fonts below are what moves text) and two frames have been drawn since, so their shifts
# have reached the observer. A condition, not a fixed pause.
SETTLED_CLS = """
async () => {
  await document.fonts.ready;
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  await new Promise((done) => setTimeout(done, 0));
  return window.__cls;
}
"""

CHART_TEXT_SIZES = """
Array.from(document.querySelectorAll('svg.app-chart'))
  .filter((svg) => svg.getBoundingClientRect().width > 0)
  .flatMap((svg) => {
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return Array.from(svg.querySelectorAll('text'))
      .map((text) => parseFloat(getComputedStyle(text).fontSize) * scale);
  })
"""


class LateFonts:
    """Fonts held back until the page has painted its text, then let through: the worst a real
    network does (here they would be instant). GOV.UK Frontend's fonts are ``font-display:
    fallback``, so the text is first painted in the fallback font and the late font then
    replaces it, which is the shift to measure. A condition, not a pause: the page's first
    contentful paint releases them."""

    def __init__(self):
        self.held = []
        self.holding = False  # only while ``goto`` loads a measured page
        self.late = 0  # fonts that arrived after the text was painted

    def hold(self, route) -> None:
        if self.holding:
            self.held.append(route)
        else:
            route.continue_()

    def goto(self, page, url: str) -> None:
        self.holding = True
        try:
            page.goto(url, wait_until="commit")
            page.wait_for_function(FIRST_TEXT_PAINTED)
        finally:
            self.holding = False
            while self.held:
                self.held.pop().continue_()
                self.late += 1
        page.wait_for_load_state("load")


FIRST_TEXT_PAINTED = "() => performance.getEntriesByName('first-contentful-paint').length > 0"


def _main_page(page) -> str:
    """A role's main page: the first item of its menu (home when it has none)."""
    links = page.locator("#navigation a.govuk-service-navigation__link")
    return links.first.get_attribute("href") if links.count() else "/"


@pytest.mark.long
def test_main_pages_do_not_shift_while_loading(journey, transactional_db):
    people = seed_people()
    for seed in seeders():
        seed(people)
    page = journey.page
    page.add_init_script(OBSERVE)
    fonts = LateFonts()
    page.route("**/*.woff2", fonts.hold)
    results = {}
    for username in PEOPLE:
        page.context.clear_cookies()
        page.set_viewport_size({"width": 1280, "height": 800})
        journey.sign_in(username, DEMO_PASSWORD)
        main = _main_page(page)
        for viewport, (width, height) in VIEWPORTS.items():
            page.set_viewport_size({"width": width, "height": height})
            for path in dict.fromkeys(["/", main]):
                fonts.goto(page, f"{journey.url}{path}")
                cls = round(page.evaluate(SETTLED_CLS), 3)
                results[(username, viewport, path)] = (cls, page.evaluate("window.__shifts"))
        journey.screenshot(f"{username}-phone")
    too_much = {key: value for key, value in results.items() if value[0] > CLS_LIMIT}
    assert too_much == {}
    assert fonts.late >= len(results), "each measured page had its fonts arrive late"

    # Charts keep readable text: at least 12 px as drawn, or they give way to their table.
    page.context.clear_cookies()
    journey.sign_in("borough-lead-a", DEMO_PASSWORD)
    smallest = {}
    for viewport, (width, height) in {**VIEWPORTS, "narrow": (320, 640)}.items():
        page.set_viewport_size({"width": width, "height": height})
        for path in ("/reports/", "/training/"):
            fonts.goto(page, f"{journey.url}{path}")
            drawn = page.evaluate(CHART_TEXT_SIZES)
            smallest[(viewport, path)] = min(drawn, default=None)
            journey.screenshot(f"charts-{viewport}-{path.strip('/')}")
    assert smallest[("desktop", "/reports/")] is not None, "a chart is drawn on a wide page"
    assert {key: size for key, size in smallest.items() if size is not None and size < 12} == {}
