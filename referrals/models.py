"""Subjects, referrals and their lifecycle, police assessments, notes and attachments.

The lifecycle of DESIGN.md §4 is declared once, here, as django-fsm-2 transitions on
``Referral``. Nothing changes ``state`` except ``referrals.services.referral_transition``,
which locks the row, checks permission and guards, and writes history and audit.
"""

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from accounts.models import Agency, LocalAuthority, PoliceForce

from . import lifecycle
from .choices import (
    CHANNEL_STAGES,
    POLICE_STAGES,
    ClosureReason,
    Deconfliction,
    Gender,
    NoteKind,
    ReceivedVia,
    ReferrerSector,
    Screening,
    State,
)
from .lifecycle import Button, Notify, Step


class ConcernType(models.Model):
    """A type-of-concern category. Data, not code: the Home Office scheme changes."""

    code = models.CharField(max_length=40, primary_key=True)
    label = models.CharField(max_length=120)
    scheme = models.CharField(max_length=20, default="2024")
    active = models.BooleanField(default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "code"]

    def __str__(self) -> str:
        """The label in the reader's language (referrals.reference_data names each)."""
        return gettext(self.label)


class Subject(models.Model):
    """The person referred. One row per referral; duplicates are found by matching."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    aliases = models.CharField(_("other names"), max_length=200, blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    place_of_birth = models.CharField(_("place of birth"), max_length=100, blank=True)
    gender = models.CharField(_("gender"), max_length=12, choices=Gender.choices, blank=True)
    address = models.TextField(_("address"), max_length=500, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    previous_addresses = models.TextField(_("previous addresses"), max_length=1000, blank=True)
    nationality = models.CharField(_("nationality"), max_length=100, blank=True)
    immigration_status = models.CharField(_("immigration status"), max_length=200, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    english_spoken = models.BooleanField(_("speaks English"), null=True, blank=True)
    first_language = models.CharField(_("first language"), max_length=100, blank=True)
    interpreter_needed = models.BooleanField(_("needs an interpreter"), null=True, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=100, blank=True)
    religion = models.CharField(_("religion"), max_length=100, blank=True)
    contact_details = models.TextField(_("contact details"), max_length=500, blank=True)
    social_media = models.TextField(_("social media"), max_length=500, blank=True)
    household_members = models.JSONField(_("household members"), default=list, blank=True)
    education_or_employment = models.TextField(
        _("education or employment"), max_length=1000, blank=True
    )
    additional_needs = models.TextField(_("additional needs"), max_length=2000, blank=True)
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        indexes = [models.Index(fields=["last_name", "date_of_birth"])]

    def __str__(self) -> str:
        return f"Subject {self.pk}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def age_on(self, day) -> int | None:
        if not self.date_of_birth:
            return None
        dob = self.date_of_birth
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


def new_reference() -> str:
    """``PRV-<year>-<6 random digits>``: readable on the phone, unrelated to the row id."""
    return f"PRV-{timezone.now().year}-{secrets.randbelow(1_000_000):06d}"


class Referral(FSMModelMixin, models.Model):
    """A Prevent referral and the case it becomes. The lifecycle lives on ``state``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(max_length=20, unique=True, default=new_reference)
    state = FSMField(default=State.DRAFT, choices=State.choices, protected=True, db_index=True)
    version = models.PositiveIntegerField(default=1)

    subject = models.OneToOneField(Subject, on_delete=models.PROTECT, related_name="referral")
    # Who the subject is in the person index (issue 18): set when the referral is submitted
    # (``persons`` registers the submit hook), changed only by linking and unlinking.
    person = models.ForeignKey(
        "persons.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    referrer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_made"
    )
    referrer_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    # Where the person lives decides who may see the case; copied here to index scoping.
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="referrals"
    )
    police_force = models.ForeignKey(PoliceForce, on_delete=models.PROTECT, related_name="+")

    # The concern, as the referrer describes it.
    concern_summary = models.TextField(_("what are you worried about"), max_length=5000, blank=True)
    how_concern_arose = models.TextField(_("how the concern arose"), max_length=5000, blank=True)
    online_activity = models.TextField(_("online activity"), max_length=3000, blank=True)
    concern_types = models.JSONField(_("suggested type of concern"), default=list, blank=True)
    indicators = models.JSONField(_("indicators"), default=list, blank=True)
    complex_needs = models.JSONField(_("complex needs"), default=list, blank=True)
    immediate_risk = models.BooleanField(_("immediate risk"), null=True, blank=True)
    subject_aware = models.BooleanField(_("person is aware"), null=True, blank=True)
    discussed_with_lead = models.BooleanField(_("discussed with DSL"), null=True, blank=True)
    action_taken = models.TextField(_("action already taken"), max_length=2000, blank=True)
    other_agencies = models.JSONField(_("other agencies involved"), default=list, blank=True)
    agencies_consulted = models.BooleanField(_("other agencies consulted"), null=True, blank=True)
    agencies_consulted_details = models.TextField(
        _("which agencies were consulted"), max_length=2000, blank=True
    )
    parental_support = models.BooleanField(_("parental or carer support"), null=True, blank=True)
    parental_support_details = models.TextField(
        _("parental or carer support, details"), max_length=2000, blank=True
    )
    referrer_phone = models.CharField(_("your phone number"), max_length=40, blank=True)
    referrer_relationship = models.CharField(
        _("your relationship to the person"), max_length=200, blank=True
    )
    sections_done = models.JSONField(default=list, blank=True)

    # How the referral arrived (issue 15). A referrer's own is ``online``; one recorded on
    # someone's behalf names its route, when it was received and, when the referrer has no
    # account, their contact details (``referrer`` is then the person who keyed it).
    received_via = models.CharField(
        _("received by"), max_length=16, choices=ReceivedVia.choices, default=ReceivedVia.ONLINE
    )
    received_at = models.DateTimeField(_("received at"), null=True, blank=True)
    keyed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("keyed by"),
    )
    contact_name = models.CharField(_("referrer’s name"), max_length=200, blank=True)
    contact_organisation = models.CharField(
        _("referrer’s organisation"), max_length=200, blank=True
    )
    contact_sector = models.CharField(
        _("referrer’s sector"), max_length=32, choices=ReferrerSector.choices, blank=True
    )
    contact_phone = models.CharField(_("referrer’s phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("referrer’s e-mail"), max_length=254, blank=True)

    urgent = models.BooleanField(default=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True, db_index=True)
    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The Channel chair's named lead for the case once it reaches Channel (issue 17).
    case_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    assessment_started_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    channel_entered_at = models.DateTimeField(null=True, blank=True)
    adopted_at = models.DateTimeField(null=True, blank=True)
    exited_at = models.DateTimeField(null=True, blank=True)
    state_changed_at = models.DateTimeField(default=timezone.now)

    closure_reason = models.CharField(max_length=32, choices=ClosureReason.choices, blank=True)
    signposted_to = models.CharField(max_length=40, blank=True)
    reassess_on = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-created_at"]
        indexes = [
            models.Index(fields=["police_force", "state", "-urgent", "submitted_at"]),
            models.Index(fields=["local_authority", "state", "submitted_at"]),
            models.Index(fields=["referrer_agency", "-created_at"]),
            models.Index(fields=["referrer", "-created_at"]),
            # The officer's queue (open cases of a force, urgent first, then oldest): read in
            # index order and counted from this small index, so its cost follows the open
            # workload, not ten years of closed cases (docs/performance.md).
            models.Index(
                fields=["police_force", "-urgent", "submitted_at", "id"],
                condition=~models.Q(state=State.DRAFT) & ~models.Q(state=State.CLOSED),
                name="referral_open_queue_idx",
            ),
        ]
        permissions = [("view_case_as_panel_member", "Can view the case as a panel member")]

    def __str__(self) -> str:
        return self.reference

    @property
    def on_behalf(self) -> bool:
        """Recorded by someone else for the person who raised the concern."""
        return self.received_via != ReceivedVia.ONLINE

    @property
    def feedback_email(self) -> str:
        """Where the referrer's content-free e-mails go: the named contact's address for a
        referral recorded on their behalf (never the officer who keyed it), else the
        referrer's own."""
        if self.on_behalf:
            return self.contact_email
        return self.referrer.email

    @property
    def state_label(self) -> str:
        """The state's label. ``get_state_display`` rebuilds and translates every choice on
        each call, which a list of 25 cases pays 25 times."""
        return State(self.state).label

    # --- The lifecycle (DESIGN.md §4), each step declared whole: source and target, who may
    # (``permission``), its label, rationale rule, e-mails, required guards, after-hooks and
    # buttons (``custom``, read by ``lifecycle.step``). Guards and hooks are named here and
    # registered by the app owning their data; ``referrals.E001``-``E003`` fail closed when a
    # name has nothing registered. Bodies record timestamps only; services do the rest.

    @transition(
        field=state,
        source=State.DRAFT,
        target=State.SUBMITTED,
        permission=lifecycle.permission("submit"),
        conditions=[lifecycle.guard("submit")],
        custom=Step(
            label=_("Submit"),
            notify=(Notify("receipt"), Notify("new_referral"), Notify("council_copy")),
            guards=("referral_form_complete",),
            hooks=("index_person",),
        ),
    )
    def submit(self, payload):
        self.submitted_at = timezone.now()
        # A referral recorded on someone's behalf was received earlier, when they called or
        # wrote; the referrer's own is received as it is sent.
        self.received_at = self.received_at or self.submitted_at

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.POLICE_ASSESSMENT,
        permission=lifecycle.permission("start_assessment"),
        conditions=[lifecycle.guard("start_assessment")],
        custom=Step(
            label=_("Start assessment"),
            buttons=(Button("case", "start_assessment", _("Start the assessment"), 10),),
        ),
    )
    def start_assessment(self, payload):
        self.assessment_started_at = timezone.now()
        self.assigned_officer = payload["actor"]

    @transition(
        field=state,
        source=[State.POLICE_ASSESSMENT, State.POLICE_LED],
        target=State.CHANNEL_PANEL,
        permission=lifecycle.permission("refer_to_channel"),
        conditions=[lifecycle.guard("refer_to_channel")],
        custom=Step(
            label=_("Refer to Channel"),
            rationale_required=True,
            notify=(Notify("reviewed", from_states=POLICE_STAGES), Notify("entered_channel")),
            guards=("deconfliction_cleared",),
            buttons=(Button("case", "refer_to_channel", _("Refer to Channel"), 20),),
        ),
    )
    def refer_to_channel(self, payload):
        self.decided_at = self.decided_at or timezone.now()
        self.channel_entered_at = self.channel_entered_at or timezone.now()

    @transition(
        field=state,
        source=[State.POLICE_ASSESSMENT, State.CHANNEL_PANEL, State.AWAITING_CONSENT],
        target=State.POLICE_LED,
        permission=lifecycle.permission("police_led_partnership"),
        conditions=[lifecycle.guard("police_led_partnership")],
        custom=Step(
            label=_("Police-led partnership"),
            rationale_required=True,
            notify=(Notify("reviewed", from_states=POLICE_STAGES),),
            buttons=(
                Button(
                    "case", "police_led_partnership", _("Manage as a police-led partnership"), 30
                ),
                Button("channel", "police_led_partnership", _("Police-led partnership"), 30),
            ),
        ),
    )
    def police_led_partnership(self, payload):
        self.decided_at = self.decided_at or timezone.now()

    @transition(
        field=state,
        source=[State.POLICE_ASSESSMENT, State.POLICE_LED, *CHANNEL_STAGES],
        target=State.CLOSED,
        permission=lifecycle.permission("close"),
        conditions=[lifecycle.guard("close")],
        custom=Step(
            label=_("Close the case"),
            rationale_required=True,
            notify=(Notify("reviewed", from_states=POLICE_STAGES),),
            guards=("closure_reason_allowed", "post_exit_reviews_recorded"),
            hooks=("sync_panel_grants",),
            buttons=(
                Button("case", "close", _("Close the case"), 40),
                Button(
                    "channel",
                    "not_adopted",
                    _("Do not adopt (signpost)"),
                    20,
                    reason=ClosureReason.NOT_ADOPTED,
                ),
                Button(
                    "channel",
                    "consent_declined",
                    _("Close: consent declined"),
                    60,
                    reason=ClosureReason.CONSENT_DECLINED,
                ),
                Button(
                    "channel",
                    "consent_withdrawn",
                    _("Close: consent withdrawn"),
                    70,
                    reason=ClosureReason.CONSENT_WITHDRAWN,
                ),
                Button(
                    "channel",
                    "reviews_complete",
                    _("Close: post-exit reviews complete"),
                    90,
                    reason=ClosureReason.REVIEWS_COMPLETE,
                ),
            ),
        ),
    )
    def close(self, payload):
        self.closure_reason = payload["reason"]
        self.signposted_to = payload.get("signposted_to") or ""
        self.reassess_on = payload.get("reassess_on")
        self.closed_at = timezone.now()
        self.decided_at = self.decided_at or self.closed_at

    @transition(
        field=state,
        source=State.CHANNEL_PANEL,
        target=State.AWAITING_CONSENT,
        permission=lifecycle.permission("adopt"),
        conditions=[lifecycle.guard("adopt")],
        custom=Step(
            label=_("Adopt as a Channel case"),
            guards=("vulnerability_assessed_and_discussed",),
            hooks=("agenda_follows_state",),
            buttons=(Button("channel", "adopt", _("Adopt as a Channel case"), 10),),
        ),
    )
    def adopt(self, payload):
        self.adopted_at = timezone.now()

    @transition(
        field=state,
        source=State.AWAITING_CONSENT,
        target=State.SUPPORT,
        permission=lifecycle.permission("consent_given"),
        conditions=[lifecycle.guard("consent_given")],
        custom=Step(
            label=_("Consent given"),
            guards=("consent_recorded",),
            buttons=(Button("channel", "consent_given", _("Start support: consent given"), 50),),
        ),
    )
    def consent_given(self, payload):
        pass

    @transition(
        field=state,
        source=State.SUPPORT,
        target=State.POST_EXIT_REVIEW,
        permission=lifecycle.permission("exit_channel"),
        conditions=[lifecycle.guard("exit_channel")],
        custom=Step(
            label=_("Exit Channel"),
            guards=("support_plan_and_exit_review",),
            hooks=("agenda_follows_state",),
            buttons=(Button("channel", "exit_channel", _("Exit Channel"), 80),),
        ),
    )
    def exit_channel(self, payload):
        self.exited_at = timezone.now()

    @transition(
        field=state,
        source=list(CHANNEL_STAGES),
        target=State.POLICE_ASSESSMENT,
        permission=lifecycle.permission("escalate_to_police"),
        conditions=[lifecycle.guard("escalate_to_police")],
        custom=Step(
            label=_("Escalate to police"),
            rationale_required=True,
            buttons=(Button("channel", "escalate_to_police", _("Escalate to police"), 40),),
        ),
    )
    def escalate_to_police(self, payload):
        self.assessment_started_at = timezone.now()

    @transition(
        field=state,
        source=State.POST_EXIT_REVIEW,
        target=State.CHANNEL_PANEL,
        permission=lifecycle.permission("readopt"),
        conditions=[lifecycle.guard("readopt")],
        custom=Step(
            label=_("Re-adopt"),
            rationale_required=True,
            hooks=("agenda_follows_state",),
            buttons=(Button("channel", "readopt", _("Re-adopt"), 100),),
        ),
    )
    def readopt(self, payload):
        self.channel_entered_at = timezone.now()

    @transition(
        field=state,
        source=State.CLOSED,
        target=State.CHANNEL_PANEL,
        permission=lifecycle.permission("reopen"),
        conditions=[lifecycle.guard("reopen")],
        custom=Step(
            label=_("Reopen"),
            rationale_required=True,
            guards=("closed_on_consent",),
            buttons=(Button("channel", "reopen", _("Reopen for reassessment"), 110),),
        ),
    )
    def reopen(self, payload):
        self.closure_reason = ""
        self.signposted_to = ""
        self.reassess_on = None
        self.closed_at = None
        self.channel_entered_at = timezone.now()


# The referrer's answers about the concern, in the form's order: what a draft's ``data`` may
# set (``services.referral_update_draft``) and what the API shows of a submitted referral.
REFERRAL_ANSWER_FIELDS = (
    "concern_summary",
    "how_concern_arose",
    "online_activity",
    "concern_types",
    "indicators",
    "complex_needs",
    "immediate_risk",
    "subject_aware",
    "discussed_with_lead",
    "action_taken",
    "other_agencies",
    "agencies_consulted",
    "agencies_consulted_details",
    "parental_support",
    "parental_support_details",
    "referrer_phone",
    "referrer_relationship",
)


class ReferralTransition(models.Model):
    """The case history: one row per transition, written in the transition's transaction."""

    id = models.BigAutoField(primary_key=True)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="history")
    name = models.CharField(max_length=40)
    from_state = models.CharField(max_length=24, choices=State.choices)
    to_state = models.CharField(max_length=24, choices=State.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    payload = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["referral", "at"])]

    def __str__(self) -> str:
        return f"{self.name}: {self.from_state} → {self.to_state}"


class ReferralAssignment(models.Model):
    """Who a case was assigned to, by whom and when: the assignment history (issue 17).

    ``role`` says which assignment changed: the officer who triages and assesses it, or the
    case lead a Channel chair names. The referral's own field holds the current one.
    """

    class AssignmentRole(models.TextChoices):
        OFFICER = "officer", _("Prevent officer")
        CASE_LEAD = "case_lead", _("Case lead")

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="assignments")
    role = models.CharField(max_length=12, choices=AssignmentRole.choices)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    previous = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["referral", "at"])]

    def __str__(self) -> str:
        return f"{self.referral_id} {self.role}"


class PoliceAssessment(models.Model):
    """The police gateway assessment: deconfliction, type of concern, screening."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="assessments")
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    deconfliction = models.CharField(max_length=24, choices=Deconfliction.choices)
    concern_type = models.ForeignKey(ConcernType, on_delete=models.PROTECT, related_name="+")
    screening = models.CharField(max_length=32, choices=Screening.choices)
    vulnerabilities = models.JSONField(default=list, blank=True)
    risk_summary = models.TextField(max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        get_latest_by = "created_at"

    def __str__(self) -> str:
        return f"Assessment {self.pk}"


class CaseNote(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=NoteKind.choices, default=NoteKind.FACT)
    text = models.TextField(max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Note {self.pk}"


def attachment_path(instance, filename: str) -> str:
    """Stored under an opaque name: the original file name is kept only in the database."""
    return f"attachments/{instance.referral_id}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="attachments")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(upload_to=attachment_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    description = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Attachment {self.pk}"


class NationalFormImport(models.Model):
    """A draft read from the national referral form (issue 15): which of the draft's fields
    were read from the file (marked "read from the form — check" on the draft's pages),
    which were not, why an answer on the form was left unread, and the file, kept as the
    referral's first attachment. Made only by
    ``referrals.national_form.services.referral_import_national_form``."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.OneToOneField(
        Referral, on_delete=models.CASCADE, related_name="national_form_import"
    )
    attachment = models.ForeignKey(Attachment, on_delete=models.CASCADE, related_name="+")
    read_fields = models.JSONField(default=list)
    unread_fields = models.JSONField(default=list)
    notes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"National form import {self.pk}"


class Addendum(models.Model):
    """Information a referrer adds to a referral after sending it (issue 15).

    What was submitted never changes: an addendum is a dated record beside it, with an
    optional file kept as one of the case's attachments. Written only by
    ``services.addendum_add``, which tells the case's officers by content-free e-mail.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="addenda")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("information added"), max_length=5000)
    attachment = models.OneToOneField(
        Attachment, on_delete=models.SET_NULL, null=True, blank=True, related_name="addendum"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "addenda"

    def __str__(self) -> str:
        return f"Addendum {self.pk}"


class BreakGlassGrant(models.Model):
    """Emergency access to a case outside the user's normal scope, with a reason, for 24 h.

    Created only by ``services.referral_break_glass`` (which audits it and tells the case's
    officer and chair); ``selectors`` give FULL read access while ``expires_at`` is ahead.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="break_glass_grants"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.TextField()
    granted_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["user", "expires_at"])]

    def __str__(self) -> str:
        return f"Break-glass grant {self.pk}"


class ReferralUserObjectPermission(UserObjectPermissionBase):
    """Per-case grants (panel members) as a direct foreign key: fast joins at scale."""

    content_object = models.ForeignKey(Referral, on_delete=models.CASCADE)


class ReferralGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Referral, on_delete=models.CASCADE)
