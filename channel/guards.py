"""Guards for the Channel-stage transitions (DESIGN.md §4), registered from ``apps.ready``.

Each guard checks stored data only; messages name what is missing.
"""

from django.utils.translation import gettext as _

from referrals import lifecycle
from referrals.choices import ClosureReason

from .choices import ConsentDecision, ReviewKind
from .models import AgendaItem, Consent, Intervention, Review, VulnerabilityAssessment
from .services import case_date_error, consenter_errors


def adopt_guard(referral, payload) -> dict[str, str]:
    errors = {}
    if not VulnerabilityAssessment.objects.filter(referral=referral).exists():
        errors["vulnerability_assessment"] = _(
            "Record a vulnerability assessment before adopting the case"
        )
    if not AgendaItem.objects.filter(referral=referral, panel__held_at__isnull=False).exists():
        errors["panel"] = _("The case must be discussed at a held panel before it is adopted")
    return errors


def consent_given_guard(referral, payload) -> dict[str, str]:
    latest = Consent.objects.filter(referral=referral).order_by("-date", "-created_at").first()
    if latest is None or latest.decision != ConsentDecision.GIVEN:
        return {"consent": _("Record the consent given before starting support")}
    # A consent dated before the referral or after today (recorded before the service
    # refused such dates) cannot start support: its age check would read the wrong age.
    wrong_date = case_date_error(referral, latest.date, kind="consent")
    if wrong_date:
        return {"consent": wrong_date}
    wrong = consenter_errors(
        referral,
        given_by=latest.given_by,
        given_by_name=latest.given_by_name,
        relationship=latest.relationship,
        date=latest.date,
    )
    if wrong:
        return {"consent": next(iter(wrong.values()))}
    return {}


def exit_channel_guard(referral, payload) -> dict[str, str]:
    errors = {}
    if not Intervention.objects.filter(referral=referral).exists():
        errors["support_plan"] = _("The support plan needs at least one intervention")
    if not Review.objects.filter(referral=referral, recommend_exit=True).exists():
        errors["review"] = _("Record a review that recommends exit")
    return errors


def close_guard(referral, payload) -> dict[str, str]:
    if payload is None or payload.get("reason") != ClosureReason.REVIEWS_COMPLETE:
        return {}
    done = set(Review.objects.filter(referral=referral).values_list("kind", flat=True))
    errors = {}
    if ReviewKind.POST_EXIT_6_MONTHS not in done:
        errors["post_exit_6_months"] = _("Record the 6-month post-exit review")
    if ReviewKind.POST_EXIT_12_MONTHS not in done:
        errors["post_exit_12_months"] = _("Record the 12-month post-exit review")
    return errors


def register() -> None:
    lifecycle.register_guard("adopt", adopt_guard)
    lifecycle.register_guard("consent_given", consent_given_guard)
    lifecycle.register_guard("exit_channel", exit_channel_guard)
    lifecycle.register_guard("close", close_guard)
