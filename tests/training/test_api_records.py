"""Training records corrected and deleted, and imports cancelled, through the API (issue 23):
the same rules as the record and import pages."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role
from prevent_cms.models import AuditEvent
from tests.training.factories import CurrentRecordFactory, StaffMemberFactory
from tests.training.importing import csv_bytes
from training.dates import today
from training.models import ImportBatch, StaffMember, TrainingRecord


@pytest.fixture
def lead(world):
    return world.user(Role.AGENCY_LEAD, agency=world.school_a)


@pytest.fixture
def record(world, awareness):
    return CurrentRecordFactory(
        staff=StaffMemberFactory(agency=world.school_a, name="Ann Able"), course=awareness
    )


def url(record) -> str:
    return f"/api/v1/training/records/{record.pk}/"


def test_a_lead_reads_and_corrects_their_agency_record(client, lead, record):
    client.force_login(lead)
    assert client.get(url(record)).json()["person_name"] == "Ann Able"
    corrected = today() - timedelta(days=10)
    response = client.patch(
        url(record),
        {"completed_on": corrected.isoformat(), "person_name": "Ann Abel"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["completed_on"], body["person_name"]) == (corrected.isoformat(), "Ann Abel")
    assert body["course"] == "awareness"  # unchanged fields keep their values
    assert body["warnings"] == []
    record.refresh_from_db()
    assert record.completed_on == corrected
    event = AuditEvent.objects.get(action="training.record.updated", object_id=str(record.pk))
    assert event.actor_id == lead.pk


def test_a_correction_is_checked_like_the_page(client, lead, record):
    client.force_login(lead)
    future = (today() + timedelta(days=3)).isoformat()
    response = client.patch(url(record), {"completed_on": future}, content_type="application/json")
    assert response.status_code == 400
    assert "today or in the past" in str(response.json()["errors"]["completed_on"])
    response = client.patch(url(record), {"course": "nope"}, content_type="application/json")
    assert response.status_code == 400
    assert "Unknown course" in response.json()["errors"]["course"][0]["message"]
    record.refresh_from_db()
    assert record.completed_on != date.fromisoformat(future)


def test_a_lead_deletes_a_record_and_the_person_with_no_other(client, lead, record):
    client.force_login(lead)
    staff_id = record.staff_id
    response = client.delete(url(record))
    assert response.status_code == 204
    assert not TrainingRecord.objects.filter(pk=record.pk).exists()
    assert not StaffMember.objects.filter(pk=staff_id).exists()
    assert AuditEvent.objects.filter(action="training.record.deleted").count() == 1


def test_records_of_another_agency_are_404(client, world, record):
    client.force_login(world.user(Role.AGENCY_LEAD, agency=world.school_b))
    assert client.get(url(record)).status_code == 404
    bad_body = {"completed_on": "junk"}
    assert client.patch(url(record), bad_body, content_type="application/json").status_code == 404
    assert client.delete(url(record)).status_code == 404
    assert TrainingRecord.objects.filter(pk=record.pk).exists()


def test_a_borough_lead_sees_but_may_not_change_a_record(client, world, record):
    client.force_login(world.user(Role.BOROUGH_LEAD, agency=world.council_a))
    assert client.get(url(record)).status_code == 200
    bad_body = {"completed_on": "junk"}  # who may act is answered before the body is read
    assert client.patch(url(record), bad_body, content_type="application/json").status_code == 403
    assert client.delete(url(record)).status_code == 403
    assert TrainingRecord.objects.filter(pk=record.pk).exists()
    assert not AuditEvent.objects.filter(action__startswith="training.record.").exists()


def _upload(client, django_capture_on_commit_callbacks) -> ImportBatch:
    data = csv_bytes([["Nia", "nia@example.org", "awareness", "01/02/2025"]])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/training/imports/", {"file": SimpleUploadedFile("c.csv", data, "text/csv")}
        )
    assert response.status_code == 202
    return ImportBatch.objects.get()


def test_the_uploader_cancels_an_import(
    client, lead, awareness, django_capture_on_commit_callbacks
):
    client.force_login(lead)
    batch = _upload(client, django_capture_on_commit_callbacks)
    response = client.post(f"/api/v1/training/imports/{batch.pk}/cancel/")
    assert response.status_code == 200
    assert response.json()["state"] == "cancelled"
    assert not batch.rows.exists()
    assert AuditEvent.objects.filter(
        action="training.import.cancelled", object_id=str(batch.pk), actor=lead
    ).exists()
    again = client.post(f"/api/v1/training/imports/{batch.pk}/cancel/")
    assert again.status_code == 400
    assert "can no longer be cancelled" in str(again.json())
    assert not TrainingRecord.objects.exists()


def test_someone_elses_import_is_404(
    client, world, lead, awareness, django_capture_on_commit_callbacks
):
    client.force_login(lead)
    batch = _upload(client, django_capture_on_commit_callbacks)
    client.force_login(world.user(Role.AGENCY_LEAD, agency=world.school_a))
    assert client.post(f"/api/v1/training/imports/{batch.pk}/cancel/").status_code == 404
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.READY
