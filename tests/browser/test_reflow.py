"""No page scrolls sideways (WCAG 1.4.10 reflow; issue 19): every demo person's home and every
page their navigation leads to, at a phone's 390 px and a desktop's 1280 px, axe-clean, wide
tables scrolling inside their own region. The pages are read from the navigation, so a new
section joins without editing this (a fixed list missed the provider's interventions)."""

import importlib

import pytest
from django.apps import apps

from accounts.demo import DEMO_PASSWORD, PEOPLE
from channel.reference_data import ensure_vaf
from tests.browser.conftest import assert_accessible
from tests.walk import seed

_CONCERNS = importlib.import_module("referrals.migrations.0002_concern_types_2024_scheme")

# Pages whose layout the navigation does not reach (a form, a list behind a section page).
MORE_PAGES = {
    "borough-lead-a": ["/training/records/"],
    "chair-a": ["/channel/cases/", "/channel/panels/"],
}


def _pages(page) -> list[str]:
    """Home and the signed-in person's navigation, in order, each once."""
    links = page.locator("#navigation a.govuk-service-navigation__link")
    found = ["/", *(links.nth(i).get_attribute("href") for i in range(links.count()))]
    return list(dict.fromkeys(url for url in found if url and url.startswith("/")))


@pytest.mark.parametrize("width", [390, 1280])
def test_main_pages_never_scroll_sideways(journey, transactional_db, width):
    ensure_vaf()
    _CONCERNS.load(apps, None)
    seed()
    page = journey.page
    page.set_viewport_size({"width": width, "height": 900})
    wide = {}
    visited = 0
    for username in PEOPLE:
        page.context.clear_cookies()
        journey.sign_in(username, DEMO_PASSWORD)
        for url in dict.fromkeys(_pages(page) + MORE_PAGES.get(username, [])):
            visited += 1
            page.goto(journey.url + url)
            label = f"{username}{url.replace('/', '-')}{width}"
            journey.screenshot(label)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if overflow > 0:
                wide[f"{username} {url}"] = overflow
            assert_accessible(page, label)
    assert wide == {}
    assert visited >= 2 * len(PEOPLE), visited
