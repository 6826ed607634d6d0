"""Code lists for Channel (DESIGN.md §5, DOMAIN.md §The journey 5–10)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AgendaKind(models.TextChoices):
    NEW_CASE = "new_case", _("New case")
    REVIEW = "review", _("Review of support")
    CONSENT_REASSESSMENT = "consent_reassessment", _("Consent reassessment")
    EXIT = "exit", _("Exit")
    POST_EXIT_REVIEW = "post_exit_review", _("Post-exit review")


class GivenBy(models.TextChoices):
    INDIVIDUAL = "individual", _("The person")
    PARENT_OR_GUARDIAN = "parent_or_guardian", _("A parent or guardian")


class ConsentDecision(models.TextChoices):
    GIVEN = "given", _("Given")
    DECLINED = "declined", _("Declined")


class InterventionType(models.TextChoices):
    EDUCATION = "education", _("Education")
    CAREERS = "careers", _("Careers or employment")
    HOUSING = "housing", _("Housing")
    MENTAL_HEALTH = "mental_health", _("Mental and emotional health")
    SUBSTANCE_MISUSE = "substance_misuse", _("Substance misuse")
    LIFE_SKILLS = "life_skills", _("Life skills")
    ANGER_MANAGEMENT = "anger_management", _("Anger management")
    COGNITIVE_BEHAVIOURAL = "cognitive_behavioural", _("Cognitive or behavioural work")
    FAMILY_SUPPORT = "family_support", _("Family support")
    DIVERSIONARY = "diversionary", _("Diversionary activity")
    IDEOLOGICAL_MENTORING = "ideological_mentoring", _("Ideological or theological mentoring")
    OTHER = "other", _("Other")


class InterventionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ReviewKind(models.TextChoices):
    PANEL = "panel", _("Panel review")
    POST_EXIT_6_MONTHS = "post_exit_6_months", _("Post-exit review at 6 months")
    POST_EXIT_12_MONTHS = "post_exit_12_months", _("Post-exit review at 12 months")


class RiskChange(models.TextChoices):
    REDUCED = "reduced", _("Reduced")
    UNCHANGED = "unchanged", _("Unchanged")
    INCREASED = "increased", _("Increased")


class PanelDecision(models.TextChoices):
    """What a panel decides on one agenda item (``channel.services.decisions``)."""

    ADOPT = "adopt", _("Adopt as a Channel case")
    NOT_ADOPTED = "not_adopted", _("Do not adopt, and signpost")
    CONTINUE_SUPPORT = "continue_support", _("Continue support")
    EXIT = "exit", _("Exit Channel")
    DEFER = "defer", _("Defer to the next panel")
    ESCALATE_TO_POLICE = "escalate_to_police", _("Escalate to police")


class ReachedBy(models.TextChoices):
    """How the panel reached it (DOMAIN.md §The journey 5: consensus, majority, chair)."""

    CONSENSUS = "consensus", _("By consensus")
    MAJORITY = "majority", _("By majority")
    CHAIR_DECIDED = "chair_decided", _("Decided by the chair")


class EarlyReviewReason(models.TextChoices):
    """Why a post-exit review was recorded before its window opened."""

    MOVED_AWAY = "moved_away", _("The person moved away")
    DIED = "died", _("The person died")
    IN_CUSTODY = "in_custody", _("The person is in custody")
    OTHER = "other", _("Another reason (say which in the notes)")


class PackAttestation(models.TextChoices):
    """What a recipient says became of their copy of a panel pack after the panel."""

    DESTROYED = "destroyed", _("Destroyed")
    RETAINED = "retained", _("Retained under policy")
