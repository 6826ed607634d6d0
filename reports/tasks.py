"""Export jobs. Tasks take ids only, re-read the job, and may run twice (``acks_late``).

A job already done or failed is left alone (``job_start`` returns None), so a redelivered
task after a worker crash does not write the file or the audit event a second time.
"""

from __future__ import annotations

import datetime

from celery import shared_task
from django.contrib.auth import get_user_model
from django.db import transaction

from accounts.models import LocalAuthority
from prevent_cms.audit import audit_record
from prevent_cms.jobs import job_finish, job_progress, job_start, job_task

from .compliance import compliance_report
from .exports import CONTENT_TYPES, WRITERS
from .periods import Period


@job_task
def compliance_export(job_id: str) -> None:
    """Write the compliance report (``job.params``: format, from, to, local_authority)."""
    job = job_start(job_id)
    if job is None:
        return
    params = job.params
    user = get_user_model().objects.get(pk=job.owner_id)
    local_authority = LocalAuthority.objects.get(pk=params["local_authority"])
    period = Period(
        datetime.date.fromisoformat(params["from"]), datetime.date.fromisoformat(params["to"])
    )
    fmt = params["format"]
    report = compliance_report(user=user, local_authority=local_authority, period=period)
    job_progress(job, 50)
    content = WRITERS[fmt](report)
    with transaction.atomic():
        job_finish(
            job,
            content=content,
            name=f"compliance-{period.start:%Y%m%d}-{period.end:%Y%m%d}.{fmt}",
            content_type=CONTENT_TYPES[fmt],
        )
        audit_record(
            actor=user,
            action="reports.export.done",
            obj=job,
            detail={
                "format": fmt,
                "local_authority": str(local_authority.pk),
                **period.as_params(),
            },
        )


@shared_task(acks_late=True, ignore_result=True)
def refresh_statistics_rollup() -> int:
    """Rewrite the statistics rollup rows of referrals changed outside a lifecycle step
    (``reports.rollup``); may run twice or concurrently (``SKIP LOCKED``)."""
    from .rollup import statistics_rollup_refresh_stale

    return statistics_rollup_refresh_stale()
