"""Every statutory clock is one definition (``prevent_cms.clocks``) that every reader uses
(issue 17): each clock at its threshold over a bank holiday weekend, in England and Wales and
with Scotland's holidays, and the readers (case page, queue filter, reminders, Today lines,
statistics, training status) agreeing with it at the boundary."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from prevent_cms import clocks
from referrals import clocks as case_clocks
from referrals.choices import State

# Easter 2027 in England and Wales: Good Friday 26 March, Easter Monday 29 March. Scotland
# keeps Good Friday but not Easter Monday.
MAUNDY_THURSDAY = datetime.date(2027, 3, 25)
GOOD_FRIDAY = datetime.date(2027, 3, 26)
EASTER_MONDAY = datetime.date(2027, 3, 29)
# The August bank holiday of England and Wales: Monday 30 August 2027.
AUGUST_BANK_HOLIDAY = datetime.date(2027, 8, 30)
# St Andrew's Day, a bank holiday in Scotland only: Monday 30 November 2026.
FRIDAY_BEFORE_ST_ANDREWS = datetime.date(2026, 11, 27)

DAY = datetime.timedelta(days=1)


def _at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _at_threshold(rule, started, due):
    """The clock runs out exactly on ``due``: not the day before, and on that day."""
    assert rule.due(started) == due
    assert not rule.breached(started, due - DAY)
    assert rule.breached(started, due)


def test_every_statutory_clock_is_declared_once():
    assert set(clocks.CLOCKS) == {
        "triage",
        "assessment",
        "time_to_panel",
        "support_review",
        "consent_reassessment",
        "post_exit_6_months",
        "post_exit_12_months",
        "training_expiry",
    }
    for rule in clocks.CLOCKS.values():
        assert rule.starts
        assert rule.stops
        assert rule.tells
        assert rule.unit in (clocks.WORKING_DAYS, clocks.DAYS, clocks.ON_DATE)
        assert isinstance(rule.pauses, tuple)


def test_the_triage_clock_over_easter():
    # Two working days after Maundy Thursday: Tuesday 30 (1) and Wednesday 31 March (2).
    _at_threshold(clocks.TRIAGE, MAUNDY_THURSDAY, datetime.date(2027, 3, 31))


def test_the_assessment_clock_over_easter():
    # Twenty working days after Maundy Thursday, Good Friday and Easter Monday skipped.
    _at_threshold(clocks.ASSESSMENT, MAUNDY_THURSDAY, datetime.date(2027, 4, 26))


def test_scotland_keeps_good_friday_but_works_easter_monday(settings):
    settings.BANK_HOLIDAY_REGION = "SCT"
    _at_threshold(clocks.TRIAGE, MAUNDY_THURSDAY, datetime.date(2027, 3, 30))
    _at_threshold(clocks.ASSESSMENT, MAUNDY_THURSDAY, datetime.date(2027, 4, 23))


@pytest.mark.parametrize(
    ("region", "due"),
    [("ENG", datetime.date(2026, 12, 1)), ("SCT", datetime.date(2026, 12, 2))],
)
def test_st_andrews_day_is_a_day_off_in_scotland_only(settings, region, due):
    settings.BANK_HOLIDAY_REGION = region
    _at_threshold(clocks.TRIAGE, FRIDAY_BEFORE_ST_ANDREWS, due)


def test_calendar_clocks_count_every_day_holidays_included():
    # Time to panel and support review: 30 days, Easter inside them.
    _at_threshold(clocks.TIME_TO_PANEL, MAUNDY_THURSDAY, datetime.date(2027, 4, 24))
    _at_threshold(clocks.SUPPORT_REVIEW, MAUNDY_THURSDAY, datetime.date(2027, 4, 24))
    # Post-exit reviews: 182 and 365 days, due on the August bank holiday and Easter Monday.
    _at_threshold(clocks.POST_EXIT_6_MONTHS, datetime.date(2027, 3, 1), AUGUST_BANK_HOLIDAY)
    _at_threshold(clocks.POST_EXIT_12_MONTHS, datetime.date(2026, 3, 29), EASTER_MONDAY)
    # Dates the record stores: a reassessment on Easter Monday, training expiring Good Friday.
    _at_threshold(clocks.CONSENT_REASSESSMENT, EASTER_MONDAY, EASTER_MONDAY)
    _at_threshold(clocks.TRAINING_EXPIRY, GOOD_FRIDAY, GOOD_FRIDAY)


def test_thresholds_come_from_the_settings_they_always_did(settings):
    settings.REFERRAL_CLOCKS = {"submitted_working_days": 3, "channel_panel_days": 10}
    settings.CHANNEL_SUPPORT_REVIEW_INTERVAL_DAYS = 7
    assert clocks.TRIAGE.threshold() == 3
    assert clocks.ASSESSMENT.threshold() == 20
    assert clocks.TIME_TO_PANEL.threshold() == 10
    assert clocks.SUPPORT_REVIEW.threshold() == 7


def test_the_case_page_and_the_queue_filter_agree_at_the_threshold():
    """A case submitted on Maundy Thursday shows overdue from Wednesday 31 March, and the
    queue's "overdue" filter (and the breach notices, which use it) say the same that day."""
    referral = SimpleNamespace(state=State.SUBMITTED, submitted_at=_at(MAUNDY_THURSDAY))
    tuesday, wednesday = datetime.date(2027, 3, 30), datetime.date(2027, 3, 31)
    assert not case_clocks.clock_for(referral, tuesday).overdue
    assert case_clocks.clock_for(referral, wednesday).overdue
    assert not referral.submitted_at < case_clocks.overdue_cutoffs(tuesday)[State.SUBMITTED]
    assert referral.submitted_at < case_clocks.overdue_cutoffs(wednesday)[State.SUBMITTED]
    assert case_clocks.breach_day(State.SUBMITTED, MAUNDY_THURSDAY) == wednesday


def test_the_time_to_panel_clock_is_the_same_on_the_case_page_and_the_queue():
    referral = SimpleNamespace(
        state=State.CHANNEL_PANEL, channel_entered_at=_at(MAUNDY_THURSDAY, hour=23)
    )
    due = datetime.date(2027, 4, 24)
    assert not case_clocks.clock_for(referral, due - DAY).overdue
    assert case_clocks.clock_for(referral, due).overdue
    cutoffs = case_clocks.overdue_cutoffs
    assert not referral.channel_entered_at < cutoffs(due - DAY)[State.CHANNEL_PANEL]
    assert referral.channel_entered_at < cutoffs(due)[State.CHANNEL_PANEL]


def test_training_status_and_its_filter_read_the_expiry_clock():
    from training.dates import Status, status_for
    from training.selectors import status_filter

    assert status_for(GOOD_FRIDAY, MAUNDY_THURSDAY) == Status.EXPIRING_SOON
    assert status_for(GOOD_FRIDAY, GOOD_FRIDAY) == Status.EXPIRED
    expired = status_filter(Status.EXPIRED, on=GOOD_FRIDAY)
    assert ("expires_on__lte", GOOD_FRIDAY) in expired.children


def test_counting_working_days_works_out_each_year_s_days_off_once(settings, monkeypatch):
    """A queue page works out a clock per row (issue 25's profile): counting days reads the
    settings once and each year's days off once, not once for every day counted."""
    from prevent_cms import clocks as kernel

    built = []
    original = kernel._uk_bank_holidays.__wrapped__

    def counting(region, year):
        built.append((region, year))
        return original(region, year)

    kernel._days_off.cache_clear()
    monkeypatch.setattr(kernel, "_uk_bank_holidays", counting)
    settings.BANK_HOLIDAYS = [datetime.date(2026, 12, 29)]
    start = datetime.date(2026, 12, 1)
    for _ in range(25):  # a page of rows
        due = kernel.working_days_ahead(20, start)
    # 20 working days from 1 December 2026: Christmas, Boxing Day (substitute on Monday 28)
    # and the extra day off on the 29th are skipped.
    assert due == datetime.date(2027, 1, 4)
    assert sorted(set(built)) == [("ENG", 2026), ("ENG", 2027)]
    assert len(built) == 2
    # A changed setting is read, never a stale cache.
    settings.BANK_HOLIDAYS = []
    assert kernel.working_days_ahead(20, start) == datetime.date(2026, 12, 31)
