"""Background jobs: create one, report progress, finish it, and read the caller's own jobs."""

from __future__ import annotations

import datetime
import functools
from enum import StrEnum
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import OperationalError, transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .audit import audit_record
from .models import Job
from .outbox import outbox_enqueue
from .registry import job_reader, job_result_opener


def job_task(function):
    """Declare the Celery task that works a ``Job`` given its id.

    Every job task is written to run twice (``job_start`` skips a finished job): acks late, so
    a worker that dies mid-job leaves it to be redelivered; retried only on
    ``OperationalError`` (the database went away), with backoff up to a minute, jitter and at
    most three attempts. Anything else fails the job once, visibly.

    The task runs in the language of the person who asked (``Job.language``, issue 19): the
    file's headings, labels and dates are worded as the page they asked from was.
    """

    @functools.wraps(function)
    def in_the_askers_language(job_id, *args, **kwargs):
        with translation.override(job_language(job_id)):
            return function(job_id, *args, **kwargs)

    return shared_task(
        acks_late=True,
        queue_kind="exports",  # prevent_cms.queues: a pack goes to "pdf" instead
        autoretry_for=(OperationalError,),
        retry_backoff=True,
        retry_backoff_max=60,
        retry_jitter=True,
        max_retries=3,
    )(in_the_askers_language)


def job_language(job_id) -> str:
    """The language a job's file is made in: the one recorded when it was asked for."""
    language = Job.objects.filter(pk=job_id).values_list("language", flat=True).first()
    return language or settings.LANGUAGE_CODE


# What a mail server that is down, slow or refusing connections raises: worth trying again.
MAIL_ERRORS = (SMTPException, ConnectionError, TimeoutError)


def email_task(function):
    """Declare a Celery task that sends e-mail, given ids only.

    Every mail task is written to run twice (at most one more mail, never a lost one): acks
    late, so a worker that dies mid-send leaves it to be redelivered; retried only on
    ``MAIL_ERRORS``, with backoff from a minute up to an hour, jitter so queued mail does not
    hit a recovering server at once, and at most five attempts. Anything else is a bug and
    fails once, visibly.
    """
    return shared_task(
        acks_late=True,
        ignore_result=True,
        queue_kind="email",  # prevent_cms.queues: never behind a burst of packs or exports
        autoretry_for=MAIL_ERRORS,
        retry_backoff=60,
        retry_backoff_max=3600,
        retry_jitter=True,
        max_retries=5,
    )(function)


def jobs_visible_to(user) -> QuerySet[Job]:
    """A job is its owner's alone: anyone else gets a 404."""
    if not user.is_authenticated:
        return Job.objects.none()
    return Job.objects.filter(owner=user)


class ResultAccess(StrEnum):
    """What a download of a job's result may answer, decided when it is read."""

    READY = "ready"  # serve it
    NOT_READY = "not_ready"  # still running, failed, or no file: 404
    PURGED = "purged"  # deleted by the retention purge: 410
    WITHDRAWN = "withdrawn"  # the reader's scope no longer covers what it holds: 410


def job_result_retention() -> datetime.timedelta:
    """How long a job's result file is kept (``JOB_RESULT_RETENTION``, default 7 days)."""
    return getattr(settings, "JOB_RESULT_RETENTION", datetime.timedelta(days=7))


def retention_period_text(period: datetime.timedelta) -> str:
    """A retention period in words for people: whole days as days, anything else as hours."""
    hours = int(period.total_seconds() // 3600)
    if hours % 24 == 0:
        days = hours // 24
        return ngettext("%(count)d day", "%(count)d days", days) % {"count": days}
    return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}


def job_result_access(user, job: Job) -> ResultAccess:
    """May ``user`` download ``job``'s result now? Call with a job of ``jobs_visible_to``.

    Authorised at read time, never trusted from when the file was made: the app that made
    the kind re-checks the reader's current roles and scope (``registry.register_job_reader``);
    a kind nobody registered is never readable.
    """
    if job.purged_at is not None:
        return ResultAccess.PURGED
    if job.state != Job.State.DONE or not (job.result or job_result_opener(job.kind)):
        return ResultAccess.NOT_READY
    reader = job_reader(job.kind)
    if reader is None or not reader.may_read(user, job):
        return ResultAccess.WITHDRAWN
    return ResultAccess.READY


def job_result_readable_by(user, job: Job) -> bool:
    return (
        jobs_visible_to(user).filter(pk=job.pk).exists()
        and job_result_access(user, job) == ResultAccess.READY
    )


def job_result_gone_message(job: Job, access: ResultAccess) -> str:
    """Why a result answers 410, in words for its owner (no personal data)."""
    reader = job_reader(job.kind)
    if access == ResultAccess.PURGED:
        return str(reader.purged_message if reader else "") or _(
            "This file was deleted after %(period)s, as our retention policy requires. "
            "Make the export again."
        ) % {"period": retention_period_text(job_result_retention())}
    return str(reader.withdrawn_message if reader else "") or _(
        "This file is no longer available to you, because what you may see has changed "
        "since it was made. Make it again if you still need it."
    )


@transaction.atomic
def job_result_open(*, job: Job, actor) -> File:
    """Audit a download of a job's result (``job.download``, through whichever door it
    left, page or API) and open the file: the job's own, or the one its kind's opener
    serves (a pack's owner copy, spent once; ``Gone`` after, and the audit with it undone)."""
    audit_record(actor=actor, action="job.download", obj=job, detail={"kind": job.kind})
    opener = job_result_opener(job.kind)
    if opener is not None:
        return opener(job=job, actor=actor)
    return job.result.open("rb")


@transaction.atomic
def job_create(*, owner, kind: str, params: dict, task) -> Job:
    """Record a queued job and enqueue ``task(job_id)`` through the outbox (sent on commit).

    ``params`` holds ids and codes only: it is stored and sent to the broker. The language
    the file will be made in is recorded on the row (never sent as an argument): the one the
    owner chose, else the one the request was answered in.
    """
    language = getattr(owner, "language", "") or translation.get_language() or ""
    job = Job.objects.create(owner=owner, kind=kind, params=params, language=language)
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


def job_finish(job: Job, *, content: bytes | File | None, name: str, content_type: str) -> None:
    """Store the result and mark the job done. ``content`` may be a file on disk (an export
    streamed there), which storage moves or copies in chunks instead of reading it whole;
    ``None`` for a kind whose result is opened elsewhere (``register_job_result_opener``)."""
    if content is not None:
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
