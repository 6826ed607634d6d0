"""Every write to training data. Keyword-only, typed, atomic; views, API and tasks call these."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import Agency, User
from prevent_cms.audit import audit_record
from prevent_cms.errors import ActionForbidden, FieldError, InvalidInput

from . import conf
from .dates import add_months, today
from .files import check_certificate
from .models import Course, CourseValidity, StaffMember, StaffRole, TrainingRecord
from .permissions import can_record_for


class ValidityTable:
    """Validity periods of every course and override, loaded once for many records."""

    def __init__(self, courses: list[Course] | None = None) -> None:
        if courses is None:
            courses = list(Course.objects.all())
        self.courses = {course.pk: course for course in courses}
        self.overrides: dict[tuple, int] = {
            (v.course_id, v.sector, v.role): v.valid_months
            for v in CourseValidity.objects.filter(course__in=self.courses)
        }

    def months(self, course: Course, *, sector: str, role: str) -> int:
        for key in (
            (course.pk, sector, role),
            (course.pk, "", role),
            (course.pk, sector, ""),
        ):
            if key in self.overrides:
                return self.overrides[key]
        return course.valid_for_months

    def expires_on(self, course: Course, *, sector: str, role: str, completed_on: date) -> date:
        return add_months(completed_on, self.months(course, sector=sector, role=role))


def validity_months(*, course: Course, sector: str, role: str) -> int:
    """How long ``course`` stays valid for someone in ``role`` at an agency in ``sector``."""
    return ValidityTable([course]).months(course, sector=sector, role=role)


def check_completed_on(*, completed_on: date, on: date | None = None) -> None:
    """Completion dates cannot be in the future or implausibly old."""
    on = on or today()
    if completed_on > on:
        raise ValidationError(_("The completion date must be today or in the past."), code="future")
    if completed_on.year < conf.earliest_completion_year():
        raise ValidationError(
            _("The completion date must be in %(year)s or later. Check the year.")
            % {"year": conf.earliest_completion_year()},
            code="too_old",
        )


def prerequisite_warning(*, staff: StaffMember | None, course: Course, completed_on: date) -> str:
    """A warning (never an error) when the course's usual first course is not recorded.

    People often did the first course elsewhere, so the record is saved either way.
    """
    required = course.requires
    if required is None:
        return ""
    if staff is not None and (
        TrainingRecord.objects.filter(
            staff=staff, course=required, completed_on__lte=completed_on
        ).exists()
    ):
        return ""
    return prerequisite_message(course=course, required=required)


def prerequisite_message(*, course: Course, required: Course) -> str:
    return _(
        "%(course)s is normally taken after %(required)s, and no %(required)s completion is "
        "recorded for this person on or before that date. The record is kept: add the "
        "%(required)s completion if they did it elsewhere."
    ) % {"course": course.title, "required": required.title}


@dataclass
class PersonDetails:
    """What an agency lead records about the person trained."""

    name: str
    email: str
    department: str = ""
    role: str = StaffRole.OTHER
    frontline: bool = False
    contractor: bool = False
    elected_member: bool = False


@dataclass
class RecordResult:
    record: TrainingRecord
    warnings: list[str]


def _require_recorder(actor: User, agency: Agency) -> None:
    if not can_record_for(actor, agency):
        raise ActionForbidden


def staff_member_save(*, agency: Agency, person: PersonDetails) -> StaffMember:
    """Find the person by e-mail within the agency, or add them; update what changed.

    A change of role can change how long training lasts, so expiry dates are recomputed.
    """
    email = person.email.strip().lower()
    staff = StaffMember.objects.select_for_update().filter(agency=agency, email=email).first()
    fields = {
        "name": person.name.strip(),
        "department": person.department.strip(),
        "role": person.role or StaffRole.OTHER,
        "frontline": person.frontline,
        "contractor": person.contractor,
        "elected_member": person.elected_member,
    }
    if staff is None:
        return StaffMember.objects.create(agency=agency, email=email, **fields)
    changed = [name for name, value in fields.items() if getattr(staff, name) != value]
    if changed:
        role_changed = staff.role != fields["role"]
        for name in changed:
            setattr(staff, name, fields[name])
        staff.save(update_fields=[*changed, "updated_at"])
        if role_changed:
            staff_recompute_expiry(staff_id=staff.pk)
    return staff


def staff_recompute_expiry(*, staff_id: UUID | str) -> int:
    table = ValidityTable()
    staff = StaffMember.objects.select_related("agency").get(pk=staff_id)
    records = list(staff.records.all())
    for record in records:
        record.expires_on = table.expires_on(
            table.courses[record.course_id],
            sector=staff.agency.sector,
            role=staff.role,
            completed_on=record.completed_on,
        )
    TrainingRecord.objects.bulk_update(records, ["expires_on"])
    return len(records)


def _save_certificate(record: TrainingRecord, certificate: UploadedFile) -> None:
    checked = check_certificate(certificate)
    if record.certificate:
        record.certificate.delete(save=False)
    record.certificate.save(f"certificate.{checked.extension}", certificate, save=False)
    record.certificate_name = (certificate.name or "")[:200]
    record.certificate_content_type = checked.content_type


def _check_unique(*, staff: StaffMember, course: Course, completed_on: date, exclude=None) -> None:
    duplicates = TrainingRecord.objects.filter(
        staff=staff, course=course, completed_on=completed_on
    )
    if exclude is not None:
        duplicates = duplicates.exclude(pk=exclude.pk)
    if duplicates.exists():
        raise InvalidInput(
            {
                "completed_on": FieldError(
                    _("This person already has a record of %(course)s completed on %(date)s.")
                    % {"course": course.title, "date": date_format(completed_on, "j F Y")},
                    code="duplicate",
                )
            }
        )


def _check_completed_on_field(completed_on: date) -> None:
    try:
        check_completed_on(completed_on=completed_on)
    except ValidationError as error:
        raise InvalidInput.on_field("completed_on", error) from error


def _record_save(
    *, actor: User, record: TrainingRecord, certificate: UploadedFile | None, action: str
) -> RecordResult:
    """Store the certificate and the record, audit it and warn of a missing prerequisite."""
    if certificate is not None:
        try:
            _save_certificate(record, certificate)
        except ValidationError as error:
            raise InvalidInput.on_field("certificate", error) from error
    record.save()
    staff, course = record.staff, record.course
    audit_record(
        actor=actor,
        action=action,
        obj=record,
        detail={"course": course.code, "agency": str(staff.agency_id)},
    )
    warning = prerequisite_warning(staff=staff, course=course, completed_on=record.completed_on)
    return RecordResult(record, [warning] if warning else [])


@transaction.atomic
def record_create(
    *,
    actor: User,
    agency: Agency,
    person: PersonDetails,
    course: Course,
    completed_on: date,
    delivery_mode: str,
    certificate: UploadedFile | None = None,
) -> RecordResult:
    """Record one completion for a person of the actor's own agency."""
    _require_recorder(actor, agency)
    _check_completed_on_field(completed_on)
    staff = staff_member_save(agency=agency, person=person)
    _check_unique(staff=staff, course=course, completed_on=completed_on)
    record = TrainingRecord(
        staff=staff,
        course=course,
        completed_on=completed_on,
        delivery_mode=delivery_mode,
        recorded_by=actor,
        expires_on=ValidityTable([course]).expires_on(
            course, sector=agency.sector, role=staff.role, completed_on=completed_on
        ),
    )
    return _record_save(
        actor=actor, record=record, certificate=certificate, action="training.record.created"
    )


@transaction.atomic
def record_update(
    *,
    actor: User,
    record_id: UUID | str,
    person: PersonDetails,
    course: Course,
    completed_on: date,
    delivery_mode: str,
    certificate: UploadedFile | None = None,
    remove_certificate: bool = False,
) -> RecordResult:
    """Correct a record and the person's details. The person keeps their other records."""
    record = (
        TrainingRecord.objects.select_for_update().select_related("staff__agency").get(pk=record_id)
    )
    agency = record.staff.agency
    _require_recorder(actor, agency)
    _check_completed_on_field(completed_on)
    staff = record.staff
    if person.email.strip().lower() != staff.email:
        taken = StaffMember.objects.filter(agency=agency, email=person.email.strip().lower())
        if taken.exclude(pk=staff.pk).exists():
            raise InvalidInput(
                {
                    "email": FieldError(
                        _("Someone else in your agency already has this email address."),
                        code="unique",
                    )
                }
            )
        staff.email = person.email.strip().lower()
        staff.save(update_fields=["email", "updated_at"])
    staff = staff_member_save(agency=agency, person=person)
    _check_unique(staff=staff, course=course, completed_on=completed_on, exclude=record)
    record.course = course
    record.completed_on = completed_on
    record.delivery_mode = delivery_mode
    record.expires_on = ValidityTable([course]).expires_on(
        course, sector=agency.sector, role=staff.role, completed_on=completed_on
    )
    if remove_certificate and record.certificate:
        record.certificate.delete(save=False)
        record.certificate_name = ""
        record.certificate_content_type = ""
    return _record_save(
        actor=actor, record=record, certificate=certificate, action="training.record.updated"
    )


@transaction.atomic
def record_delete(*, actor: User, record_id: UUID | str) -> None:
    """Remove a record entered by mistake; the person goes too once they have no records."""
    record = (
        TrainingRecord.objects.select_for_update().select_related("staff__agency").get(pk=record_id)
    )
    _require_recorder(actor, record.staff.agency)
    staff = record.staff
    audit_record(
        actor=actor,
        action="training.record.deleted",
        obj=record,
        detail={"course_id": str(record.course_id), "agency": str(staff.agency_id)},
    )
    certificate = record.certificate.name if record.certificate else ""
    record.delete()
    if not staff.records.exists():
        staff.delete()
    if certificate:
        storage = TrainingRecord._meta.get_field("certificate").storage
        transaction.on_commit(lambda: storage.delete(certificate))


@transaction.atomic
def course_recompute_expiry(*, course_id: UUID | str) -> int:
    """After a course's validity or overrides change, every record's expiry follows."""
    table = ValidityTable()
    course = table.courses[UUID(str(course_id))]
    records = list(
        TrainingRecord.objects.filter(course=course).select_related("staff__agency").iterator(2000)
    )
    for record in records:
        record.expires_on = table.expires_on(
            course,
            sector=record.staff.agency.sector,
            role=record.staff.role,
            completed_on=record.completed_on,
        )
    TrainingRecord.objects.bulk_update(records, ["expires_on"], batch_size=1000)
    return len(records)
