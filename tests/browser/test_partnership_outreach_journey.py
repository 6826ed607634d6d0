"""A borough lead's organisations and outreach (issue 21): registers a faith organisation,
records its safeguarding-policy gap analysis, support given and grant due diligence, a
community project it delivers and a workshop of the training offer; the compliance report
then shows figures from those records beside the sections' commentary. axe-core on every
page."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from partnership.models import PolicyItem
from prevent_cms.registry import ensure_reference_data
from tests.factories import PASSWORD, UserFactory

from .test_partnership_journey import _date, _world


@pytest.mark.long
def test_borough_lead_organisations_and_outreach(journey, transactional_db):
    ensure_reference_data()
    world = _world()
    UserFactory(username="lead", agency=world.council_a, roles=[Role.BOROUGH_LEAD])
    today = timezone.localdate()
    page = journey.page

    journey.sign_in("lead", PASSWORD)
    page.get_by_role("link", name="Partnership", exact=True).first.click()
    page.get_by_role("link", name="Organisations: gap analyses, support and due diligence").click()
    journey.check("organisations-empty")
    page.get_by_role("link", name="Add an organisation").click()
    page.get_by_label("Name of the organisation").fill("Northbridge Central Mosque")
    page.get_by_label("Faith organisation").check()
    _date(page, "First engaged on", today)
    page.get_by_role("button", name="Add organisation").click()
    expect(page.get_by_role("heading", name="Northbridge Central Mosque")).to_be_visible()

    # The gap analysis: an error summary first, then every item answered.
    page.get_by_role("link", name="Record a gap analysis").click()
    page.get_by_role("button", name="Save gap analysis").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date of the analysis")
    journey.check("gap-analysis-errors")
    _date(page, "Date of the analysis", today)
    for label in PolicyItem.labels:
        status = "Partly met" if label == "Online safety" else "Met"
        group = page.get_by_role("group", name=str(label), exact=True)
        group.get_by_label(status, exact=True).check()
    page.get_by_role("button", name="Save gap analysis").click()
    expect(page.locator("[data-gap-analysis]")).to_contain_text("Partly met")

    page.get_by_role("link", name="Record support given").click()
    _date(page, "Date", today)
    page.get_by_label("Support given").fill("Online safety policy template and a briefing")
    page.get_by_role("button", name="Save support").click()

    page.get_by_role("link", name="Record due-diligence checks").click()
    page.get_by_label("Grant", exact=True).check()
    _date(page, "Date of the checks", today)
    page.get_by_label("Registration (charity or company register)").check()
    page.get_by_label("Extremism and open-source checks").check()
    page.get_by_label("Passed", exact=True).check()
    page.get_by_label("Checked by").fill("Sam Okafor, grants officer")
    journey.check("due-diligence-form")
    page.get_by_role("button", name="Save checks").click()
    expect(page.locator("[data-due-diligence]")).to_contain_text("Extremism and open-source")

    page.get_by_role("link", name="Record a project").click()
    page.get_by_label("Title of the project").fill("Youth media literacy")
    page.get_by_label("Funding (£)").fill("3500")
    page.get_by_label("Source of funding").fill("Home Office Prevent grant")
    _date(page, "Starts on", today)
    journey.check("project-form")
    page.get_by_role("button", name="Save project").click()
    expect(page.locator("[data-projects]")).to_contain_text("Youth media literacy")
    journey.check("projects")
    page.get_by_role("link", name="Back").click()
    journey.check("organisations")

    page.get_by_role("link", name="Back").click()
    page.get_by_role("link", name="Workshops and briefings").click()
    page.get_by_role("link", name="Record a workshop or briefing").click()
    page.get_by_label("Title").fill("WRAP for youth workers")
    _date(page, "Date", today)
    page.get_by_label("Audience").fill("Youth workers")
    page.get_by_label("Number attending").fill("17")
    journey.check("workshop-form")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("[data-workshops]")).to_contain_text("WRAP for youth workers")
    journey.check("workshops")

    page.get_by_role("link", name="Compliance").first.click()
    expect(page.locator("[data-figures=training]")).to_contain_text("Attendance at workshops")
    environments = page.locator("[data-figures=permissive_environments]")
    expect(environments).to_contain_text("Organisations given support in the period")
    expect(page.locator("[data-figures=communications]")).to_contain_text("£3,500.00")
    journey.check("compliance")
