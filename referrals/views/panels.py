"""Home-page panels the referrals app offers (registered in ``apps.py``)."""

from __future__ import annotations

from django.db.models import Count, Q

from ..choices import State
from ..clocks import overdue_cutoffs
from ..selectors import referral_queue, referrals_visible_to


def referrer_panel(user) -> dict:
    drafts = referrals_visible_to(user).filter(referrer=user, state=State.DRAFT).count()
    return {"drafts": drafts}


def officer_panel(user) -> dict:
    cutoffs = overdue_cutoffs()
    counts = referral_queue(user).aggregate(
        waiting=Count("pk", filter=Q(state=State.SUBMITTED)),
        urgent=Count("pk", filter=Q(state=State.SUBMITTED, urgent=True)),
        overdue=Count(
            "pk", filter=Q(state=State.SUBMITTED, submitted_at__lt=cutoffs[State.SUBMITTED])
        ),
        assessing=Count("pk", filter=Q(state=State.POLICE_ASSESSMENT)),
    )
    return counts
