"""Timeliness equals a hand count over the referrals of tests/reports/conftest.py.

Every timestamp the measures read is reset, then set here, so each figure can be counted by
hand from this file alone (no bank holidays fall between the dates used).
"""

import datetime

import pytest
from rest_framework.test import APIClient

from accounts.models import Role
from channel.models import AgendaItem, Intervention, Panel, Review, SupportPlan
from referrals.models import Referral
from reports import selectors
from reports.periods import Period, period_from_params
from reports.suppression import suppress_timeliness
from reports.timeliness import reviews_for

from .conftest import FY_2024, at

D = datetime.date.fromisoformat

EXPECTED_MEASURES = {
    # Working days after the referral date: 1, 3 (Sat → Wed), 0 (same day), 2 (Fri → Tue).
    "to_pickup": {"count": 4, "median": 1.5, "threshold": 2, "within": 3, "share_within": 0.75},
    # 5 (Mon → Mon), 33 (Sat 15 Jun → Wed 31 Jul), 2.
    "to_decision": {"count": 3, "median": 5, "threshold": 22, "within": 2, "share_within": 0.667},
    # First held panel: 212, 151, 90, 45 and 19 days (r12's earlier panel on 20 Feb).
    "to_panel": {"count": 5, "median": 90, "threshold": 60, "within": 2, "share_within": 0.4},
    # Adoption to the first intervention: 4 (r10) and 19 (r12); r11 has none.
    "adoption_to_intervention": {
        "count": 2,
        "median": 11.5,
        "threshold": 30,
        "within": 2,
        "share_within": 1.0,
    },
}


@pytest.fixture
def timed(stats_world):
    world, r, chair = stats_world.world, stats_world.referrals, stats_world.chair
    Referral.objects.all().update(assessment_started_at=None, decided_at=None)
    for key, started, decided in [
        (1, at("2024-04-02"), at("2024-04-08")),
        (2, at("2024-06-19"), at("2024-07-31")),
        (3, at("2024-09-10", "15:00"), at("2024-09-12")),
        (4, at("2024-11-05"), None),
    ]:
        Referral.objects.filter(pk=r[key].pk).update(
            assessment_started_at=started, decided_at=decided
        )

    def panel(day, held):
        return Panel.objects.create(
            local_authority=world.la_a,
            chair=chair,
            date=D(day),
            location="Town hall",
            held_at=at(day) if held else None,
        )

    AgendaItem.objects.create(panel=panel("2025-02-20", held=True), referral=r[12])
    AgendaItem.objects.create(panel=panel("2025-01-01", held=False), referral=r[10])

    def intervention(referral, day):
        plan, _ = SupportPlan.objects.get_or_create(referral=referral)
        Intervention.objects.create(
            plan=plan, referral=referral, type="ideological_mentoring", start_date=day
        )

    intervention(r[10], D("2025-03-15"))
    intervention(r[10], D("2025-03-05"))
    intervention(r[12], D("2025-03-01"))
    intervention(r[8], D("2024-09-01"))  # not adopted: not counted
    return stats_world


def test_each_measure_equals_the_hand_count(timed):
    period = period_from_params(*FY_2024)
    stats = selectors.statistics_for(local_authority=timed.world.la_a, period=period)
    for name, expected in EXPECTED_MEASURES.items():
        measure = stats["timeliness"]["measures"][name]
        assert {k: measure[k] for k in expected} == expected, name


def test_thresholds_come_from_settings(timed, settings):
    settings.REPORTS_TIMELINESS = {"to_panel": 100}
    period = period_from_params(*FY_2024)
    measure = selectors.statistics_for(local_authority=timed.world.la_a, period=period)[
        "timeliness"
    ]["measures"]["to_panel"]
    assert (measure["threshold"], measure["within"]) == (100, 3)


def test_reviews_overdue_and_post_exit(timed):
    r, la = timed.referrals, timed.world.la_a
    recorder = timed.chair
    today = D("2026-06-01")
    Referral.objects.filter(pk__in=[r[10].pk, r[7].pk]).update(state="support")
    Review.objects.create(
        referral=r[7], kind="panel", date=D("2026-05-20"), risk_change="reduced",
        recorded_by=recorder,
    )  # fmt: skip
    Review.objects.create(
        referral=r[10], kind="panel", date=D("2026-04-01"), risk_change="reduced",
        recorded_by=recorder,
    )  # fmt: skip
    # r12 exited on 20 March 2025: 6-month review due 18 Sept 2025, 12-month 20 March 2026.
    Review.objects.create(
        referral=r[12], kind="post_exit_6_months", date=D("2025-09-20"), risk_change="reduced",
        recorded_by=recorder,
    )  # fmt: skip
    fy2025 = Period(D("2025-04-01"), D("2026-03-31"))
    assert reviews_for(local_authority=la, period=fy2025, today=today) == {
        # Every kind by its due rule (issue 16): r10's support review and r12's 12-month one.
        "overdue_reviews": 2,
        "overdue_support_reviews": 1,
        "overdue_consent_reassessments": 0,
        "post_exit_6_months_due": 1,
        "post_exit_6_months_done": 1,
        "post_exit_6_months_overdue": 0,
        "post_exit_12_months_due": 1,
        "post_exit_12_months_done": 0,
        "post_exit_12_months_overdue": 1,
    }
    fy2024 = period_from_params(*FY_2024)
    figures = reviews_for(local_authority=la, period=fy2024, today=today)
    assert figures["post_exit_6_months_due"] == figures["post_exit_12_months_due"] == 0
    assert reviews_for(
        local_authority=timed.world.la_b, period=fy2025, today=today
    ) == dict.fromkeys(figures, 0)


def test_shared_timeliness_hides_small_groups(timed):
    period = period_from_params(*FY_2024)
    shared = suppress_timeliness(
        selectors.statistics_for(local_authority=timed.world.la_a, period=period)["timeliness"]
    )
    pickup = shared["measures"]["to_pickup"]
    assert pickup["count"] is pickup["median"] is pickup["within"] is None
    panel = shared["measures"]["to_panel"]
    # 5 reached the panel; 2 within and 3 not: both small, so hidden.
    assert (panel["count"], panel["median"]) == (5, 90)
    assert (panel["within"], panel["share_within"]) == (None, None)


def test_api_page_and_downloads_carry_timeliness(timed, world):
    # Exact counts: a Prevent officer (a borough lead only ever sees them suppressed).
    lead = world.user(Role.PREVENT_OFFICER, agency=world.police_a)
    client = APIClient()
    client.force_authenticate(lead)
    params = {"from": FY_2024[0], "to": FY_2024[1], "local_authority": world.la_a.pk}
    body = client.get("/api/v1/reports/statistics/", params).json()
    assert body["timeliness"]["measures"]["to_panel"]["median"] == 90
    assert {"by_sector", "journey", "outcomes"} <= set(body)
    client.force_login(lead)
    page = client.get("/reports/", params)
    assert page.status_code == 200
    assert "Referral to first Channel panel" in page.content.decode()
    csv_text = client.get("/reports/", {**params, "format": "csv"}).content.decode("utf-8-sig")
    assert "Referral to first Channel panel,5,90,60 days,2,40%" in csv_text


@pytest.mark.parametrize(
    "values", [[1], [1, 2], [3, 1, 2], [5, 5, 1, 9], [0, 0, 0, 7, 7, 7], list(range(11)) * 3]
)
def test_median_of_a_histogram_equals_the_plain_median(values):
    import statistics
    from collections import Counter

    from reports.timeliness import _median

    assert _median(Counter(values)) == statistics.median(values)
