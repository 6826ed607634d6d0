"""What only a person can tell the compliance report: the borough lead's own records.

The Home Office Prevent duty toolkit has eight sections (DOMAIN.md §Local authority
compliance). The system counts referrals, panels and training itself; partnership-plan
actions and dated entries (board meetings, risk assessment, venue and IT checks, engagement
events, data protection) are recorded here, with full history (django-simple-history).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import LocalAuthority


class ToolkitSection(models.TextChoices):
    PARTNERSHIP_GROUP = "partnership_group", _("1. Multi-agency partnership group")
    RISK_ASSESSMENT = "risk_assessment", _("2. Local risk assessment")
    PARTNERSHIP_PLAN = "partnership_plan", _("3. Partnership plan")
    REFERRAL_PATHWAY = "referral_pathway", _("4. Referral pathway")
    CHANNEL_PANEL = "channel_panel", _("5. Channel panel")
    TRAINING = "training", _("6. Training programme")
    PERMISSIVE_ENVIRONMENTS = "permissive_environments", _("7. Reducing permissive environments")
    COMMUNICATIONS = "communications", _("8. Communications and engagement")


class Rag(models.TextChoices):
    RED = "red", _("Red")
    AMBER = "amber", _("Amber")
    GREEN = "green", _("Green")


class PlanAction(models.Model):
    """An action of the partnership plan: owner, due date and RAG status."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    section = models.CharField(
        _("toolkit section"),
        max_length=32,
        choices=ToolkitSection.choices,
        default=ToolkitSection.PARTNERSHIP_PLAN,
    )
    description = models.CharField(_("action"), max_length=500)
    owner = models.CharField(_("owner"), max_length=200)
    due_date = models.DateField(_("due date"))
    rag = models.CharField(_("RAG status"), max_length=5, choices=Rag.choices, default=Rag.AMBER)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "created_at"]
        indexes = [models.Index(fields=["local_authority", "due_date"])]

    def __str__(self) -> str:
        return self.description


class ComplianceEntry(models.Model):
    """A dated fact for one toolkit section: a board meeting, the risk assessment, a
    venue-hire or IT-filtering check, an engagement event, a DPIA review."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    section = models.CharField(_("toolkit section"), max_length=32, choices=ToolkitSection.choices)
    date = models.DateField(_("date"))
    title = models.CharField(_("what happened"), max_length=200)
    notes = models.TextField(_("notes"), max_length=2000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["section", "-date"]
        verbose_name_plural = _("compliance entries")
        indexes = [models.Index(fields=["local_authority", "section", "date"])]

    def __str__(self) -> str:
        return self.title


class ReferralStatistics(models.Model):
    """One submitted referral's statistics columns, kept so a report reads one narrow row per
    referral instead of working them out from five tables (issue 25: a force's year at
    1,000,000 referrals in well under half a second).

    A rollup, never the record: ``reports.rollup`` writes it from the same expressions the
    live query uses (``reports.selectors._statistics_rows``), in the transaction of every
    lifecycle step and from the stale list below. Database triggers put a referral on
    ``StatisticsStale`` whenever anything a column is made of changes, by whatever path, and
    the statistics read a stale referral live, so a report is always what the live query
    would say (see ``statistics_counts_for``).
    """

    referral = models.OneToOneField(
        "referrals.Referral", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    police_force = models.ForeignKey(
        "accounts.PoliceForce", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    submitted_at = models.DateTimeField()
    sector = models.CharField(max_length=32)
    route = models.CharField(max_length=16)
    concern = models.TextField()
    age = models.IntegerField(null=True)
    gender = models.CharField(max_length=16)
    state = models.CharField(max_length=24)
    closure_reason = models.CharField(max_length=32)
    exited = models.BooleanField()
    adopted = models.BooleanField()
    ever_police_led = models.BooleanField()
    discussed_at_panel = models.BooleanField()

    class Meta:
        indexes = [
            models.Index(fields=["police_force", "submitted_at"], name="reports_stats_force_idx"),
            models.Index(fields=["local_authority", "submitted_at"], name="reports_stats_la_idx"),
        ]

    def __str__(self) -> str:
        return str(self.referral_id)


class StatisticsStale(models.Model):
    """A referral whose ``ReferralStatistics`` row may be out of date: written by the
    database triggers of migration ``0002``, emptied by ``reports.rollup``. No foreign key:
    a referral deleted since is simply skipped."""

    referral_id = models.UUIDField(primary_key=True)
    marked_at = models.DateTimeField()

    def __str__(self) -> str:
        return str(self.referral_id)
