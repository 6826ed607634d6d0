"""A borough lead's organisations and outreach (issue 21): registers a faith organisation,
records its safeguarding-policy gap analysis, support given and grant due diligence, a
community project it delivers and a workshop of the training offer, logs a complaint and
adds a mailing-list contact who confirms from the e-mailed link; the compliance report
then shows figures from those records beside the sections' commentary. axe-core on every
page."""

import re

import pytest
from django.core import mail
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

    # A complaint about the local delivery, with the national route signposted (partner21).
    page.get_by_role("link", name="Back").click()
    page.get_by_role("link", name="Complaints log").click()
    expect(page.locator("[data-national-route]")).to_contain_text("Standards and Compliance Unit")
    journey.check("complaints-empty")
    page.get_by_role("link", name="Log a complaint").click()
    page.get_by_role("button", name="Save complaint").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date received")
    journey.check("complaint-errors")
    _date(page, "Date received", today)
    page.get_by_label("Telephone").check()
    page.get_by_label("What is the complaint about?").fill("Parents' briefing cancelled late")
    page.get_by_label("The complainant was told of the national complaints route").check()
    page.get_by_role("button", name="Save complaint").click()
    expect(page.locator("[data-complaints]")).to_contain_text("Parents' briefing cancelled late")
    journey.check("complaints")

    # A mailing-list contact: on the list only once they follow the e-mailed link.
    page.get_by_role("link", name="Back").click()
    page.get_by_role("link", name="Mailing list").click()
    page.get_by_role("link", name="Add someone").click()
    page.get_by_label("E-mail address").fill("dsl@northbridge-primary.example.sch.uk")
    journey.check("mailing-contact-form")
    page.get_by_role("button", name="Send them a link to confirm").click()
    expect(page.locator("[data-mailing-counts]")).to_contain_text("1 waiting to confirm")
    journey.check("mailing-list")
    (message,) = [m for m in mail.outbox if m.to == ["dsl@northbridge-primary.example.sch.uk"]]
    link = re.search(r"http://\S+/mailing-list/confirm/\S+/", message.body).group(0)
    page.goto(journey.url + link[link.index("/mailing-list/") :])
    journey.check("mailing-confirm")
    page.get_by_role("button", name="Confirm and join").click()
    expect(page.get_by_role("heading", name="You have joined the mailing list")).to_be_visible()
    journey.check("mailing-confirmed")
    page.goto(journey.url + "/partnership/mailing-list/")
    expect(page.locator("[data-mailing-counts]")).to_contain_text("1 person on the list")

    page.get_by_role("link", name="Compliance").first.click()
    expect(page.locator("[data-figures=training]")).to_contain_text("Attendance at workshops")
    environments = page.locator("[data-figures=permissive_environments]")
    expect(environments).to_contain_text("Organisations given support in the period")
    expect(page.locator("[data-figures=communications]")).to_contain_text("£3,500.00")
    expect(page.locator("[data-figures=communications]")).to_contain_text("Complaints open today")
    expect(page.locator("[data-figures=training]")).to_contain_text(
        "People on the outreach mailing list today"
    )
    journey.check("compliance")
