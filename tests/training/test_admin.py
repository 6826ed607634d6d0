"""Courses are data that system administrators keep; changing a period moves expiry dates."""

from datetime import date

from accounts.models import Role
from tests.training.factories import StaffMemberFactory, TrainingRecordFactory


def test_admin_changes_a_course_period_and_records_follow(client, world, awareness):
    record = TrainingRecordFactory(
        staff=StaffMemberFactory(agency=world.health_a),
        course=awareness,
        completed_on=date(2025, 1, 31),
    )
    admin = world.user(Role.SYSTEM_ADMIN, agency=world.council_a, is_staff=True)
    client.force_login(admin)
    url = f"/admin/training/course/{awareness.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "code": "awareness",
            "title": awareness.title,
            "description": awareness.description,
            "provider": awareness.provider,
            "kind": awareness.kind,
            "valid_months": "",
            "requires": "",
            "counts_for_compliance": "on",
            "other_names": awareness.other_names,
            "is_active": "on",
            "order": awareness.order,
            "validities-TOTAL_FORMS": "1",
            "validities-INITIAL_FORMS": "0",
            "validities-MIN_NUM_FORMS": "0",
            "validities-MAX_NUM_FORMS": "1000",
            "validities-0-sector": "health",
            "validities-0-role": "",
            "validities-0-valid_months": "36",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    record.refresh_from_db()
    assert record.expires_on == date(2028, 1, 31)


def test_other_roles_cannot_open_course_admin(client, world):
    client.force_login(world.user(Role.BOROUGH_LEAD, agency=world.council_a, is_staff=True))
    assert client.get("/admin/training/course/").status_code in (302, 403)
