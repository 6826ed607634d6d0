"""An officer uploads a practitioner's national referral form, in Chromium, axe on every new
page (issue 15): a file that is not the form is refused with its message; the form makes a
draft whose answers are marked "Read from the form — check"; the officer answers what the
form never asks, checks and sends it."""

from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, seed_people
from referrals.models import ConcernType, Referral
from tests.referrals.national_form import forms, hostile

MARK = "Read from the form — check"


def test_officer_uploads_a_national_form_and_submits_the_draft_it_made(
    journey, transactional_db, tmp_path
):
    seed_people()
    ConcernType.objects.update_or_create(
        code="extreme_right_wing", defaults={"label": "Extreme right-wing", "order": 1}
    )
    form_file = tmp_path / "Prevent referral - J Ellis.docx"
    form_file.write_bytes(forms.build_docx(forms.COMPLETE))
    macro_file = tmp_path / "referral.docx"
    macro_file.write_bytes(hostile.macro_enabled())
    page = journey.page
    journey.sign_in("officer-a", DEMO_PASSWORD)
    page.get_by_role("link", name="Record a referral").first.click()
    page.get_by_role("link", name="Upload the form").click()
    expect(page.get_by_role("heading", name="Upload a national referral form")).to_be_visible()
    journey.check("import-upload")

    # A Word file with macros: refused with what to do instead, nothing made.
    page.get_by_label("Upload the national referral form").set_input_files(str(macro_file))
    page.get_by_label("Education", exact=True).check()
    page.get_by_role("button", name="Upload and read the form").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_text(hostile.MACROS).first).to_be_visible()
    journey.check("import-refused")
    assert not Referral.objects.exists()

    page.get_by_label("Upload the national referral form").set_input_files(str(form_file))
    page.get_by_label("Education", exact=True).check()
    page.get_by_role("button", name="Upload and read the form").click()

    # The draft: what was read, what the officer must give.
    expect(page.get_by_role("heading", name="Make a Prevent referral")).to_be_visible()
    expect(page.get_by_text("Read from the national referral form")).to_be_visible()
    page.get_by_text("Answers you need to give").click()
    expect(page.locator("#import-unread")).to_contain_text("Anyone in immediate danger")
    journey.check("import-task-list")

    page.get_by_role("link", name="About the person", exact=True).click()
    expect(page.get_by_label("First name")).to_have_value("Jordan")
    expect(page.get_by_text(MARK).first).to_be_visible()
    journey.check("import-section")
    page.get_by_role("button", name="Continue").click()

    page.get_by_role("link", name="Your concerns", exact=True).click()
    expect(page.get_by_label("What are you worried about?")).to_contain_text("replacing us")
    page.get_by_role("group", name="Is anyone in immediate danger?").get_by_label("No").check()
    page.get_by_role("button", name="Continue").click()

    page.get_by_role("button", name="Check your answers").click()
    expect(
        page.get_by_role("heading", name="Check your answers before sending your referral")
    ).to_be_visible()
    expect(page.get_by_text(MARK).first).to_be_visible()
    journey.check("import-check")
    page.get_by_role("button", name="Accept and send").click()
    expect(page.get_by_role("heading", name="Referral sent")).to_be_visible()

    referral = Referral.objects.get()
    assert referral.state == "submitted"
    assert referral.received_via == "national_form"
    assert referral.subject.last_name == "Ellis"
    assert referral.attachments.count() == 1
