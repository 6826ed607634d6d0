"""Records, validity overrides, expiry recomputation and certificates, through the services."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role, Sector
from prevent_cms.errors import InvalidInput
from tests.helpers import audit_actions
from tests.training.factories import StaffMemberFactory, TrainingRecordFactory
from training.dates import add_months, today
from training.models import CourseValidity, StaffMember, StaffRole, TrainingRecord
from training.services import (
    PersonDetails,
    course_recompute_expiry,
    record_create,
    record_delete,
    record_update,
    validity_months,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64


def person(**overrides) -> PersonDetails:
    values = {"name": "Ffion Jenkins", "email": "ffion.jenkins@example.org"}
    values.update(overrides)
    return PersonDetails(**values)


@pytest.fixture
def lead(world):
    return world.user(Role.AGENCY_LEAD, agency=world.school_a)


def create(lead, course, completed_on, **kwargs):
    return record_create(
        actor=lead,
        agency=lead.agency,
        person=kwargs.pop("person", person()),
        course=course,
        completed_on=completed_on,
        delivery_mode="online",
        **kwargs,
    )


class TestValidity:
    def test_defaults_full_24_refresher_12(self, awareness, refresher):
        assert validity_months(course=awareness, sector=Sector.EDUCATION, role="") == 24
        assert validity_months(course=refresher, sector=Sector.EDUCATION, role="") == 12

    def test_defaults_follow_settings(self, settings, awareness, refresher):
        settings.TRAINING_FULL_COURSE_MONTHS = 36
        settings.TRAINING_REFRESHER_MONTHS = 6
        assert validity_months(course=awareness, sector=Sector.HEALTH, role="") == 36
        assert validity_months(course=refresher, sector=Sector.HEALTH, role="") == 6

    def test_course_period_beats_default(self, awareness):
        awareness.valid_months = 18
        awareness.save()
        assert validity_months(course=awareness, sector=Sector.POLICE, role="") == 18

    def test_most_specific_override_wins(self, awareness):
        CourseValidity.objects.create(course=awareness, sector=Sector.HEALTH, valid_months=36)
        CourseValidity.objects.create(
            course=awareness, role=StaffRole.SAFEGUARDING_LEAD, valid_months=12
        )
        CourseValidity.objects.create(
            course=awareness,
            sector=Sector.HEALTH,
            role=StaffRole.SAFEGUARDING_LEAD,
            valid_months=18,
        )
        lead_role = StaffRole.SAFEGUARDING_LEAD
        assert validity_months(course=awareness, sector=Sector.HEALTH, role=lead_role) == 18
        assert validity_months(course=awareness, sector=Sector.EDUCATION, role=lead_role) == 12
        assert validity_months(course=awareness, sector=Sector.HEALTH, role="practitioner") == 36
        assert validity_months(course=awareness, sector=Sector.EDUCATION, role="support") == 24

    def test_an_override_must_name_a_sector_or_role(self, awareness):
        from django.db import IntegrityError, transaction

        with pytest.raises(IntegrityError), transaction.atomic():
            CourseValidity.objects.create(course=awareness, valid_months=6)


class TestRecordCreate:
    def test_computes_expiry_and_audits(self, lead, awareness):
        result = create(lead, awareness, date(2024, 2, 29))
        record = result.record
        assert record.expires_on == date(2026, 2, 28)
        assert record.staff.agency == lead.agency
        assert record.recorded_by == lead
        assert result.warnings == []
        assert audit_actions(object_id=str(record.pk)) == ["training.record.created"]

    def test_role_override_applies(self, lead, awareness):
        CourseValidity.objects.create(
            course=awareness, role=StaffRole.SAFEGUARDING_LEAD, valid_months=12
        )
        result = create(
            lead, awareness, date(2025, 1, 31), person=person(role=StaffRole.SAFEGUARDING_LEAD)
        )
        assert result.record.expires_on == date(2026, 1, 31)

    def test_sector_override_applies(self, world, awareness):
        CourseValidity.objects.create(course=awareness, sector=Sector.HEALTH, valid_months=36)
        nurse_lead = world.user(Role.AGENCY_LEAD, agency=world.health_a)
        result = create(nurse_lead, awareness, date(2023, 8, 31))
        assert result.record.expires_on == date(2026, 8, 31)

    def test_future_completion_is_refused(self, lead, awareness):
        with pytest.raises(InvalidInput) as error:
            create(lead, awareness, today() + timedelta(days=1))
        assert "today or in the past" in str(error.value.errors["completed_on"])
        assert not TrainingRecord.objects.exists()
        assert not StaffMember.objects.exists()

    def test_implausibly_old_completion_is_refused(self, lead, awareness):
        with pytest.raises(InvalidInput) as error:
            create(lead, awareness, date(1999, 12, 31))
        assert "Check the year" in str(error.value.errors["completed_on"])

    def test_duplicate_completion_is_refused(self, lead, awareness):
        create(lead, awareness, date(2025, 5, 1))
        with pytest.raises(InvalidInput) as error:
            create(lead, awareness, date(2025, 5, 1))
        assert "already has a record" in str(error.value)
        assert TrainingRecord.objects.count() == 1

    def test_same_email_is_the_same_person(self, lead, awareness, refresher):
        create(lead, awareness, date(2024, 5, 1))
        create(lead, refresher, date(2025, 5, 1), person=person(email="FFION.Jenkins@example.org"))
        assert StaffMember.objects.count() == 1

    def test_referrals_without_awareness_warns_but_saves(self, lead, referrals_course):
        result = create(lead, referrals_course, date(2025, 5, 1))
        assert result.record.pk
        assert len(result.warnings) == 1
        assert "normally taken after Prevent awareness" in result.warnings[0]

    def test_referrals_after_awareness_does_not_warn(self, lead, awareness, referrals_course):
        create(lead, awareness, date(2025, 4, 1))
        assert create(lead, referrals_course, date(2025, 5, 1)).warnings == []

    def test_awareness_after_referrals_still_warns(self, lead, awareness, referrals_course):
        create(lead, awareness, date(2025, 6, 1))
        assert create(lead, referrals_course, date(2025, 5, 1)).warnings

    def test_only_agency_leads_of_that_agency_may_record(self, world, lead, awareness):
        for actor in (
            world.user(Role.BOROUGH_LEAD, agency=world.council_a),
            world.user(Role.REFERRER, agency=world.school_a),
            world.user(Role.SYSTEM_ADMIN, agency=world.council_a),
        ):
            with pytest.raises(PermissionDenied):
                record_create(
                    actor=actor,
                    agency=world.school_a,
                    person=person(),
                    course=awareness,
                    completed_on=date(2025, 1, 1),
                    delivery_mode="online",
                )
        with pytest.raises(PermissionDenied):
            record_create(
                actor=lead,
                agency=world.health_a,
                person=person(),
                course=awareness,
                completed_on=date(2025, 1, 1),
                delivery_mode="online",
            )


class TestCertificates:
    def test_pdf_and_pictures_are_kept_under_an_opaque_name(self, lead, awareness):
        upload = SimpleUploadedFile("Ffion Jenkins certificate.pdf", PDF, "application/pdf")
        record = create(lead, awareness, date(2025, 1, 1), certificate=upload).record
        assert record.certificate_content_type == "application/pdf"
        assert "Ffion" not in record.certificate.name
        assert record.certificate.name.endswith(".pdf")
        picture = SimpleUploadedFile("photo.jpg", PNG, "image/jpeg")
        other = create(
            lead,
            awareness,
            date(2025, 2, 1),
            person=person(email="b@example.org"),
            certificate=picture,
        ).record
        assert other.certificate_content_type == "image/png"  # by content, not name

    @pytest.mark.parametrize(
        ("content", "name", "message"),
        [
            (EXE, "certificate.pdf", "must be a PDF or a picture"),
            (b"just some text", "certificate.png", "must be a PDF or a picture"),
            (b"", "empty.pdf", "empty"),
        ],
    )
    def test_disguised_or_empty_files_are_refused(self, lead, awareness, content, name, message):
        upload = SimpleUploadedFile(name, content, "application/pdf")
        with pytest.raises(InvalidInput) as error:
            create(lead, awareness, date(2025, 1, 1), certificate=upload)
        assert message in str(error.value.errors["certificate"])
        assert not TrainingRecord.objects.exists()

    def test_files_over_10_mb_are_refused(self, lead, awareness):
        upload = SimpleUploadedFile("big.pdf", PDF + b"0" * (10 * 1024 * 1024), "application/pdf")
        with pytest.raises(InvalidInput) as error:
            create(lead, awareness, date(2025, 1, 1), certificate=upload)
        assert "smaller than 10 MB" in str(error.value)


class TestRecordUpdateAndDelete:
    def test_role_change_recomputes_every_record_of_the_person(self, lead, awareness, refresher):
        CourseValidity.objects.create(
            course=awareness, role=StaffRole.SAFEGUARDING_LEAD, valid_months=12
        )
        first = create(lead, awareness, date(2025, 1, 15)).record
        second = create(lead, refresher, date(2025, 3, 1)).record
        assert first.expires_on == date(2027, 1, 15)
        record_update(
            actor=lead,
            record_id=second.pk,
            person=person(role=StaffRole.SAFEGUARDING_LEAD),
            course=refresher,
            completed_on=date(2025, 3, 1),
            delivery_mode="online",
        )
        first.refresh_from_db()
        assert first.expires_on == date(2026, 1, 15)

    def test_borough_lead_cannot_change_a_record(self, world, lead, awareness):
        record = create(lead, awareness, date(2025, 1, 15)).record
        borough = world.user(Role.BOROUGH_LEAD, agency=world.council_a)
        with pytest.raises(PermissionDenied):
            record_update(
                actor=borough,
                record_id=record.pk,
                person=person(),
                course=awareness,
                completed_on=date(2025, 1, 15),
                delivery_mode="online",
            )
        with pytest.raises(PermissionDenied):
            record_delete(actor=borough, record_id=record.pk)

    def test_delete_removes_the_person_with_their_last_record(self, lead, awareness, refresher):
        first = create(lead, awareness, date(2025, 1, 15)).record
        second = create(lead, refresher, date(2025, 2, 15)).record
        record_delete(actor=lead, record_id=first.pk)
        assert StaffMember.objects.count() == 1
        record_delete(actor=lead, record_id=second.pk)
        assert not StaffMember.objects.exists()
        assert "training.record.deleted" in audit_actions()


def test_changing_a_course_period_recomputes_its_records(world, awareness):
    staff = StaffMemberFactory(agency=world.school_a)
    record = TrainingRecordFactory(staff=staff, course=awareness, completed_on=date(2025, 1, 31))
    assert record.expires_on == date(2027, 1, 31)
    awareness.valid_months = 13
    awareness.save()
    assert course_recompute_expiry(course_id=awareness.pk) == 1
    record.refresh_from_db()
    assert record.expires_on == add_months(date(2025, 1, 31), 13) == date(2026, 2, 28)
