"""The statistics rollup (issue 25): the tables read from it equal the hand-written SQL of the
benchmark and the hand count, every lifecycle step rewrites its case's row in its own
transaction, and any other change puts the referral on the stale list (read live until
rewritten), so a report never shows a stale figure."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Agency
from bench.stats_sql import hand_statistics
from channel.models import Panel
from referrals.models import Referral, ReferralTransition, Subject
from reports import rollup, selectors
from reports.models import ReferralStatistics, StatisticsStale
from reports.periods import period_from_params
from tests.referrals import factories as rf

from .conftest import FY_2024, _discuss
from .test_statistics import EXPECTED


def _hand(column, value, period):
    return hand_statistics(connection, column, value, period)


def _same_as_hand(app, hand):
    return all(
        app[key]
        == ({**dict.fromkeys(app[key], 0), **hand[key]} if key in selectors.TABLES else hand[key])
        for key in hand
    )


def test_the_rollup_equals_the_hand_sql_and_the_hand_count(stats_world):
    world = stats_world.world
    period = period_from_params(*FY_2024)
    assert StatisticsStale.objects.exists()  # built straight in the database: all stale

    rollup.statistics_rollup_refresh_stale()

    assert not StatisticsStale.objects.exists()
    submitted = Referral.objects.exclude(state="draft")
    assert ReferralStatistics.objects.count() == submitted.count()
    with CaptureQueriesContext(connection) as captured:
        la = selectors.statistics_counts_for(period=period, local_authority=world.la_a)
    assert len(captured) == 1
    assert "reports_referralstatistics" in captured[0]["sql"]
    tables = selectors.statistics_tables_for(period=period, local_authority=world.la_a)
    for key in EXPECTED:
        assert tables[key] == EXPECTED[key], key
    assert _same_as_hand(la, _hand("local_authority_id", world.la_a.pk, period))
    force = selectors.statistics_counts_for(period=period, police_force=world.force)
    assert _same_as_hand(force, _hand("police_force_id", world.force.pk, period))
    # Row by row, the rollup is the live expressions' answer.
    live = {row[0]: row for row in selectors.statistics_referral_rows()}
    stored = {
        row[0]: row for row in ReferralStatistics.objects.values_list(*selectors.ROLLUP_FIELDS)
    }
    assert stored == live


def test_a_rebuild_writes_every_submitted_referral(stats_world):
    rows = rollup.statistics_rollup_rebuild()
    assert rows == Referral.objects.exclude(state="draft").count()
    assert not StatisticsStale.objects.exists()


def test_every_lifecycle_step_rewrites_its_row_in_its_own_transaction(world):
    referral = rf.police_led(world)  # submit, start assessment, assess, police-led: services
    assert not StatisticsStale.objects.filter(referral_id=referral.pk).exists()
    row = ReferralStatistics.objects.get(referral_id=referral.pk)
    assert (row.state, row.ever_police_led, row.concern) == (
        "police_led",
        True,
        "extreme_right_wing",
    )


CHANGES = {
    "gender corrected": lambda r, w: Subject.objects.filter(pk=r.subject_id).update(
        gender="female"
    ),
    "date of birth corrected": lambda r, w: Subject.objects.filter(pk=r.subject_id).update(
        date_of_birth=datetime.date(1950, 1, 1)
    ),
    "agency's sector": lambda r, w: Agency.objects.filter(pk=r.referrer_agency_id).update(
        sector="health"
    ),
    "moved area": lambda r, w: Referral.objects.filter(pk=r.pk).update(local_authority=w.la_b),
    "closed in bulk": lambda r, w: Referral.objects.filter(pk=r.pk).update(
        state="closed", closure_reason="signposted"
    ),
    "police-led in the history": lambda r, w: ReferralTransition.objects.create(
        referral=r,
        name="x",
        from_state="police_assessment",
        to_state="police_led",
        actor=r.referrer,
    ),
    "discussed at a held panel": lambda r, w: _discuss(w, rf.chair_for(w), r),
    "panel held later": lambda r, w: _hold_later(r, w),
}


def _hold_later(referral, world):
    _discuss(world, rf.chair_for(world), referral, held=False)
    Panel.objects.filter(agenda__referral=referral).update(
        held_at=datetime.datetime(2025, 3, 1, 12, tzinfo=datetime.UTC)
    )


@pytest.mark.parametrize("change", list(CHANGES))
def test_any_other_change_is_read_live_until_the_row_is_rewritten(world, change):
    referral = rf.assessed(world)
    Referral.objects.filter(pk=referral.pk).update(
        submitted_at=datetime.datetime(2024, 6, 1, 12, tzinfo=datetime.UTC)
    )
    referral.refresh_from_db()
    rollup.statistics_rollup_refresh_stale()
    period = period_from_params(*FY_2024)
    before = selectors.statistics_counts_for(period=period, local_authority=world.la_a)
    assert before["total_referrals"] == 1

    CHANGES[change](referral, world)

    assert StatisticsStale.objects.filter(referral_id=referral.pk).exists()
    read = selectors.statistics_counts_for(period=period, local_authority=world.la_a)
    assert read != before  # the stale referral is read live, not from its old row
    rollup.statistics_rollup_refresh_stale()
    assert not StatisticsStale.objects.exists()
    assert selectors.statistics_counts_for(period=period, local_authority=world.la_a) == read
