"""Courses, staff, training records, bulk imports and reminder log.

Most people trained are not users of the service, so a ``StaffMember`` is a row kept by their
agency's lead, not an account. Each ``TrainingRecord`` stores its computed ``expires_on`` so
lists and dashboards can filter by status in the database; ``training.services`` recomputes it
whenever the course's validity, an override or the person's role changes.
"""

import uuid
from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, Sector

from . import conf
from .dates import Status, status_for


class CourseProvider(models.TextChoices):
    HOME_OFFICE = "home_office", _("Home Office")
    LOCAL = "local", _("Local")


class CourseKind(models.TextChoices):
    FULL = "full", _("Full course")
    REFRESHER = "refresher", _("Refresher")


class StaffRole(models.TextChoices):
    """Broad roles used for coverage figures and validity overrides."""

    SAFEGUARDING_LEAD = "safeguarding_lead", _("Designated safeguarding or Prevent lead")
    SENIOR_LEADER = "senior_leader", _("Senior leader or manager")
    PRACTITIONER = "practitioner", _("Frontline practitioner")
    SUPPORT = "support", _("Support or administrative staff")
    VOLUNTEER = "volunteer", _("Volunteer")
    OTHER = "other", _("Other")


class DeliveryMode(models.TextChoices):
    ONLINE = "online", _("Online e-learning")
    FACE_TO_FACE = "face_to_face", _("Face-to-face session")
    LIVE_ONLINE = "live_online", _("Live online session")
    OTHER = "other", _("Other")


class Course(models.Model):
    """A course whose completion counts as Prevent training. Kept as data by administrators."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    code = models.SlugField(
        _("code"),
        max_length=50,
        unique=True,
        help_text=_("Short code used in imports and the API, for example 'awareness'."),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    provider = models.CharField(
        _("provider"), max_length=20, choices=CourseProvider.choices, default=CourseProvider.LOCAL
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=CourseKind.choices, default=CourseKind.FULL
    )
    valid_months = models.PositiveSmallIntegerField(
        _("valid for (months)"),
        null=True,
        blank=True,
        help_text=_(
            "Leave empty for the default: 24 months for a full course, 12 for a refresher."
        ),
    )
    requires = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("should be taken after"),
        help_text=_("A course people normally complete first. Missing it warns, never blocks."),
    )
    counts_for_compliance = models.BooleanField(
        _("counts towards Prevent training coverage"), default=True
    )
    other_names = models.TextField(
        _("other names"),
        blank=True,
        help_text=_("Names other systems use for this course, one a line (used by imports)."),
    )
    is_active = models.BooleanField(_("offered"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        ordering = ["order", "title"]
        verbose_name = _("course")

    def __str__(self) -> str:
        return self.title

    @property
    def valid_for_months(self) -> int:
        """The course's own validity period, before any role or sector override."""
        if self.valid_months:
            return self.valid_months
        if self.kind == CourseKind.REFRESHER:
            return conf.refresher_months()
        return conf.full_course_months()

    def names(self) -> list[str]:
        """Every name an import may use for this course."""
        extra = [line.strip() for line in self.other_names.splitlines() if line.strip()]
        return [self.code, self.title, *extra]


class CourseValidity(models.Model):
    """A different validity period for one sector, one role, or one role within a sector.

    The most specific override wins: role and sector, then role, then sector, then the course.
    """

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="validities")
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices, blank=True)
    role = models.CharField(_("role"), max_length=32, choices=StaffRole.choices, blank=True)
    valid_months = models.PositiveSmallIntegerField(_("valid for (months)"))

    class Meta:
        verbose_name = _("validity override")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "sector", "role"], name="course_validity_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(sector="", role=""), name="course_validity_names_a_group"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.course_id} {self.sector or '*'} {self.role or '*'}"


class StaffMember(models.Model):
    """A person whose training an agency keeps. Usually not a user of the service."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="training_staff")
    name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("email address"), max_length=254)
    department = models.CharField(_("department or team"), max_length=120, blank=True)
    role = models.CharField(
        _("role"), max_length=32, choices=StaffRole.choices, default=StaffRole.OTHER
    )
    frontline = models.BooleanField(_("frontline"), default=False)
    contractor = models.BooleanField(_("contractor"), default=False)
    elected_member = models.BooleanField(_("elected member"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("staff member")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "email"], name="staff_unique_email_per_agency"
            )
        ]
        indexes = [models.Index(fields=["agency", "name"])]

    def __str__(self) -> str:
        return self.name


def certificate_path(instance: "TrainingRecord", filename: str) -> str:
    """An opaque name: the original file name may hold a person's name.

    ``filename`` is ``certificate.<extension>`` with the extension taken from the content.
    """
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    suffix = f".{extension}" if extension.isalnum() and len(extension) <= 5 else ""
    return f"training/certificates/{instance.pk}/{uuid.uuid4().hex}{suffix}"


class TrainingRecord(models.Model):
    """One completion of one course by one person."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="records")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="records")
    delivery_mode = models.CharField(
        _("how it was delivered"),
        max_length=20,
        choices=DeliveryMode.choices,
        default=DeliveryMode.ONLINE,
    )
    completed_on = models.DateField(_("completed on"))
    expires_on = models.DateField(_("expires on"), db_index=True)
    certificate = models.FileField(_("certificate"), upload_to=certificate_path, blank=True)
    certificate_name = models.CharField(max_length=200, blank=True)
    certificate_content_type = models.CharField(max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    import_batch = models.ForeignKey(
        "ImportBatch", on_delete=models.SET_NULL, null=True, blank=True, related_name="records"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-completed_on", "staff__name"]
        verbose_name = _("training record")
        constraints = [
            models.UniqueConstraint(
                fields=["staff", "course", "completed_on"], name="record_unique_completion"
            )
        ]
        indexes = [models.Index(fields=["staff", "-expires_on"])]

    def __str__(self) -> str:
        return f"{self.course_id} {self.completed_on}"

    def status(self, on: date | None = None) -> str:
        return status_for(self.expires_on, on)

    @property
    def status_label(self) -> str:
        return Status(self.status()).label


class ImportBatch(models.Model):
    """One uploaded spreadsheet of completions, from check to confirmed import."""

    class State(models.TextChoices):
        CHECKING = "checking", _("Checking")
        READY = "ready", _("Ready to import")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Not imported")
        CANCELLED = "cancelled", _("Cancelled")

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "XLSX"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_imports"
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to="training/imports/", blank=True)
    file_format = models.CharField(max_length=8, choices=Format.choices)
    original_name = models.CharField(max_length=200, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.CHECKING)
    total_rows = models.PositiveIntegerField(default=0)
    create_count = models.PositiveIntegerField(default=0)
    update_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    reject_count = models.PositiveIntegerField(default=0)
    job = models.ForeignKey(
        "prevent_cms.Job", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # When the retention purge deleted the preview rows and the uploaded file (they hold
    # names); the counts stay.
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("training import")

    def __str__(self) -> str:
        return f"import {self.pk}"

    @property
    def importable_count(self) -> int:
        return self.create_count + self.update_count


class ImportRow(models.Model):
    """What the check found for one row of an import, shown on the preview page."""

    class Action(models.TextChoices):
        CREATE = "create", _("New record")
        UPDATE = "update", _("Update")
        UNCHANGED = "unchanged", _("Already recorded")
        REJECT = "reject", _("Rejected")

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField()
    action = models.CharField(max_length=16, choices=Action.choices)
    person_name = models.CharField(max_length=200, blank=True)
    email = models.CharField(max_length=254, blank=True)
    agency_name = models.CharField(max_length=200, blank=True)
    course_name = models.CharField(max_length=200, blank=True)
    completed_on = models.CharField(max_length=40, blank=True)
    problems = models.JSONField(default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "number"], name="import_row_unique_number")
        ]
        indexes = [models.Index(fields=["batch", "action", "number"])]

    def __str__(self) -> str:
        return f"row {self.number}"


class ReminderLog(models.Model):
    """The monthly reminder to one agency lead: one row per lead per month, so it runs once."""

    class State(models.TextChoices):
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        NOTHING_DUE = "nothing_due", _("Nothing due")

    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_reminders"
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    period = models.DateField(
        _("month"), help_text=_("First day of the month the reminder is for.")
    )
    state = models.CharField(max_length=16, choices=State.choices, default=State.SENDING)
    record_ids = models.JSONField(default=list, blank=True)
    staff_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period"]
        constraints = [
            models.UniqueConstraint(fields=["lead", "period"], name="reminder_once_a_month")
        ]

    def __str__(self) -> str:
        return f"reminder {self.period:%Y-%m} {self.lead_id}"
