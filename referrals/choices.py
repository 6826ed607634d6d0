"""Code lists for referrals (DESIGN.md §4–§5, DOMAIN.md §Statistics)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Sector


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    POLICE_ASSESSMENT = "police_assessment", _("Police assessment")
    POLICE_LED = "police_led", _("Police-led partnership")
    CHANNEL_PANEL = "channel_panel", _("Channel panel")
    AWAITING_CONSENT = "awaiting_consent", _("Awaiting consent")
    SUPPORT = "support", _("Support")
    POST_EXIT_REVIEW = "post_exit_review", _("Post-exit review")
    CLOSED = "closed", _("Closed")


POLICE_STAGES = frozenset({State.POLICE_ASSESSMENT, State.POLICE_LED})
# The Channel states, named once: the chair's stages, where Channel data is recorded, a case
# may go on a panel agenda, and the chair decides (DESIGN.md §4).
CHANNEL_STAGES = frozenset(
    {State.CHANNEL_PANEL, State.AWAITING_CONSENT, State.SUPPORT, State.POST_EXIT_REVIEW}
)
OPEN_STATES = frozenset(State) - {State.DRAFT, State.CLOSED}


class ReceivedVia(models.TextChoices):
    """How a referral reached the Prevent team (issue 15). A referrer's own is ``online``;
    the others are recorded on the referrer's behalf by a Prevent officer or Prevent lead."""

    ONLINE = "online", _("Online (this service)")
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("E-mail")
    NATIONAL_FORM = "national_form", _("National referral form")
    LETTER = "letter", _("Letter")
    IN_PERSON = "in_person", _("In person")
    CONSULTATION = "consultation", _("Following a consultation")


# The routes someone may record on a referrer's behalf: every one but the referrer's own.
ON_BEHALF_ROUTES = tuple(route for route in ReceivedVia.values if route != ReceivedVia.ONLINE)


def _referrer_sectors():
    """An agency's sectors with members of the public after friends and family."""
    for sector in Sector:
        yield sector.name, (sector.value, sector.label)
        if sector == Sector.FRIENDS_AND_FAMILY:
            yield "MEMBER_OF_PUBLIC", ("member_of_public", _("Member of the public"))


# The sector of a referrer who has no account: the statistics' codes of an agency's sector
# (DOMAIN.md §Statistics) and members of the public, whom the statistics count under ``other``.
ReferrerSector = models.TextChoices("ReferrerSector", list(_referrer_sectors()))


class CoarseStatus(models.TextChoices):
    """What a referrer sees (DESIGN.md §3): never the police or panel outcome."""

    DRAFT = "draft", _("Draft")
    RECEIVED = "received", _("Received")
    BEING_ASSESSED = "being_assessed", _("Being assessed")
    CLOSED = "closed", _("Closed")


def coarse_status(state: str) -> str:
    if state == State.DRAFT:
        return CoarseStatus.DRAFT
    if state == State.SUBMITTED:
        return CoarseStatus.RECEIVED
    if state == State.CLOSED:
        return CoarseStatus.CLOSED
    return CoarseStatus.BEING_ASSESSED


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")
    OTHER = "other", _("Other")
    NOT_KNOWN = "not_known", _("Not known")


class Deconfliction(models.TextChoices):
    CLEARED = "cleared", _("Cleared: no live investigation")
    LIVE_INVESTIGATION = "live_investigation", _("Live counter-terrorism investigation")


class Screening(models.TextChoices):
    CLEAR_VULNERABILITY = "clear_vulnerability", _("Clear vulnerability")
    LIMITED_INFORMATION = "limited_information", _("Limited information but a concern")
    NOT_APPROPRIATE = "not_appropriate", _("Not appropriate for Prevent")


class ClosureReason(models.TextChoices):
    NO_FURTHER_ACTION = "no_further_action", _("No further action")
    SIGNPOSTED = "signposted", _("Signposted to another service")
    MANAGED_UNDER_PURSUE = "managed_under_pursue", _("Managed under Pursue")
    RISK_REDUCED = "risk_reduced", _("Risk reduced")
    NOT_ADOPTED = "not_adopted", _("Not adopted by the panel")
    CONSENT_DECLINED = "consent_declined", _("Consent declined")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")
    REVIEWS_COMPLETE = "reviews_complete", _("Post-exit reviews complete")
    MOVED_AREA = "moved_area", _("Moved out of the area")
    IN_CUSTODY = "in_custody", _("In custody")
    DECEASED = "deceased", _("Deceased")


ANY_STAGE_REASONS = frozenset(
    {ClosureReason.MOVED_AREA, ClosureReason.IN_CUSTODY, ClosureReason.DECEASED}
)
CLOSURE_REASONS_BY_STATE = {
    State.POLICE_ASSESSMENT: {
        ClosureReason.NO_FURTHER_ACTION,
        ClosureReason.SIGNPOSTED,
        ClosureReason.MANAGED_UNDER_PURSUE,
    },
    State.POLICE_LED: {ClosureReason.RISK_REDUCED, ClosureReason.NO_FURTHER_ACTION},
    State.CHANNEL_PANEL: {ClosureReason.NOT_ADOPTED},
    State.AWAITING_CONSENT: {ClosureReason.CONSENT_DECLINED},
    State.SUPPORT: {ClosureReason.CONSENT_WITHDRAWN},
    State.POST_EXIT_REVIEW: {ClosureReason.REVIEWS_COMPLETE},
}
REASONS_NEEDING_SIGNPOST = frozenset({ClosureReason.SIGNPOSTED, ClosureReason.NOT_ADOPTED})
REASONS_NEEDING_REASSESSMENT = frozenset(
    {ClosureReason.CONSENT_DECLINED, ClosureReason.CONSENT_WITHDRAWN}
)


def closure_reasons_for(state: str) -> set[str]:
    return set(CLOSURE_REASONS_BY_STATE.get(state, set())) | set(ANY_STAGE_REASONS)


class SignpostService(models.TextChoices):
    CHILDRENS_SOCIAL_CARE = "childrens_social_care", _("Children’s social care")
    ADULT_SOCIAL_CARE = "adult_social_care", _("Adult social care")
    MENTAL_HEALTH = "mental_health", _("Mental health services")
    EDUCATION = "education", _("Education")
    OTHER = "other", _("Other")


class NoteKind(models.TextChoices):
    FACT = "fact", _("Fact")
    OPINION = "opinion", _("Opinion")


class TransitionName(models.TextChoices):
    """The lifecycle's step names. Their labels, rules and side effects are declared with the
    transitions on ``referrals.models.Referral`` (read them with ``lifecycle.label``)."""

    SUBMIT = "submit"
    START_ASSESSMENT = "start_assessment"
    REFER_TO_CHANNEL = "refer_to_channel"
    POLICE_LED_PARTNERSHIP = "police_led_partnership"
    CLOSE = "close"
    ADOPT = "adopt"
    CONSENT_GIVEN = "consent_given"
    EXIT_CHANNEL = "exit_channel"
    ESCALATE_TO_POLICE = "escalate_to_police"
    READOPT = "readopt"
    REOPEN = "reopen"


# The age groups of DOMAIN.md §Statistics, at referral: code, lowest age, highest age. Kept
# here so the statistics (reports), the consultations' age bands and the officers' case-list
# export (referrals) share them, with their labels.
AGE_GROUPS: list[tuple[str, int | None, int | None]] = [
    ("10_and_under", None, 10),
    ("11_to_15", 11, 15),
    ("16_to_17", 16, 17),
    ("18_to_20", 18, 20),
    ("21_to_30", 21, 30),
    ("31_to_40", 31, 40),
    ("41_to_50", 41, 50),
    ("51_to_60", 51, 60),
    ("61_and_over", 61, None),
]
# Each group as people read it: pages, statistics and the label column of exports.
AGE_GROUP_LABELS = {
    "10_and_under": _("10 and under"),
    "11_to_15": _("11 to 15"),
    "16_to_17": _("16 to 17"),
    "18_to_20": _("18 to 20"),
    "21_to_30": _("21 to 30"),
    "31_to_40": _("31 to 40"),
    "41_to_50": _("41 to 50"),
    "51_to_60": _("51 to 60"),
    "61_and_over": _("61 and over"),
    "unknown": _("Unknown"),
}
