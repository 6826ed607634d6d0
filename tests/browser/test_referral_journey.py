"""A referral end to end in Chromium: referrer → officer → referrer, axe on every page."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, seed_people
from referrals.forms.draft import SECTIONS
from referrals.models import ConcernType, Referral


def _concern_types():
    for order, (code, label) in enumerate(
        [("islamist", "Islamist"), ("extreme_right_wing", "Extreme right-wing")]
    ):
        ConcernType.objects.update_or_create(code=code, defaults={"label": label, "order": order})


def _section(journey, name):
    page = journey.page
    page.get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()


def _continue(journey, label):
    journey.check(label)
    journey.page.get_by_role("button", name="Continue").click()


@pytest.mark.long
def test_referral_journey(journey, transactional_db):
    seed_people()
    _concern_types()
    page = journey.page

    # The referrer starts from home.
    journey.sign_in("referrer-a", DEMO_PASSWORD)
    journey.check("referrer-home")
    page.get_by_role("button", name="Start a referral").click()
    expect(page.get_by_text("If anyone is in immediate danger, call 999")).to_be_visible()
    journey.check("start")
    page.get_by_role("button", name="Start now").click()
    # "Start now" leads to the first question and makes no draft: the first answer saved does.
    expect(page.get_by_role("heading", name="About the person", level=1)).to_be_visible()
    assert Referral.objects.count() == 0
    expect(page.get_by_text("If anyone is in immediate danger, call 999")).to_be_visible()
    page.get_by_label("First name").fill("Jordan")
    page.get_by_label("Last name", exact=True).fill("Testperson")
    page.get_by_label("Day").fill("12")
    page.get_by_label("Month").fill("4")
    page.get_by_label("Year").fill("2099")
    page.get_by_label("Male", exact=True).check()
    _continue(journey, "person")
    # One validation error, corrected.
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(
        page.get_by_role("link", name="The date of birth must be today or in the past")
    ).to_be_visible()
    journey.check("person-error")
    page.get_by_label("Year").fill("2010")
    page.get_by_role("button", name="Continue").click()

    # Saved: one draft, and the next question. Its local authority has no default.
    expect(page.get_by_role("heading", name="Address and local authority", level=1)).to_be_visible()
    assert Referral.objects.count() == 1
    council = page.get_by_label("Local authority where the person lives")
    expect(council).to_have_value("")
    page.get_by_label("Current address").fill("1 Example Road\nNorthbridge")
    page.get_by_label("Postcode").fill("zz9 9zz")
    council.select_option(label="Northbridge Borough Council")
    _continue(journey, "address")
    expect(page.get_by_role("heading", name="Make a Prevent referral")).to_be_visible()
    journey.check("task-list")

    _section(journey, "Education or employment")
    page.get_by_role("textbox").fill("Year 10 at Northbridge Academy")
    _continue(journey, "education")

    _section(journey, "Your concerns")
    page.get_by_role("group", name="Is anyone in immediate danger?").get_by_label("No").check()
    page.get_by_label("What are you worried about?").fill("Showing classmates violent videos.")
    page.get_by_label("How did the concern come to your attention?").fill("A pupil told me.")
    page.get_by_label("Extreme right-wing").check()
    _continue(journey, "concerns")

    _section(journey, "Complex needs")
    page.get_by_label("Mental health").check()
    _continue(journey, "needs")

    _section(journey, "Other agencies involved")
    page.get_by_label("Other agencies or professionals involved (optional)").fill(
        "School nurse, 020 7946 0002"
    )
    _continue(journey, "agencies")

    _section(journey, "Questions about the referral")
    page.get_by_role("group", name=re.compile("discussed this")).get_by_label("Yes").check()
    page.get_by_role("group", name=re.compile("know about this")).get_by_label("No").check()
    _continue(journey, "questions")

    _section(journey, "About you")
    page.get_by_label("Your phone number").fill("020 7946 0000")
    _continue(journey, "about-you")

    page.get_by_role("button", name="Check your answers").click()
    expect(
        page.get_by_role("heading", name="Check your answers before sending your referral")
    ).to_be_visible()
    journey.check("check-answers")
    page.get_by_role("button", name="Accept and send").click()
    expect(page.get_by_role("heading", name="Referral sent")).to_be_visible()
    referral = Referral.objects.get(subject__last_name="Testperson")
    expect(page.get_by_text(referral.reference)).to_be_visible()
    journey.check("confirmation")
    journey.sign_out()

    # The officer finds it in the queue, assesses it and refers it to Channel.
    journey.sign_in("officer-a", DEMO_PASSWORD)
    journey.check("officer-home")
    page.get_by_role("button", name="Open the queue").click()
    journey.check("queue")
    page.get_by_label("Reference or name").fill("Testperson")
    page.get_by_role("button", name="Apply filters").click()
    # The search is posted: the queue's address holds an opaque search id, never the name.
    expect(page).to_have_url(re.compile(r"/referrals/queue/\?search=[\w-]+$"))
    assert "Testperson" not in page.url
    expect(page.get_by_label("Reference or name")).to_have_value("Testperson")
    page.get_by_role("link", name=referral.reference).click()
    expect(page.get_by_role("heading", name=re.compile(referral.reference))).to_be_visible()
    journey.check("case-submitted")
    page.get_by_role("button", name="Start the assessment").click()
    journey.check("confirm-start")
    page.get_by_role("button", name=re.compile("Confirm")).click()
    page.get_by_role("button", name="Record gateway assessment").click()
    journey.check("assessment")
    page.get_by_label("Cleared: no live investigation").check()
    page.get_by_role("group", name="Type of concern").get_by_label("Extreme right-wing").check()
    page.get_by_label("Clear vulnerability").check()
    page.get_by_label("Vulnerabilities (optional)").fill("Isolation")
    page.get_by_label("Risk summary").fill("Persistent interest in violent material.")
    page.get_by_role("button", name="Save assessment").click()
    expect(page.get_by_text("Gateway assessment recorded", exact=True)).to_be_visible()
    journey.check("case-assessed")
    page.get_by_role("button", name="Refer to Channel").click()
    page.get_by_label("Your reasons for this decision").fill("Clear vulnerability; needs support.")
    journey.check("confirm-refer")
    page.get_by_role("button", name=re.compile("Confirm")).click()
    expect(page.get_by_text(re.compile("^Decision recorded"))).to_be_visible()
    journey.check("case-referred")
    # Who has seen the case: a summary on the case page, every entry a page at a time.
    page.get_by_role("link", name="Every entry, a page at a time").click()
    expect(page.get_by_role("heading", name="Who has seen this case")).to_be_visible()
    journey.check("access-log")
    journey.sign_out()

    # The referrer sees only the coarse status.
    journey.sign_in("referrer-a", DEMO_PASSWORD)
    page.get_by_role("link", name="Referrals", exact=True).click()
    expect(page.get_by_text("Being assessed", exact=True)).to_be_visible()
    journey.check("my-referrals")
    page.get_by_role("link", name=referral.reference).click()
    expect(page.get_by_text("Being assessed", exact=True)).to_be_visible()
    for hidden in ("Channel panel", "Persistent interest", "Deconfliction"):
        expect(page.get_by_text(hidden)).to_have_count(0)
    journey.check("referrer-summary")

    # A draft started by mistake is deleted from its task list, after being asked once.
    page.goto(journey.url + "/")
    page.get_by_role("button", name="Start a referral").click()
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("First name").fill("Sam")
    page.get_by_label("Last name", exact=True).fill("Mistaken")
    journey.fill_date("Date of birth", datetime.date(2009, 5, 1))
    page.get_by_label("Female", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("link", name="Back to the list of sections").click()
    page.get_by_role("link", name="Delete this draft").click()
    expect(
        page.get_by_role("heading", name="Are you sure you want to delete this draft?")
    ).to_be_visible()
    journey.check("delete-draft")
    page.get_by_role("button", name="Delete the draft").click()
    expect(page.get_by_text(re.compile(r"Draft PRV-\d{4}-\d+ has been deleted"))).to_be_visible()
    journey.check("draft-deleted")


def test_referral_form_works_without_javascript(browser, live_server, transactional_db):
    seed_people()
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("referrer-a")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Start a referral").click()
    page.get_by_role("button", name="Start now").click()
    page.get_by_label("First name").fill("Casey")
    page.get_by_label("Last name", exact=True).fill("Exampleton")
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("9")
    page.get_by_label("Year").fill("2008")
    page.get_by_label("Female", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("link", name="Back to the list of sections").click()
    sections = len(SECTIONS)
    expect(page.get_by_text(f"You have completed 1 of {sections} sections.")).to_be_visible()
    context.close()
