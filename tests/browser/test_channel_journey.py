"""A chair runs a case through Channel in Chromium; a panel member then sees exactly it."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, seed_people
from channel.reference_data import ensure_vaf
from referrals import services as referral_services
from tests.referrals.factories import complete_form

_CONCERNS = importlib.import_module("referrals.migrations.0002_concern_types_2024_scheme")


def _case_for_a_15_year_old(people):
    today = timezone.localdate()
    dob = today.replace(year=today.year - 15) - datetime.timedelta(days=10)
    referrer, officer = people["referrer-a"], people["officer-a"]
    body = complete_form(
        subject={"first_name": "Jordan", "last_name": "Pike", "date_of_birth": dob}
    )
    referral = referral_services.referral_create_draft(actor=referrer, data=body)
    run = referral_services.referral_transition
    run(referral_id=referral.pk, name="submit", actor=referrer)
    run(referral_id=referral.pk, name="start_assessment", actor=officer)
    referral_services.assessment_record(
        referral_id=referral.pk,
        actor=officer,
        data={
            "deconfliction": "cleared",
            "concern_type": "extreme_right_wing",
            "screening": "clear_vulnerability",
            "vulnerabilities": [],
            "risk_summary": "Persistent interest in extremist material.",
        },
    )
    return run(
        referral_id=referral.pk,
        name="refer_to_channel",
        actor=officer,
        payload={"rationale": "Needs multi-agency support."},
    )


@pytest.mark.long
def test_chair_runs_a_case_through_channel(journey, transactional_db):
    ensure_vaf()
    _CONCERNS.load(apps, None)
    people = seed_people()
    referral = _case_for_a_15_year_old(people)
    hidden = _case_for_a_15_year_old(people)
    today = timezone.localdate()
    page = journey.page

    journey.sign_in("chair-a", DEMO_PASSWORD)
    page.goto(f"{journey.url}/channel/")
    journey.check("dashboard")
    page.get_by_role("link", name="Schedule a panel").first.click()
    journey.fill_date("Date of the panel", today)
    page.get_by_label("Place or online link").fill("Civic Centre, room 1")
    page.get_by_label("Owen Officer", exact=False).check()
    page.get_by_label("Priya Member", exact=False).check()
    journey.check("schedule-panel")
    page.get_by_role("button", name="Schedule panel").click()
    expect(page.get_by_text("Panel scheduled")).to_be_visible()
    panel_url = page.url
    page.get_by_label("Case").select_option(str(referral.pk))
    page.get_by_role("button", name="Add to agenda", exact=True).click()
    expect(page.get_by_role("link", name=referral.reference, exact=True)).to_be_visible()
    journey.check("panel")

    page.get_by_role("link", name=referral.reference, exact=True).click()
    journey.check("case")
    page.get_by_role("link", name="Record an assessment").click()
    # locator.all() does not wait: read the selects only once the assessment page is there
    # (it once read the case page's none, and the form went in with no factor rated).
    expect(page.get_by_role("heading", name="Vulnerability assessment", level=1)).to_be_visible()
    for select in page.locator("select").all():
        select.select_option("low")
    page.get_by_label("Summary conclusion").fill("Isolated and looking for belonging.")
    page.get_by_label("Management plan").fill("Mentoring and family support.")
    journey.check("assessment")
    page.get_by_role("button", name="Save assessment").click()
    expect(page.get_by_text("Vulnerability assessment recorded")).to_be_visible()

    page.goto(panel_url)
    page.get_by_label("Chloe Chair", exact=False).check()
    page.get_by_label("Owen Officer", exact=False).check()
    page.get_by_label("Minutes").fill("Agreed to adopt.")
    page.get_by_role("button", name="Mark panel as held").click()
    expect(page.get_by_text("Panel marked as held")).to_be_visible()

    def decide(name):
        page.goto(f"{journey.url}/channel/cases/{referral.pk}/")
        page.get_by_role("link", name=name).click()
        page.get_by_label("Rationale").fill("Agreed by the panel.")
        journey.check(f"confirm-{name[:12]}")
        page.get_by_role("button", name="Confirm decision").click()
        expect(page.get_by_text("Decision recorded")).to_be_visible()

    decide("Adopt as a Channel case")
    page.get_by_role("link", name="Record consent").click()
    page.get_by_label("A parent or guardian").check()
    page.get_by_label("Their name").fill("Alex Pike")
    page.get_by_label("Relationship to the person").fill("Father")
    journey.fill_date("Date of the decision", today)
    page.get_by_label("Given").check()
    page.get_by_label("The person’s own view").fill("Happy to meet a mentor.")
    journey.check("consent")
    page.get_by_role("button", name="Save consent").click()
    expect(page.get_by_text("Consent recorded")).to_be_visible()
    decide("Start support: consent given")

    page.get_by_role("link", name="Add an intervention").click()
    page.get_by_label("Type of support").select_option("ideological_mentoring")
    page.get_by_label("Intervention provider").select_option(str(people["provider-a"].pk))
    journey.fill_date("Start date", today)
    page.get_by_label("Planned hours").fill("12")
    page.get_by_label("Status").select_option("active")
    journey.check("intervention")
    page.get_by_role("button", name="Add intervention").click()
    expect(page.get_by_text("Intervention added")).to_be_visible()

    page.get_by_role("link", name="Record a review").click()
    page.get_by_label("Kind of review").select_option("panel")
    journey.fill_date("Date of the review", today)
    page.get_by_label("Reduced").check()
    page.get_by_label("The panel recommends exit").check()
    journey.check("review")
    page.get_by_role("button", name="Save review").click()
    expect(page.get_by_text("Review recorded")).to_be_visible()
    decide("Exit Channel")
    referral.refresh_from_db()
    assert referral.state == "post_exit_review"

    page.goto(panel_url)
    page.get_by_role("button", name="Generate the panel pack").click()
    expect(page.get_by_role("heading", name="Your file", exact=True)).to_be_visible()
    page.wait_for_selector("text=Your file is ready", timeout=30000)
    journey.check("pack-ready")
    journey.sign_out()

    journey.sign_in("panel-member-a", DEMO_PASSWORD)
    page.goto(f"{journey.url}/channel/cases/")
    expect(page.get_by_role("link", name=referral.reference, exact=True)).to_be_visible()
    assert page.get_by_text(hidden.reference).count() == 0
    journey.check("member-cases")
    page.goto(panel_url)
    expect(page.get_by_role("link", name=referral.reference, exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="Download your copy of the pack (PDF)")).to_be_visible()
    journey.check("member-panel")
    response = page.request.get(f"{journey.url}/channel/cases/{hidden.pk}/")
    assert response.status == 404
