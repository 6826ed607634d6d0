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

Reviews are a snapshot on the day of the report for the local authority (or the police force)
as a whole: reviews overdue today by the due rule of each kind
(``channel.selectors.reviews_overdue_counts``: support reviews monthly from adoption,
consent reassessments on their date, post-exit reviews 6 and 12 months after exit), and
post-exit reviews at 6 and 12 months due in the period and done. Every figure is an
aggregate: the database groups referrals by pairs of local dates, never returning a row
about a person.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.conf import settings
from django.db.models import Count, Min, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import LocalAuthority, PoliceForce
from channel.models import AgendaItem, Intervention, Review
from channel.selectors import POST_EXIT_CLOCKS, reviews_overdue_counts
from prevent_cms.clocks import ASSESSMENT, TRIAGE, working_days_between
from referrals.models import Referral

from .periods import Period

EPOCH = datetime.date(1999, 12, 31)  # before any reportable referral (periods.EARLIEST)
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
        "to_pickup": TRIAGE.threshold(),
        "to_decision": TRIAGE.threshold() + ASSESSMENT.threshold(),
        "to_panel": 60,
        "adoption_to_intervention": 30,
    }
    configured = getattr(settings, "REPORTS_TIMELINESS", {}) or {}
    return {name: int(configured.get(name, value)) for name, value in defaults.items()}


def _midnight(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def _median(counts: Counter) -> float | int | None:
    """The median of a histogram (value → how many), as ``statistics.median`` gives it."""
    total = sum(counts.values())
    if not total:
        return None
    wanted = [(total - 1) // 2, total // 2]  # the middle position(s), 0-based
    found = []
    seen = 0
    for value in sorted(counts):
        while wanted and wanted[0] < seen + counts[value]:
            found.append(value)
            wanted.pop(0)
        seen += counts[value]
    low, high = found
    return low if low == high else (low + high) / 2


def _measure(counts: Counter, limit: int, unit: str) -> dict:
    count = sum(counts.values())
    within = sum(n for value, n in counts.items() if value <= limit)
    return {
        "unit": unit,
        "threshold": limit,
        "count": count,
        "median": _median(counts),
        "within": within,
        "share_within": round(within / count, 3) if count else None,
    }


def _date_pairs(base, start: str, end: str):
    """(local start date, local end date, how many) for the referrals with both set.

    Grouped in the database, so Python sees one row per distinct pair of days (a few
    thousand over ten years) rather than one per referral.
    """
    return (
        base.filter(**{f"{end}__isnull": False})
        .order_by()
        .values_list(TruncDate(start), TruncDate(end))
        .annotate(n=Count("pk"))
    )


def timeliness_for(
    *,
    base,
    period: Period,
    local_authority: LocalAuthority | None = None,
    police_force: PoliceForce | None = None,
) -> dict:
    """The timeliness section of the statistics (``base``: the period's referrals of the
    local authority or the police force)."""
    limits = thresholds()
    ids = base.order_by().values("pk")
    counts: dict[str, Counter] = {name: Counter() for name in MEASURES}
    numbers: dict[datetime.date, int] = {}

    def working_day_number(day: datetime.date) -> int:
        # Working days from EPOCH, once per distinct date: the difference of two numbers is
        # ``working_days_between`` of the two dates, holidays included.
        if day not in numbers:
            numbers[day] = working_days_between(EPOCH, day)
        return numbers[day]

    for name, field in (("to_pickup", "assessment_started_at"), ("to_decision", "decided_at")):
        for received, reached, n in _date_pairs(base, "submitted_at", field):
            days = working_day_number(reached) - working_day_number(received)
            counts[name][max(0, days)] += n
    to_panel = (
        AgendaItem.objects.filter(referral_id__in=ids, panel__held_at__isnull=False)
        .order_by()
        .values_list("referral_id", TruncDate("referral__submitted_at"))
        .annotate(first=Min("panel__date"))
    )
    for _pk, received, first in to_panel:
        counts["to_panel"][max(0, (first - received).days)] += 1
    to_intervention = (
        Intervention.objects.filter(referral_id__in=ids, referral__adopted_at__isnull=False)
        .order_by()
        .values_list("referral_id", TruncDate("referral__adopted_at"))
        .annotate(first=Min("start_date"))
    )
    for _pk, adopted, first in to_intervention:
        counts["adoption_to_intervention"][max(0, (first - adopted).days)] += 1
    return {
        "measures": {name: _measure(counts[name], limits[name], UNITS[name]) for name in MEASURES},
        "reviews": reviews_for(
            period=period, local_authority=local_authority, police_force=police_force
        ),
    }


def reviews_for(
    *,
    period: Period,
    local_authority: LocalAuthority | None = None,
    police_force: PoliceForce | None = None,
    today: datetime.date | None = None,
) -> dict[str, int]:
    """Reviews overdue today (``reviews_overdue_counts``: in total, support reviews, consent
    reassessments, and each post-exit review), and post-exit reviews due in the period, done.

    A post-exit review is due by its clock (``POST_EXIT_CLOCKS``) after the local exit date.
    Its due date falls in the period exactly when ``exited_at`` lies between two local
    midnights, so the query compares timestamps and converts no row.
    """
    today = today or timezone.localdate()
    if local_authority is not None:
        cases = Referral.objects.filter(local_authority=local_authority)
    else:
        cases = Referral.objects.filter(police_force=police_force)
    overdue = reviews_overdue_counts(cases, today=today)
    figures = {
        "overdue_reviews": overdue["total"],
        "overdue_support_reviews": overdue["support"],
        "overdue_consent_reassessments": overdue["consent_reassessment"],
    }
    exited = cases.filter(exited_at__isnull=False)
    for kind, rule in POST_EXIT_CLOCKS.items():
        offset = datetime.timedelta(days=rule.threshold())
        label = kind.removeprefix("post_exit_")
        due_in_period = Q(
            exited_at__gte=_midnight(period.start - offset),
            exited_at__lt=_midnight(period.end - offset + datetime.timedelta(days=1)),
        )
        has_review = Q(pk__in=Review.objects.filter(kind=kind).values("referral_id"))
        row = exited.aggregate(
            due=Count("pk", filter=due_in_period),
            done=Count("pk", filter=due_in_period & has_review),
        )
        figures[f"post_exit_{label}_due"] = row["due"]
        figures[f"post_exit_{label}_done"] = row["done"]
        figures[f"post_exit_{label}_overdue"] = overdue[kind]
    return figures
