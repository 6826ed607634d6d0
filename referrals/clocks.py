"""How a case page and a queue row show the case's clock (DESIGN.md §4).

The clocks themselves (what starts them, their thresholds, holidays) are declared once in
``prevent_cms.clocks``; this module reads a case's start from fields already on the row, so a
list of any length computes its clocks without a query of its own.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import ngettext_lazy

from prevent_cms.clocks import (
    ASSESSMENT,
    TIME_TO_PANEL,
    TRIAGE,
    ClockRule,
    is_working_day,
    working_days_ago,
    working_days_ahead,
    working_days_between,
)

from .choices import State

# Each case clock and the field its start is read from.
CASE_CLOCKS: dict[str, tuple[ClockRule, str]] = {
    State.SUBMITTED: (TRIAGE, "submitted_at"),
    State.POLICE_ASSESSMENT: (ASSESSMENT, "assessment_started_at"),
    State.CHANNEL_PANEL: (TIME_TO_PANEL, "channel_entered_at"),
}
# The names the REFERRAL_CLOCKS setting has always used.
_BY_SETTING = {rule.key: rule for rule, _field in CASE_CLOCKS.values()}


def threshold(name: str) -> int:
    """A case clock's threshold by its ``REFERRAL_CLOCKS`` name (``submitted_working_days``,
    ``assessment_working_days``, ``channel_panel_days``)."""
    return _BY_SETTING[name].threshold()


def breach_day(state: str, started: datetime.date) -> datetime.date | None:
    """The day a clock started on ``started`` in ``state`` runs out (``clock_for`` shows it
    overdue from then), or None when no clock runs in that state."""
    entry = CASE_CLOCKS.get(state)
    return entry[0].due(started) if entry else None


def overdue_cutoffs(today: datetime.date | None = None) -> dict[str, datetime.datetime]:
    """Start moments before which a case in each state is overdue (for queryset filters):
    the same rule as ``clock_for``, so a queue's "overdue" and a case page agree."""
    today = today or timezone.localdate()
    return {state: rule.start_cutoff(today) for state, (rule, _field) in CASE_CLOCKS.items()}


@dataclass(frozen=True)
class Clock:
    label: str
    colour: str  # a GOV.UK tag modifier
    overdue: bool


# Each clock's words in the reader's language, the plural chosen by ``days`` when formatted.
LABELS = {
    State.SUBMITTED: (
        ngettext_lazy("%(days)d day waiting", "%(days)d days waiting", "days"),
        "yellow",
    ),
    State.POLICE_ASSESSMENT: (
        ngettext_lazy("%(days)d day in assessment", "%(days)d days in assessment", "days"),
        "blue",
    ),
    State.CHANNEL_PANEL: (
        ngettext_lazy("%(days)d day awaiting panel", "%(days)d days awaiting panel", "days"),
        "blue",
    ),
}


def clock_for(referral, today: datetime.date | None = None) -> Clock | None:
    """The clock to show for a case, or None when no clock runs in its state."""
    entry = CASE_CLOCKS.get(referral.state)
    moment = getattr(referral, entry[1], None) if entry else None
    if entry is None or moment is None:
        return None
    rule = entry[0]
    today = today or timezone.localdate()
    started = timezone.localdate(moment)
    days = rule.elapsed(started, today)
    overdue = rule.breached(started, today)
    words, colour = LABELS[referral.state]
    label = words % {"days": days}
    return Clock(label, "red" if overdue else colour, overdue)


class PageClocks:
    """``clock_for`` for the rows of one page (the triage queue), with what every row shares
    worked out once: ``PageClocks(today)(row)`` equals ``clock_for(row, today)``.

    ``clock_for`` counted forward from each row's start to its due day (up to 20 working
    days, a quarter of the queue row's time, issue 25); here a row is overdue when its start
    is before its state's cutoff (``overdue_cutoffs``: the queue's own "overdue" filter, so
    the filter and the tags agree by construction), and the label of a number of days is
    translated once a page.
    """

    def __init__(self, today: datetime.date | None = None) -> None:
        self.today = today or timezone.localdate()
        self.cutoffs = overdue_cutoffs(self.today)
        self._labels: dict[tuple[str, int], str] = {}

    def __call__(self, referral) -> Clock | None:
        entry = CASE_CLOCKS.get(referral.state)
        moment = getattr(referral, entry[1], None) if entry else None
        if entry is None or moment is None:
            return None
        days = entry[0].elapsed(timezone.localdate(moment), self.today)
        overdue = moment < self.cutoffs[referral.state]
        words, colour = LABELS[referral.state]
        label = self._labels.get((referral.state, days))
        if label is None:
            label = words % {"days": days}
            self._labels[referral.state, days] = label
        return Clock(label, "red" if overdue else colour, overdue)


__all__ = [
    "Clock",
    "PageClocks",
    "breach_day",
    "clock_for",
    "is_working_day",
    "overdue_cutoffs",
    "threshold",
    "working_days_ago",
    "working_days_ahead",
    "working_days_between",
]
