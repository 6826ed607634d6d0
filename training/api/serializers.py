"""Input and output shapes of the training API (DESIGN.md §5)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from prevent_cms.api.fields import StrictBooleanField, StrictCharField

from ..dates import Status
from ..models import (
    Course,
    CourseValidity,
    DeliveryMode,
    ImportBatch,
    ImportRow,
    StaffRole,
    TrainingRecord,
)


class CourseValiditySerializer(serializers.ModelSerializer):
    valid_for_months = serializers.IntegerField(source="valid_months")

    class Meta:
        model = CourseValidity
        fields = ["sector", "role", "valid_for_months"]


class CourseSerializer(serializers.ModelSerializer):
    valid_for_months = serializers.IntegerField(read_only=True)
    requires: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    overrides = CourseValiditySerializer(source="validities", many=True, read_only=True)

    class Meta:
        model = Course
        fields = [
            "id",
            "code",
            "title",
            "valid_for_months",
            "provider",
            "kind",
            "requires",
            "counts_for_compliance",
            "overrides",
        ]


class RecordSerializer(serializers.ModelSerializer):
    person_name = StrictCharField(source="staff.name")
    email = serializers.EmailField(source="staff.email")
    agency = serializers.UUIDField(source="staff.agency_id")
    agency_name = StrictCharField(source="staff.agency.name")
    department = StrictCharField(source="staff.department")
    role = StrictCharField(source="staff.role")
    frontline = StrictBooleanField(source="staff.frontline")
    contractor = StrictBooleanField(source="staff.contractor")
    elected_member = StrictBooleanField(source="staff.elected_member")
    course = StrictCharField(source="course.code")
    course_title = StrictCharField(source="course.title")
    status = serializers.SerializerMethodField()
    has_certificate = serializers.SerializerMethodField()

    class Meta:
        model = TrainingRecord
        fields = [
            "id",
            "person_name",
            "email",
            "agency",
            "agency_name",
            "department",
            "role",
            "frontline",
            "contractor",
            "elected_member",
            "course",
            "course_title",
            "delivery_mode",
            "completed_on",
            "expires_on",
            "status",
            "has_certificate",
        ]

    @extend_schema_field(
        {
            "type": "string",
            "description": "One of: " + ", ".join(Status.values) + " (within 60 days).",
            "example": Status.CURRENT.value,
        }
    )
    def get_status(self, record: TrainingRecord) -> str:
        return record.status()

    def get_has_certificate(self, record: TrainingRecord) -> bool:
        return bool(record.certificate)


class RecordCreatedSerializer(RecordSerializer):
    warnings = serializers.ListField(child=StrictCharField(), read_only=True)

    class Meta(RecordSerializer.Meta):
        fields = [*RecordSerializer.Meta.fields, "warnings"]


class RecordInputSerializer(serializers.Serializer):
    person_name = StrictCharField(max_length=200)
    email = serializers.EmailField(max_length=254)
    agency = serializers.UUIDField(
        required=False, help_text="Defaults to the caller's agency, the only one they may use."
    )
    department = StrictCharField(max_length=120, required=False, allow_blank=True)
    role = serializers.ChoiceField(choices=StaffRole.choices, default=StaffRole.OTHER)
    frontline = StrictBooleanField(default=False)
    contractor = StrictBooleanField(default=False)
    elected_member = StrictBooleanField(default=False)
    course = serializers.SlugField(help_text="A course code from /api/v1/training/courses/.")
    delivery_mode = serializers.ChoiceField(
        choices=DeliveryMode.choices, default=DeliveryMode.ONLINE
    )
    completed_on = serializers.DateField()

    def validate_person_name(self, value: str) -> str:
        if "\x00" in value or not value.strip():
            raise serializers.ValidationError(_("Enter the person’s full name."))
        return value.strip()

    def validate_course(self, value: str) -> Course:
        course = Course.objects.filter(code=value, is_active=True).first()
        if course is None:
            codes = ", ".join(Course.objects.filter(is_active=True).values_list("code", flat=True))
            raise serializers.ValidationError(
                _("Unknown course ‘%(value)s’. Use one of: %(codes)s.")
                % {"value": value, "codes": codes}
            )
        return course

    def validate_agency(self, value):
        user = self.context["request"].user
        if str(value) != str(user.agency_id):
            raise serializers.ValidationError(
                _("You can only record training for your own agency.")
            )
        return value


class RecordUpdateSerializer(RecordInputSerializer):
    """A correction: every field optional (PATCH), and a certificate may be removed."""

    remove_certificate = StrictBooleanField(
        default=False, help_text="Delete the certificate kept with the record."
    )

    def validate_agency(self, value):
        raise serializers.ValidationError(
            _("A record stays with its agency: record it again for the other agency.")
        )


class RecordFilterSerializer(serializers.Serializer):
    """The list's query parameters; the schema documents these fields, so it says what is
    checked (a uuid, a course code's characters, a status, at most 100 characters)."""

    agency = serializers.UUIDField(required=False, help_text="An agency's id.")
    course = serializers.SlugField(required=False, help_text="A course code.")
    status = serializers.ChoiceField(choices=Status.choices, required=False)
    q = StrictCharField(
        required=False, max_length=100, help_text="Part of a name or e-mail address."
    )


class ComplianceSerializer(serializers.Serializer):
    agency = serializers.UUIDField(source="key")
    agency_name = StrictCharField(source="label")
    sector = StrictCharField()
    staff = serializers.IntegerField()
    current = serializers.IntegerField(
        source="in_date",
        help_text="Staff whose Prevent training is in date today (including expiring soon).",
    )
    expiring_soon = serializers.IntegerField()
    expired = serializers.IntegerField()
    percent_current = serializers.FloatField(source="percent_in_date", allow_null=True)


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV (UTF-8) or XLSX, with a header row.")


class ImportRowSerializer(serializers.ModelSerializer):
    class Meta:
        model = ImportRow
        fields = [
            "number",
            "action",
            "person_name",
            "email",
            "course_name",
            "completed_on",
            "problems",
            "warnings",
        ]


class ImportBatchSerializer(serializers.ModelSerializer):
    job = serializers.UUIDField(source="job_id", allow_null=True)

    class Meta:
        model = ImportBatch
        fields = [
            "id",
            "state",
            "file_format",
            "total_rows",
            "create_count",
            "update_count",
            "unchanged_count",
            "reject_count",
            "error",
            "job",
            "created_at",
            "finished_at",
        ]
