"""A consultation: someone asked a Prevent officer for advice about a concern (issue 15).

It records who asked (a person with no account: name, organisation, sector), when, what they
were worried about, the advice given and what came of it. It holds no full identity of the
person the concern is about — at most initials and an age band — unless a referral follows,
and then it links to that referral, which holds the identity under the case's own rules.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import LocalAuthority, PoliceForce, Sector
from referrals.choices import AGE_GROUP_LABELS, AGE_GROUPS
from referrals.models import Referral


class Outcome(models.TextChoices):
    NO_REFERRAL_NEEDED = "no_referral_needed", _("No referral needed")
    REFERRAL_ADVISED = "referral_advised", _("Referral advised")
    REFERRED_ELSEWHERE = "referred_elsewhere", _("Referred to another service")
    REFERRAL_MADE = "referral_made", _("Referral made")


class ReferredTo(models.TextChoices):
    """Where a concern not for Prevent was sent instead (DOMAIN.md §The journey, step 4)."""

    CHILDRENS_SOCIAL_CARE = "childrens_social_care", _("Children’s social care")
    MASH = "mash", _("Multi-agency safeguarding hub (MASH)")
    EARLY_HELP = "early_help", _("Early help")
    ADULT_SOCIAL_CARE = "adult_social_care", _("Adult social care")
    MENTAL_HEALTH = "mental_health", _("Mental health services")
    EDUCATION = "education", _("Education")
    POLICE = "police", _("Police (not Prevent)")
    OTHER = "other", _("Other")


# A consultation's age band is one of the groups, never "unknown".
AGE_BAND_LABELS = {code: AGE_GROUP_LABELS[code] for code, _lo, _hi in AGE_GROUPS}
AGE_BANDS = list(AGE_BAND_LABELS.items())


class Consultation(models.Model):
    """Written only by ``consultations.services``, which audits every change."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    police_force = models.ForeignKey(
        PoliceForce, on_delete=models.PROTECT, related_name="consultations"
    )
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, related_name="consultations"
    )
    consulted_on = models.DateField(_("date of the consultation"))
    asker_name = models.CharField(_("name of the person who asked"), max_length=200)
    asker_organisation = models.CharField(_("their organisation"), max_length=200, blank=True)
    asker_sector = models.CharField(_("their sector"), max_length=32, choices=Sector.choices)
    subject_initials = models.CharField(_("initials of the person"), max_length=3, blank=True)
    subject_age_band = models.CharField(
        _("age of the person"), max_length=16, choices=AGE_BANDS, blank=True
    )
    summary = models.TextField(_("the concern"))
    advice = models.TextField(_("advice given"))
    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices)
    referred_to = models.CharField(
        _("referred to"), max_length=32, choices=ReferredTo.choices, blank=True
    )
    referral = models.ForeignKey(
        Referral,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultations",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="consultations_recorded"
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-consulted_on", "-created_at"]
        indexes = [
            models.Index(fields=["police_force", "-consulted_on"]),
            models.Index(fields=["local_authority", "consulted_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(outcome="referred_elsewhere") | models.Q(referred_to=""),
                name="consultation_referred_to_only_when_referred_elsewhere",
            ),
            models.CheckConstraint(
                condition=~models.Q(outcome="referred_elsewhere") | ~models.Q(referred_to=""),
                name="consultation_referred_elsewhere_says_where",
            ),
        ]

    def __str__(self) -> str:
        return f"Consultation {self.consulted_on:%Y-%m-%d}"
