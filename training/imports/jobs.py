"""Start an import's check or run: inline for small files, as a background job for large ones."""

from uuid import UUID

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import User
from prevent_cms.jobs import job_create
from prevent_cms.registry import JobPage

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


def import_job_page(job) -> JobPage:
    """An import's check or run, as a job: its report is the row-by-row outcome."""
    checking = job.kind == "training.import.check"
    return JobPage(
        title=_("Checking a training import") if checking else _("Importing training records"),
        contains=_("The outcome of each row of the file you uploaded."),
        back_url=reverse("training:import_detail", args=[job.params.get("batch")]),
        back_label=_("Back to the import"),
    )
