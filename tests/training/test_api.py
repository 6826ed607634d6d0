"""The training endpoints of DESIGN.md §5."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from drf_spectacular.generators import SchemaGenerator

from accounts.models import Role
from tests.training.factories import (
    CurrentRecordFactory,
    ExpiredRecordFactory,
    ExpiringSoonRecordFactory,
    StaffMemberFactory,
)
from tests.training.importing import csv_bytes
from training.dates import today
from training.models import CourseValidity, ImportBatch, TrainingRecord


@pytest.fixture
def lead(world):
    return world.user(Role.AGENCY_LEAD, agency=world.school_a)


def test_courses(client, world, awareness):
    CourseValidity.objects.create(course=awareness, sector="health", valid_months=36)
    client.force_login(world.user(Role.REFERRER))
    body = client.get("/api/v1/training/courses/").json()
    assert set(body) == {"count", "next", "previous", "results"}
    by_code = {c["code"]: c for c in body["results"]}
    assert {"awareness", "referrals", "channel_awareness", "refresher"} <= set(by_code)
    assert by_code["awareness"]["valid_for_months"] == 24
    assert by_code["refresher"]["valid_for_months"] == 12
    assert by_code["referrals"]["requires"] == "awareness"
    assert by_code["awareness"]["overrides"] == [
        {"sector": "health", "role": "", "valid_for_months": 36}
    ]
    assert {"id", "code", "title", "valid_for_months"} <= set(by_code["awareness"])


def test_courses_need_sign_in(client, db):
    assert client.get("/api/v1/training/courses/").status_code in (401, 403)


def test_records_list_shape_and_filters(client, world, lead):
    current = CurrentRecordFactory(staff=StaffMemberFactory(agency=world.school_a, name="Ann"))
    ExpiredRecordFactory(staff=StaffMemberFactory(agency=world.school_a, name="Bob"))
    ExpiringSoonRecordFactory(staff=StaffMemberFactory(agency=world.school_a, name="Cat"))
    client.force_login(lead)
    body = client.get("/api/v1/training/records/").json()
    assert body["count"] == 3
    row = next(r for r in body["results"] if r["person_name"] == "Ann")
    assert row["id"] == str(current.pk)
    assert row["email"] == current.staff.email
    assert row["agency"] == str(world.school_a.pk)
    assert row["course"] == "awareness"
    assert row["completed_on"] == current.completed_on.isoformat()
    assert row["expires_on"] == current.expires_on.isoformat()
    assert row["status"] == "current"
    statuses = {r["person_name"]: r["status"] for r in body["results"]}
    assert statuses == {"Ann": "current", "Bob": "expired", "Cat": "expiring_soon"}
    expired = client.get("/api/v1/training/records/?status=expired").json()
    assert [r["person_name"] for r in expired["results"]] == ["Bob"]
    bad = client.get("/api/v1/training/records/?status=nonsense")
    assert bad.status_code == 400
    assert "detail" in bad.json()


def test_records_list_queries_do_not_grow(client, world, lead, django_assert_max_num_queries):
    client.force_login(lead)
    for count in (2, 25):
        for _ in range(count):
            CurrentRecordFactory(staff=StaffMemberFactory(agency=world.school_a))
        # 9 = the list's own 8 + the lockout check every signed-in request makes (axes).
        with django_assert_max_num_queries(9):
            assert client.get("/api/v1/training/records/").status_code == 200


def test_create_record(client, world, lead):
    client.force_login(lead)
    response = client.post(
        "/api/v1/training/records/",
        {
            "person_name": "Nia Rees",
            "email": "Nia.Rees@example.org",
            "course": "referrals",
            "completed_on": "2024-02-29",
            "role": "safeguarding_lead",
            "frontline": True,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["email"] == "nia.rees@example.org"
    assert body["agency"] == str(world.school_a.pk)
    assert body["expires_on"] == "2026-02-28"
    assert body["status"] in ("current", "expiring_soon", "expired")
    assert "normally taken after Prevent awareness" in body["warnings"][0]
    assert TrainingRecord.objects.count() == 1


TOMORROW = object()  # a date after the day the test runs


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"course": "knitting"}, "course", "Unknown course ‘knitting’"),
        ({"email": "not an email"}, "email", "valid email"),
        ({"completed_on": TOMORROW}, "completed_on", "past"),
        ({"completed_on": "31/01/2025"}, "completed_on", "format"),
        ({"person_name": ""}, "person_name", "blank"),
    ],
)
def test_create_record_bad_input(client, world, lead, changes, field, message):
    tomorrow = (today() + timedelta(days=1)).isoformat()  # as the test runs, not as collected
    changes = {name: tomorrow if value is TOMORROW else value for name, value in changes.items()}
    client.force_login(lead)
    data = {"person_name": "Nia", "email": "n@example.org", "course": "awareness"}
    data.update({"completed_on": "2025-01-31", **changes})
    response = client.post("/api/v1/training/records/", data, content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["detail"]
    assert message in str(body["errors"][field])
    assert not TrainingRecord.objects.exists()


def test_create_for_another_agency_is_refused(client, world, lead):
    client.force_login(lead)
    data = {
        "person_name": "Nia",
        "email": "n@example.org",
        "course": "awareness",
        "completed_on": "2025-01-31",
        "agency": str(world.health_a.pk),
    }
    response = client.post("/api/v1/training/records/", data, content_type="application/json")
    assert response.status_code == 400
    assert "your own agency" in str(response.json()["errors"]["agency"])


@pytest.mark.parametrize("role", [Role.BOROUGH_LEAD, Role.REFERRER, Role.SYSTEM_ADMIN])
def test_only_agency_leads_create(client, world, role):
    client.force_login(world.user(role, agency=world.council_a))
    data = {"person_name": "N", "email": "n@example.org", "course": "awareness"}
    data["completed_on"] = "2025-01-31"
    response = client.post("/api/v1/training/records/", data, content_type="application/json")
    assert response.status_code == 403


def test_token_authentication(client, world, lead):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=lead)
    response = client.get("/api/v1/training/records/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200


def test_compliance(client, world):
    borough = world.user(Role.BOROUGH_LEAD, agency=world.council_a)
    CurrentRecordFactory(staff=StaffMemberFactory(agency=world.school_a))
    ExpiringSoonRecordFactory(staff=StaffMemberFactory(agency=world.school_a))
    ExpiredRecordFactory(staff=StaffMemberFactory(agency=world.school_a))
    ExpiredRecordFactory(staff=StaffMemberFactory(agency=world.school_b))
    client.force_login(borough)
    body = client.get("/api/v1/training/compliance/").json()
    assert set(body) == {"count", "next", "previous", "results"}
    rows = {row["agency_name"]: row for row in body["results"]}
    assert set(rows) == {
        "Northbridge Academy",
        "Northbridge Police Prevent",
        "Northbridge Council",
        "Northbridge Health",
        "Northbridge Youth Network",
    }
    school = rows["Northbridge Academy"]
    assert school["agency"] == str(world.school_a.pk)
    assert (school["staff"], school["current"], school["percent_current"]) == (3, 2, 66.7)
    assert (school["expiring_soon"], school["expired"]) == (1, 1)
    assert rows["Northbridge Health"]["percent_current"] is None


def test_import_through_the_api(client, world, lead, django_capture_on_commit_callbacks):
    client.force_login(lead)
    data = csv_bytes(
        [
            ["Nia", "nia@example.org", "awareness", "01/02/2025"],
            ["Bad", "bad@example.org", "awareness", "01/02/2099"],
        ]
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/training/imports/",
            {"file": SimpleUploadedFile("c.csv", data, "text/csv")},
        )
    assert response.status_code == 202
    job_url = response.json()["url"]
    assert response["Location"] == job_url
    assert client.get(job_url).json()["state"] == "done"
    batch = ImportBatch.objects.get()
    detail = client.get(f"/api/v1/training/imports/{batch.pk}/").json()
    assert (detail["state"], detail["create_count"], detail["reject_count"]) == ("ready", 1, 1)
    rows = client.get(f"/api/v1/training/imports/{batch.pk}/rows/").json()["results"]
    assert rows[1]["action"] == "reject"
    assert "today or in the past" in rows[1]["problems"][0]
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(f"/api/v1/training/imports/{batch.pk}/confirm/")
    assert confirmed.status_code == 202
    assert TrainingRecord.objects.get().completed_on == date(2025, 2, 1)
    again = client.post(f"/api/v1/training/imports/{batch.pk}/confirm/")
    assert again.status_code == 400


def test_import_of_a_bad_file_is_400_with_the_reason(client, lead):
    client.force_login(lead)
    response = client.post(
        "/api/v1/training/imports/",
        {"file": SimpleUploadedFile("c.csv", b"Name,Email\nA,b@example.org\n", "text/csv")},
    )
    assert response.status_code == 400
    assert "no column for: Course, Completed on" in response.json()["errors"]["file"][0]["message"]
    assert not ImportBatch.objects.exists()


def test_imports_of_others_are_404(client, world, lead, django_capture_on_commit_callbacks):
    client.force_login(lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/api/v1/training/imports/",
            {
                "file": SimpleUploadedFile(
                    "c.csv", csv_bytes([["A", "a@example.org", "awareness", "1/2/2025"]])
                )
            },
        )
    batch = ImportBatch.objects.get()
    client.force_login(world.user(Role.BOROUGH_LEAD, agency=world.council_a))
    assert client.get(f"/api/v1/training/imports/{batch.pk}/").status_code == 404
    assert client.post(f"/api/v1/training/imports/{batch.pk}/confirm/").status_code == 404


def test_schema_documents_training(client, world):
    client.force_login(world.user(Role.REFERRER))
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in (
        "/api/v1/training/courses/",
        "/api/v1/training/records/",
        "/api/v1/training/compliance/",
    ):
        assert path in schema


def test_the_records_filters_are_documented_as_they_are_checked(client, world, lead):
    """The schema called ``agency`` and ``course`` any string (``?course=%0E`` answered 400,
    valid by the schema): it now says a uuid, a course code's characters, at most 100."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    parameters = {
        p["name"]: p["schema"]
        for p in schema["paths"]["/api/v1/training/records/"]["get"]["parameters"]
    }
    assert parameters["agency"]["format"] == "uuid"
    assert parameters["course"]["pattern"] == "^[-a-zA-Z0-9_]+$"
    assert parameters["q"]["maxLength"] == 100
    assert set(parameters["status"]["enum"]) == {"current", "expiring_soon", "expired"}
    client.force_login(lead)
    for name, value in (("agency", "not-a-uuid"), ("course", "\x0e"), ("q", "x" * 101)):
        response = client.get("/api/v1/training/records/", {name: value})
        assert response.status_code == 400
        assert name in response.json()["errors"]
