"""Panel reviews during support and the post-exit reviews at 6 and 12 months."""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from prevent_cms.audit import audit_record
from prevent_cms.errors import GuardFailed
from referrals.choices import State

from ..choices import ReviewKind, RiskChange
from ..models import Review
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
    if errors:
        raise GuardFailed(errors)
    review = Review.objects.create(
        referral=referral,
        kind=kind,
        date=data["date"],
        risk_change=data["risk_change"],
        recommend_exit=bool(data.get("recommend_exit")),
        notes=(data.get("notes") or "").strip(),
        recorded_by=actor,
    )
    audit_record(actor=actor, action="channel.review_recorded", obj=referral, detail={"kind": kind})
    return review
