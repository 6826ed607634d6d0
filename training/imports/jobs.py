"""Start an import's check or run: inline for small files, as a background job for large ones."""

from uuid import UUID

from django.db import transaction

from accounts.models import User
from prevent_cms.jobs import job_create

from .. import conf
from ..models import ImportBatch
from ..tasks import import_check, import_run
from .reader import Sheet
from .services import import_batch_check, import_batch_run


def runs_in_background(batch: ImportBatch) -> bool:
    return batch.total_rows > conf.import_inline_rows()


def _start_job(*, actor: User, batch: ImportBatch, kind: str, task) -> ImportBatch:
    with transaction.atomic():
        job = job_create(owner=actor, kind=kind, params={"batch": str(batch.pk)}, task=task)
        ImportBatch.objects.filter(pk=batch.pk).update(job=job)
    batch.refresh_from_db()
    return batch


def import_check_start(
    *,
    actor: User,
    batch_id: UUID | str,
    sheet: Sheet | None = None,
    background: bool | None = None,
) -> ImportBatch:
    batch = ImportBatch.objects.get(pk=batch_id)
    if background is None:
        background = runs_in_background(batch)
    if background:
        return _start_job(actor=actor, batch=batch, kind="training.import.check", task=import_check)
    return import_batch_check(batch_id=batch.pk, sheet=sheet)


def import_run_start(
    *, actor: User, batch_id: UUID | str, background: bool | None = None
) -> ImportBatch:
    batch = ImportBatch.objects.get(pk=batch_id)
    if background is None:
        background = runs_in_background(batch)
    if background:
        return _start_job(actor=actor, batch=batch, kind="training.import.run", task=import_run)
    return import_batch_run(batch_id=batch.pk)
