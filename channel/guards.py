"""Guards for the Channel-stage transitions (DESIGN.md §4), registered from ``apps.ready``
under the names the transitions declare (``referrals.models.Referral``).

Each guard checks stored data only; messages name what is missing.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from referrals import lifecycle
from referrals.choices import ClosureReason, State, TransitionName

from .choices import ConsentDecision, ReviewKind
from .models import AgendaItem, Consent, Intervention, Review, VulnerabilityAssessment
from .selectors import post_exit_review_opens
from .services.common import case_date_error
from .services.consent import consenter_errors


def adopt_guard(referral, payload) -> dict[str, str]:
    errors = {}
    if not VulnerabilityAssessment.objects.filter(referral=referral).exists():
        errors["vulnerability_assessment"] = _(
            "Record a vulnerability assessment before adopting the case"
        )
    discussed = AgendaItem.objects.filter(referral=referral, panel__held_at__isnull=False)
    back = _back_at_panel_since(referral)
    if back is None:
        if not discussed.exists():
            errors["panel"] = _("The case must be discussed at a held panel before it is adopted")
        return errors
    step, since = back
    day = timezone.localdate(since)
    # Held after the step, at a meeting dated on or after its day (not a panel that met
    # earlier and was only marked held later).
    if not discussed.filter(panel__held_at__gte=since, panel__date__gte=day).exists():
        message = (
            _(
                "The case was reopened on %(day)s: it must be discussed at a panel held since "
                "then before it is adopted again"
            )
            if step == TransitionName.REOPEN
            else _(
                "The case came back to the panel on %(day)s: it must be discussed at a panel "
                "held since then before it is adopted again"
            )
        )
        errors["panel"] = message % {"day": f"{day:%-d %B %Y}"}
    return errors


def _back_at_panel_since(referral) -> tuple[str, datetime.datetime] | None:
    """The step and time by which the case last came back to ``channel_panel`` (reopened,
    readopted, or referred again after an escalation), or None on its first time there.

    A panel held before that discussed another stage of the case (a consent since declined,
    a support that ended): adopting it again needs a panel that has seen it since. The time
    is the case history's row for that step, written in the step's own transaction.
    """
    entries = list(
        referral.history.filter(to_state=State.CHANNEL_PANEL)
        .order_by("-at", "-id")
        .values_list("name", "at")[:2]
    )
    if not entries or (len(entries) == 1 and entries[0][0] == TransitionName.REFER_TO_CHANNEL):
        return None  # first time at the panel: no panel can have seen it before
    return entries[0]


def consent_given_guard(referral, payload) -> dict[str, str]:
    latest = Consent.objects.filter(referral=referral).order_by("-date", "-created_at").first()
    if latest is None or latest.decision != ConsentDecision.GIVEN:
        return {"consent": _("Record the consent given before starting support")}
    # A consent dated before the referral or after today (recorded before the service
    # refused such dates) cannot start support: its age check would read the wrong age.
    wrong_date = case_date_error(referral=referral, day=latest.date, kind="consent")
    if wrong_date:
        return {"consent": wrong_date}
    wrong = consenter_errors(
        referral=referral,
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
    """``reviews_complete`` needs both post-exit reviews, each in its window or recorded
    early with a reason (a review recorded before the window rule had neither)."""
    if payload is None or payload.get("reason") != ClosureReason.REVIEWS_COMPLETE:
        return {}
    reviews = {
        review.kind: review
        for review in Review.objects.filter(
            referral=referral,
            kind__in=[ReviewKind.POST_EXIT_6_MONTHS, ReviewKind.POST_EXIT_12_MONTHS],
        )
    }
    exited = timezone.localdate(referral.exited_at) if referral.exited_at else None
    errors = {}
    missing = {
        ReviewKind.POST_EXIT_6_MONTHS: _("Record the 6-month post-exit review"),
        ReviewKind.POST_EXIT_12_MONTHS: _("Record the 12-month post-exit review"),
    }
    for kind, message in missing.items():
        review = reviews.get(kind)
        if review is None:
            errors[kind] = message
            continue
        opens = post_exit_review_opens(kind, exited) if exited else None
        if opens and review.date < opens and not review.early_reason:
            errors[kind] = _(
                "The %(review)s was recorded before its window opened on %(day)s and gives "
                "no reason, so it does not count as done"
            ) % {"review": str(ReviewKind(kind).label).lower(), "day": f"{opens:%-d %B %Y}"}
    return errors


def register() -> None:
    """Register under the names the transitions on ``Referral`` list in their ``guards``."""
    lifecycle.register_guard("vulnerability_assessed_and_discussed", adopt_guard)
    lifecycle.register_guard("consent_recorded", consent_given_guard)
    lifecycle.register_guard("support_plan_and_exit_review", exit_channel_guard)
    lifecycle.register_guard("post_exit_reviews_recorded", close_guard)
