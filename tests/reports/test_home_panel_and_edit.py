"""The borough lead's home panel, and changing a partnership-plan action with history."""

import datetime

import pytest

from accounts.models import Role
from reports.models import PlanAction
from tests.helpers import audit_actions, date_boxes


@pytest.fixture
def lead(world):
    return world.user(Role.BOROUGH_LEAD, agency=world.council_a)


def _action(world, lead, **fields):
    return PlanAction.objects.create(
        local_authority=fields.pop("local_authority", world.la_a),
        description="Refresh venue-hire checks",
        owner="Community safety manager",
        due_date=datetime.date(2020, 1, 1),
        rag="amber",
        created_by=lead,
        **fields,
    )


def test_home_panel_counts_for_a_borough_lead_only(world, lead, client):
    _action(world, lead)  # amber and past due: needs attention
    client.force_login(lead)
    page = client.get("/").content.decode()
    assert 'data-panel="reports"' in page
    assert "1 partnership-plan action is red or past its due date" in page
    client.force_login(world.user(Role.REFERRER))
    assert 'data-panel="reports"' not in client.get("/").content.decode()


def test_lead_changes_an_action_with_history_and_audit(world, lead, client):
    action = _action(world, lead)
    client.force_login(lead)
    url = f"/reports/compliance/actions/{action.pk}/edit/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "section": "partnership_plan",
            "description": "Refresh venue-hire checks",
            "owner": "Head of community safety",
            **date_boxes("due_date", "2026-06-30"),
            "rag": "green",
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.owner, action.rag) == ("Head of community safety", "green")
    assert action.history.count() == 2
    assert "reports.plan_action.updated" in audit_actions(actor=lead)


def test_another_boroughs_action_is_404(world, lead, client):
    other_lead = world.user(Role.BOROUGH_LEAD, agency=world.council_b)
    action = _action(world, other_lead, local_authority=world.la_b)
    client.force_login(lead)
    assert client.get(f"/reports/compliance/actions/{action.pk}/edit/").status_code == 404
    client.force_login(world.user(Role.PREVENT_OFFICER, agency=world.police_a))
    assert client.get(f"/reports/compliance/actions/{action.pk}/edit/").status_code == 403
