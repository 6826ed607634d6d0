"""The borough lead's partnership work outside individual cases (issue 21).

Boards with members, versioned terms of reference, meetings (attendance, quorum, minutes
signed off and locked) and actions with RAG status; the local risk assessment (versioned,
with its priorities), CTLP briefings readable only by named people, and the partnership plan
whose actions answer those risks; data-sharing agreements and the disclosure ledger that
records every disclosure of case data against the agreement that allowed it.

Nothing here holds case content: a disclosure keeps how many cases left, never which.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, LocalAuthority
from prevent_cms.meetings import HeldAndSignedOff

USER = settings.AUTH_USER_MODEL


class BoardKind(models.TextChoices):
    PREVENT_BOARD = "prevent_board", _("Prevent partnership board")
    COMMUNITY_SAFETY = "community_safety", _("Community Safety Partnership")
    COUNTY_BOARD = "county_board", _("County Prevent board")


class Rag(models.TextChoices):
    RED = "red", _("Red")
    AMBER = "amber", _("Amber")
    GREEN = "green", _("Green")


class Board(models.Model):
    """A multi-agency Prevent partnership group: one local authority's, or shared by several
    (a county board). Borough leads of every authority it serves keep it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        _("kind of board"),
        max_length=20,
        choices=BoardKind.choices,
        default=BoardKind.PREVENT_BOARD,
    )
    local_authorities = models.ManyToManyField(LocalAuthority, related_name="+")
    quorum = models.PositiveSmallIntegerField(_("quorum (members present)"), default=3)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "created_at"]

    def __str__(self) -> str:
        return self.name


class BoardMember(models.Model):
    """A person who sits on the board for an agency. Members need no account here."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=200)
    role_title = models.CharField(_("role"), max_length=200, blank=True)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    is_chair = models.BooleanField(_("chairs the board"), default=False)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)
    left_on = models.DateField(_("left on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_chair", "name", "created_at"]

    def __str__(self) -> str:
        return self.name

    @property
    def organisation(self) -> str:
        return self.agency.name if self.agency_id else self.organisation_name


def document_path(instance, filename: str) -> str:
    """An opaque name: the uploaded name is kept only in the database (as attachments)."""
    return f"partnership/{uuid.uuid4().hex}"


class TermsOfReference(models.Model):
    """One version of a board's terms of reference; the newest version is in force."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="terms")
    version = models.PositiveIntegerField()
    approved_on = models.DateField(_("approved on"))
    file = models.FileField(upload_to=document_path)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["board", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["board", "version"], name="terms_unique_version")
        ]

    def __str__(self) -> str:
        return f"Terms of reference v{self.version}"


class Meeting(HeldAndSignedOff, models.Model):
    """A board meeting: agenda, who attended (quorum is the board's number of members
    present), minutes, and the sign-off after which nothing of it changes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField(_("date"))
    location = models.CharField(_("place or online link"), max_length=300)
    agenda = models.TextField(_("agenda"), max_length=5000, blank=True)
    attended = models.ManyToManyField(BoardMember, related_name="+", blank=True)
    minutes = models.TextField(_("minutes"), max_length=20000, blank=True)
    quorum_met = models.BooleanField(default=False)
    held_at = models.DateTimeField(null=True, blank=True)
    signed_off_at = models.DateTimeField(null=True, blank=True)
    signed_off_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-created_at"]
        indexes = [models.Index(fields=["board", "date"])]

    def __str__(self) -> str:
        return f"Meeting {self.date:%d %B %Y}"


class RiskLevel(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class RiskAssessment(models.Model):
    """One version of a local authority's Prevent risk assessment, informed by the police
    Counter-Terrorism Local Profile. A new assessment is a new version; the old stay."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField()
    assessed_on = models.DateField(_("date of the assessment"))
    review_by = models.DateField(_("review by"))
    summary = models.TextField(_("summary"), max_length=5000)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["local_authority", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "version"], name="risk_assessment_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"Risk assessment v{self.version}"


class Risk(models.Model):
    """A priority of a risk assessment, ranked."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    assessment = models.ForeignKey(RiskAssessment, on_delete=models.CASCADE, related_name="risks")
    title = models.CharField(_("priority"), max_length=200)
    level = models.CharField(_("level"), max_length=6, choices=RiskLevel.choices)
    rank = models.PositiveSmallIntegerField(default=1)

    class Meta:
        ordering = ["assessment", "rank", "title"]

    def __str__(self) -> str:
        return self.title


CTLP_MARKING = "OFFICIAL-SENSITIVE"


class CtlpBriefing(models.Model):
    """A Counter-Terrorism Local Profile briefing: OFFICIAL-SENSITIVE, readable only by the
    people named on it (not even every borough lead), every read and refusal audited."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    received_on = models.DateField(_("received on"))
    marking = models.CharField(max_length=32, default=CTLP_MARKING, editable=False)
    readers = models.ManyToManyField(USER, related_name="+")
    file = models.FileField(upload_to=document_path)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-created_at"]

    def __str__(self) -> str:
        return f"CTLP briefing {self.received_on:%d %B %Y}"


class Plan(models.Model):
    """The partnership plan for a period: its actions answer the risk assessment's risks."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-created_at"]

    def __str__(self) -> str:
        # A plan is renewed each period, often under the same title: the dates tell them apart.
        return f"{self.title}, {self.starts_on:%d %B %Y} to {self.ends_on:%d %B %Y}"


class Action(models.Model):
    """An action with an owner, a due date and RAG status: agreed at a board meeting, or part
    of the partnership plan (then linked to the risks it answers), or both."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    board = models.ForeignKey(
        Board, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, null=True, blank=True, related_name="actions"
    )
    risks = models.ManyToManyField(Risk, related_name="actions", blank=True)
    description = models.CharField(_("action"), max_length=500)
    owner = models.CharField(_("owner"), max_length=200)
    due_date = models.DateField(_("due date"))
    rag = models.CharField(_("RAG status"), max_length=5, choices=Rag.choices, default=Rag.AMBER)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_date", "created_at"]
        indexes = [models.Index(fields=["local_authority", "due_date"])]

    def __str__(self) -> str:
        return self.description


class AgreementKind(models.TextChoices):
    DSA = "dsa", _("Data-sharing agreement")
    ISP = "isp", _("Information-sharing protocol")
    DPIA = "dpia", _("Data protection impact assessment")


class LawfulBasis(models.TextChoices):
    PUBLIC_TASK = "public_task", _("Public task (UK GDPR article 6(1)(e))")
    LEGAL_OBLIGATION = "legal_obligation", _("Legal obligation (UK GDPR article 6(1)(c))")
    VITAL_INTERESTS = "vital_interests", _("Vital interests (UK GDPR article 6(1)(d))")
    LAW_ENFORCEMENT = "law_enforcement", _("Law enforcement (Data Protection Act 2018, Part 3)")


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("In force")
    SUSPENDED = "suspended", _("Suspended")
    ENDED = "ended", _("Ended")


class Agreement(models.Model):
    """A data-sharing agreement (or information-sharing protocol, or DPIA) of a local
    authority with partner agencies. Current: in force, started, not ended."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(
        _("kind"), max_length=4, choices=AgreementKind.choices, default=AgreementKind.DSA
    )
    title = models.CharField(_("title"), max_length=200)
    parties = models.ManyToManyField(Agency, related_name="+")
    purpose = models.TextField(_("purpose"), max_length=2000)
    lawful_basis = models.CharField(_("lawful basis"), max_length=20, choices=LawfulBasis.choices)
    starts_on = models.DateField(_("starts on"))
    review_on = models.DateField(_("review due on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=AgreementStatus.choices, default=AgreementStatus.ACTIVE
    )
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["review_on", "title"]
        indexes = [models.Index(fields=["local_authority", "status"])]

    def __str__(self) -> str:
        return self.title


class DisclosureKind(models.TextChoices):
    PANEL_PACK = "panel_pack", _("Channel panel pack")
    CASE_EXPORT = "case_export", _("Case-list export")
    SUBJECT_ACCESS = "subject_access", _("Subject access export")
    BREAK_GLASS = "break_glass", _("Emergency (break-glass) read")
    TRANSFER = "transfer", _("Transfer to another area")
    MASH_COPY = "mash_copy", _("Copy to the MASH")
    OTHER = "other", _("Other disclosure")


class DisclosurePolicy(models.Model):
    """Whether a local authority refuses disclosures to a party with no current agreement.

    Off until the borough lead turns it on, once the register holds the agreements in force:
    until then every disclosure is still recorded, and one with no agreement shows as such in
    the ledger, rather than Channel packs stopping the day the register opens.
    """

    local_authority = models.OneToOneField(
        LocalAuthority, on_delete=models.PROTECT, primary_key=True, related_name="+"
    )
    refuse_without_agreement = models.BooleanField(default=False)
    changed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Disclosure policy {self.local_authority_id}"


class Disclosure(models.Model):
    """One disclosure of case data to a person of another agency: the ledger's row.

    Counts only (``case_count``), never which cases: the audit trail holds that against each
    case. A source (a pack copy, an export job) disclosed to one party is one row per local
    authority whose cases it holds, however often it runs or is downloaded, so the ledger
    counts each disclosure once.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=16, choices=DisclosureKind.choices)
    agreement = models.ForeignKey(
        Agreement, on_delete=models.PROTECT, null=True, blank=True, related_name="disclosures"
    )
    recipient_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    recipient = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    source_id = models.CharField(max_length=64)
    case_count = models.PositiveIntegerField(default=0)
    reason = models.CharField(_("reason (no agreement)"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    disclosed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-disclosed_at"]
        indexes = [models.Index(fields=["local_authority", "disclosed_at"])]
        constraints = [
            # Per local authority too: one export holds the cases of several boroughs, each
            # disclosed under its own council's agreement.
            models.UniqueConstraint(
                fields=["kind", "source_id", "recipient_agency", "local_authority"],
                name="disclosure_once_per_source_party_and_area",
            )
        ]

    def __str__(self) -> str:
        return f"Disclosure {self.pk}"


# --- Organisations and projects, training offer and outreach (issue 21) ---------------


class OrganisationType(models.TextChoices):
    VOLUNTARY = "voluntary", _("Voluntary or community group")
    CHARITY = "charity", _("Charity")
    FAITH = "faith", _("Faith organisation")
    OTHER = "other", _("Other organisation")


class Organisation(models.Model):
    """A voluntary, charity or faith organisation the partnership engages with: the register
    its safeguarding-policy gap analyses, support, due-diligence checks and projects hang on.
    One local authority's; no contact people are kept here."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    organisation_type = models.CharField(
        _("type of organisation"), max_length=10, choices=OrganisationType.choices
    )
    charity_number = models.CharField(_("registered charity number"), max_length=20, blank=True)
    engaged_on = models.DateField(_("first engaged on"))
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "created_at"]
        indexes = [models.Index(fields=["local_authority", "name"])]

    def __str__(self) -> str:
        return self.name


class PolicyItem(models.TextChoices):
    """The gap analysis's checklist: what a safe organisation has in place."""

    SAFEGUARDING_POLICY = "safeguarding_policy", _("Safeguarding policy")
    DESIGNATED_LEAD = "designated_lead", _("Designated safeguarding lead")
    DBS_CHECKS = "dbs_checks", _("DBS checks")
    ONLINE_SAFETY = "online_safety", _("Online safety")
    WHISTLEBLOWING = "whistleblowing", _("Whistleblowing procedure")
    TRAINING = "training", _("Safeguarding and Prevent training")


class PolicyStatus(models.TextChoices):
    MET = "met", _("Met")
    PARTLY = "partly", _("Partly met")
    NOT_MET = "not_met", _("Not met")


class GapAnalysis(models.Model):
    """A dated safeguarding-policy gap analysis: each checklist item met, partly or not
    (``items``: {item code: status code}, every item of ``PolicyItem``)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="gap_analyses"
    )
    assessed_on = models.DateField(_("date of the analysis"))
    items = models.JSONField(default=dict)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "-assessed_on", "-created_at"]
        verbose_name_plural = _("gap analyses")

    def __str__(self) -> str:
        return f"Gap analysis {self.assessed_on:%d %B %Y}"

    @property
    def gaps(self) -> int:
        """Items not fully met."""
        return sum(1 for status in self.items.values() if status != PolicyStatus.MET)

    def item_rows(self) -> list[tuple[str, str]]:
        """(item label, status label) in the checklist's order, for pages."""
        statuses = dict(PolicyStatus.choices)
        return [
            (str(label), str(statuses.get(self.items.get(code, ""), "")))
            for code, label in PolicyItem.choices
        ]


class Support(models.Model):
    """Support given to an organisation on a day (advice, a policy template, training)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="support")
    date = models.DateField(_("date"))
    description = models.CharField(_("support given"), max_length=500)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "-date", "-created_at"]
        verbose_name_plural = _("support")

    def __str__(self) -> str:
        return self.description


class FundingRoute(models.TextChoices):
    COMMISSIONING = "commissioning", _("Commissioning or procurement")
    GRANT = "grant", _("Grant")


class DueDiligenceItem(models.TextChoices):
    REGISTRATION = "registration", _("Registration (charity or company register)")
    ACCOUNTS = "accounts", _("Accounts and financial standing")
    GOVERNANCE = "governance", _("Governance and trustees")
    SAFEGUARDING = "safeguarding", _("Safeguarding policy and practice")
    EXTREMISM = "extremism", _("Extremism and open-source checks")
    REFERENCES = "references", _("References")


class DueDiligenceOutcome(models.TextChoices):
    PASSED = "passed", _("Passed")
    CONDITIONS = "conditions", _("Passed with conditions")
    FAILED = "failed", _("Not passed")


class DueDiligenceCheck(models.Model):
    """Commissioning or grant due diligence on an organisation to be funded: the checks done
    (``checks``: codes of ``DueDiligenceItem``), the outcome and who checked."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="due_diligence"
    )
    route = models.CharField(_("funding route"), max_length=13, choices=FundingRoute.choices)
    checked_on = models.DateField(_("date of the checks"))
    checks = models.JSONField(default=list)
    outcome = models.CharField(_("outcome"), max_length=10, choices=DueDiligenceOutcome.choices)
    checked_by = models.CharField(_("checked by"), max_length=200)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-checked_on", "-created_at"]

    def __str__(self) -> str:
        return f"Due diligence {self.checked_on:%d %B %Y}"

    def check_labels(self) -> list[str]:
        labels = dict(DueDiligenceItem.choices)
        return [str(labels[c]) for c in DueDiligenceItem.values if c in self.checks]


class Project(models.Model):
    """A community project an organisation delivers: funding, dates and outputs."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="projects"
    )
    title = models.CharField(_("title"), max_length=200)
    funding_amount = models.DecimalField(_("funding (£)"), max_digits=10, decimal_places=2)
    funding_source = models.CharField(_("source of funding"), max_length=200)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    outputs = models.TextField(_("outputs"), max_length=5000, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-created_at"]

    def __str__(self) -> str:
        return self.title


class SessionType(models.TextChoices):
    WORKSHOP = "workshop", _("Workshop")
    BRIEFING = "briefing", _("Briefing")


class Workshop(models.Model):
    """A workshop or briefing of the local training offer and outreach, with how many came."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    session_type = models.CharField(
        _("workshop or briefing"),
        max_length=8,
        choices=SessionType.choices,
        default=SessionType.WORKSHOP,
    )
    audience = models.CharField(_("audience"), max_length=200)
    attendance = models.PositiveIntegerField(_("number attending"))
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-created_at"]
        indexes = [models.Index(fields=["local_authority", "date"])]

    def __str__(self) -> str:
        return self.title


# --- Complaints and the mailing list (issue 21) ------------------------------------------

# Where someone who is not satisfied with the local answer may take a complaint about
# Prevent: the Home Office's national route, as councils' Prevent pages name it.
NATIONAL_COMPLAINTS_ROUTE = _(
    "If the person is not satisfied with the local response, they can complain to the Home "
    "Office’s Prevent Standards and Compliance Unit, which checks that Prevent is delivered "
    "to the national Prevent standards: search GOV.UK for “Make a complaint about Prevent”."
)


class ComplaintChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Telephone")
    LETTER = "letter", _("Letter")
    IN_PERSON = "in_person", _("In person")
    ONLINE_FORM = "online_form", _("Council complaints form")
    NATIONAL = "national", _("Passed on by the Prevent Standards and Compliance Unit")


class ComplaintOutcome(models.TextChoices):
    UPHELD = "upheld", _("Upheld")
    PARTLY_UPHELD = "partly_upheld", _("Partly upheld")
    NOT_UPHELD = "not_upheld", _("Not upheld")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    NATIONAL = "national", _("Taken to the Prevent Standards and Compliance Unit")


class Complaint(models.Model):
    """A complaint about how Prevent is delivered locally (not about a person's case: that
    stays with the case). The summary is a line about what went wrong, kept free of names
    and case details; the outcome and the day it closed; whether the complainant was told
    of the national route (``NATIONAL_COMPLAINTS_ROUTE``)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    received_on = models.DateField(_("date received"))
    channel = models.CharField(
        _("how it was received"), max_length=12, choices=ComplaintChannel.choices
    )
    summary = models.CharField(_("what the complaint is about"), max_length=300)
    outcome = models.CharField(
        _("outcome"), max_length=14, choices=ComplaintOutcome.choices, blank=True
    )
    closed_on = models.DateField(_("date closed"), null=True, blank=True)
    signposted = models.BooleanField(_("told of the national complaints route"), default=False)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_on", "-created_at"]
        indexes = [models.Index(fields=["local_authority", "received_on"])]

    def __str__(self) -> str:
        return f"Complaint {self.received_on:%d %B %Y}"


class ContactStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("On the list")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")


class MailingContact(models.Model):
    """Someone on a local authority's Prevent outreach mailing list (workshops, briefings).

    Double opt-in: added (by the borough lead), a contact is e-mailed a one-time link and
    is on the list only once they follow it (``confirmed``); the link's token is kept only
    as its hash, and it expires. Every message to the list carries ``unsubscribe_token`` in
    an unsubscribe link that works without signing in: an opaque random string, never the
    address. An e-mail address is all that is kept about them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    email = models.EmailField(_("e-mail address"))
    status = models.CharField(
        max_length=12, choices=ContactStatus.choices, default=ContactStatus.PENDING
    )
    confirm_token_hash = models.CharField(max_length=64, blank=True)
    confirm_expires_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    unsubscribe_token = models.CharField(max_length=64, unique=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    added_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["email", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "email"], name="mailing_contact_once_per_area"
            )
        ]

    def __str__(self) -> str:
        return f"Mailing contact {self.pk}"


class MailingSend(models.Model):
    """One content-free reminder to a local authority's mailing list (workshops and
    briefings coming up): who sent it and when, and which contacts it has reached
    (``delivered``: contact ids), so a retried send mails nobody twice."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    local_authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="+")
    sent_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)
    delivered = models.JSONField(default=list)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"Mailing {self.sent_at:%d %B %Y}"
