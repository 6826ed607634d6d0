"""Working-day clocks (DESIGN.md §4)."""

import datetime
from types import SimpleNamespace

from django.utils import timezone, translation

from referrals import clocks
from referrals.choices import State

MONDAY = datetime.date(2026, 11, 2)


def _at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def test_working_days_skip_weekends():
    friday = MONDAY + datetime.timedelta(days=4)
    next_monday = MONDAY + datetime.timedelta(days=7)
    assert clocks.working_days_between(friday, next_monday) == 1
    assert clocks.working_days_between(MONDAY, next_monday) == 5
    assert clocks.working_days_between(next_monday, MONDAY) == 0


def test_bank_holidays_are_not_working_days(settings):
    settings.BANK_HOLIDAYS = [MONDAY + datetime.timedelta(days=1)]
    assert clocks.working_days_between(MONDAY, MONDAY + datetime.timedelta(days=2)) == 1
    assert clocks.working_days_ago(1, MONDAY + datetime.timedelta(days=2)) == MONDAY


def test_submitted_clock_turns_red_after_two_working_days():
    referral = SimpleNamespace(state=State.SUBMITTED, submitted_at=_at(MONDAY))
    clock = clocks.clock_for(referral, MONDAY + datetime.timedelta(days=1))
    assert (clock.label, clock.overdue) == ("1 day waiting", False)
    clock = clocks.clock_for(referral, MONDAY + datetime.timedelta(days=2))
    assert (clock.label, clock.overdue, clock.colour) == ("2 days waiting", True, "red")


def test_a_clock_speaks_the_readers_language():
    """The clock's words were never marked for translation: a Welsh queue said "2 days
    waiting" (issue 19)."""
    referral = SimpleNamespace(state=State.SUBMITTED, submitted_at=_at(MONDAY))
    two_days_on = MONDAY + datetime.timedelta(days=2)
    with translation.override("cy"):
        assert clocks.clock_for(referral, two_days_on).label == "2 ddiwrnod yn aros"
        assert clocks.PageClocks(two_days_on)(referral).label == "2 ddiwrnod yn aros"
    assert clocks.clock_for(referral, two_days_on).label == "2 days waiting"


def test_thresholds_come_from_settings(settings):
    settings.REFERRAL_CLOCKS = {"submitted_working_days": 5}
    referral = SimpleNamespace(state=State.SUBMITTED, submitted_at=_at(MONDAY))
    assert not clocks.clock_for(referral, MONDAY + datetime.timedelta(days=2)).overdue


def test_assessment_clock_and_no_clock_when_closed():
    referral = SimpleNamespace(state=State.POLICE_ASSESSMENT, assessment_started_at=_at(MONDAY))
    clock = clocks.clock_for(referral, MONDAY + datetime.timedelta(days=28))
    assert clock.overdue
    assert clock.label == "20 days in assessment"
    assert clocks.clock_for(SimpleNamespace(state=State.CLOSED), MONDAY) is None


def test_a_page_s_clocks_equal_each_row_s_own(settings):
    """The queue's ``PageClocks`` (overdue by the state's cutoff, labels once a page) gives
    every row the clock ``clock_for`` gives it: over weekends, a bank holiday, every state
    with a clock, starts from two months before to the day itself, at any time of day."""
    settings.BANK_HOLIDAYS = [MONDAY + datetime.timedelta(days=8)]
    fields = {State.SUBMITTED: "submitted_at", State.POLICE_ASSESSMENT: "assessment_started_at"}
    fields[State.CHANNEL_PANEL] = "channel_entered_at"
    for today in (MONDAY + datetime.timedelta(days=n) for n in (9, 12, 13, 40)):
        page = clocks.PageClocks(today)
        seen = set()
        for state, field in fields.items():
            for back in range(0, 62):
                for hour in (0, 10, 23):
                    day = today - datetime.timedelta(days=back)
                    moment = timezone.make_aware(
                        datetime.datetime.combine(day, datetime.time(hour))
                    )
                    row = SimpleNamespace(state=state, **{field: moment})
                    assert page(row) == clocks.clock_for(row, today), (state, day, hour, today)
                    seen.add(page(row).overdue)
        assert seen == {True, False}
    assert clocks.PageClocks(MONDAY)(SimpleNamespace(state=State.CLOSED)) is None
    assert (
        clocks.PageClocks(MONDAY)(SimpleNamespace(state=State.SUBMITTED, submitted_at=None)) is None
    )
