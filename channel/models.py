"""Channel panels (meetings), agendas, assessments, consent, support, reviews, packs.

Every case-linked row points at ``referrals.Referral``; who may read it is decided by the
selectors in ``channel.selectors`` on top of ``referrals_visible_to``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import LocalAuthority
from prevent_cms.meetings import HeldAndSignedOff
from referrals.choices import SignpostService
from referrals.models import Referral, ReferralTransition

from .choices import (
    AgendaKind,
    ConsentDecision,
    EarlyReviewReason,
    GivenBy,
    InterventionStatus,
    InterventionType,
    PackAttestation,
    PanelDecision,
    ReachedBy,
    ReviewKind,
    RiskChange,
)

USER = settings.AUTH_USER_MODEL


class AssessmentFramework(models.Model):
    """A versioned set of factors (VAF 2012 shipped as data; its successor can follow)."""

    code = models.CharField(max_length=40, primary_key=True)
    title = models.CharField(max_length=200)
    ratings = models.JSONField(default=list)  # allowed rating values, lowest first
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.title


class AssessmentFactor(models.Model):
    framework = models.ForeignKey(
        AssessmentFramework, on_delete=models.CASCADE, related_name="factors"
    )
    code = models.CharField(max_length=60)
    dimension = models.CharField(max_length=40)
    label = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["framework", "order"]
        constraints = [
            models.UniqueConstraint(fields=["framework", "code"], name="factor_unique_code")
        ]

    def __str__(self) -> str:
        return self.label


class Panel(HeldAndSignedOff, models.Model):
    """One Channel panel meeting of a local authority."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="panels"
    )
    chair = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"), db_index=True)
    location = models.CharField(_("place or online link"), max_length=300)
    members = models.ManyToManyField(USER, related_name="channel_panels", blank=True)
    attended = models.ManyToManyField(USER, related_name="+", blank=True)
    minutes = models.TextField(_("minutes"), max_length=20000, blank=True)
    quorum_met = models.BooleanField(default=False)
    held_at = models.DateTimeField(null=True, blank=True)
    signed_off_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # How often the meeting has moved: the invitation's iCalendar SEQUENCE, so a calendar
    # replaces the earlier invitation instead of keeping both (issue 17).
    sequence = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-date"]
        indexes = [models.Index(fields=["local_authority", "date"])]

    def __str__(self) -> str:
        return f"Panel {self.date:%d %B %Y}"


class AgendaItem(models.Model):
    """A case on a panel's agenda, with what the panel discussed and decided."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="agenda")
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="agenda_items")
    kind = models.CharField(max_length=24, choices=AgendaKind.choices, default=AgendaKind.NEW_CASE)
    discussion = models.TextField(max_length=10000, blank=True)
    decision = models.CharField(max_length=200, blank=True)
    rationale = models.TextField(max_length=5000, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["panel", "order", "added_at"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "referral"], name="agenda_unique_case")
        ]

    def __str__(self) -> str:
        return f"Agenda item {self.pk}"


class AgendaDecision(models.Model):
    """The panel's structured decision on one agenda item, and how the panel reached it.

    One per item: a decision that moved the case ran its lifecycle step (``transition``, the
    case history's row, whose payload names this panel and item back); ``continue_support``
    and ``defer`` move nothing and have none. Locked with the minutes on sign-off.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="outcome")
    decision = models.CharField(max_length=24, choices=PanelDecision.choices)
    reached_by = models.CharField(max_length=16, choices=ReachedBy.choices)
    # [{"agency": name, "reason": short text}, ...]: who disagreed, and why.
    dissent = models.JSONField(default=list, blank=True)
    rationale = models.TextField(max_length=5000)
    signposted_to = models.CharField(max_length=40, choices=SignpostService.choices, blank=True)
    transition = models.OneToOneField(
        ReferralTransition,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="panel_decision",
    )
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Panel decision {self.pk}"


class PanelAction(models.Model):
    """An action agreed at a panel: owner and due date; shown in the next pack."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="actions")
    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="panel_actions", null=True, blank=True
    )
    description = models.CharField(max_length=500)
    owner = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    owner_name = models.CharField(max_length=200, blank=True)
    due_date = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_date", "created_at"]

    def __str__(self) -> str:
        return f"Action {self.pk}"


class AgencyUpdate(models.Model):
    """A panel member's update on a case from their agency."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="agency_updates")
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="agency_updates")
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"Agency update {self.pk}"


class AgencyUpdateRequest(models.Model):
    """The chair's request that an agency bring an update on a case to a panel (issue 17).

    Owed until a member of that agency adds an ``AgencyUpdate`` on the case for the panel;
    one request per panel, case and agency (asking again tells no one twice).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="update_requests")
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey("accounts.Agency", on_delete=models.CASCADE, related_name="+")
    requested_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "referral", "agency"], name="channel_one_update_request"
            )
        ]

    def __str__(self) -> str:
        return f"Agency update request {self.pk}"


class VulnerabilityAssessment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="vulnerability_assessments"
    )
    framework = models.ForeignKey(AssessmentFramework, on_delete=models.PROTECT, related_name="+")
    assessor = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    date = models.DateField()
    ratings = models.JSONField(default=dict)  # factor code -> rating value
    evidence = models.JSONField(default=dict, blank=True)  # factor code -> text
    summary = models.TextField(max_length=5000)
    management_plan = models.TextField(max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-created_at"]

    def __str__(self) -> str:
        return f"Vulnerability assessment {self.pk}"


class Consent(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="consents")
    given_by = models.CharField(max_length=24, choices=GivenBy.choices)
    given_by_name = models.CharField(max_length=200, blank=True)
    relationship = models.CharField(max_length=100, blank=True)
    date = models.DateField()
    decision = models.CharField(max_length=12, choices=ConsentDecision.choices)
    child_view = models.TextField(max_length=5000, blank=True)
    how_sought = models.TextField(_("how consent was sought"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-created_at"]

    def __str__(self) -> str:
        return f"Consent {self.pk}"


class SupportPlan(models.Model):
    """The support plan: how, when and by whom consent was sought; exit and closing report."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.OneToOneField(Referral, on_delete=models.CASCADE, related_name="support_plan")
    consent_sought = models.TextField(max_length=2000, blank=True)
    closing_report = models.TextField(max_length=10000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Support plan {self.pk}"


class Intervention(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(SupportPlan, on_delete=models.CASCADE, related_name="interventions")
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="interventions")
    type = models.CharField(max_length=32, choices=InterventionType.choices)
    provider = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="interventions"
    )
    provider_name = models.CharField(max_length=200, blank=True)
    start_date = models.DateField()
    hours = models.DecimalField(max_digits=6, decimal_places=1, default=0)
    status = models.CharField(
        max_length=12, choices=InterventionStatus.choices, default=InterventionStatus.PLANNED
    )
    # The provider's brief (issue 16): what the chair chose to share with the provider, and
    # the plan's goals this intervention works towards. Nothing else of the case reaches them.
    contact_route = models.TextField(
        _("how the provider may contact the person"), max_length=500, blank=True
    )
    goals = models.TextField(
        _("goals of the support plan for this provider"), max_length=2000, blank=True
    )
    sessions_planned = models.PositiveSmallIntegerField(
        _("sessions planned"), null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["start_date", "created_at"]
        indexes = [models.Index(fields=["provider", "start_date"])]

    def __str__(self) -> str:
        return f"Intervention {self.pk}"


class InterventionSession(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="sessions"
    )
    date = models.DateField()
    hours = models.DecimalField(max_digits=5, decimal_places=1, default=1)
    notes = models.TextField(max_length=5000, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "created_at"]

    def __str__(self) -> str:
        return f"Session {self.pk}"


class Review(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(max_length=24, choices=ReviewKind.choices)
    date = models.DateField()
    risk_change = models.CharField(max_length=12, choices=RiskChange.choices)
    recommend_exit = models.BooleanField(default=False)
    notes = models.TextField(max_length=5000, blank=True)
    # A post-exit review recorded before its window opened says why (audited, and counted
    # apart in the compliance report); empty for one recorded in its window.
    early_reason = models.CharField(max_length=16, choices=EarlyReviewReason.choices, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-created_at"]

    def __str__(self) -> str:
        return f"Review {self.pk}"


def pack_path(instance, filename: str) -> str:
    return f"packs/{instance.panel_id}/{uuid.uuid4().hex}.pdf"


class PanelPack(models.Model):
    """One recipient's copy of one pack run. Unique per (job, recipient): idempotent."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="packs")
    job = models.ForeignKey("prevent_cms.Job", on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(USER, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to=pack_path)
    pages = models.PositiveSmallIntegerField(default=0)
    # The cases this copy holds, as rendered (the agenda may change later): every download
    # is audited against each of them, so each case's access log shows who has its pack.
    referral_ids = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the retention purge deleted the file (72 hours after the panel, by default).
    purged_at = models.DateTimeField(null=True, blank=True)
    # The recipient's download link (issue 16) works once: when it was used.
    link_used_at = models.DateTimeField(null=True, blank=True)
    # After the panel the recipient says what became of their copy, and when.
    attestation = models.CharField(
        max_length=12, choices=PackAttestation.choices, blank=True, default=""
    )
    attestation_reason = models.TextField(max_length=2000, blank=True)
    attested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["job", "recipient"], name="pack_unique_recipient")
        ]

    def __str__(self) -> str:
        return f"Pack {self.pk}"

    def audit_targets(self) -> list[tuple[str, str]]:
        """What making or reading this copy discloses: the panel and each case in it."""
        return [
            (Panel._meta.label_lower, str(self.panel_id)),
            *((Referral._meta.label_lower, str(pk)) for pk in self.referral_ids),
        ]

    def audit_detail(self) -> dict:
        """Ids only: the people and the panel are named elsewhere."""
        return {
            "panel": str(self.panel_id),
            "recipient": str(self.recipient_id),
            "pack": str(self.pk),
            "job": str(self.job_id),
        }


class ReminderSent(models.Model):
    """Ledger of reminder e-mails: one row per (kind, object, recipient, day)."""

    key = models.CharField(max_length=200, primary_key=True)
    day = models.DateField(db_index=True)
    sent_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key
