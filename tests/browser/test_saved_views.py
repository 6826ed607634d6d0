"""Sorting and saved views of the training records in Chromium (issue 19): a column header
sorts the list (its address says so), a named view is saved, applied from beside the
filters and deleted after asking once; axe-clean at 1280 px and 390 px, no sideways scroll."""

import pytest
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, seed_people
from tests.browser.test_training_journey import seed_some_training


@pytest.mark.parametrize("width", [1280, 390])
def test_a_sorted_filtered_list_is_saved_applied_and_deleted(journey, transactional_db, width):
    seed_some_training(seed_people())
    page = journey.page
    page.set_viewport_size({"width": width, "height": 900})
    journey.sign_in("borough-lead-a", DEMO_PASSWORD)
    page.goto(journey.url + "/training/records/")
    page.get_by_label("Status").select_option(label="Expired")
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(journey.url + "/training/records/?status=expired")
    page.get_by_role("link", name="Expires", exact=True).click()
    expect(page).to_have_url(journey.url + "/training/records/?status=expired&sort=expires")
    expires = page.get_by_role("columnheader", name="Expires")
    expect(expires).to_have_attribute("aria-sort", "ascending")
    journey.check(f"sorted-{width}")
    page.get_by_label("Name of the view").fill("Expired, soonest first")
    page.get_by_role("button", name="Save this view").click()
    expect(page.get_by_text("View “Expired, soonest first” saved")).to_be_visible()
    page.goto(journey.url + "/training/records/")
    expect(page.get_by_text("Carys Current")).to_be_visible()
    page.get_by_role("link", name="Expired, soonest first", exact=True).click()
    expect(page).to_have_url(journey.url + "/training/records/?sort=expires&status=expired")
    expect(page.get_by_text("Carys Current")).to_have_count(0)
    expect(page.get_by_role("link", name="Evan Expired")).to_be_visible()
    assert (
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        <= 0
    )
    journey.check(f"view-applied-{width}")
    page.get_by_role("link", name="Delete Expired, soonest first").click()
    expect(page.get_by_role("heading", name="Delete this saved view?")).to_be_visible()
    journey.check(f"delete-view-{width}")
    page.get_by_role("button", name="Yes, delete this view").click()
    expect(page.get_by_text("View “Expired, soonest first” deleted")).to_be_visible()
    expect(page.get_by_role("link", name="Expired, soonest first", exact=True)).to_have_count(0)
