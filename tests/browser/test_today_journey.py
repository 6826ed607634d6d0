"""Issue 17 in Chromium: a referral a referrer sends shows on the officer's Today page; the
officer assigns it to themself and refers it to Channel; the chair's Today page and
notifications show it. axe on every page."""

import re

from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, seed_people
from accounts.models import User
from referrals import services
from referrals.models import ConcernType
from tests.referrals.factories import complete_form


def _sent_by_referrer():
    ConcernType.objects.update_or_create(
        code="extreme_right_wing", defaults={"label": "Extreme right-wing"}
    )
    referrer = User.objects.get(username="referrer-a")
    draft = services.referral_create_draft(actor=referrer, data=complete_form())
    return services.referral_transition(referral_id=draft.pk, name="submit", actor=referrer)


def test_today_assignment_and_notifications(journey, transactional_db):
    seed_people()
    referral = _sent_by_referrer()
    page = journey.page

    # The officer's Today page lists it, with its triage time limit, linking to the case.
    journey.sign_in("officer-a", DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="What needs your attention today")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("referral waiting for triage"))).to_be_visible()
    journey.check("officer-today")
    page.get_by_role("link", name=re.compile(re.escape(referral.reference))).click()
    expect(page.get_by_role("heading", name=re.compile(referral.reference))).to_be_visible()
    journey.check("case")

    # Assign to themself: the case page says so, and the assignment is in its history.
    page.get_by_role("button", name="Assign to me").click()
    expect(page.get_by_text("Case assigned", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Assignments")).to_be_visible()
    journey.check("case-assigned")

    # Then the assessment and the referral to Channel.
    page.get_by_role("button", name="Start the assessment").click()
    page.get_by_role("button", name=re.compile("Confirm")).click()
    page.get_by_role("button", name="Record gateway assessment").click()
    page.get_by_label("Cleared: no live investigation").check()
    page.get_by_role("group", name="Type of concern").get_by_label("Extreme right-wing").check()
    page.get_by_label("Clear vulnerability").check()
    page.get_by_label("Risk summary").fill("Persistent interest in violent material.")
    page.get_by_role("button", name="Save assessment").click()
    page.get_by_role("button", name="Refer to Channel").click()
    page.get_by_label("Your reasons for this decision").fill("Clear vulnerability.")
    page.get_by_role("button", name=re.compile("Confirm")).click()
    expect(page.get_by_text(re.compile("^Decision recorded"))).to_be_visible()
    journey.sign_out()

    # The chair's Today page shows a case awaiting a panel; the notifications name it.
    journey.sign_in("chair-a", DEMO_PASSWORD)
    expect(page.get_by_role("link", name=re.compile("case awaiting a panel"))).to_be_visible()
    journey.check("chair-today")
    page.get_by_role("link", name=re.compile("^Notifications")).click()
    expect(page.get_by_role("heading", name="Notifications", level=1)).to_be_visible()
    notice = page.get_by_role("link", name=f"Case referred to Channel: {referral.reference}")
    expect(notice).to_be_visible()
    journey.check("chair-notifications")
    page.get_by_role("button", name=re.compile("Mark as read")).first.click()
    expect(page.get_by_text("0 unread")).to_be_visible()
    notice.click()
    expect(page.get_by_role("heading", name=re.compile(referral.reference))).to_be_visible()
    page.goto(journey.url + "/notifications/preferences/")
    expect(page.get_by_role("heading", name="How you are told")).to_be_visible()
    journey.check("preferences")
