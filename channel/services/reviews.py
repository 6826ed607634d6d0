"""Panel reviews during support and the post-exit reviews at 6 and 12 months.

A post-exit review falls due by the calendar: it can be recorded from the day its window
opens (``channel.selectors.post_exit_review_opens``: 5½ and 11½ months after exit by
default), and earlier only with an explicit reason (the person moved away, died ...), which
is audited and counted apart in the compliance report.
"""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from prevent_cms.audit import audit_record
from prevent_cms.errors import GuardFailed
from referrals.choices import State

from ..choices import EarlyReviewReason, ReviewKind, RiskChange
from ..models import Review
from ..selectors import post_exit_review_opens
from .common import case_date_error, lock_case, require_case_work

REVIEW_STATES: dict[str, tuple[str, ...]] = {
    ReviewKind.PANEL: (State.AWAITING_CONSENT, State.SUPPORT),
    ReviewKind.POST_EXIT_6_MONTHS: (State.POST_EXIT_REVIEW,),
    ReviewKind.POST_EXIT_12_MONTHS: (State.POST_EXIT_REVIEW,),
}


@transaction.atomic
def review_record(*, referral_id: UUID | str, actor: User, data: dict[str, Any]) -> Review:
    referral = lock_case(actor=actor, referral_id=referral_id)
    kind = data.get("kind") or ""
    if kind not in ReviewKind.values:
        require_case_work(actor=actor, referral=referral, what=_("A review"))
        raise GuardFailed({"kind": _("Select the kind of review")})
    require_case_work(
        actor=actor, referral=referral, states=REVIEW_STATES[kind], what=str(ReviewKind(kind).label)
    )
    errors = {}
    date = data.get("date")
    if not isinstance(date, datetime.date):
        errors["date"] = _("Enter the date of the review")
    elif wrong_date := case_date_error(referral=referral, day=date, kind="review"):
        errors["date"] = wrong_date
    if data.get("risk_change") not in RiskChange.values:
        errors["risk_change"] = _("Say whether the risk has reduced, stayed the same or increased")
    if kind != ReviewKind.PANEL and referral.reviews.filter(kind=kind).exists():
        errors["kind"] = _("This post-exit review has already been recorded")
    early_reason = ""
    if kind != ReviewKind.PANEL and isinstance(date, datetime.date) and "date" not in errors:
        early_reason, early_errors = _early_review(referral=referral, kind=kind, data=data)
        errors.update(early_errors)
    if errors:
        raise GuardFailed(errors)
    review = Review.objects.create(
        referral=referral,
        kind=kind,
        date=data["date"],
        risk_change=data["risk_change"],
        recommend_exit=bool(data.get("recommend_exit")),
        notes=(data.get("notes") or "").strip(),
        early_reason=early_reason,
        recorded_by=actor,
    )
    audit_record(
        actor=actor,
        action="channel.review_recorded",
        obj=referral,
        detail={"kind": kind, "early_reason": early_reason} if early_reason else {"kind": kind},
    )
    return review


def _early_review(*, referral, kind: str, data: dict[str, Any]) -> tuple[str, dict[str, str]]:
    """The early reason a post-exit review dated before its window needs, or the 400 saying
    when the window opens. A review in its window keeps no early reason."""
    if referral.exited_at is None:
        return "", {}
    opens = post_exit_review_opens(kind, timezone.localdate(referral.exited_at))
    if data["date"] >= opens:
        return "", {}
    reason = data.get("early_reason") or ""
    if reason not in EarlyReviewReason.values:
        return "", {
            "date": _(
                "The %(review)s can be recorded from %(day)s. To record it earlier, give the "
                "reason (for example, the person moved away or died)"
            )
            % {"review": str(ReviewKind(kind).label).lower(), "day": f"{opens:%-d %B %Y}"}
        }
    if reason == EarlyReviewReason.OTHER and not (data.get("notes") or "").strip():
        return "", {"notes": _("Say in the notes why the review is recorded early")}
    return reason, {}
