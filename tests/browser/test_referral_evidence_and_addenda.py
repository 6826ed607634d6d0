"""Issue 15 in Chromium: a referrer answers the national form's household questions, attaches
a file while drafting, sends the referral and later adds information; the officer reads it.
axe-core on every new page."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, seed_people
from accounts.models import User
from referrals import services
from referrals.models import Addendum, Referral
from tests.referrals.factories import complete_form

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_referrer_attaches_evidence_sends_and_later_adds_information(
    journey, transactional_db, tmp_path
):
    seed_people()
    referrer = User.objects.get(username="referrer-a")
    referral = services.referral_create_draft(
        actor=referrer, data=complete_form(subject={"last_name": "Evidenceson"})
    )
    screenshot = tmp_path / "screenshot.pdf"
    screenshot.write_bytes(PDF)
    page = journey.page

    journey.sign_in("referrer-a", DEMO_PASSWORD)
    page.goto(journey.url + reverse("referrals:task_list", args=[referral.pk]))
    expect(page.get_by_role("heading", name="Make a Prevent referral")).to_be_visible()

    # The national form's household questions: one member, and parental support.
    page.get_by_role("link", name="Household and family", exact=True).click()
    journey.check("household")
    first = page.get_by_role("group", name="Household member 1 (optional)")
    first.get_by_label("Name").fill("Maria Example")
    first.get_by_label("Relationship to the person").fill("Mother")
    first.get_by_label("Age (optional)").fill("forty")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    journey.check("household-error")
    page.get_by_role("group", name="Household member 1 (optional)").get_by_label(
        "Age (optional)"
    ).fill("41")
    page.get_by_role("group", name=re.compile("parents or carers support")).get_by_label(
        "Yes"
    ).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Make a Prevent referral")).to_be_visible()

    # Evidence while drafting.
    page.get_by_role("link", name="Attach evidence (optional)").click()
    expect(page.get_by_role("heading", name="Attach evidence")).to_be_visible()
    journey.check("evidence")
    page.get_by_label("Upload a file").set_input_files(str(screenshot))
    page.get_by_label("Describe the file (optional)").fill("Screenshot of the post")
    page.get_by_role("button", name="Attach file").click()
    expect(page.get_by_text("File attached", exact=True)).to_be_visible()
    expect(page.locator("#attached-files")).to_contain_text("screenshot.pdf")
    journey.check("evidence-attached")
    page.get_by_role("link", name="Back to the list of sections").click()

    page.get_by_role("button", name="Check your answers").click()
    expect(page.get_by_text("Maria Example, Mother, age 41")).to_be_visible()
    expect(page.get_by_text("screenshot.pdf")).to_be_visible()
    journey.check("check-answers")
    page.get_by_role("button", name="Accept and send").click()
    expect(page.get_by_role("heading", name="Referral sent")).to_be_visible()
    referral.refresh_from_db()
    assert referral.state == "submitted"
    assert referral.attachments.count() == 1

    # Later: the referrer adds information from their referral's page.
    page.get_by_role("link", name="Referrals", exact=True).click()
    page.get_by_role("link", name=referral.reference).click()
    page.get_by_role("button", name="Add information").click()
    expect(page.get_by_role("heading", name="Add information to your referral")).to_be_visible()
    journey.check("add-information")
    page.get_by_role("button", name="Add information").click()
    expect(page.get_by_role("link", name="Enter the information you want to add")).to_be_visible()
    journey.check("add-information-error")
    page.get_by_label("What do you want to add?").fill("He now wears the group's patch.")
    page.get_by_label("Attach a file (optional)").set_input_files(str(screenshot))
    page.get_by_role("button", name="Add information").click()
    expect(page.get_by_text("Information added. The Prevent team has been told.")).to_be_visible()
    expect(page.get_by_text("He now wears the group's patch.")).to_be_visible()
    journey.check("referrer-summary-with-addendum")
    addendum = Addendum.objects.get(referral=referral)
    assert addendum.attachment is not None
    assert Referral.objects.get(pk=referral.pk).concern_summary == referral.concern_summary
    journey.sign_out()

    # The officer reads it on the case page, with the file.
    journey.sign_in("officer-a", DEMO_PASSWORD)
    page.goto(journey.url + reverse("referrals:detail", args=[referral.pk]))
    addenda = page.locator(".app-addendum")
    expect(addenda).to_contain_text("He now wears the group's patch.")
    expect(addenda.get_by_role("link", name="screenshot.pdf")).to_be_visible()
    journey.check("officer-case-with-addendum")
