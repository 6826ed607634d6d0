"""Background jobs: create one, report progress, finish it, and read the caller's own jobs."""

from __future__ import annotations

from celery import shared_task
from django.core.files.base import ContentFile, File
from django.db import OperationalError, transaction
from django.db.models import QuerySet

from .audit import audit_record
from .models import Job
from .outbox import outbox_enqueue


def job_task(function):
    """Declare the Celery task that works a ``Job`` given its id.

    Every job task is written to run twice (``job_start`` skips a finished job): acks late, so
    a worker that dies mid-job leaves it to be redelivered; retried only on
    ``OperationalError`` (the database went away), with backoff up to a minute, jitter and at
    most three attempts. Anything else fails the job once, visibly.
    """
    return shared_task(
        acks_late=True,
        autoretry_for=(OperationalError,),
        retry_backoff=True,
        retry_backoff_max=60,
        retry_jitter=True,
        max_retries=3,
    )(function)


def jobs_visible_to(user) -> QuerySet[Job]:
    """A job is its owner's alone: anyone else gets a 404."""
    if not user.is_authenticated:
        return Job.objects.none()
    return Job.objects.filter(owner=user)


@transaction.atomic
def job_create(*, owner, kind: str, params: dict, task) -> Job:
    """Record a queued job and enqueue ``task(job_id)`` through the outbox (sent on commit).

    ``params`` holds ids and codes only: it is stored and sent to the broker.
    """
    job = Job.objects.create(owner=owner, kind=kind, params=params)
    audit_record(actor=owner, action=f"job.{kind}.requested", obj=job, detail=params)
    outbox_enqueue(task, job.pk)
    return job


def job_progress(job: Job, progress: int) -> None:
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, progress=min(progress, 99))


def job_start(job_id) -> Job | None:
    """Claim a job for a worker; None if it is already finished (redelivery after a crash)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.state in (Job.State.DONE, Job.State.FAILED):
            return None
        job.state = Job.State.RUNNING
        job.save(update_fields=["state", "updated_at"])
        return job


def job_finish(job: Job, *, content: bytes | File, name: str, content_type: str) -> None:
    """Store the result and mark the job done. ``content`` may be a file on disk (an export
    streamed there), which storage moves or copies in chunks instead of reading it whole."""
    file = content if isinstance(content, File) else ContentFile(content)
    job.result.save(name, file, save=False)
    job.result_name = name
    job.result_content_type = content_type
    job.state = Job.State.DONE
    job.progress = 100
    job.save()


def job_fail(job: Job, *, message: str) -> None:
    """``message`` is shown to the owner: keep it free of personal data."""
    Job.objects.filter(pk=job.pk).update(state=Job.State.FAILED, error=message[:500])
