"""An agency lead imports a spreadsheet of completions; the borough lead sees coverage rise.

Every page on the way is screenshotted and checked with axe-core.
"""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, seed_people
from prevent_cms.celery import app as celery_app
from training.courses import ensure_standard_courses
from training.dates import add_months, today
from training.models import StaffMember, TrainingRecord
from training.services import ValidityTable


@pytest.fixture
def eager_celery():
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


def seed_some_training(people) -> None:
    """Two people at the demo academy: one in date, one expired (50% coverage)."""
    agency = people["agency-lead-a"].agency
    awareness = ensure_standard_courses()["awareness"]
    table = ValidityTable()
    for name, completed in (
        ("Carys Current", today() - timedelta(days=40)),
        ("Evan Expired", add_months(today(), -25)),
    ):
        staff = StaffMember.objects.create(
            agency=agency,
            name=name,
            email=name.lower().replace(" ", ".") + "@example.org",
            role="practitioner",
            frontline=True,
        )
        TrainingRecord.objects.create(
            staff=staff,
            course=awareness,
            completed_on=completed,
            expires_on=table.expires_on(
                awareness, sector=agency.sector, role="practitioner", completed_on=completed
            ),
        )


def coverage_percent(page) -> float:
    return float(page.locator("#coverage-percent").inner_text().rstrip("%"))


@pytest.mark.long
def test_agency_lead_imports_and_borough_lead_sees_coverage_rise(
    journey, transactional_db, tmp_path, eager_celery
):
    seed_some_training(seed_people())
    page = journey.page

    # The borough lead's dashboard before the import.
    journey.sign_in("borough-lead-a", DEMO_PASSWORD)
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Training", exact=True
    ).click()
    expect(page.get_by_role("heading", name="Prevent training coverage")).to_be_visible()
    expect(page.get_by_role("img", name="Coverage by agency")).to_be_visible()
    before = coverage_percent(page)
    assert before == 50.0
    journey.check("dashboard-before")
    journey.sign_out()

    # The agency lead uploads a file saved in the wrong encoding first.
    journey.sign_in("agency-lead-a", DEMO_PASSWORD)
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Training", exact=True
    ).click()
    journey.check("agency-dashboard")
    page.get_by_role("button", name="Import a spreadsheet").click()
    journey.check("import-upload")
    wrong = tmp_path / "windows.csv"
    wrong.write_bytes(
        "Name,Email,Course,Completed on\nSiân Lloyd,s@example.org,awareness,1/2/2025\n".encode(
            "cp1252"
        )
    )
    page.get_by_label("Upload a file").set_input_files(str(wrong))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_text("not saved as UTF-8").first).to_be_visible()
    journey.check("import-wrong-encoding")

    # The corrected file: three good rows and one with an unknown course.
    recent = (today() - timedelta(days=7)).strftime("%d/%m/%Y")
    good = tmp_path / "completions.csv"
    good.write_text(
        "Name,Email,Course,Completed on,Frontline\n"
        f"Siân Lloyd,sian.lloyd@example.org,awareness,{recent},yes\n"
        f"Dewi Hughes,dewi.hughes@example.org,Prevent awareness e-learning,{recent},yes\n"
        f"Evan Expired,evan.expired@example.org,refresher,{recent},yes\n"
        f"Bryn Jones,bryn.jones@example.org,Underwater basket weaving,{recent},no\n",
        encoding="utf-8",
    )
    page.get_by_label("Upload a file").set_input_files(str(good))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_role("heading", name="Check your import")).to_be_visible()
    expect(page.get_by_text("Unknown course ‘Underwater basket weaving’")).to_be_visible()
    assert TrainingRecord.objects.count() == 2  # nothing saved before confirmation
    journey.check("import-preview")
    page.get_by_role("button", name="Import 3 records").click()
    expect(page.get_by_role("heading", name="Training records imported")).to_be_visible()
    expect(page.get_by_text("1 row was rejected and not imported")).to_be_visible()
    journey.check("import-done")
    assert TrainingRecord.objects.count() == 5
    assert not StaffMember.objects.filter(email="bryn.jones@example.org").exists()

    page.get_by_role("link", name="See the training records").click()
    expect(page.get_by_role("link", name="Siân Lloyd")).to_be_visible()
    journey.check("records")
    page.get_by_role("link", name="Siân Lloyd").click()
    expect(page.get_by_role("heading", name="Siân Lloyd")).to_be_visible()
    journey.check("record")

    # Recording one person by hand: a mistake is explained on the page.
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Training", exact=True
    ).click()
    page.get_by_role("button", name="Record training").click()
    journey.check("record-form")
    page.get_by_label("Full name").fill("Gwen Price")
    page.get_by_role("button", name="Save record").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_role("link", name="Enter the person’s email address")).to_be_visible()
    journey.check("record-form-errors")
    journey.sign_out()

    # The borough lead sees the rise: Evan renewed and two people joined, so 4 of 4 in date.
    journey.sign_in("borough-lead-a", DEMO_PASSWORD)
    page.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Training", exact=True
    ).click()
    after = coverage_percent(page)
    assert after == 100.0
    assert after > before
    expect(page.get_by_role("cell", name="100.0%").first).to_be_visible()
    journey.check("dashboard-after")


def test_record_form_works_without_javascript(browser, live_server, transactional_db):
    seed_people()
    ensure_standard_courses()
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("agency-lead-a")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/training/records/new/")
    page.get_by_label("Full name").fill("Gwen Price")
    page.get_by_label("Email address").fill("gwen.price@example.org")
    page.get_by_label("Frontline practitioner").check()
    page.get_by_label("Prevent awareness").check()
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("2")
    page.get_by_label("Year").fill(str(today().year - 1))
    page.get_by_role("button", name="Save record").click()
    expect(page.get_by_text("Training record saved")).to_be_visible()
    expect(page.get_by_role("heading", name="Gwen Price")).to_be_visible()
    context.close()
