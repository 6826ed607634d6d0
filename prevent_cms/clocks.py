"""Every statutory clock in one place (DESIGN.md §4, issue 17).

A clock is declared once here, as data: its name, what starts it, its threshold (working
days, calendar days, or a date stored on the record), what pauses it, and who is told when
it runs out. The breach notices, the Today pages, the 14-day forecast, the case pages and
queues, the reminders and the statistics all read these definitions, so none can disagree
with another about when a clock runs out.

One rule for every clock: a clock started on day S runs out on ``due(S)``; it is breached on
that day and after (``breached``). Working days skip weekends and the bank holidays of
``BANK_HOLIDAY_REGION`` (England by default) as the ``holidays`` package publishes them, plus
any ``BANK_HOLIDAYS``; calendar-day clocks count every day, holidays included.

The kernel knows no app's models: states and roles are named by their codes, and each app
computes a clock's start from its own rows.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass

import holidays
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

WORKING_DAYS = "working_days"
DAYS = "days"
ON_DATE = "date"  # the record stores the day the clock runs out (a reassessment, an expiry)


# --- Working days -------------------------------------------------------------------------


@functools.cache
def _uk_bank_holidays(region: str, year: int) -> frozenset[datetime.date]:
    """The bank holidays of one UK nation (``ENG``, ``WLS``, ``SCT``, ``NIR``) in one year, as
    the ``holidays`` package publishes them (substitute days included)."""
    return frozenset(holidays.country_holidays("GB", subdiv=region, years=year))


@functools.cache
def _days_off(region: str, extra: frozenset[datetime.date], year: int) -> frozenset[datetime.date]:
    """The days off of one year: the region's bank holidays and the extra ``BANK_HOLIDAYS``."""
    days = {day for day in extra if day.year == year}
    if region:
        days |= _uk_bank_holidays(region, year)
    return frozenset(days)


def _days_off_by_year() -> functools.partial:
    """``year -> days off`` under the current settings, read once: a queue page works out a
    clock for each of its rows, and reading the settings and building the year's set for
    every day counted was most of its Python time (issue 25's profile)."""
    return functools.partial(
        _days_off,
        getattr(settings, "BANK_HOLIDAY_REGION", "ENG"),
        frozenset(getattr(settings, "BANK_HOLIDAYS", ())),
    )


def holidays_in(start: datetime.date, end: datetime.date) -> set[datetime.date]:
    """Days off between ``start`` and ``end`` (inclusive): the bank holidays of
    ``BANK_HOLIDAY_REGION`` (England by default; "" for none) and any ``BANK_HOLIDAYS``."""
    off = _days_off_by_year()
    return {
        day for year in range(start.year, end.year + 1) for day in off(year) if start <= day <= end
    }


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _days_off_by_year()(day.year)


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Whole working days after ``start`` up to and including ``end`` (0 if end <= start)."""
    if end <= start:
        return 0
    weeks, extra = divmod((end - start).days, 7)
    days = weeks * 5
    day = start + datetime.timedelta(days=weeks * 7)
    for _i in range(extra):
        day += datetime.timedelta(days=1)
        if day.weekday() < 5:
            days += 1
    off = [h for h in holidays_in(start + datetime.timedelta(days=1), end) if h.weekday() < 5]
    return days - len(off)


def working_days_ago(count: int, today: datetime.date | None = None) -> datetime.date:
    """The date ``count`` working days before ``today``."""
    day = today or timezone.localdate()
    off = _days_off_by_year()
    while count > 0:
        day -= datetime.timedelta(days=1)
        if day.weekday() < 5 and day not in off(day.year):
            count -= 1
    return day


def working_days_ahead(count: int, day: datetime.date) -> datetime.date:
    """The ``count``-th working day after ``day``."""
    off = _days_off_by_year()
    while count > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() < 5 and day not in off(day.year):
            count -= 1
    return day


# --- The definitions ------------------------------------------------------------------------


# The settings a deployment changes thresholds with, each read by name (README's table).
THRESHOLD_SETTINGS = {
    "REFERRAL_CLOCKS": lambda: getattr(settings, "REFERRAL_CLOCKS", None),
    "CHANNEL_SUPPORT_REVIEW_INTERVAL_DAYS": lambda: getattr(
        settings, "CHANNEL_SUPPORT_REVIEW_INTERVAL_DAYS", None
    ),
}


@dataclass(frozen=True)
class ClockRule:
    """One statutory clock. ``setting``/``key`` name where a deployment may change the
    threshold (``key`` inside a dict setting); ``default`` is the design's value."""

    name: str
    label: str
    starts: str  # what starts it, in words
    unit: str  # WORKING_DAYS, DAYS or ON_DATE
    default: int = 0
    setting: str = ""
    key: str = ""
    states: tuple[str, ...] = ()  # the case states in which it runs (empty: not a case clock)
    pauses: tuple[str, ...] = ()  # what pauses it, in words (none: it never pauses)
    stops: str = ""  # what stops it, in words
    tells: tuple[str, ...] = ()  # the roles told when it runs out
    notice: str = ""  # the notification kind sent when it runs out ("" : a reminder)
    warn_days: int = 14  # how far ahead the Today pages and forecast look by default

    def threshold(self) -> int:
        """Working or calendar days (0 for a clock whose record stores its day)."""
        if not self.setting:
            return self.default
        value = THRESHOLD_SETTINGS[self.setting]()
        if self.key:
            value = (value or {}).get(self.key)
        return int(self.default if value is None else value)

    def due(self, started: datetime.date) -> datetime.date:
        """The day the clock started on ``started`` runs out (for ``ON_DATE``: that day)."""
        if self.unit == WORKING_DAYS:
            return working_days_ahead(self.threshold(), started)
        if self.unit == DAYS:
            return started + datetime.timedelta(days=self.threshold())
        return started

    def breached(self, started: datetime.date, today: datetime.date | None = None) -> bool:
        return (today or timezone.localdate()) >= self.due(started)

    def elapsed(self, started: datetime.date, today: datetime.date | None = None) -> int:
        """Days counted so far, in the clock's own unit."""
        today = today or timezone.localdate()
        if self.unit == WORKING_DAYS:
            return working_days_between(started, today)
        return max((today - started).days, 0)

    def latest_start_breached(self, on: datetime.date) -> datetime.date:
        """The last start day whose clock has run out by ``on``: a start on or before it is
        breached, so a query filters ``start < latest_start_breached(on) + 1 day``."""
        if self.unit == WORKING_DAYS:
            day, count = on, 0
            while count < self.threshold():
                if is_working_day(day):
                    count += 1
                day -= datetime.timedelta(days=1)
            return day
        if self.unit == DAYS:
            return on - datetime.timedelta(days=self.threshold())
        return on

    def start_cutoff(self, on: datetime.date) -> datetime.datetime:
        """The moment before which a clock's start (a timestamp) means it has run out by
        ``on``: midnight, London time, after ``latest_start_breached(on)``."""
        day = self.latest_start_breached(on) + datetime.timedelta(days=1)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


TRIAGE = ClockRule(
    name="triage",
    label=_("Triage"),
    starts=_("A referral is submitted"),
    unit=WORKING_DAYS,
    default=2,
    setting="REFERRAL_CLOCKS",
    key="submitted_working_days",
    states=("submitted",),
    stops=_("An officer starts the police assessment or closes the referral"),
    tells=("prevent_officer",),
    notice="triage_clock_breached",
)
ASSESSMENT = ClockRule(
    name="assessment",
    label=_("Police assessment"),
    starts=_("An officer starts the police assessment"),
    unit=WORKING_DAYS,
    default=20,
    setting="REFERRAL_CLOCKS",
    key="assessment_working_days",
    states=("police_assessment",),
    stops=_("The case is referred to Channel, kept police-led or closed"),
    tells=("prevent_officer",),
    notice="assessment_clock_breached",
)
TIME_TO_PANEL = ClockRule(
    name="time_to_panel",
    label=_("Time to panel"),
    starts=_("The case is referred to Channel"),
    unit=DAYS,
    default=30,
    setting="REFERRAL_CLOCKS",
    key="channel_panel_days",
    states=("channel_panel",),
    stops=_("A held panel discusses the case without deferring it"),
    tells=("channel_chair", "prevent_officer"),
)
SUPPORT_REVIEW = ClockRule(
    name="support_review",
    label=_("Support review"),
    starts=_("The panel adopts the case, then each review"),
    unit=DAYS,
    default=30,
    setting="CHANNEL_SUPPORT_REVIEW_INTERVAL_DAYS",
    states=("support",),
    stops=_("The case exits support or closes"),
    tells=("channel_chair",),
)
CONSENT_REASSESSMENT = ClockRule(
    name="consent_reassessment",
    label=_("Consent reassessment"),
    starts=_("The case closes because consent was declined or withdrawn"),
    unit=ON_DATE,
    states=("closed",),
    stops=_("The case is put on a panel's agenda for reassessment"),
    tells=("channel_chair",),
)
POST_EXIT_6_MONTHS = ClockRule(
    name="post_exit_6_months",
    label=_("6-month post-exit review"),
    starts=_("The case exits Channel support"),
    unit=DAYS,
    default=182,
    states=("post_exit_review",),
    stops=_("The 6-month review is recorded"),
    tells=("channel_chair",),
)
POST_EXIT_12_MONTHS = ClockRule(
    name="post_exit_12_months",
    label=_("12-month post-exit review"),
    starts=_("The case exits Channel support"),
    unit=DAYS,
    default=365,
    states=("post_exit_review",),
    stops=_("The 12-month review is recorded"),
    tells=("channel_chair",),
)
TRAINING_EXPIRY = ClockRule(
    name="training_expiry",
    label=_("Prevent training expiry"),
    starts=_("Training is completed (it expires after the course's validity)"),
    unit=ON_DATE,
    stops=_("The person completes the training again"),
    tells=("borough_lead", "agency_lead"),
    warn_days=60,
)

CLOCKS: dict[str, ClockRule] = {
    rule.name: rule
    for rule in (
        TRIAGE,
        ASSESSMENT,
        TIME_TO_PANEL,
        SUPPORT_REVIEW,
        CONSENT_REASSESSMENT,
        POST_EXIT_6_MONTHS,
        POST_EXIT_12_MONTHS,
        TRAINING_EXPIRY,
    )
}


def clock(name: str) -> ClockRule:
    return CLOCKS[name]


def clock_for_state(state: str) -> ClockRule | None:
    """The working-day or calendar clock that runs while a case is in ``state`` (one at most
    for the stages a queue shows; post-exit and reassessment clocks are read by name)."""
    for rule in (TRIAGE, ASSESSMENT, TIME_TO_PANEL, SUPPORT_REVIEW):
        if state in rule.states:
            return rule
    return None


# --- The breach forecast ------------------------------------------------------------------

FORECAST_MAX_DAYS = 14


def forecast_row(
    *,
    clock: ClockRule,
    breaches_on: datetime.date,
    id=None,
    reference: str = "",
    assigned_to_me: bool = False,
    count: int = 1,
) -> dict:
    """One line of the forecast: a case's clock (its id and reference), or a count of
    things with no case behind them (people whose training expires that day)."""
    return {
        "id": id,
        "reference": reference,
        "clock": clock.name,
        "breaches_on": breaches_on,
        "assigned_to_me": assigned_to_me,
        "count": count,
    }


def clock_forecast(
    user, *, days: int = FORECAST_MAX_DAYS, today: datetime.date | None = None, mine: bool = False
) -> list[dict]:
    """The clocks that will run out in the next ``days`` days (after today, up to and
    including the horizon) if nothing happens, soonest first: a force's for its officers, a
    local authority's for its chair and borough lead, a person's own with ``mine``.

    Each app reads its own clocks (``registry.register_forecast``) within the reader's
    scope (the same visibility selectors as its lists); what a clock is comes from here.
    """
    from .registry import forecast_builders_for

    today = today or timezone.localdate()
    until = today + datetime.timedelta(days=days)
    rows: list[dict] = []
    for build in forecast_builders_for(user):
        rows += build(user, today=today, until=until, mine=mine)
    return sorted(rows, key=lambda r: (r["breaches_on"], r["clock"], r["reference"]))
