"""Writes for bulk imports: upload, check, confirm, import (all or nothing) and cancel.

The flow is: ``import_batch_create`` (file-level checks, nothing else stored on failure) →
``import_batch_check`` (row-by-row preview) → ``import_batch_confirm`` → ``import_batch_run``
(re-checks, then writes every accepted row in one transaction, or nothing) — with large files
the check and the run are background jobs (``training.imports.jobs``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from uuid import UUID

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from prevent_cms.audit import audit_record
from prevent_cms.errors import ActionForbidden, InvalidInput

from ..models import DeliveryMode, ImportBatch, ImportRow, StaffMember, StaffRole, TrainingRecord
from ..permissions import can_record_training
from ..services import ValidityTable
from .reader import FileRejected, Sheet, read_upload
from .rows import RowResult, check_sheet

Progress = Callable[[int], None]


def changed_since_check() -> str:
    return _(
        "Some records changed after the file was checked, so nothing was imported. "
        "Upload the file again to see an up-to-date check."
    )


def import_failed() -> str:
    return _("The file could not be read again, so nothing was imported. Upload it again.")


def import_batch_create(*, actor: User, upload: UploadedFile) -> tuple[ImportBatch, Sheet]:
    """Check the file as a whole and keep it for the row check. Raises ``FileRejected``."""
    if not can_record_training(actor) or actor.agency_id is None:
        raise ActionForbidden
    sheet = read_upload(upload, filename=upload.name or "", size=upload.size or 0)
    with transaction.atomic():
        batch = ImportBatch(
            created_by=actor,
            agency_id=actor.agency_id,
            file_format=sheet.file_format,
            original_name=(upload.name or "")[:200],
            total_rows=len(sheet.rows),
        )
        upload.seek(0)
        batch.file.save(f"{batch.pk}.{sheet.file_format}", upload, save=False)
        batch.save()
        audit_record(
            actor=actor,
            action="training.import.uploaded",
            obj=batch,
            detail={"rows": batch.total_rows, "format": batch.file_format},
        )
    return batch, sheet


def _stored_sheet(batch: ImportBatch) -> Sheet:
    with batch.file.open("rb") as handle:
        return read_upload(handle, filename=batch.file.name or "", size=batch.file.size)


def _fail(batch: ImportBatch, message: str) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(
        state=ImportBatch.State.FAILED, error=message[:500], finished_at=timezone.now()
    )
    batch.refresh_from_db()
    _delete_file(batch)


def _delete_file(batch: ImportBatch) -> None:
    name = batch.file.name
    if name:
        storage = batch.file.storage
        ImportBatch.objects.filter(pk=batch.pk).update(file="")
        transaction.on_commit(lambda: storage.delete(name))


def import_batch_check(
    *, batch_id: UUID | str, sheet: Sheet | None = None, progress: Progress | None = None
) -> ImportBatch:
    """Judge every row and store the preview. Safe to run twice: a checked batch is left."""
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.state != ImportBatch.State.CHECKING:
        return batch
    if sheet is None:
        try:
            sheet = _stored_sheet(batch)
        except FileRejected as error:
            _fail(batch, str(error))
            return batch
    results = check_sheet(sheet, agency=batch.agency, progress=progress)
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.state != ImportBatch.State.CHECKING:
            return locked
        ImportRow.objects.filter(batch=locked).delete()
        ImportRow.objects.bulk_create([r.as_row(locked) for r in results], batch_size=1000)
        counts = _counts(results)
        for name, value in counts.items():
            setattr(locked, name, value)
        locked.state = ImportBatch.State.READY
        locked.save()
    return locked


def _counts(results: list[RowResult]) -> dict[str, int]:
    actions = [r.action for r in results]
    return {
        "create_count": actions.count(ImportRow.Action.CREATE),
        "update_count": actions.count(ImportRow.Action.UPDATE),
        "unchanged_count": actions.count(ImportRow.Action.UNCHANGED),
        "reject_count": actions.count(ImportRow.Action.REJECT),
    }


@transaction.atomic
def import_batch_confirm(*, actor: User, batch_id: UUID | str) -> ImportBatch:
    """The person has seen the preview and wants the accepted rows imported."""
    batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
    if batch.created_by_id != actor.pk or not can_record_training(actor):
        raise ActionForbidden
    if batch.state != ImportBatch.State.READY:
        raise InvalidInput(detail=_("This import has already been confirmed or cancelled."))
    if not batch.importable_count:
        raise InvalidInput(detail=_("There is nothing in this file to import."))
    batch.state = ImportBatch.State.IMPORTING
    batch.save(update_fields=["state", "updated_at"])
    audit_record(
        actor=actor,
        action="training.import.confirmed",
        obj=batch,
        detail={"create": batch.create_count, "update": batch.update_count},
    )
    return batch


@transaction.atomic
def import_batch_cancel(*, actor: User, batch_id: UUID | str) -> ImportBatch:
    batch = ImportBatch.objects.select_for_update().get(pk=batch_id)
    if batch.created_by_id != actor.pk:
        raise ActionForbidden
    if batch.state not in (ImportBatch.State.CHECKING, ImportBatch.State.READY):
        raise InvalidInput(detail=_("This import can no longer be cancelled."))
    batch.state = ImportBatch.State.CANCELLED
    batch.finished_at = timezone.now()
    batch.save(update_fields=["state", "finished_at", "updated_at"])
    batch.rows.all().delete()
    _delete_file(batch)
    audit_record(actor=actor, action="training.import.cancelled", obj=batch)
    return batch


def import_batch_run(*, batch_id: UUID | str, progress: Progress | None = None) -> ImportBatch:
    """Import every accepted row in one transaction, or nothing.

    The file is checked again first; if anything would now happen differently from the
    preview the person confirmed, nothing is written and they are asked to upload again.
    Safe to run twice: a batch that is no longer ``importing`` is left alone.
    """
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.state != ImportBatch.State.IMPORTING:
        return batch
    try:
        sheet = _stored_sheet(batch)
    except (FileRejected, OSError, ValueError):
        _fail(batch, import_failed())
        return batch

    def checking(percent: int) -> None:
        if progress is not None:
            progress(percent * 8 // 10)

    results = check_sheet(sheet, agency=batch.agency, progress=checking)
    previewed = {row.number: row for row in batch.rows.all()}
    if len(previewed) != len(results) or any(
        r.number not in previewed or not r.same_outcome(previewed[r.number]) for r in results
    ):
        _fail(batch, changed_since_check())
        return batch
    if progress is not None:
        progress(80)
    try:
        with transaction.atomic():
            locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if locked.state != ImportBatch.State.IMPORTING:
                return locked
            written = _write(locked, results)
            locked.state = ImportBatch.State.DONE
            locked.finished_at = timezone.now()
            locked.save(update_fields=["state", "finished_at", "updated_at"])
            audit_record(
                actor=locked.created_by,
                action="training.import.completed",
                obj=locked,
                detail=written,
            )
            _delete_file(locked)
    except IntegrityError:
        _fail(batch, changed_since_check())
    batch.refresh_from_db()
    return batch


PERSON_FIELDS = ["name", "department", "role", "frontline", "contractor", "elected_member"]


def _write(batch: ImportBatch, results: list[RowResult]) -> dict[str, int]:
    """Write the accepted rows: a fixed number of queries, whatever the file's length."""
    agency = batch.agency
    table = ValidityTable()
    rows = [r for r in results if r.action in (ImportRow.Action.CREATE, ImportRow.Action.UPDATE)]
    known = {s.email: s for s in StaffMember.objects.select_for_update().filter(agency=agency)}
    new_staff: dict[str, StaffMember] = {}
    changed: dict[str, StaffMember] = {}
    role_changed: set = set()
    now = timezone.now()
    for row in rows:
        data = row.data
        email = data["email"]
        staff = known.get(email) or new_staff.get(email)
        if staff is None:
            new_staff[email] = StaffMember(
                agency=agency,
                email=email,
                name=data["name"],
                department=data["department"],
                role=data["role"] or StaffRole.OTHER,
                frontline=bool(data["frontline"]),
                contractor=bool(data["contractor"]),
                elected_member=bool(data["elected_member"]),
            )
            continue
        for name in PERSON_FIELDS:
            value = data[name]
            if value in ("", None) or getattr(staff, name) == value:
                continue
            if name == "role" and email in known:
                role_changed.add(staff.pk)
            setattr(staff, name, value)
            if email in known:
                staff.updated_at = now
                changed[email] = staff
    StaffMember.objects.bulk_create(new_staff.values(), batch_size=500)
    StaffMember.objects.bulk_update(changed.values(), [*PERSON_FIELDS, "updated_at"], 500)

    record_ids = [uuid.UUID(r.data["record"]) for r in rows if r.data["record"]]
    existing = {r.pk: r for r in TrainingRecord.objects.filter(pk__in=record_ids)}
    new_records, updated = [], []
    for row in rows:
        data = row.data
        staff = known.get(data["email"]) or new_staff[data["email"]]
        course = table.courses[uuid.UUID(data["course"])]
        completed_on = date.fromisoformat(data["completed_on"])
        expires_on = table.expires_on(
            course, sector=agency.sector, role=staff.role, completed_on=completed_on
        )
        if data["record"]:
            record = existing[uuid.UUID(data["record"])]
            record.delivery_mode = data["delivery_mode"] or record.delivery_mode
            record.expires_on = expires_on
            updated.append(record)
        else:
            new_records.append(
                TrainingRecord(
                    staff=staff,
                    course=course,
                    completed_on=completed_on,
                    delivery_mode=data["delivery_mode"] or DeliveryMode.ONLINE,
                    expires_on=expires_on,
                    recorded_by=batch.created_by,
                    import_batch=batch,
                )
            )
    TrainingRecord.objects.bulk_create(new_records, batch_size=500)
    TrainingRecord.objects.bulk_update(updated, ["delivery_mode", "expires_on"], batch_size=500)
    if role_changed:
        _recompute_for_staff(role_changed, table, skip={r.pk for r in new_records + updated})
    return {
        "created": len(new_records),
        "updated": len(updated),
        "staff_added": len(new_staff),
        "staff_updated": len(changed),
    }


def _recompute_for_staff(staff_ids: set, table: ValidityTable, *, skip: set) -> None:
    """A role changed by the import can change how long their other training lasts."""
    records = list(
        TrainingRecord.objects.filter(staff_id__in=staff_ids)
        .exclude(pk__in=skip)
        .select_related("staff__agency")
    )
    for record in records:
        record.expires_on = table.expires_on(
            table.courses[record.course_id],
            sector=record.staff.agency.sector,
            role=record.staff.role,
            completed_on=record.completed_on,
        )
    TrainingRecord.objects.bulk_update(records, ["expires_on"], batch_size=500)
