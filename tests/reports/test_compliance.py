"""Compliance records: borough leads keep them for their own local authority, with history."""

import pytest

from accounts.models import Role
from prevent_cms.models import Job
from reports.models import PlanAction
from tests.helpers import audit_actions, date_boxes


@pytest.fixture
def lead(world):
    return world.user(Role.BOROUGH_LEAD, agency=world.council_a)


def test_borough_lead_records_a_plan_action_with_history(world, lead, client):
    client.force_login(lead)
    assert client.get("/reports/compliance/actions/new/").status_code == 200
    response = client.post(
        "/reports/compliance/actions/new/",
        {
            "section": "partnership_plan",
            "description": "Refresh venue-hire checks",
            "owner": "Community safety manager",
            **date_boxes("due_date", "2025-06-30"),
            "rag": "amber",
        },
    )
    assert response.status_code == 302
    action = PlanAction.objects.get()
    assert action.local_authority == world.la_a
    assert action.history.count() == 1
    assert "reports.plan_action.created" in audit_actions(actor=lead)
    page = client.get("/reports/compliance/").content.decode()
    assert "Refresh venue-hire checks" in page
    assert "7. Reducing permissive environments" in page


def test_invalid_action_shows_errors(lead, client):
    client.force_login(lead)
    response = client.post("/reports/compliance/actions/new/", {"description": ""})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not PlanAction.objects.exists()


def test_entry_is_recorded(world, lead, client):
    client.force_login(lead)
    response = client.post(
        "/reports/compliance/entries/new/",
        {
            "section": "partnership_group",
            **date_boxes("date", "2025-01-10"),
            "title": "Board met",
            "notes": "",
        },
    )
    assert response.status_code == 302
    assert "Board met" in client.get("/reports/compliance/").content.decode()


@pytest.mark.parametrize("role", [Role.PREVENT_OFFICER, Role.REFERRER, Role.CHANNEL_CHAIR])
def test_only_borough_leads_keep_compliance_records(world, client, role):
    client.force_login(world.user(role, agency=world.council_a))
    assert client.get("/reports/compliance/").status_code == 403
    assert client.post("/reports/compliance/actions/new/", {}).status_code == 403


def test_export_buttons_start_a_job_and_show_its_page(lead, client):
    client.force_login(lead)
    assert "Export as PDF" in client.get("/reports/compliance/").content.decode()
    response = client.post(
        "/reports/compliance/export/", {"format": "xlsx", "from": "2024-04-01", "to": "2025-03-31"}
    )
    job = Job.objects.get(owner=lead)
    assert response.status_code == 302
    assert response["Location"] == f"/jobs/{job.pk}/"
