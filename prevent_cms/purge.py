"""The retention purge: nothing is kept for ever by accident.

Celery beat runs ``retention_purge`` every hour (``prevent_cms.tasks.purge_expired``). It
deletes, each after its period (policy settings, README):

- job results (exports, compliance reports, packs' owner copies, import reports):
  ``JOB_RESULT_RETENTION``, 7 days after the job was made;
- sent outbox rows: ``OUTBOX_SENT_RETENTION``, 30 days after they were sent;
- API idempotency keys and the answers kept for retries (``prevent_cms.api.idempotency``):
  ``IDEMPOTENCY_KEY_RETENTION``, 24 hours after the first request;
- what the apps register with ``registry.register_purge`` — panel pack copies (72 hours after
  the panel) and training-import previews (24 hours; they hold names).

A purged file is deleted from storage and its row kept and marked (``purged_at``), so a
download answers 410 with the reason rather than vanishing. Running twice purges nothing
more, and a file already missing is no error. Each run writes one audit event with a count
per kind (no personal data).
"""

from __future__ import annotations

import contextlib
import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .api.idempotency import idempotency_keys_purge_expired
from .audit import audit_record
from .jobs import job_result_retention
from .models import Job, OutboxMessage
from .registry import purgers

logger = logging.getLogger(__name__)

PURGED = "retention.purged"


def outbox_sent_retention() -> datetime.timedelta:
    return getattr(settings, "OUTBOX_SENT_RETENTION", datetime.timedelta(days=30))


def delete_stored_file(storage, name: str) -> None:
    """Delete ``name`` from ``storage``; a file already gone (a second run) is no error."""
    if not name:
        return
    with contextlib.suppress(FileNotFoundError):
        storage.delete(name)


def job_result_purge(job: Job, *, now: datetime.datetime) -> bool:
    """Delete one job's result file and mark the job purged; False if nothing was there.

    Call with the job's row locked (or a job nobody else changes): the mark and the
    deletion happen together here.
    """
    if job.purged_at is not None:
        return False
    name, storage = job.result.name, job.result.storage
    Job.objects.filter(pk=job.pk).update(purged_at=now, result="")
    job.purged_at, job.result = now, None
    delete_stored_file(storage, name)
    return bool(name)


def job_results_purge_expired(*, now: datetime.datetime) -> int:
    """Purge the results of jobs made ``JOB_RESULT_RETENTION`` ago or more; how many."""
    limit = now - job_result_retention()
    expired = Job.objects.filter(purged_at__isnull=True, created_at__lte=limit).exclude(result="")
    purged = 0
    for job_id in expired.values_list("pk", flat=True).iterator():
        with transaction.atomic():
            job = (
                Job.objects.select_for_update(skip_locked=True)
                .filter(pk=job_id, purged_at__isnull=True)
                .first()
            )
            if job is not None and job_result_purge(job, now=now):
                purged += 1
    return purged


def outbox_purge_sent(*, now: datetime.datetime) -> int:
    """Delete outbox rows sent ``OUTBOX_SENT_RETENTION`` ago or more (pending rows stay)."""
    deleted, _by_model = OutboxMessage.objects.filter(
        sent_at__isnull=False, sent_at__lte=now - outbox_sent_retention()
    ).delete()
    return deleted


def retention_purge(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Run every purge once and audit the run: one event, counts per kind. Idempotent."""
    now = now or timezone.now()
    counts = {
        "job_results": job_results_purge_expired(now=now),
        "outbox_sent": outbox_purge_sent(now=now),
        "idempotency_keys": idempotency_keys_purge_expired(now=now),
    }
    for name, purge in sorted(purgers().items()):
        counts[name] = purge(now=now)
    audit_record(actor=None, action=PURGED, detail={"counts": counts})
    logger.info("retention purge: %s", counts)
    return counts
