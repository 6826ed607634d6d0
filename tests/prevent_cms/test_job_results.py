"""A job's result is authorised when it is read, not when it was made (issue 13).

The owner of a case-list export, a compliance report or an audit export gets the file only
while they still hold the role and scope that produced it; otherwise the page and the API
answer 410 with the reason. API clients download their own results with their token.
"""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import Role, RoleGrant, User
from prevent_cms import registry
from prevent_cms.jobs import ResultAccess, job_result_access, job_result_readable_by
from prevent_cms.models import AuditEvent, Job
from prevent_cms.purge import retention_purge
from referrals import services as referral_services
from referrals.exports import EXPORT_KIND
from referrals.subject_access import JOB_KIND as SUBJECT_ACCESS_KIND
from reports import services as report_services
from reports.periods import Period
from tests.referrals import factories as rf

pytestmark = pytest.mark.django_db

REASON = "Quarterly performance return"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _export(world, officer, django_capture_on_commit_callbacks) -> Job:
    rf.direct(rf.SubmittedFactory, world)
    with django_capture_on_commit_callbacks(execute=True):
        job = referral_services.referral_export_request(actor=officer, filters={}, reason=REASON)
    job.refresh_from_db()
    assert job.state == Job.State.DONE
    return job


def _token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def officer(world):
    return world.user(Role.PREVENT_OFFICER, agency=world.police_a)


def test_a_case_list_is_refused_once_the_officer_loses_the_role(
    world, officer, client, django_capture_on_commit_callbacks
):
    job = _export(world, officer, django_capture_on_commit_callbacks)
    client.force_login(officer)
    url = reverse("job_download", args=[job.pk])
    assert client.get(url).status_code == 200

    RoleGrant.objects.filter(user=officer, role=Role.PREVENT_OFFICER).delete()
    page = client.get(url)
    assert page.status_code == 410
    assert "This file is no longer available" in page.content.decode()
    api = _token_client(officer).get(reverse("api:job-result", args=[job.pk]))
    assert api.status_code == 410
    assert "no longer available" in api.json()["detail"]
    assert not job_result_readable_by(User.objects.get(pk=officer.pk), job)


def test_a_case_list_is_withdrawn_when_the_officer_moves_force(
    world, officer, client, django_capture_on_commit_callbacks
):
    """Still an officer, but of another force: the file's cases are out of their scope."""
    job = _export(world, officer, django_capture_on_commit_callbacks)
    officer.agency = world.police_c
    officer.save()
    client.force_login(officer)
    assert client.get(reverse("job_download", args=[job.pk])).status_code == 410


def test_a_compliance_report_is_refused_once_the_borough_lead_loses_the_role(
    world, client, django_capture_on_commit_callbacks
):
    lead = world.user(Role.BOROUGH_LEAD, agency=world.council_a)
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        job = report_services.export_start(
            actor=lead,
            local_authority=world.la_a,
            period=Period(today - datetime.timedelta(days=90), today),
            fmt="csv",
        )
    job.refresh_from_db()
    client.force_login(lead)
    url = reverse("job_download", args=[job.pk])
    assert client.get(url).status_code == 200
    RoleGrant.objects.filter(user=lead, role=Role.BOROUGH_LEAD).delete()
    assert client.get(url).status_code == 410


def test_an_audit_export_is_refused_once_the_admin_loses_the_role(
    world, client, django_capture_on_commit_callbacks
):
    admin = world.user(Role.SYSTEM_ADMIN, agency=world.council_a)
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("audit_export"),
            {"what": "user", "username": admin.username, "reason": "Misuse allegation"},
        )
    job = Job.objects.get(owner=admin)
    url = reverse("job_download", args=[job.pk])
    assert client.get(url).status_code == 200
    RoleGrant.objects.filter(user=admin, role=Role.SYSTEM_ADMIN).delete()
    assert client.get(url).status_code == 410


def test_a_token_client_downloads_its_own_result_and_no_one_elses(
    world, officer, django_capture_on_commit_callbacks
):
    job = _export(world, officer, django_capture_on_commit_callbacks)
    api = _token_client(officer)
    detail = api.get(reverse("api:job-detail", args=[job.pk]))
    assert detail.status_code == 200
    result_url = detail.json()["result_url"]
    assert result_url.endswith(reverse("api:job-result", args=[job.pk]))

    since = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    response = api.get(result_url)
    assert response.status_code == 200  # not a redirect to the sign-in page
    body = b"".join(response.streaming_content)
    assert body == job.result.open("rb").read()
    download = AuditEvent.objects.filter(id__gt=since, action="job.download").get()
    assert (download.actor_id, download.object_id) == (officer.pk, str(job.pk))

    colleague = world.user(Role.PREVENT_OFFICER, agency=world.police_a)
    assert _token_client(colleague).get(result_url).status_code == 404
    assert APIClient().get(result_url).status_code == 401


def test_a_purged_result_answers_410_saying_why(
    world, officer, client, django_capture_on_commit_callbacks
):
    job = _export(world, officer, django_capture_on_commit_callbacks)
    retention_purge(now=job.created_at + datetime.timedelta(days=7, minutes=1))
    job.refresh_from_db()
    assert job_result_access(officer, job) == ResultAccess.PURGED

    client.force_login(officer)
    page = client.get(reverse("job_download", args=[job.pk]))
    assert page.status_code == 410
    text = page.content.decode()
    assert "This file was deleted after 7 days, as our retention policy requires." in text
    assert "Make the export again." in text
    assert (
        "deleted after 7 days" in client.get(reverse("job_status", args=[job.pk])).content.decode()
    )
    api = _token_client(officer).get(reverse("api:job-result", args=[job.pk]))
    assert api.status_code == 410
    assert api["Content-Type"].startswith("application/json")
    assert api.json()["detail"].startswith("This file was deleted after 7 days")


def test_every_kind_of_job_has_a_reader():
    """A kind nobody registered is never readable: each kind the apps make must have one."""
    made = {
        EXPORT_KIND,
        "channel.panel_pack",
        "reports.compliance_export",
        "training.import.check",
        "training.import.run",
        "audit_export",
        "audit_export_user",
        SUBJECT_ACCESS_KIND,
    }
    assert made <= registry.job_reader_kinds()


def test_a_kind_without_a_reader_is_never_readable(world, officer):
    job = Job.objects.create(owner=officer, kind="unregistered.kind", state=Job.State.DONE)
    job.result.save("x.csv", ContentFile(b"a"), save=True)
    assert job_result_access(officer, job) == ResultAccess.WITHDRAWN


def test_the_api_download_and_its_410_are_in_the_openapi_schema():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/jobs/{id}/result/"]["get"]
    responses = operation["responses"]
    assert "application/octet-stream" in responses["200"]["content"]
    assert {"404", "410"} <= set(responses)
    gone = responses["410"]["content"]["application/json"]["schema"]
    assert gone == {"$ref": "#/components/schemas/Error"}
    assert "retention" in responses["410"]["description"]
    for path in ("/api/v1/jobs/{id}/result/", "/api/v1/channel/panels/{id}/pack/"):
        assert "410" in schema["paths"][path]["get"]["responses"], path
