"""A Prevent officer records a consultation that ended with a referral advised, finds it in
the list (filtered by that outcome), reads it back, changes it and links the referral that
followed (issue 15). Every page on the way is screenshotted and checked with axe-core.
"""

from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, seed_people
from prevent_cms.registry import ensure_reference_data
from tests.referrals import factories as rf


def test_an_officer_records_a_consultation_and_finds_it_in_the_list(journey, transactional_db):
    ensure_reference_data()
    people = seed_people()
    officer = people["officer-a"]
    referral = rf.submitted(None, referrer=people["referrer-a"])  # the one that followed
    page = journey.page
    journey.sign_in("officer-a", DEMO_PASSWORD)
    page.get_by_role("link", name="Consultations", exact=True).click()
    expect(page.get_by_role("heading", name="Consultations", exact=True)).to_be_visible()
    journey.check("list-empty")

    page.get_by_role("button", name="Record a consultation").click()
    journey.check("form")
    # Sending it empty shows every problem, each linked to its field.
    page.get_by_role("button", name="Save consultation").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    journey.check("form-errors")

    radios = page.get_by_role("group", name="Local authority")
    if radios.count():
        radios.get_by_role("radio").first.check()
    page.get_by_label("Day").fill("2")
    page.get_by_label("Month").fill("12")
    page.get_by_label("Year").fill("2026")
    page.get_by_label("Name", exact=True).fill("Robin Teacher")
    page.get_by_label("Organisation (optional)").fill("Northbridge Academy")
    page.get_by_role("radio", name="Education").check()
    page.get_by_label("Initials (optional)").fill("JD")
    page.get_by_label("Age (optional)").select_option("11_to_15")
    page.get_by_label("What were they worried about?").fill(
        "A pupil keeps sharing violent extremist videos in the class group chat."
    )
    page.get_by_label("What advice did you give?").fill(
        "Speak to the DSL today and make a Prevent referral."
    )
    page.get_by_role("radio", name="Referral advised").check()
    page.get_by_role("button", name="Save consultation").click()
    expect(page.get_by_role("heading", name="Consultation on 2 December 2026")).to_be_visible()
    expect(page.get_by_text("Referral advised").first).to_be_visible()
    journey.check("detail")

    page.get_by_role("link", name="Back to consultations").click()
    page.get_by_label("Outcome").select_option("referral_advised")
    page.get_by_role("button", name="Apply filter").click()
    table = page.locator("table[data-table=consultations]")
    expect(table.get_by_role("row", name="Robin Teacher")).to_be_visible()
    expect(table).to_contain_text("Referral advised")
    journey.check("list-filtered")
    page.get_by_label("Outcome").select_option("no_referral_needed")
    page.get_by_role("button", name="Apply filter").click()
    expect(page.get_by_text("No consultations recorded.")).to_be_visible()

    # Change it, then link the referral that followed.
    page.get_by_label("Outcome").select_option("")
    page.get_by_role("button", name="Apply filter").click()
    page.get_by_role("link", name="2 Dec 2026").click()
    page.get_by_role("button", name="Change this consultation").click()
    journey.check("edit")
    page.get_by_label("What advice did you give?").fill("Referral advised; DSL informed.")
    page.get_by_role("button", name="Save consultation").click()
    expect(page.get_by_text("Referral advised; DSL informed.")).to_be_visible()
    expect(page.locator(".govuk-summary-list")).to_contain_text(officer.display_name)
    page.get_by_role("button", name="Link to a referral").click()
    journey.check("link")
    page.get_by_label("Reference of the referral").fill("PRV-2026-999999")
    page.get_by_role("button", name="Link to the referral").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    journey.check("link-error")
    page.get_by_label("Reference of the referral").fill(referral.reference)
    page.get_by_role("button", name="Link to the referral").click()
    expect(page.get_by_role("link", name=referral.reference)).to_be_visible()
    expect(page.get_by_text("Referral made").first).to_be_visible()
    journey.check("linked")
