"""Every statistics table equals the hand count of tests/reports/conftest.py."""

import datetime
import itertools

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.models import Role
from reports import selectors
from reports.periods import Period, PeriodError, financial_year_containing, period_from_params

from .conftest import FY_2024

EXPECTED = {
    "total_referrals": 13,
    "by_sector": {
        "education": 6,
        "police": 2,
        "local_authority": 1,
        "health": 2,
        "community": 2,
        "friends_and_family": 0,
        "prisons": 0,
        "probation": 0,
        "other": 0,
    },
    # Every referral of the hand count was made online by its referrer.
    "by_route": {
        "online": 13,
        "phone": 0,
        "email": 0,
        "national_form": 0,
        "letter": 0,
        "in_person": 0,
        "consultation": 0,
    },
    "by_concern_type": {
        "islamist": 1,
        "extreme_right_wing": 10,
        "left_wing": 1,
        "other_ideology": 0,
        "conflicted": 0,
        "school_massacre": 0,
        "extreme_violence_fascination": 0,
        "no_ideology_vulnerability": 0,
        "high_ct_risk_no_ideology": 0,
        "unclear": 1,
    },
    "by_age_group": {
        "10_and_under": 1,
        "11_to_15": 3,
        "16_to_17": 2,
        "18_to_20": 1,
        "21_to_30": 1,
        "31_to_40": 1,
        "41_to_50": 1,
        "51_to_60": 1,
        "61_and_over": 1,
        "unknown": 1,
    },
    "by_gender": {"male": 9, "female": 2, "other": 1, "not_known": 1},
    "outcomes": {
        "no_further_action": 1,
        "signposted": 1,
        "police_led": 1,
        "discussed_at_panel": 1,
        "adopted": 1,
        "not_adopted": 1,
        "consent_declined": 1,
        "exited": 1,
        "open": 5,
    },
    "journey": {"referrals": 13, "discussed_at_panel": 5, "adopted": 3},
}


@pytest.fixture
def stats(stats_world):
    period = period_from_params(*FY_2024)
    return selectors.statistics_for(local_authority=stats_world.world.la_a, period=period)


@pytest.mark.parametrize("table", list(EXPECTED))
def test_table_equals_hand_count(stats, table):
    assert stats[table] == EXPECTED[table]


def test_tables_sum_to_total(stats):
    for table in selectors.TABLES:
        assert sum(stats[table].values()) == stats["total_referrals"], table


def test_empty_period_is_a_proper_empty_report(stats_world):
    period = Period(datetime.date(2019, 4, 1), datetime.date(2020, 3, 31))
    stats = selectors.statistics_for(local_authority=stats_world.world.la_a, period=period)
    assert stats["total_referrals"] == 0
    for table in selectors.TABLES:
        assert set(stats[table].values()) == {0}
        assert stats[table].keys() == EXPECTED[table].keys()


def test_statistics_take_a_fixed_number_of_queries(stats_world, django_assert_max_num_queries):
    period = period_from_params(*FY_2024)
    # Tables and journey, then timeliness: 3 for the measures, 3 for the reviews.
    with django_assert_max_num_queries(18):
        selectors.statistics_for(local_authority=stats_world.world.la_a, period=period)


def test_financial_year_runs_april_to_march():
    assert financial_year_containing(datetime.date(2025, 3, 31)) == Period(
        datetime.date(2024, 4, 1), datetime.date(2025, 3, 31)
    )
    assert financial_year_containing(datetime.date(2025, 4, 1)).start == datetime.date(2025, 4, 1)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("2025-03-01", "2024-04-01"),  # reversed
        ("1900-01-01", "1901-01-01"),  # absurdly early
        ("2010-01-01", "2024-12-31"),  # over ten years
        ("2024-04-01", "2999-01-01"),  # far future
        ("2024-02-30", "2024-03-31"),  # not a date
        ("2024-04-01", ""),  # half a range
    ],
)
def test_bad_periods_are_refused(start, end):
    with pytest.raises(PeriodError):
        period_from_params(start, end)


def test_scope_borough_lead_sees_own_authority_only(world):
    lead = world.user(Role.BOROUGH_LEAD, agency=world.council_a)
    assert list(selectors.statistics_local_authorities_for(lead)) == [world.la_a]
    assert selectors.statistics_local_authority_get(lead) == world.la_a
    with pytest.raises(Http404):
        selectors.statistics_local_authority_get(lead, world.la_b.pk)
    with pytest.raises(Http404):
        selectors.statistics_local_authority_get(lead, "not-a-uuid")


def test_scope_officer_sees_every_authority_of_their_force(world):
    officer = world.user(Role.PREVENT_OFFICER, agency=world.police_a)
    assert set(selectors.statistics_local_authorities_for(officer)) == {world.la_a, world.la_b}
    assert selectors.statistics_local_authority_get(officer, world.la_b.pk) == world.la_b
    with pytest.raises(Http404):
        selectors.statistics_local_authority_get(officer, world.la_c.pk)


@pytest.mark.parametrize(
    "role", [Role.REFERRER, Role.AGENCY_LEAD, Role.CHANNEL_CHAIR, Role.SYSTEM_ADMIN]
)
def test_other_roles_have_no_statistics(world, role):
    user = world.user(role, agency=world.council_a)
    assert not selectors.statistics_local_authorities_for(user).exists()
    with pytest.raises(PermissionDenied):
        selectors.statistics_local_authority_get(user, world.la_a.pk)


def _python_group(age):
    if age is None:
        return "unknown"
    for code, low, high in selectors.AGE_GROUPS:
        if (low is None or age >= low) and (high is None or age <= high):
            return code
    return "unknown"


def _years_before(day: datetime.date, years: int) -> datetime.date:
    """The latest date of birth of someone ``years`` old on ``day`` (29 Feb → 28 Feb)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@pytest.mark.parametrize(
    ("period", "submitted"),
    [
        (FY_2024, "2024-04-01"),
        (FY_2024, "2025-03-31"),
        (FY_2024, "2024-10-15"),
        (("2016-04-01", "2026-03-31"), "2020-02-29"),
        (("2024-10-15", "2024-10-15"), "2024-10-15"),
    ],
)
def test_age_group_at_referral_equals_age_on_for_every_birthday_edge(
    stats_world, period, submitted
):
    """Dates of birth on, just before and just after each boundary, for a referral at
    either end and in the middle of short and long periods (29 February included), early and
    late in the local day (half past midnight in summer is the day before in UTC)."""
    from referrals.models import Referral, Subject

    from .conftest import at

    referral = stats_world.referrals[1]
    day = datetime.date.fromisoformat(submitted)
    period = period_from_params(*period)
    births = [datetime.date(2020, 2, 29), datetime.date(2019, 3, 1)]
    for _code, low, high in selectors.AGE_GROUPS:
        for years in {low, (high or 0) + 1} - {None}:
            edge = _years_before(day, years)
            births += [edge - datetime.timedelta(days=1), edge, edge + datetime.timedelta(days=1)]
    for time, dob in itertools.product(["00:30", "23:30"], births):
        Referral.objects.filter(pk=referral.pk).update(submitted_at=at(submitted, time))
        Subject.objects.filter(pk=referral.subject_id).update(date_of_birth=dob)
        subject = Subject.objects.get(pk=referral.subject_id)
        age = (
            selectors.referrals_in_period(local_authority=stats_world.world.la_a, period=period)
            .filter(pk=referral.pk)
            .annotate(_age=selectors.age_at_referral())
            .values_list("_age", flat=True)
            .get()
        )
        assert age == subject.age_on(day), (time, dob)
        assert selectors.age_group(age) == _python_group(subject.age_on(day)), (time, dob)


BASE_CASE = {
    "state": "submitted",
    "closure_reason": "",
    "exited": False,
    "adopted": False,
    "discussed": False,
    "ever_police_led": False,
}


@pytest.mark.parametrize(
    ("case", "outcome"),
    [
        ({}, "open"),
        ({"state": "closed", "closure_reason": "no_further_action"}, "no_further_action"),
        ({"state": "closed", "closure_reason": "signposted"}, "signposted"),
        (
            {"state": "closed", "closure_reason": "signposted", "ever_police_led": True},
            "police_led",
        ),
        ({"state": "police_led"}, "police_led"),
        ({"ever_police_led": True, "discussed": True}, "discussed_at_panel"),
        ({"discussed": True, "closure_reason": "not_adopted", "state": "closed"}, "not_adopted"),
        ({"discussed": True, "adopted": True, "state": "support"}, "adopted"),
        (
            {"adopted": True, "closure_reason": "consent_declined", "state": "closed"},
            "consent_declined",
        ),
        ({"adopted": True, "exited": True, "closure_reason": "consent_declined"}, "exited"),
    ],
)
def test_outcome_is_the_first_rule_that_matches(case, outcome):
    assert selectors.outcome_of(**{**BASE_CASE, **case}) == outcome
