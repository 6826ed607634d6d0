"""Timeliness: how long each step of the journey took, and the reviews that are late.

Four measures over the referrals received in the period (``referrals_in_period``):

- ``to_pickup``: referral (``submitted_at``) to an officer starting the assessment
  (``assessment_started_at``), in working days, as the referral clocks count them;
- ``to_decision``: referral to the police decision (``decided_at``), in working days;
- ``to_panel``: referral to the first *held* Channel panel the case was on the agenda of
  (``Panel.date``), in calendar days;
- ``adoption_to_intervention``: adoption (``adopted_at``) to the start of the first
  intervention of the support plan (``Intervention.start_date``), in calendar days.

Each measure gives how many referrals reached that step, the median, and how many (and what
share) did within the configured threshold. Thresholds come from
``settings.REPORTS_TIMELINESS`` with defaults taken from the referral clocks (DESIGN.md §4).

Reviews are a snapshot on the day of the report for the local authority as a whole:
support cases with no review in the last ``REVIEW_INTERVAL_DAYS`` (as on the chair's
dashboard), and post-exit reviews at 6 and 12 months — due in the period, done, and
overdue today. Every figure is an aggregate: three queries that return two dates per
referral, never a row about a person.
"""

from __future__ import annotations

import datetime
import statistics

from django.conf import settings
from django.db.models import Count, Min, Q
from django.utils import timezone

from accounts.models import LocalAuthority
from channel.models import AgendaItem, Intervention, Review
from channel.selectors import POST_EXIT_DUE, REVIEW_INTERVAL_DAYS
from referrals.choices import State
from referrals.clocks import threshold as clock_threshold
from referrals.clocks import working_days_between
from referrals.models import Referral

from .periods import Period

MEASURES = ["to_pickup", "to_decision", "to_panel", "adoption_to_intervention"]
UNITS = {
    "to_pickup": "working_days",
    "to_decision": "working_days",
    "to_panel": "days",
    "adoption_to_intervention": "days",
}


def thresholds() -> dict[str, int]:
    """The threshold of each measure: ``settings.REPORTS_TIMELINESS`` over the defaults."""
    defaults = {
        "to_pickup": clock_threshold("submitted_working_days"),
        "to_decision": clock_threshold("submitted_working_days")
        + clock_threshold("assessment_working_days"),
        "to_panel": 60,
        "adoption_to_intervention": 30,
    }
    configured = getattr(settings, "REPORTS_TIMELINESS", {}) or {}
    return {name: int(configured.get(name, value)) for name, value in defaults.items()}


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def _local(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


def _measure(values: list[int], limit: int, unit: str) -> dict:
    within = sum(1 for value in values if value <= limit)
    return {
        "unit": unit,
        "threshold": limit,
        "count": len(values),
        "median": statistics.median(values) if values else None,
        "within": within,
        "share_within": round(within / len(values), 3) if values else None,
    }


def timeliness_for(*, base, local_authority: LocalAuthority, period: Period) -> dict:
    """The timeliness section of the statistics (``base``: the period's referrals)."""
    limits = thresholds()
    ids = base.order_by().values("pk")
    first_panel = dict(
        AgendaItem.objects.filter(referral_id__in=ids, panel__held_at__isnull=False)
        .order_by()
        .values_list("referral_id")
        .annotate(first=Min("panel__date"))
    )
    first_intervention = dict(
        Intervention.objects.filter(referral_id__in=ids, referral__adopted_at__isnull=False)
        .order_by()
        .values_list("referral_id")
        .annotate(first=Min("start_date"))
    )
    values: dict[str, list[int]] = {name: [] for name in MEASURES}
    rows = base.order_by().values_list(
        "pk", "submitted_at", "assessment_started_at", "decided_at", "adopted_at"
    )
    for pk, submitted, started, decided, adopted in rows.iterator(chunk_size=5000):
        received = _local(submitted)
        if started:
            values["to_pickup"].append(working_days_between(received, _local(started)))
        if decided:
            values["to_decision"].append(working_days_between(received, _local(decided)))
        if pk in first_panel:
            values["to_panel"].append(max(0, (first_panel[pk] - received).days))
        if adopted and pk in first_intervention:
            days = (first_intervention[pk] - _local(adopted)).days
            values["adoption_to_intervention"].append(max(0, days))
    return {
        "measures": {name: _measure(values[name], limits[name], UNITS[name]) for name in MEASURES},
        "reviews": reviews_for(local_authority=local_authority, period=period),
    }


def reviews_for(
    *, local_authority: LocalAuthority, period: Period, today: datetime.date | None = None
) -> dict[str, int]:
    """Overdue support reviews today, and post-exit reviews due in the period, done, overdue.

    A post-exit review is due ``POST_EXIT_DUE`` days after the local exit date. Its due date
    falls in the period exactly when ``exited_at`` lies between two local midnights, so the
    query compares timestamps and converts no row.
    """
    today = today or timezone.localdate()
    cases = Referral.objects.filter(local_authority=local_authority)
    since = today - datetime.timedelta(days=REVIEW_INTERVAL_DAYS)
    recent = Review.objects.filter(date__gte=since).values("referral_id")
    figures = {
        "overdue_reviews": cases.filter(state=State.SUPPORT).exclude(pk__in=recent).count(),
    }
    exited = cases.filter(exited_at__isnull=False)
    for kind, days in POST_EXIT_DUE.items():
        offset = datetime.timedelta(days=days)
        label = "6_months" if days < 300 else "12_months"
        due_in_period = Q(
            exited_at__gte=_midnight(period.start - offset),
            exited_at__lt=_midnight(period.end - offset + datetime.timedelta(days=1)),
        )
        has_review = Q(pk__in=Review.objects.filter(kind=kind).values("referral_id"))
        due_by_today = Q(exited_at__lt=_midnight(today - offset + datetime.timedelta(days=1)))
        row = exited.aggregate(
            due=Count("pk", filter=due_in_period),
            done=Count("pk", filter=due_in_period & has_review),
            overdue=Count(
                "pk", filter=due_by_today & ~has_review & Q(state=State.POST_EXIT_REVIEW)
            ),
        )
        figures[f"post_exit_{label}_due"] = row["due"]
        figures[f"post_exit_{label}_done"] = row["done"]
        figures[f"post_exit_{label}_overdue"] = row["overdue"]
    return figures
