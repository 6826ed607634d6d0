"""Import previews are kept for a day: their rows hold people's names and e-mail addresses.

The retention purge (``prevent_cms.purge``, Celery beat) calls ``import_previews_purge_expired``:
``IMPORT_PREVIEW_RETENTION`` (default 24 hours) after an upload, its preview rows and the
uploaded file are deleted and the batch is marked purged; its counts stay. A preview not yet
confirmed is cancelled with a message saying why. An import under way is left until it ends.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from prevent_cms.jobs import retention_period_text
from prevent_cms.purge import delete_stored_file

from ..models import ImportBatch, ImportRow


def import_preview_retention() -> datetime.timedelta:
    return getattr(settings, "IMPORT_PREVIEW_RETENTION", datetime.timedelta(hours=24))


def import_previews_purge_expired(*, now: datetime.datetime) -> int:
    """Purge the previews of imports uploaded ``IMPORT_PREVIEW_RETENTION`` ago or more.

    Idempotent: a purged batch is skipped, a batch locked by a running import is skipped
    (``SKIP LOCKED``), and a file already gone is no error. Returns how many batches.
    """
    limit = now - import_preview_retention()
    expired = (
        ImportBatch.objects.filter(purged_at__isnull=True, created_at__lte=limit)
        .exclude(state=ImportBatch.State.IMPORTING, updated_at__gt=limit)
        .values_list("pk", flat=True)
    )
    purged = 0
    for batch_id in expired.iterator():
        with transaction.atomic():
            batch = (
                ImportBatch.objects.select_for_update(skip_locked=True)
                .filter(pk=batch_id, purged_at__isnull=True)
                .first()
            )
            if batch is None:
                continue
            name, storage = batch.file.name, batch.file.storage
            ImportRow.objects.filter(batch=batch).delete()
            changes = {"purged_at": now, "file": ""}
            if batch.state in (ImportBatch.State.CHECKING, ImportBatch.State.READY):
                changes["state"] = ImportBatch.State.CANCELLED
                changes["error"] = _(
                    "This check was deleted after %(period)s, as our retention policy "
                    "requires, before it was confirmed. Upload the file again."
                ) % {"period": retention_period_text(import_preview_retention())}
            ImportBatch.objects.filter(pk=batch.pk).update(**changes)
        delete_stored_file(storage, name)
        purged += 1
    return purged
