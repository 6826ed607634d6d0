"""An officer downloads the cases of the queue in Chromium; axe-core on every page."""

import re
from pathlib import Path

from playwright.sync_api import expect

from accounts.demo import DEMO_PASSWORD, seed_people
from tests.referrals import factories as f


def test_officer_downloads_these_cases(journey, transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    people = seed_people()
    referral = f.submitted(None, referrer=people["referrer-a"])
    page = journey.page
    journey.sign_in("officer-a", DEMO_PASSWORD)
    page.goto(f"{journey.url}/referrals/queue/?urgent=")
    page.get_by_role("link", name="Download these cases (CSV)").click()
    expect(page.get_by_role("heading", name="Download these cases", level=1)).to_be_visible()
    expect(page.get_by_label("Include closed cases")).to_be_checked()
    journey.check("export-form")

    page.get_by_role("button", name="Request the file").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(
        page.get_by_role("link", name="Give the reason you need this list of cases")
    ).to_be_visible()
    journey.check("export-reason-missing")

    page.get_by_label("Why do you need this list?").fill("Quarterly performance return.")
    page.get_by_role("button", name="Request the file").click()
    expect(page.get_by_role("heading", name="Your file is ready")).to_be_visible()
    journey.check("export-ready")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the file").click()
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert content.startswith("case_reference,received_on (YYYY-MM-DD),stage,stage_label")
    assert re.search(rf"^{referral.reference},", content, re.MULTILINE)
