"""Clocks over bank holidays and the 14-day breach forecast (issue 17)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals import clocks
from referrals.choices import State
from referrals.selectors import clock_forecast
from tests.referrals import factories as rf

# Thursday 24 December 2026: Christmas Day is a Friday, Boxing Day's substitute Monday 28th.
CHRISTMAS_EVE = datetime.date(2026, 12, 24)


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


def test_the_triage_clock_runs_out_at_its_threshold_over_a_bank_holiday_weekend():
    # Friday 25 and Monday 28 are bank holidays in England: the two working days are the
    # Tuesday and the Wednesday.
    assert clocks.breach_day(State.SUBMITTED, CHRISTMAS_EVE) == datetime.date(2026, 12, 30)
    assert clocks.working_days_between(CHRISTMAS_EVE, datetime.date(2026, 12, 29)) == 1
    assert clocks.working_days_between(CHRISTMAS_EVE, datetime.date(2026, 12, 30)) == 2


def test_the_assessment_clock_runs_out_at_its_threshold_over_a_bank_holiday_weekend():
    # 20 working days from Christmas Eve, skipping 25, 28 December and 1 January.
    assert clocks.breach_day(State.POLICE_ASSESSMENT, CHRISTMAS_EVE) == datetime.date(2027, 1, 26)


@pytest.mark.parametrize(
    ("region", "day"),
    [("ENG", datetime.date(2027, 1, 4)), ("SCT", datetime.date(2027, 1, 5))],
)
def test_each_nations_bank_holidays_are_data(settings, region, day):
    """Scotland also keeps 2 January (a Saturday in 2027, so Monday 4th is its substitute):
    the clock counts the bank holidays of whichever nation is set."""
    settings.BANK_HOLIDAY_REGION = region
    new_years_eve = datetime.date(2026, 12, 31)
    assert clocks.working_days_ahead(1, new_years_eve) == day


def test_a_clock_shown_on_the_case_agrees_with_the_breach_day():
    referral = type("R", (), {"state": State.SUBMITTED, "submitted_at": _at(CHRISTMAS_EVE)})
    assert not clocks.clock_for(referral, datetime.date(2026, 12, 29)).overdue
    assert clocks.clock_for(referral, datetime.date(2026, 12, 30)).overdue


def test_the_forecast_at_1_and_14_days(world):
    officer = rf.officer_for(world)
    today = timezone.localdate()
    waiting = rf.SubmittedFactory(referrer=rf.referrer_for(world))
    assessing = rf.InPoliceAssessmentFactory(
        referrer=rf.referrer_for(world),
        assigned_officer=officer,
        assessment_started_at=timezone.now() - datetime.timedelta(days=20),
    )
    rf.SubmittedFactory(  # already overdue: not a forecast
        referrer=rf.referrer_for(world), submitted_at=timezone.now() - datetime.timedelta(days=9)
    )
    fourteen = {row["reference"]: row for row in clock_forecast(officer, days=14)}
    assert set(fourteen) == {waiting.reference, assessing.reference}
    for row in fourteen.values():
        assert today < row["breaches_on"] <= today + datetime.timedelta(days=14)
    one = clock_forecast(officer, days=1)
    assert all(row["breaches_on"] == today + datetime.timedelta(days=1) for row in one)
    due_tomorrow = {
        reference
        for reference, row in fourteen.items()
        if row["breaches_on"] <= today + datetime.timedelta(days=1)
    }
    assert {row["reference"] for row in one} == due_tomorrow
    mine = clock_forecast(officer, days=14, mine=True)
    assert [row["reference"] for row in mine] == [assessing.reference]
    assert clock_forecast(rf.referrer_for(world), days=14) == []


def test_the_forecast_api_is_scoped_and_validated(client, world):
    officer = rf.officer_for(world)
    waiting = rf.SubmittedFactory(referrer=rf.referrer_for(world))
    client.force_login(officer)
    url = reverse("api:clock-forecast")
    body = client.get(url + "?days=14").json()
    assert [row["reference"] for row in body["results"]] == [waiting.reference]
    assert client.get(url + "?days=0").status_code == 400
    client.force_login(rf.UserFactory(agency=world.police_c, roles=["prevent_officer"]))
    assert client.get(url).json()["count"] == 0
