"""The working-day clocks of DESIGN.md §4, computed from fields already on the row.

No clock needs a query of its own, so a list of any length computes them for free.
Thresholds come from settings (``REFERRAL_CLOCKS``) with the design's defaults.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

import holidays
from django.conf import settings
from django.utils import timezone
from django.utils.translation import ngettext

from .choices import State

DEFAULTS = {
    "submitted_working_days": 2,
    "assessment_working_days": 20,
    "channel_panel_days": 30,
}


def threshold(name: str) -> int:
    return int(getattr(settings, "REFERRAL_CLOCKS", {}).get(name, DEFAULTS[name]))


@functools.cache
def _uk_bank_holidays(region: str, year: int) -> frozenset[datetime.date]:
    """The bank holidays of one UK nation (``ENG``, ``WLS``, ``SCT``, ``NIR``) in one year, as
    the ``holidays`` package publishes them (substitute days included)."""
    return frozenset(holidays.country_holidays("GB", subdiv=region, years=year))


def _holidays_in(start: datetime.date, end: datetime.date) -> set[datetime.date]:
    """Days off between ``start`` and ``end`` (inclusive): the bank holidays of
    ``BANK_HOLIDAY_REGION`` (England by default; "" for none) and any ``BANK_HOLIDAYS``."""
    days = set(getattr(settings, "BANK_HOLIDAYS", ()))
    region = getattr(settings, "BANK_HOLIDAY_REGION", "ENG")
    if region:
        for year in range(start.year, end.year + 1):
            days |= _uk_bank_holidays(region, year)
    return {day for day in days if start <= day <= end}


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _holidays_in(day, day)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Whole working days after ``start`` up to and including ``end`` (0 if end <= start)."""
    if end <= start:
        return 0
    days = 0
    weeks, extra = divmod((end - start).days, 7)
    days = weeks * 5
    day = start + datetime.timedelta(days=weeks * 7)
    for _i in range(extra):
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            days += 1
    off = [h for h in _holidays_in(start + datetime.timedelta(days=1), end) if h.weekday() < 5]
    return days - len(off)


def working_days_ago(count: int, today: datetime.date | None = None) -> datetime.date:
    """The date ``count`` working days before ``today``."""
    day = today or timezone.localdate()
    while count > 0:
        day -= datetime.timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def working_days_ahead(count: int, day: datetime.date) -> datetime.date:
    """The ``count``-th working day after ``day``."""
    while count > 0:
        day += datetime.timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


def breach_day(state: str, started: datetime.date) -> datetime.date | None:
    """The day a working-day clock started on ``started`` runs out (``clock_for`` shows it
    overdue from then): the threshold-th working day after it."""
    name = {
        State.SUBMITTED: "submitted_working_days",
        State.POLICE_ASSESSMENT: "assessment_working_days",
    }.get(state)
    return working_days_ahead(threshold(name), started) if name else None


def overdue_cutoffs(today: datetime.date | None = None) -> dict[str, datetime.datetime]:
    """Start moments before which a case in each state is overdue (for queryset filters)."""
    today = today or timezone.localdate()

    def start_of(day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))

    return {
        State.SUBMITTED: start_of(working_days_ago(threshold("submitted_working_days"), today)),
        State.POLICE_ASSESSMENT: start_of(
            working_days_ago(threshold("assessment_working_days"), today)
        ),
        State.CHANNEL_PANEL: start_of(
            today - datetime.timedelta(days=threshold("channel_panel_days"))
        ),
    }


@dataclass(frozen=True)
class Clock:
    label: str
    colour: str  # a GOV.UK tag modifier
    overdue: bool


def _local_date(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment else None


def clock_for(referral, today: datetime.date | None = None) -> Clock | None:
    """The clock to show for a case, or None when no clock runs in its state."""
    today = today or timezone.localdate()
    if referral.state == State.SUBMITTED and referral.submitted_at:
        days = working_days_between(_local_date(referral.submitted_at), today)
        overdue = days >= threshold("submitted_working_days")
        label = ngettext("%(days)d day waiting", "%(days)d days waiting", days) % {"days": days}
        return Clock(label, "red" if overdue else "yellow", overdue)
    if referral.state == State.POLICE_ASSESSMENT and referral.assessment_started_at:
        days = working_days_between(_local_date(referral.assessment_started_at), today)
        overdue = days >= threshold("assessment_working_days")
        label = ngettext("%(days)d day in assessment", "%(days)d days in assessment", days) % {
            "days": days
        }
        return Clock(label, "red" if overdue else "blue", overdue)
    if referral.state == State.CHANNEL_PANEL and referral.channel_entered_at:
        days = (today - _local_date(referral.channel_entered_at)).days
        overdue = days >= threshold("channel_panel_days")
        label = ngettext("%(days)d day awaiting panel", "%(days)d days awaiting panel", days) % {
            "days": days
        }
        return Clock(label, "red" if overdue else "blue", overdue)
    return None


__all__ = ["Clock", "clock_for", "overdue_cutoffs", "working_days_between"]
