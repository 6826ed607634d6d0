"""The reports block on a borough lead's home page: a few counts, never a case."""

from __future__ import annotations

from django.db.models import Q

from .models import Rag
from .periods import financial_year_containing, today
from .selectors import (
    can_see_statistics,
    compliance_local_authority_for,
    plan_actions_visible_to,
    referrals_in_period,
)
from .suppression import suppress_total
from .timeliness import reviews_for


def home_panel(user) -> dict | None:
    """Referrals this financial year, late reviews, and plan actions red or past due."""
    if not (can_see_statistics(user) and user.local_authority_id):
        return None
    local_authority = compliance_local_authority_for(user)
    period = financial_year_containing(today())
    reviews = reviews_for(local_authority=local_authority, period=period)
    actions = plan_actions_visible_to(user).filter(
        Q(rag=Rag.RED) | Q(due_date__lt=today(), rag__in=[Rag.RED, Rag.AMBER])
    )
    # Case counts suppressed (None for 1 to 4), as on the statistics page: this year's
    # total is that page's default total, and must not give back what it hides.
    return {
        "period": period,
        "referrals": suppress_total(
            referrals_in_period(local_authority=local_authority, period=period).count()
        ),
        "overdue_reviews": suppress_total(reviews["overdue_support_reviews"]),
        "post_exit_overdue": suppress_total(
            reviews["post_exit_6_months_overdue"] + reviews["post_exit_12_months_overdue"]
        ),
        "actions_needing_attention": actions.count(),
    }
