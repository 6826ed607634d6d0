"""English | Cymraeg in a real browser (issue 19): the header's toggle switches the page a
person is on to Welsh and back, keeps them on that page, sets ``<html lang>``, and the Welsh
pages (home, a referral form, its errors) pass axe at desktop and phone widths.

Screenshots of both languages are kept in test-artifacts/screenshots and in /tmp/welsh-shots.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, seed_people
from referrals.models import ConcernType

SHOTS = Path("/tmp/welsh-shots")
WIDTHS = {"desktop": 1280, "phone": 390}


def _both_widths(journey, label: str) -> None:
    """axe and a screenshot at each width (kept in /tmp/welsh-shots too)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for name, width in WIDTHS.items():
        journey.page.set_viewport_size({"width": width, "height": 900})
        journey.check(f"{label}-{name}")
        journey.page.screenshot(path=str(SHOTS / f"{label}-{name}.png"), full_page=True)
    journey.page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.long
def test_the_toggle_switches_to_welsh_and_back_on_the_same_page(journey, transactional_db):
    seed_people()
    ConcernType.objects.update_or_create(code="islamist", defaults={"label": "Islamist"})
    page = journey.page
    journey.sign_in("referrer-a", DEMO_PASSWORD)
    home = page.url
    expect(page.locator("html")).to_have_attribute("lang", "en-gb")
    _both_widths(journey, "home-en")

    # The toggle: English is the current language, Cymraeg a button written in Welsh.
    toggle = page.get_by_role("navigation", name="Choose a language")
    expect(toggle.locator("[aria-current]")).to_have_text("English")
    toggle.get_by_role("button", name="Newid yr iaith i’r Gymraeg").click()
    assert page.url == home, "the toggle keeps the person on the page they were on"
    expect(page.locator("html")).to_have_attribute("lang", "cy")
    expect(page.get_by_role("link", name="Neidio i’r prif gynnwys")).to_be_attached()
    expect(page.get_by_role("button", name="Allgofnodi")).to_be_visible()
    toggle = page.get_by_role("navigation", name="Dewiswch iaith")
    expect(toggle.locator("[aria-current]")).to_have_text("Cymraeg")
    _both_widths(journey, "home-cy")

    # A form page in Welsh: the start of a referral, then its first section, sent empty.
    page.get_by_role("button", name="Dechrau atgyfeiriad").click()
    expect(
        page.get_by_text("Os oes unrhyw un mewn perygl uniongyrchol, ffoniwch 999")
    ).to_be_visible()
    # Start now leads straight to the first question (issue 19: a draft is made by the first
    # answer saved, not by starting).
    page.get_by_role("button", name="Dechrau nawr").click()
    expect(page.get_by_role("heading", name="Am y person", level=1)).to_be_visible()
    date = page.get_by_role("group", name="Dyddiad geni")
    expect(date.get_by_label("Diwrnod")).to_be_visible()
    expect(date.get_by_label("Mis")).to_be_visible()
    expect(date.get_by_label("Blwyddyn")).to_be_visible()
    _both_widths(journey, "form-cy")
    page.get_by_role("button", name="Parhau").click()
    expect(page.get_by_role("heading", name="Mae problem")).to_be_visible()
    assert page.title().startswith("Gwall:"), page.title()
    _both_widths(journey, "form-errors-cy")

    # And back to English on the same form.
    form = page.url
    page.get_by_role("navigation", name="Dewiswch iaith").get_by_role(
        "button", name="Change the language to English"
    ).click()
    assert page.url == form
    expect(page.locator("html")).to_have_attribute("lang", "en-gb")
    expect(page.get_by_role("heading", name="About the person", level=1)).to_be_visible()
    _both_widths(journey, "form-en")
