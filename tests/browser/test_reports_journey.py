"""A borough lead: statistics for the financial year, compliance report, a plan action,
PDF and XLSX exports downloaded and read; axe-core on every page."""

import datetime
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from accounts.models import Agency, LocalAuthority, PoliceForce, Role, Sector
from tests.factories import PASSWORD, UserFactory


def _download(journey, button: str) -> bytes:
    page = journey.page
    page.get_by_role("button", name=button).click()
    link = page.get_by_role("link", name="Download the file")
    link.wait_for(timeout=20000)
    with page.expect_download() as info:
        link.click()
    return Path(info.value.path()).read_bytes()


@pytest.mark.long
def test_borough_lead_statistics_and_compliance(journey, transactional_db):
    force = PoliceForce.objects.create(name="Metropolitan Police Service")
    la = LocalAuthority.objects.create(name="Northbridge", police_force=force)
    council = Agency.objects.create(
        name="Northbridge Council", sector=Sector.LOCAL_AUTHORITY, local_authority=la
    )
    UserFactory(username="lead", agency=council, roles=[Role.BOROUGH_LEAD])
    page = journey.page

    journey.sign_in("lead", PASSWORD)
    page.get_by_role("link", name="Statistics").first.click()
    expect(page.get_by_role("heading", name="Statistics", exact=True)).to_be_visible()
    expect(page.get_by_role("img", name="Referrals by sector")).to_be_visible()
    journey.check("statistics")
    # The period is two GOV.UK date inputs in a GET form: the answer's address bookmarks it.
    journey.fill_date("From", datetime.date(2025, 4, 1))
    journey.fill_date("To", datetime.date(2026, 3, 31))
    page.get_by_role("button", name="Show statistics").click()
    expect(
        page.get_by_text("Referrals received from 1 April 2025 to 31 March 2026")
    ).to_be_visible()
    assert "from_0=1&from_1=4&from_2=2025" in page.url
    page.goto(page.url)
    expect(page.get_by_role("group", name="To").get_by_label("Month")).to_have_value("3")

    page.get_by_role("link", name="Compliance").first.click()
    expect(page.get_by_role("heading", name="Compliance report")).to_be_visible()
    journey.check("compliance")

    page.get_by_role("link", name="Add a partnership-plan action").click()
    journey.check("plan-action-form")
    page.get_by_label("Action").fill("Refresh venue-hire checks")
    page.get_by_label("Owner").fill("Community safety manager")
    journey.fill_date("Due date", datetime.date(2026, 6, 30))
    page.get_by_label("RAG status").select_option("amber")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("cell", name="Refresh venue-hire checks", exact=True)).to_be_visible()

    pdf = _download(journey, "Export as PDF")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Prevent duty compliance report" in text
    assert "Refresh venue-hire checks" in text
    journey.check("export-job")

    page.goto(f"{journey.url}/reports/compliance/")
    xlsx = _download(journey, "Export as XLSX")
    cells = [
        c
        for row in load_workbook(io.BytesIO(xlsx)).active.iter_rows(values_only=True)
        for c in row
        if c
    ]
    assert "Prevent duty compliance report" in cells
    assert "Refresh venue-hire checks" in cells
