"""Sorting and saved views of the training records and the triage queue in Chromium (issue
19): a column header
sorts the list (its address says so), a named view is saved, applied from beside the
filters and deleted after asking once; axe-clean at 1280 px and 390 px, no sideways scroll."""

import importlib

import pytest
from django.apps import apps
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, seed_people
from channel.reference_data import ensure_vaf
from tests.browser.test_training_journey import seed_some_training
from tests.walk import seed

_CONCERNS = importlib.import_module("referrals.migrations.0002_concern_types_2024_scheme")


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


@pytest.mark.parametrize("width", [1280, 390])
def test_the_triage_queue_sorts_from_its_headers_and_is_saved_as_a_view(
    journey, transactional_db, width
):
    """The queue (issue 19): each header a link with ``aria-sort`` (no script needed), the
    sort kept in the address with the filters, the queue so shown saved and applied."""
    ensure_vaf()
    _CONCERNS.load(apps, None)
    seed()
    page = journey.page
    page.set_viewport_size({"width": width, "height": 900})
    journey.sign_in("officer-a", DEMO_PASSWORD)
    page.goto(journey.url + "/referrals/queue/")
    clock = page.get_by_role("columnheader", name="Clock")
    expect(clock).to_have_attribute("aria-sort", "none")
    clock.get_by_role("link").click()
    expect(page).to_have_url(journey.url + "/referrals/queue/?sort=clock")
    expect(page.get_by_role("columnheader", name="Clock")).to_have_attribute(
        "aria-sort", "ascending"
    )
    page.get_by_role("columnheader", name="Clock").get_by_role("link").click()
    expect(page).to_have_url(journey.url + "/referrals/queue/?sort=-clock")
    expect(page.get_by_role("columnheader", name="Clock")).to_have_attribute(
        "aria-sort", "descending"
    )
    page.get_by_label("Urgent").check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page).to_have_url(journey.url + "/referrals/queue/?urgent=on&sort=-clock")
    journey.check(f"queue-sorted-{width}")
    page.get_by_label("Name of the view").fill("Urgent, longest waiting")
    page.get_by_role("button", name="Save this view").click()
    expect(page.get_by_text("View “Urgent, longest waiting” saved")).to_be_visible()
    page.goto(journey.url + "/referrals/queue/")
    page.get_by_role("link", name="Urgent, longest waiting", exact=True).click()
    expect(page).to_have_url(journey.url + "/referrals/queue/?sort=-clock&urgent=on")
    expect(page.get_by_role("columnheader", name="Clock")).to_have_attribute(
        "aria-sort", "descending"
    )
    assert (
        page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        <= 0
    )
    journey.check(f"queue-view-applied-{width}")
