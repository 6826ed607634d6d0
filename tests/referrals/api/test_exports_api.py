"""Case exports and retention decisions through the API (issue 23): the officers' case list
and subject access exports as jobs (202 + Location, result at /api/v1/jobs/{id}/result/,
authorised when read), the retention queue and the confirmed deletion of personal data."""

from __future__ import annotations

import datetime
import json

import pytest
from django.utils import timezone

from accounts.models import Role, User
from prevent_cms.models import AuditEvent, Job
from referrals import services
from referrals.models import Referral
from referrals.retention import DELETED_ACTION
from tests.channel import factories as cf

from .conftest import as_user

pytestmark = pytest.mark.django_db

EXPORTS = "/api/v1/referrals/exports/"
SUBJECT_ACCESS = "/api/v1/referrals/subject-access/"
RETENTION = "/api/v1/referrals/retention/"
WHY = "Quarterly performance return"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def field_messages(response, field: str) -> list[str]:
    """A field's messages: the error shape gives each field a list of ``{message, code}``."""
    listed = response.json()["errors"][field]
    assert isinstance(listed, list)
    return [error["message"] for error in listed]


def started(response) -> Job:
    assert response.status_code == 202, response.json()
    body = response.json()
    assert response["Location"] == body["url"]
    return Job.objects.get(pk=body["id"])


# --- The officers' case list -------------------------------------------------------------


def test_an_officer_exports_their_forces_cases_as_a_job(
    api, cast, django_capture_on_commit_callbacks
):
    officer = cast.people["prevent_officer"]
    api = as_user(api, officer)
    with django_capture_on_commit_callbacks(execute=True):
        job = started(api.post(EXPORTS, {"reason": WHY, "urgent": False}, format="json"))
    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert "reason" not in job.params
    assert WHY not in json.dumps(job.params)
    result = api.get(f"/api/v1/jobs/{job.pk}/result/")
    assert result.status_code == 200
    content = b"".join(result.streaming_content).decode("utf-8-sig")
    assert cast.cases["police"].reference in content
    assert cast.cases["draft"].reference not in content
    row = AuditEvent.objects.get(action="referral.exported", object_id=str(cast.cases["police"].pk))
    assert (row.actor_id, row.reason) == (officer.pk, WHY)


def test_the_case_list_takes_the_queues_filters_and_checks_them(api, cast, world):
    api = as_user(api, cast.people["prevent_officer"])
    response = api.post(EXPORTS, {"state": "draft", "reason": WHY}, format="json")
    assert response.status_code == 400
    assert field_messages(response, "state") == ["Select a stage from the list"]
    other_force = str(world.la_c.pk)
    response = api.post(EXPORTS, {"local_authority": other_force, "reason": WHY}, format="json")
    assert response.status_code == 400
    assert field_messages(response, "local_authority") == ["Select a local authority from the list"]
    response = api.post(EXPORTS, {"reason": "short"}, format="json")
    assert field_messages(response, "reason") == ["Give the reason you need this list of cases"]
    response = api.post(EXPORTS, {}, format="json")
    assert field_messages(response, "reason") == ["Give the reason you need this list of cases"]
    assert not Job.objects.exists()


@pytest.mark.parametrize("who", ["channel_chair", "borough_lead", "referrer", "system_admin"])
def test_only_officers_export_a_case_list(api, cast, who):
    api = as_user(api, cast.people[who])
    assert api.post(EXPORTS, {"state": "junk"}, format="json").status_code == 403
    assert not Job.objects.exists()


# --- Subject access ------------------------------------------------------------------------


def person_of(referral: Referral) -> dict:
    subject = referral.subject
    return {
        "first_name": subject.first_name,
        "last_name": subject.last_name.upper(),
        "date_of_birth": subject.date_of_birth.isoformat(),
    }


@pytest.mark.parametrize(
    ("who", "case"), [("prevent_officer", "police"), ("channel_chair", "channel")]
)
def test_an_officer_or_chair_exports_what_is_held_about_a_person(
    api, cast, django_capture_on_commit_callbacks, who, case
):
    officer = cast.people[who]
    referral = cast.cases[case]
    api = as_user(api, officer)
    body = {**person_of(referral), "reason": "SAR-2026-0042", "format": "json"}
    with django_capture_on_commit_callbacks(execute=True):
        job = started(api.post(SUBJECT_ACCESS, body, format="json"))
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.error
    params = json.dumps(job.params)
    assert referral.subject.last_name not in params
    assert "SAR-2026-0042" not in params
    result = api.get(f"/api/v1/jobs/{job.pk}/result/")
    assert result.status_code == 200
    data = json.loads(b"".join(result.streaming_content))
    assert [case["reference"] for case in data["cases"]] == [referral.reference]
    event = AuditEvent.objects.get(
        action="referral.subject_access_export", object_id=str(referral.pk)
    )
    assert (event.actor_id, event.reason) == (officer.pk, "SAR-2026-0042")
    requested = AuditEvent.objects.get(action="referral.subject_access_requested")
    assert requested.reason == "SAR-2026-0042"


def test_a_subject_access_export_is_authorised_when_read(
    api, cast, django_capture_on_commit_callbacks
):
    officer = cast.people["prevent_officer"]
    api = as_user(api, officer)
    body = {**person_of(cast.cases["police"]), "reason": "SAR-1", "format": "pdf"}
    with django_capture_on_commit_callbacks(execute=True):
        job = started(api.post(SUBJECT_ACCESS, body, format="json"))
    assert api.get(f"/api/v1/jobs/{job.pk}/result/").status_code == 200
    officer.role_grants.filter(role=Role.PREVENT_OFFICER).delete()
    api = as_user(api, User.objects.get(pk=officer.pk))  # roles are cached per instance
    assert api.get(f"/api/v1/jobs/{job.pk}/result/").status_code == 410


def test_subject_access_needs_a_reason_a_date_and_the_role(api, cast):
    api = as_user(api, cast.people["prevent_officer"])
    response = api.post(SUBJECT_ACCESS, {"first_name": "A", "last_name": "B"}, format="json")
    assert response.status_code == 400
    assert field_messages(response, "date_of_birth") == ["Enter the date of birth"]
    assert field_messages(response, "reason") == [
        "Give the request reference or the reason for this export"
    ]
    body = {**person_of(cast.cases["police"]), "reason": "SAR-1", "format": "docx"}
    response = api.post(SUBJECT_ACCESS, body, format="json")
    assert field_messages(response, "format") == ["Select PDF or JSON"]
    for who in ("referrer", "panel_member", "borough_lead", "agency_lead"):
        api = as_user(api, cast.people[who])
        assert api.post(SUBJECT_ACCESS, body, format="json").status_code == 403, who
    assert not Job.objects.exists()


# --- Retention -----------------------------------------------------------------------------


@pytest.fixture
def retained(world, cast):
    """A case closed by the police seven years ago: due for review."""
    officer = cast.people["prevent_officer"]
    referral = services.referral_transition(
        referral_id=cast.cases["police"].pk,
        name="close",
        actor=officer,
        payload={"reason": "no_further_action", "rationale": "Nothing to do."},
    )
    long_ago = timezone.now() - datetime.timedelta(days=365 * 7)
    Referral.objects.filter(pk=referral.pk).update(closed_at=long_ago)
    return referral


def test_an_officer_reads_the_retention_queue(api, cast, retained):
    officer = cast.people["prevent_officer"]
    api = as_user(api, officer)
    response = api.get(RETENTION)
    assert response.status_code == 200
    body = response.json()
    assert [row["reference"] for row in body["results"]] == [retained.reference]
    assert body["results"][0]["closure_reason"] == "no_further_action"
    event = AuditEvent.objects.get(action="referral.list_viewed", actor=officer)
    assert event.detail["references"] == [retained.reference]
    assert event.detail["via"] == "api_retention_queue"


def test_an_officer_deletes_a_due_cases_personal_data(api, cast, retained):
    officer = cast.people["prevent_officer"]
    api = as_user(api, officer)
    url = f"{RETENTION}{retained.pk}/delete/"
    response = api.post(
        url, {"reason": "Retention period passed", "confirmed": False}, format="json"
    )
    assert response.status_code == 400
    assert field_messages(response, "confirmed") == [
        "Confirm that you want to delete the personal data"
    ]
    response = api.post(
        url, {"reason": "Retention period passed", "confirmed": True}, format="json"
    )
    assert response.status_code == 204
    retained.subject.refresh_from_db()
    assert retained.subject.last_name == ""
    event = AuditEvent.objects.get(action=DELETED_ACTION, object_id=str(retained.pk))
    assert event.actor_id == officer.pk
    assert api.get(RETENTION).json()["results"] == []
    assert api.post(url, {"reason": "Again", "confirmed": True}, format="json").status_code == 404


def test_retention_out_of_scope_or_not_due_is_404(api, cast, retained):
    api = as_user(api, cast.people["officer_other_force"])
    body = {"reason": "x", "confirmed": "junk"}
    assert api.post(f"{RETENTION}{retained.pk}/delete/", body, format="json").status_code == 404
    assert api.get(RETENTION).json()["results"] == []
    api = as_user(api, cast.people["prevent_officer"])
    not_due = cast.cases["channel"]
    assert api.post(f"{RETENTION}{not_due.pk}/delete/", body, format="json").status_code == 404
    retained.subject.refresh_from_db()
    assert retained.subject.last_name


@pytest.mark.parametrize("who", ["referrer", "agency_lead", "panel_member", "borough_lead"])
def test_retention_is_for_officers_and_chairs(api, cast, retained, who):
    api = as_user(api, cast.people[who])
    assert api.get(RETENTION).status_code == 403
    body = {"reason": "Retention period passed", "confirmed": True}
    assert api.post(f"{RETENTION}{retained.pk}/delete/", body, format="json").status_code == 403
    retained.subject.refresh_from_db()
    assert retained.subject.last_name


def test_a_chair_reviews_their_authoritys_closed_channel_cases(api, world):
    team = cf.channel_team(world)
    referral = cf.closed_via_channel(world, team)
    long_ago = timezone.now() - datetime.timedelta(days=365 * 7)
    Referral.objects.filter(pk=referral.pk).update(closed_at=long_ago)
    api = as_user(api, team.chair)
    assert [row["id"] for row in api.get(RETENTION).json()["results"]] == [str(referral.pk)]
    body = {"reason": "Six years since exit; nothing open.", "confirmed": True}
    assert api.post(f"{RETENTION}{referral.pk}/delete/", body, format="json").status_code == 204
    event = AuditEvent.objects.get(action=DELETED_ACTION, object_id=str(referral.pk))
    assert event.actor_id == team.chair.pk
