"""Reporting periods: financial years (April–March) and validated date ranges."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from prevent_cms.errors import InvalidInput

EARLIEST = datetime.date(2000, 1, 1)
MAX_SPAN_DAYS = 366 * 10 + 3  # ten years, leap days included


class PeriodError(InvalidInput):
    """A date range that cannot be reported on (400); the message is shown to the user."""

    code = "invalid_period"

    def __init__(self, message: str):
        super().__init__(detail=message)


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive

    @property
    def label(self) -> str:
        return _("%(start)s to %(end)s") % {
            "start": date_format(self.start, "j F Y"),
            "end": date_format(self.end, "j F Y"),
        }

    def as_params(self) -> dict:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


def today() -> datetime.date:
    return timezone.localdate()


def financial_year_containing(day: datetime.date) -> Period:
    """The April–March financial year that ``day`` falls in."""
    first_year = day.year if day.month >= 4 else day.year - 1
    return Period(datetime.date(first_year, 4, 1), datetime.date(first_year + 1, 3, 31))


def _parse(value: str, name: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise PeriodError(
            _("Enter the %(name)s date as a real date in the form YYYY-MM-DD") % {"name": name}
        ) from None


def period_from_params(
    start: str | None, end: str | None, *, at_least_a_month: bool = False
) -> Period:
    """A period from ``from``/``to`` strings; the current financial year when both are empty.

    Refuses reversed ranges, dates before 2000 or in the future, and spans over ten years;
    with ``at_least_a_month``, also periods shorter than a calendar month (see
    ``period_validate``).
    """
    start = (start or "").strip()
    end = (end or "").strip()
    if not start and not end:
        return financial_year_containing(today())
    if not start or not end:
        raise PeriodError(_("Enter both a start date and an end date, or neither"))
    period = Period(_parse(start, _("start")), _parse(end, _("end")))
    return period_validate(period, at_least_a_month=at_least_a_month)


def is_at_least_a_month(period: Period) -> bool:
    """True when ``period`` covers a calendar month or more: 1 to 28 February counts, as
    does 15 January to 14 February; 1 to 27 February does not."""
    return period.end >= period.start + relativedelta(months=1) - datetime.timedelta(days=1)


def period_validate(period: Period, *, at_least_a_month: bool = False) -> Period:
    """``period`` if it can be reported on, else ``PeriodError`` with the reason.

    ``at_least_a_month`` is for readers who may only see suppressed figures: over a day or
    a week, a count of one is one referral, and its outcome no longer hides among others.
    """
    if period.start > period.end:
        raise PeriodError(_("The start date must be the same as or before the end date"))
    if period.start < EARLIEST:
        raise PeriodError(_("The start date must be on or after 1 January 2000"))
    latest = financial_year_containing(today()).end
    if period.end > latest:
        raise PeriodError(_("The end date must not be after the end of this financial year"))
    if (period.end - period.start).days > MAX_SPAN_DAYS:
        raise PeriodError(_("The period must be ten years or shorter"))
    if at_least_a_month and not is_at_least_a_month(period):
        raise PeriodError(
            _("Choose a period of at least one calendar month, for example 1 April to 30 April")
        )
    return period


# The statistics return for a financial year is due by the end of the month after the year
# ends (30 April): the Home Office statistics count financial years (DOMAIN.md §Statistics),
# and a month leaves time to correct the last referrals of March before the figures go.
STATISTICS_RETURN_MONTHS_AFTER = 1


@dataclass(frozen=True)
class StatisticsReturn:
    period: Period
    due: datetime.date


def statistics_return_next(day: datetime.date) -> StatisticsReturn:
    """The next statistics return as of ``day``: last financial year's until its due date has
    passed (in April it is being prepared), then this year's.

    Nothing records a return as sent, so the line stays until the due date, not until it
    goes: the borough lead knows when they sent it; the date is what this can tell them.
    """

    def return_for(year: Period) -> StatisticsReturn:
        after = year.end + datetime.timedelta(days=1)
        due = after + relativedelta(months=STATISTICS_RETURN_MONTHS_AFTER, days=-1)
        return StatisticsReturn(year, due)

    current = financial_year_containing(day)
    previous = return_for(financial_year_containing(current.start - datetime.timedelta(days=1)))
    return previous if day <= previous.due else return_for(current)
