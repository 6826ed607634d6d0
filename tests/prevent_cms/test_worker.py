"""The audit-trail export job, eagerly in unit tests and on a real Celery worker over Redis."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.models import Role, RoleGrant
from prevent_cms.audit import audit_record
from prevent_cms.audit_export import audit_export_request
from prevent_cms.celery import app as celery_app
from prevent_cms.errors import InvalidInput
from prevent_cms.models import AuditEvent, Job
from prevent_cms.tasks import AUDIT_EXPORT_COLUMNS, audit_export_for_object
from tests import worker as real_worker
from tests.worker import wait_until, wait_until_redeliverable

# The real-worker fixtures, bound here so pytest finds them in this module.
celery_worker_factory = real_worker.celery_worker_factory
celery_worker_process = real_worker.celery_worker_process

TASK = "prevent_cms.tasks.audit_export_for_object"


def exported_rows(job: Job) -> list[dict]:
    job.refresh_from_db()
    with job.result.open("rb") as result:
        text = result.read().decode("utf-8")
    reader = csv.DictReader(io.StringIO(text))
    assert reader.fieldnames == AUDIT_EXPORT_COLUMNS
    return list(reader)


def finished(job: Job) -> Job | None:
    job.refresh_from_db()
    return job if job.state in (Job.State.DONE, Job.State.FAILED) else None


@pytest.fixture
def trail(world):
    """Three events on borough A (one with a formula in its reason), one on borough B."""
    admin = world.user(Role.SYSTEM_ADMIN, agency=world.council_a, username="auditor")
    officer = world.user(Role.PREVENT_OFFICER, agency=world.police_a, username="officer")
    audit_record(actor=officer, action="test.viewed", obj=world.la_a)
    audit_record(actor=officer, action="test.changed", obj=world.la_a, reason="=1+1")
    audit_record(actor=None, action="test.system", obj=world.la_a, detail={"n": 3})
    audit_record(actor=officer, action="test.viewed", obj=world.la_b)
    return admin, officer


@pytest.mark.parametrize(
    "role",
    [Role.REFERRER, Role.PREVENT_OFFICER, Role.CHANNEL_CHAIR, Role.BOROUGH_LEAD, None],
)
def test_only_a_system_admin_may_export_the_audit_trail(world, role):
    user = world.user(*([role] if role else []))
    with pytest.raises(PermissionDenied):
        audit_export_request(actor=user, object_type="accounts.localauthority", object_id="1")
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    ("object_type", "object_id"),
    [("accounts.localauthority", "Jane Smith"), ("", "1"), ("x" * 65, "1"), ("a b", "1")],
)
def test_export_accepts_only_type_labels_and_opaque_ids(world, object_type, object_id):
    admin = world.user(Role.SYSTEM_ADMIN)
    with pytest.raises(InvalidInput):
        audit_export_request(actor=admin, object_type=object_type, object_id=object_id)
    assert not Job.objects.exists()


def test_export_writes_the_objects_events_in_order_and_is_idempotent(
    world, trail, django_capture_on_commit_callbacks
):
    admin, officer = trail
    with django_capture_on_commit_callbacks(execute=True):
        job = audit_export_request(
            actor=admin, object_type="accounts.localauthority", object_id=str(world.la_a.pk)
        )
    job.refresh_from_db()
    assert (job.state, job.progress, job.result_content_type) == ("done", 100, "text/csv")
    rows = exported_rows(job)
    assert [row["action"] for row in rows] == ["test.viewed", "test.changed", "test.system"]
    assert {row["object_id"] for row in rows} == {str(world.la_a.pk)}
    assert rows[0]["actor_username"] == "officer"
    assert rows[1]["reason"] == "'=1+1"  # a spreadsheet shows it, never evaluates it
    assert rows[2]["actor_id"] == ""
    assert rows[2]["detail"] == '{"n": 3}'

    first_result = job.result.name
    audit_export_for_object(str(job.pk))  # delivered again: nothing changes
    job.refresh_from_db()
    assert job.result.name == first_result
    exported = AuditEvent.objects.filter(action="audit.exported")
    assert exported.count() == 1
    assert (exported.get().actor_id, exported.get().object_id) == (admin.pk, str(world.la_a.pk))


def test_export_fails_if_the_owner_lost_the_role_before_it_ran(world, trail):
    admin, _ = trail
    job = audit_export_request(
        actor=admin, object_type="accounts.localauthority", object_id=str(world.la_a.pk)
    )
    RoleGrant.objects.filter(user=admin).delete()
    audit_export_for_object(str(job.pk))
    job.refresh_from_db()
    assert job.state == "failed"
    assert not job.result
    assert not AuditEvent.objects.filter(action="audit.exported").exists()


@pytest.mark.worker
def test_export_runs_on_a_real_worker_through_redis(world, trail, celery_worker_process):
    admin, _ = trail
    assert celery_app.conf.task_always_eager is False
    job = audit_export_request(
        actor=admin, object_type="accounts.localauthority", object_id=str(world.la_a.pk)
    )
    job = wait_until(lambda: finished(job))
    assert job.state == "done", job.error
    assert [row["action"] for row in exported_rows(job)] == [
        "test.viewed",
        "test.changed",
        "test.system",
    ]
    log = celery_worker_process.log()
    assert f"{TASK}[" in log
    assert "succeeded" in log
    assert AuditEvent.objects.filter(action="audit.exported").count() == 1


@pytest.mark.worker
def test_a_worker_killed_mid_task_redelivers_and_the_export_happens_once(
    world, trail, celery_worker_factory
):
    """SIGKILL while the task waits on the job's row lock; a new worker finishes the job."""
    admin, _ = trail
    visibility_timeout = 2
    worker = celery_worker_factory(visibility_timeout=visibility_timeout)
    job = Job.objects.create(
        owner=admin,
        kind="audit_export",
        params={"object_type": "accounts.localauthority", "object_id": str(world.la_a.pk)},
    )
    with transaction.atomic():
        Job.objects.select_for_update().get(pk=job.pk)  # the worker's job_start blocks here
        task_id = audit_export_for_object.delay(str(job.pk)).id
        worker.wait_for_log(f"{TASK}[{task_id}] received")
        worker.kill()
    job.refresh_from_db()
    assert job.state == "queued"

    # Redis hands an unacknowledged message out again once the visibility timeout has passed.
    wait_until_redeliverable(visibility_timeout=visibility_timeout)
    worker.start()
    job = wait_until(lambda: finished(job))
    assert job.state == "done", job.error
    assert len(exported_rows(job)) == 3
    assert worker.log().count(f"{TASK}[{task_id}] received") == 2
    assert AuditEvent.objects.filter(action="audit.exported").count() == 1


@pytest.mark.parametrize(
    ("language", "viewed", "moved", "exported"),
    [
        ("en", "Viewed the case", "Moved the case: Submit", "Exported the audit trail"),
        (
            "cy",
            "Wedi edrych ar yr achos",
            "Wedi symud yr achos: Cyflwyno",
            "Wedi allforio’r trywydd archwilio",
        ),
    ],
)
def test_each_action_code_has_its_label_beside_it_in_the_askers_language(
    world, django_capture_on_commit_callbacks, language, viewed, moved, exported
):
    """Issue 19: like the case CSV's ``stage`` + ``stage_label``, the audit file keeps the
    action code (analysts filter on it, the same in every language) and puts its words beside
    it, in the language of the administrator who asked; an action no app has named is written
    as words from its code, never left as the bare code."""
    admin = world.user(Role.SYSTEM_ADMIN, agency=world.council_a)
    admin.language = language
    admin.save(update_fields=["language"])
    officer = world.user(Role.PREVENT_OFFICER, agency=world.police_a)
    audit_record(actor=officer, action="referral.viewed", obj=world.la_a)
    audit_record(actor=officer, action="referral.transition.submit", obj=world.la_a)
    audit_record(actor=admin, action="audit.exported", obj=world.la_a)
    audit_record(actor=officer, action="test.something_new", obj=world.la_a)
    with django_capture_on_commit_callbacks(execute=True):
        job = audit_export_request(
            actor=admin, object_type="accounts.localauthority", object_id=str(world.la_a.pk)
        )
    rows = exported_rows(job)
    assert AUDIT_EXPORT_COLUMNS.index("action_label") == AUDIT_EXPORT_COLUMNS.index("action") + 1
    assert [row["action"] for row in rows] == [
        "referral.viewed",
        "referral.transition.submit",
        "audit.exported",
        "test.something_new",
    ]
    assert [row["action_label"] for row in rows] == [viewed, moved, exported, "Test something new"]
