"""Background tasks of the shared building blocks.

Tasks take ids only, re-read their rows, and return early when the work is already done: with
``acks_late`` a task whose worker died is delivered again, so every task here may run twice.
"""

from __future__ import annotations

import csv
import io
import json

from celery import shared_task
from django.db import transaction
from django.db.models import Q

from accounts.models import Role

from .audit import audit_record
from .audit_labels import audit_action_label
from .jobs import job_fail, job_finish, job_progress, job_start, job_task
from .models import AuditEvent, Job
from .notifications import notification_send_digests
from .outbox import outbox_relay
from .purge import retention_purge
from .spreadsheet import formula_safe, iso_moment, moment_header

AUDIT_EXPORT_COLUMNS = [
    moment_header("at"),
    "action",
    "action_label",
    "actor_id",
    "actor_username",
    "object_type",
    "object_id",
    "request_id",
    "reason",
    "detail",
]
_PROGRESS_EVERY = 500


def _started_for_an_admin(job_id: str) -> Job | None:
    """The job, started, while its owner is still a system administrator; None when it is
    already done, or (failing it) when the owner's role was taken away since they asked."""
    job = job_start(job_id)
    if job is None:
        return None
    if not job.owner.has_role(Role.SYSTEM_ADMIN):
        job_fail(job, message="Only a system administrator may export the audit trail.")
        return None
    return job


@job_task
def audit_export_for_object(job_id: str) -> None:
    """Write the audit trail of one object (``job.params``) as CSV into the job's result.

    May run twice (redelivery after a worker crash, or a retry after a database error): a job
    already finished is left alone, and the result and the ``audit.exported`` event are
    written once, under the job's row lock. Retries only on ``OperationalError`` (the database
    went away), with backoff, jitter and at most three attempts.
    """
    job = _started_for_an_admin(job_id)
    if job is None:
        return
    owner = job.owner
    object_type = job.params["object_type"]
    object_id = job.params["object_id"]
    events = AuditEvent.objects.filter(object_type=object_type, object_id=object_id)
    _export(
        job,
        owner,
        events,
        name=f"audit-{object_type}-{object_id}.csv",
        audited={"object_type": object_type, "object_id": object_id},
    )


@job_task
def audit_export_for_user(job_id: str) -> None:
    """Write the audit trail of one person — what they did, and what was done to their
    account — as CSV. Runs twice safely, retries like ``audit_export_for_object``."""
    job = _started_for_an_admin(job_id)
    if job is None:
        return
    owner = job.owner
    user_id = job.params["user_id"]
    events = AuditEvent.objects.filter(
        Q(actor_id=user_id) | Q(object_type="accounts.user", object_id=str(user_id))
    )
    _export(
        job,
        owner,
        events,
        name=f"audit-user-{user_id}.csv",
        audited={"object_type": "accounts.user", "object_id": str(user_id)},
    )


def _export(job: Job, owner, events, *, name: str, audited: dict) -> None:
    """Write ``events`` as CSV into the job, then audit the export once, under the job lock."""
    total = events.count()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(AUDIT_EXPORT_COLUMNS)
    rows = (
        events.order_by("at", "id")
        .values_list(
            "at",
            "action",
            "actor_id",
            "actor__username",
            "object_type",
            "object_id",
            "request_id",
            "reason",
            "detail",
        )
        .iterator(chunk_size=2000)
    )
    written = 0
    # Each action's words once per file, not once per row (the job runs in the asker's
    # language: ``jobs.job_task``).
    labels: dict[str, str] = {}

    def action_label(action: str) -> str:
        if action not in labels:
            labels[action] = audit_action_label(action)
        return labels[action]

    for at, action, actor_id, username, o_type, o_id, request_id, reason, detail in rows:
        writer.writerow(
            [
                iso_moment(at),
                formula_safe(action),
                formula_safe(action_label(action)),
                str(actor_id or ""),
                formula_safe(username or ""),
                formula_safe(o_type),
                formula_safe(o_id),
                request_id,
                formula_safe(reason),
                formula_safe(json.dumps(detail, sort_keys=True)),
            ]
        )
        written += 1
        if written % _PROGRESS_EVERY == 0:
            job_progress(job, written * 100 // max(total, 1))

    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.state == Job.State.DONE:
            return
        job_finish(
            job,
            content=buffer.getvalue().encode("utf-8"),
            name=name,
            content_type="text/csv",
        )
        audit_record(
            actor=owner,
            action="audit.exported",
            **audited,
            detail={"job": str(job.pk), "rows": written},
        )


@shared_task(acks_late=True, ignore_result=True)
def relay_outbox() -> int:
    """Celery beat, every 30 s: send outbox rows left pending while Redis was down.

    May run twice or overlap another run: rows are claimed with ``SKIP LOCKED``.
    """
    return outbox_relay()


@shared_task(acks_late=True, ignore_result=True)
def purge_expired() -> dict:
    """Celery beat, hourly: delete what is kept only for a while (``prevent_cms.purge``).

    May run twice or overlap another run: what is purged is marked and skipped, rows are
    claimed with ``SKIP LOCKED``, and a file already gone is no error.
    """
    return retention_purge()


@shared_task(acks_late=True, ignore_result=True)
def send_notification_digests() -> int:
    """Beat, daily: one e-mail per person who chose the digest. A second run sends nothing."""
    return notification_send_digests()
