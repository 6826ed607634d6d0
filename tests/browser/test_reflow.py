"""No page scrolls sideways (WCAG 1.4.10 reflow; issue 19): each role's main pages at a phone's
390 px and a desktop's 1280 px, axe-clean, wide tables scrolling inside their own region."""

import importlib

import pytest
from django.apps import apps

from accounts.demo import DEMO_PASSWORD
from channel.reference_data import ensure_vaf
from tests.browser.conftest import assert_accessible
from tests.walk import seed

_CONCERNS = importlib.import_module("referrals.migrations.0002_concern_types_2024_scheme")

PAGES = {
    "officer-a": ["/referrals/queue/", "/reports/", "/consultations/"],
    "borough-lead-a": ["/training/", "/training/records/"],
    "chair-a": ["/channel/", "/channel/cases/", "/channel/panels/"],
    "referrer-a": ["/", "/referrals/"],
}


@pytest.mark.parametrize("width", [390, 1280])
def test_main_pages_never_scroll_sideways(journey, transactional_db, width):
    ensure_vaf()
    _CONCERNS.load(apps, None)
    seed()
    page = journey.page
    page.set_viewport_size({"width": width, "height": 900})
    wide = {}
    for username, urls in PAGES.items():
        page.context.clear_cookies()
        journey.sign_in(username, DEMO_PASSWORD)
        for url in urls:
            page.goto(journey.url + url)
            label = f"{username}{url.replace('/', '-')}{width}"
            journey.screenshot(label)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            if overflow > 0:
                wide[url] = overflow
            assert_accessible(page, label)
    assert wide == {}
