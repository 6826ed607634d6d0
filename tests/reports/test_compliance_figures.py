"""Channel and training figures of the compliance report, each against a hand count.

The Channel cases are those of tests/reports/conftest.py, with the plans, assessments,
consents and closures below; "today" is 31 March 2025.
"""

import datetime

import pytest

from accounts.models import Role
from channel.models import AssessmentFramework, Consent, SupportPlan, VulnerabilityAssessment
from referrals.models import Referral
from reports.compliance import (
    channel_case_figures,
    compliance_report,
    report_rows,
    suppress_case_figures,
)
from reports.periods import period_from_params
from tests.training.factories import CurrentRecordFactory, StaffMemberFactory

from .conftest import FY_2024, at

D = datetime.date.fromisoformat
TODAY = D("2025-03-31")

EXPECTED = {
    "discussed": 5,  # r8–r12 on held panels (r13's panel was not held)
    "adopted": 4,  # r7, r10, r11, r12
    "closed": 1,  # r11 (r13 was never adopted)
    "open": 3,  # r7 support, r10 awaiting consent, r12 post-exit review
    "open_with_plan": 2,  # r7, r12 (r11's plan: closed)
    "open_with_assessment": 2,  # r7, r12 (r10's is older than six months)
    "open_with_plan_and_assessment": 2,
    "consent_given": 2,  # r7 (twice: one case), r10; r12's was before the period
    "consent_declined": 1,  # r11
    "consent_withdrawn": 1,  # r13
    "overdue_reviews": 1,  # r7, in support with no review
    "post_exit_6_months_due": 0,
    "post_exit_6_months_done": 0,
    "post_exit_6_months_overdue": 0,
    "post_exit_12_months_due": 0,
    "post_exit_12_months_done": 0,
    "post_exit_12_months_overdue": 0,
    "post_exit_6_months_early": 0,
    "post_exit_12_months_early": 0,
}


@pytest.fixture
def channel_world(stats_world):
    r, chair = stats_world.referrals, stats_world.chair
    Referral.objects.filter(pk=r[7].pk).update(state="support", adopted_at=at("2024-09-01"))
    Referral.objects.filter(pk=r[11].pk).update(closed_at=at("2025-02-15"))
    Referral.objects.filter(pk=r[13].pk).update(
        state="closed", closure_reason="consent_withdrawn", closed_at=at("2025-03-10")
    )
    for key in (7, 12, 11):
        SupportPlan.objects.create(referral=r[key])
    framework = AssessmentFramework.objects.first()
    for key, day in ((7, "2025-01-10"), (10, "2024-06-01"), (12, "2025-03-01")):
        VulnerabilityAssessment.objects.create(
            referral=r[key], framework=framework, assessor=chair, date=D(day),
            summary="s", management_plan="m",
        )  # fmt: skip
    for key, day, decision in (
        (10, "2025-03-05", "given"),
        (11, "2025-02-05", "declined"),
        (7, "2024-09-10", "given"),
        (7, "2024-10-01", "given"),
        (12, "2024-03-01", "given"),
    ):
        Consent.objects.create(
            referral=r[key], given_by="individual", date=D(day), decision=decision,
            recorded_by=chair,
        )  # fmt: skip
    return stats_world


@pytest.fixture
def figures(channel_world):
    period = period_from_params(*FY_2024)
    return channel_case_figures(
        local_authority=channel_world.world.la_a, period=period, today=TODAY
    )


@pytest.mark.parametrize("key", list(EXPECTED))
def test_channel_figure_equals_hand_count(figures, key):
    assert figures[key] == EXPECTED[key]


def test_another_local_authority_has_none(channel_world):
    period = period_from_params(*FY_2024)
    other = channel_case_figures(local_authority=channel_world.world.la_b, period=period)
    assert set(other.values()) == {0}


def test_shared_figures_hide_small_counts_and_small_differences():
    shared = suppress_case_figures({
        **dict.fromkeys(EXPECTED, 0),
        "open": 9, "open_with_plan": 8, "open_with_assessment": 4,
        "open_with_plan_and_assessment": 0, "discussed": 12,
    })  # fmt: skip
    assert shared["discussed"] == 12
    assert shared["open"] == 9
    assert shared["open_with_plan"] is None  # 9 - 8 = 1 would be revealed
    assert shared["open_with_assessment"] is None  # small itself
    assert shared["open_with_plan_and_assessment"] == 0


def test_report_shows_channel_and_training_figures(channel_world, world):
    lead = world.user(Role.BOROUGH_LEAD, agency=world.council_a)
    CurrentRecordFactory(staff=StaffMemberFactory(agency=world.council_a))
    StaffMemberFactory(agency=world.school_a)  # never trained
    CurrentRecordFactory(staff=StaffMemberFactory(agency=world.school_b))  # another borough
    period = period_from_params(*FY_2024)
    report = compliance_report(user=lead, local_authority=world.la_a, period=period)
    by_code = {s["code"]: dict(s["figures"]) for s in report["sections"]}
    channel = by_code["channel_panel"]
    assert channel["Cases discussed at a held panel in the period"] == "5"
    assert channel["Cases adopted in the period"] == "[c]"
    training = by_code["training"]
    all_staff = next(v for k, v in training.items() if k.startswith("All staff"))
    assert all_staff == "1 of 2 staff in date (50.0%)"
    assert training["Never trained"] == "1"
    rows = list(report_rows(report))
    assert ["", "Cases discussed at a held panel in the period", "5"] in rows


def test_compliance_page_shows_the_figures(channel_world, world, client):
    lead = world.user(Role.BOROUGH_LEAD, agency=world.council_a)
    client.force_login(lead)
    page = client.get("/reports/compliance/").content.decode()
    assert "Channel cases open today" in page
    assert "All staff on" in page
