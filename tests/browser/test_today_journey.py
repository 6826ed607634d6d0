"""Issue 17 in Chromium: a referral a referrer sends shows on the officer's Today page; the
officer assigns it to themself and refers it to Channel; the chair's Today page and
notifications show it; the chair schedules a panel (a member is e-mailed an .ics that parses),
moves it (the member gets the replacing .ics) and asks the member's agency for an update,
which the member's Today page lists; after a panel is signed off the next panel is the next
scheduled one. axe on every page."""

import datetime
import re

import icalendar
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, seed_people
from accounts.models import User
from channel.services.panels import panel_create, panel_hold, panel_sign_off
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
    journey.sign_out()

    # The chair schedules a panel with the member and puts the case on its agenda: the member
    # is e-mailed an invitation whose .ics parses.
    chair = User.objects.get(username="chair-a")
    member = User.objects.get(username="panel-member-a")
    in_a_week = timezone.localdate() + datetime.timedelta(days=7)
    journey.sign_in("chair-a", DEMO_PASSWORD)
    page.goto(journey.url + "/channel/panels/new/")
    journey.fill_date("Date of the panel", in_a_week)
    page.get_by_label("Place or online link").fill("Civic Centre, room 1")
    page.get_by_label("Priya Member", exact=False).check()
    page.get_by_role("button", name="Schedule panel").click()
    expect(page.get_by_text("Panel scheduled")).to_be_visible()
    page.get_by_label("Case").select_option(str(referral.pk))
    page.get_by_role("button", name="Add to agenda", exact=True).click()
    expect(page.get_by_role("link", name=referral.reference, exact=True)).to_be_visible()
    invitation = next(m for m in mail.outbox if member.email in m.to and "scheduled" in m.subject)
    scheduled = icalendar.Calendar.from_ical(invitation.attachments[0][1]).walk("VEVENT")[0]
    assert scheduled.decoded("dtstart") == in_a_week

    # The chair moves it a day later: the member gets the invitation that replaces it.
    page.get_by_role("link", name="Move the panel").click()
    expect(page.get_by_role("heading", name="Move the panel", level=1)).to_be_visible()
    journey.check("move-panel")
    moved_to = in_a_week + datetime.timedelta(days=1)
    page.get_by_label("Day").fill(str(moved_to.day))
    page.get_by_label("Month").fill(str(moved_to.month))
    page.get_by_label("Year").fill(str(moved_to.year))
    page.get_by_role("button", name="Move the panel").click()
    expect(page.get_by_text(re.compile("^Panel moved to"))).to_be_visible()
    (moved,) = [m for m in mail.outbox if member.email in m.to and "moved" in m.subject]
    calendar = icalendar.Calendar.from_ical(moved.attachments[0][1])
    event = calendar.walk("VEVENT")[0]
    assert str(calendar.get("method")) == "REQUEST"
    assert str(event.get("uid")) == str(scheduled.get("uid"))
    assert int(event.get("sequence")) == int(scheduled.get("sequence")) + 1
    assert event.decoded("dtstart") == moved_to

    # The chair asks the member's agency for its update on the case.
    page.get_by_role("link", name="Ask agencies for updates").click()
    page.get_by_label(referral.reference).check()
    page.get_by_label(member.agency.name).check()
    journey.check("update-requests")
    page.get_by_role("button", name="Ask for an update").click()
    expect(page.get_by_text("The agency’s members on this panel have been asked")).to_be_visible()
    expect(page.get_by_text("Owed")).to_be_visible()
    journey.sign_out()

    # The member's Today page lists the update their agency owes, linking to where it is added.
    journey.sign_in("panel-member-a", DEMO_PASSWORD)
    owed = page.get_by_role("link", name=re.compile(re.escape(referral.reference) + ": your"))
    expect(owed).to_be_visible()
    journey.check("member-today")
    owed.click()
    expect(page.get_by_role("heading", name="Add an agency update")).to_be_visible()
    journey.sign_out()

    # A panel held today and signed off is never "next": the chair's next panel is the one
    # scheduled above.
    today = panel_create(actor=chair, date=timezone.localdate(), location="Town Hall")
    officer = User.objects.get(username="officer-a")
    today.members.add(officer)
    panel_hold(panel_id=today.pk, actor=chair, attended_ids=[chair.pk, officer.pk], minutes="Held.")
    panel_sign_off(panel_id=today.pk, actor=chair)
    journey.sign_in("chair-a", DEMO_PASSWORD)
    day = f"{moved_to.day} {moved_to:%B %Y}"
    expect(page.get_by_role("link", name=re.compile(f"Panel on {day}"))).to_be_visible()
    journey.check("chair-today-next-panel")
