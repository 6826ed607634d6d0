"""Celery tasks: ids in, services do the work. Each may run twice (late acks, redelivery).

- ``import_check`` / ``import_run`` claim their job with ``job_start`` (a finished job is
  never redone) and the services skip a batch already past that step.
- ``send_monthly_reminders`` fans out one ``send_reminder`` per agency lead (through the
  project's transactional outbox); the reminder log row per lead per month makes a second run,
  or a redelivered message, send nothing.
"""

from __future__ import annotations

import logging
from datetime import date

from celery import shared_task
from django.utils.translation import gettext as _

from prevent_cms.jobs import email_task, job_fail, job_finish, job_progress, job_start, job_task
from prevent_cms.outbox import outbox_enqueue

from .dates import month_start
from .exports import csv_text
from .imports.services import import_batch_check, import_batch_run
from .models import ImportBatch, ImportRow
from .reminders import reminder_send, reminders_due

logger = logging.getLogger(__name__)


def _batch_for(job) -> ImportBatch | None:
    return ImportBatch.objects.filter(pk=job.params.get("batch")).first()


def _report(batch: ImportBatch) -> bytes:
    """The outcome per row, for the person who uploaded the file (their job's result)."""
    labels = {code: str(label) for code, label in ImportRow.Action.choices}
    rows = (
        [row.number, labels[row.action], " ".join(row.problems), " ".join(row.warnings)]
        for row in batch.rows.all().iterator(chunk_size=2000)
    )
    headers = [_("Row"), _("Outcome"), _("Problems"), _("Warnings")]
    return csv_text(headers, rows).encode("utf-8")


def _run(job_id: str, step, name: str) -> None:
    job = job_start(job_id)
    if job is None:
        return
    batch = _batch_for(job)
    if batch is None:
        job_fail(job, message=_("The file is no longer there. Upload it again."))
        return
    logger.info("training import %s: %s", batch.pk, name)
    batch = step(batch_id=batch.pk, progress=lambda percent: job_progress(job, percent))
    if batch.state == ImportBatch.State.FAILED:
        job_fail(job, message=batch.error)
        return
    job_finish(
        job, content=_report(batch), name=f"training-import-{name}.csv", content_type="text/csv"
    )


@job_task
def import_check(job_id: str) -> None:
    """Check an uploaded file row by row and store the preview."""
    _run(job_id, import_batch_check, "check")


@job_task
def import_run(job_id: str) -> None:
    """Import a confirmed file, all rows or none."""
    _run(job_id, import_batch_run, "result")


@shared_task(acks_late=True, ignore_result=True)
def send_monthly_reminders() -> int:
    """Celery beat, monthly: queue one reminder per agency lead not yet reminded this month."""
    leads = reminders_due()
    period = month_start().isoformat()
    for lead_id in leads:
        outbox_enqueue(send_reminder, lead_id, period)
    logger.info("training reminders queued: %s", len(leads))
    return len(leads)


@email_task
def send_reminder(lead_id: str, period: str) -> None:
    """E-mail one agency lead; does nothing if this month's reminder has already gone."""
    log = reminder_send(lead_id=lead_id, period=date.fromisoformat(period))
    if log is not None:
        logger.info("training reminder %s: %s", log.pk, log.state)
