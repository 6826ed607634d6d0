"""An officer records a parent's phone call as a referral, in Chromium, axe on every page
(issue 15): the parent has no account; their e-mail address is corrected from check answers;
the referral lands in the queue as "phone" from "friends and family"."""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, seed_people
from referrals.models import ConcernType, Referral


def _section(journey, name):
    page = journey.page
    page.get_by_role("link", name=name, exact=True).click()
    expect(page.get_by_role("heading", name=name, level=1)).to_be_visible()


def _continue(journey, label):
    journey.check(label)
    journey.page.get_by_role("button", name="Continue").click()


def test_officer_records_a_phone_referral_from_a_parent(journey, transactional_db):
    seed_people()
    ConcernType.objects.update_or_create(
        code="extreme_right_wing", defaults={"label": "Extreme right-wing", "order": 1}
    )
    page = journey.page
    journey.sign_in("officer-a", DEMO_PASSWORD)
    page.get_by_role("link", name="Record a referral").first.click()
    expect(page.get_by_role("heading", name="Record a referral", level=1)).to_be_visible()
    # The area's own numbers, and the ones that are the same everywhere.
    expect(page.get_by_text("01632 960 100")).to_be_visible()
    expect(page.get_by_text("0800 789 321")).to_be_visible()
    journey.check("record-start")

    # One mistake first: no sector chosen, a time that does not exist.
    earlier = timezone.localtime() - datetime.timedelta(hours=1)
    page.get_by_label("Phone", exact=True).check()
    page.get_by_label("Day").fill(str(earlier.day))
    page.get_by_label("Month").fill(str(earlier.month))
    page.get_by_label("Year").fill(str(earlier.year))
    page.get_by_label("Time received").fill("27:75")
    page.get_by_label("Referrer’s name").fill("Sam Parent")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_role("link", name="Select the referrer’s sector")).to_be_visible()
    journey.check("record-errors")
    page.get_by_role("link", name="Select the referrer’s sector").click()
    expect(page.get_by_label("Education", exact=True)).to_be_focused()
    page.get_by_label("Time received").fill(earlier.strftime("%H:%M"))
    page.get_by_label("Friends and family").check()
    page.get_by_label("Their phone number (optional)").fill("01632 960 123")
    page.get_by_label("Their e-mail address (optional)").fill("sam.parent@example.com")
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", name="Make a Prevent referral")).to_be_visible()
    expect(page.get_by_role("link", name="About you", exact=True)).to_have_count(0)
    journey.check("record-task-list")

    _section(journey, "About the person")
    page.get_by_label("First name").fill("Robin")
    page.get_by_label("Last name", exact=True).fill("Qxphoned")
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("9")
    page.get_by_label("Year").fill("2009")
    page.get_by_label("Male", exact=True).check()
    _continue(journey, "person")

    _section(journey, "Address and local authority")
    page.get_by_label("Current address").fill("2 Example Road\nNorthbridge")
    page.get_by_label("Postcode").fill("zz9 9zy")
    # No local authority is chosen for the officer (issue 19: a referral must not go to the
    # wrong council by default).
    page.get_by_label("Local authority where the person lives").select_option(
        label="Northbridge Borough Council"
    )
    _continue(journey, "address")

    _section(journey, "Your concerns")
    page.get_by_role("group", name="Is anyone in immediate danger?").get_by_label("No").check()
    page.get_by_label("What are you worried about?").fill("Their parent says: extremist chats.")
    page.get_by_label("How did the concern come to your attention?").fill("Parent phoned.")
    page.get_by_label("Extreme right-wing").check()
    _continue(journey, "concerns")

    _section(journey, "Questions about the referral")
    page.get_by_role("group", name=re.compile("discussed this")).get_by_label("No").check()
    page.get_by_role("group", name=re.compile("know about this")).get_by_label("No").check()
    _continue(journey, "questions")

    page.get_by_role("button", name="Check your answers").click()
    expect(page.get_by_role("heading", name="How the referral was received")).to_be_visible()
    journey.check("record-check")
    # The parent rings back with a new e-mail address: changed from check answers.
    page.get_by_role("link", name="Change their e-mail address").click()
    expect(page.get_by_role("heading", name="Who raised the concern", level=1)).to_be_visible()
    expect(page.get_by_label("Friends and family")).to_be_checked()
    journey.check("record-contact")
    page.get_by_label("Their e-mail address (optional)").fill("sam.p@example.com")
    page.get_by_role("button", name="Save and continue").click()
    expect(
        page.get_by_role("heading", name="Check your answers before sending your referral")
    ).to_be_visible()
    expect(page.get_by_text("sam.p@example.com")).to_be_visible()
    page.get_by_role("button", name="Accept and send").click()
    expect(page.get_by_role("heading", name="Referral sent")).to_be_visible()
    referral = Referral.objects.get(subject__last_name="Qxphoned")
    assert (referral.received_via, referral.contact_sector) == ("phone", "friends_and_family")
    assert referral.contact_email == "sam.p@example.com"
    expect(page.get_by_text("01632 960 100")).to_be_visible()
    journey.check("record-confirmation")

    # In the queue with its route and the parent's sector.
    page.goto(f"{journey.url}/referrals/queue/")
    row = page.get_by_role("row").filter(has_text=referral.reference)
    expect(row).to_contain_text("Friends and family · Phone")
    journey.check("queue")
