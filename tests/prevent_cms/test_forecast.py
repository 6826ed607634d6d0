"""The 14-day breach forecast (issue 17) for a force, a local authority and a person, on the
Today pages of the officer, the chair and the borough lead and on
``GET /api/v1/clocks/forecast/?days=`` (1 to 14, anything else a 400 in words), each within
what the reader may see."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from channel.reference_data import ensure_vaf
from prevent_cms.clocks import clock_forecast
from tests.channel import factories as cf
from tests.referrals import factories as rf
from tests.training.factories import StaffMemberFactory, TrainingRecordFactory


@pytest.fixture
def team(world):
    ensure_vaf()
    return cf.channel_team(world)


def _ago(days: int) -> datetime.datetime:
    """Noon, local time, ``days`` days before today. Clocks count local dates: ``now`` less
    181 days, run between 23:00 and midnight in winter, fell on the next local date in summer
    time, and the post-exit clock ran out a day later than the test said."""
    day = timezone.localdate() - datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


@pytest.fixture
def area(world, team):
    """Channel cases of borough A whose clocks run out tomorrow, in 10 and in 14 days, one
    already run out, and one of another borough."""
    today = timezone.localdate()
    cases = {
        "panel_tomorrow": cf.direct(
            rf.ChannelPanelFactory, world, team, channel_entered_at=_ago(29), case_lead=team.chair
        ),
        "panel_in_10": cf.direct(rf.ChannelPanelFactory, world, team, channel_entered_at=_ago(20)),
        "panel_late": cf.direct(rf.ChannelPanelFactory, world, team, channel_entered_at=_ago(31)),
        "review_in_14": cf.direct(cf.SupportFactory, world, team, adopted_at=_ago(16)),
        "post_exit_tomorrow": cf.direct(cf.PostExitReviewFactory, world, team, exited_at=_ago(181)),
    }
    declined = cf.direct(cf.ClosedViaChannelFactory, world, team)
    type(declined).objects.filter(pk=declined.pk).update(
        closure_reason="consent_declined", reassess_on=today + datetime.timedelta(days=7)
    )
    cases["reassess_in_7"] = declined
    return cases


def test_the_local_authoritys_forecast_at_1_and_14_days(world, team, area):
    today = timezone.localdate()
    fourteen = {(row["reference"], row["clock"]): row for row in clock_forecast(team.chair)}
    assert set(fourteen) == {
        (area["panel_tomorrow"].reference, "time_to_panel"),
        (area["panel_in_10"].reference, "time_to_panel"),
        (area["review_in_14"].reference, "support_review"),
        (area["post_exit_tomorrow"].reference, "post_exit_6_months"),
        (area["reassess_in_7"].reference, "consent_reassessment"),
    }
    assert fourteen[(area["review_in_14"].reference, "support_review")][
        "breaches_on"
    ] == today + datetime.timedelta(days=14)
    one = {(row["reference"], row["clock"]) for row in clock_forecast(team.chair, days=1)}
    assert one == {
        (area["panel_tomorrow"].reference, "time_to_panel"),
        (area["post_exit_tomorrow"].reference, "post_exit_6_months"),
    }
    mine = clock_forecast(team.chair, mine=True)
    assert [row["reference"] for row in mine] == [area["panel_tomorrow"].reference]
    # Another borough's chair sees none of them.
    other = rf.UserFactory(agency=world.council_b, roles=[Role.CHANNEL_CHAIR])
    assert clock_forecast(other) == []


def test_the_force_and_the_officers_own_forecast(world, team):
    officer = team.officer
    mine = rf.InPoliceAssessmentFactory(
        referrer=rf.referrer_for(world), assigned_officer=officer, assessment_started_at=_ago(1)
    )
    theirs = rf.InPoliceAssessmentFactory(
        referrer=rf.referrer_for(world), assessment_started_at=_ago(21)
    )
    force = {row["reference"] for row in clock_forecast(officer)}
    own = {row["reference"] for row in clock_forecast(officer, mine=True)}
    # 20 working days from yesterday is more than 14 calendar days away: not forecast.
    assert mine.reference not in force
    assert theirs.reference in force
    assert own <= force
    assert theirs.reference not in own
    elsewhere = rf.UserFactory(agency=world.police_c, roles=[Role.PREVENT_OFFICER])
    assert clock_forecast(elsewhere) == []


def test_the_borough_leads_forecast_counts_training_expiring_never_names(world):
    today = timezone.localdate()
    for days in (1, 5, 5, 20):
        TrainingRecordFactory(
            staff=StaffMemberFactory(agency=world.school_a),
            expires_on=today + datetime.timedelta(days=days),
        )
    lead = world.user(Role.BOROUGH_LEAD, agency=world.council_a)
    rows = clock_forecast(lead)
    assert [(row["breaches_on"] - today).days for row in rows] == [1, 5]
    assert [row["count"] for row in rows] == [1, 2]
    assert all(row["reference"] == "" and row["id"] is None for row in rows)
    assert [row["count"] for row in clock_forecast(lead, days=1)] == [1]


def test_the_api_takes_1_to_14_days_and_says_so_in_words_otherwise(client, team, area):
    client.force_login(team.chair)
    url = reverse("api:clock-forecast")
    for bad in ("0", "15", "60", "soon"):
        response = client.get(url, {"days": bad})
        assert response.status_code == 400, bad
        assert "a whole number from 1 to 14" in response.content.decode(), bad
    one = client.get(url, {"days": 1}).json()
    assert {row["clock"] for row in one["results"]} == {"time_to_panel", "post_exit_6_months"}
    fourteen = client.get(url, {"days": 14}).json()
    assert fourteen["count"] == 5
    assert {row["count"] for row in fourteen["results"]} == {1}


def test_the_today_pages_of_officer_chair_and_borough_lead_show_the_forecast(
    client, world, team, area
):
    today = timezone.localdate()
    TrainingRecordFactory(
        staff=StaffMemberFactory(agency=world.school_a),
        expires_on=today + datetime.timedelta(days=3),
    )
    rf.InPoliceAssessmentFactory(
        referrer=rf.referrer_for(world),
        assigned_officer=team.officer,
        assessment_started_at=_ago(22),
    )
    lead = world.user(Role.BOROUGH_LEAD, agency=world.council_a)
    expected = {
        team.chair: "5 Channel time limits in your area run out in the next 14 days",
        team.officer: "1 time limit in your force runs out in the next 14 days",
        lead: "1 person’s Prevent training expires in the next 14 days",
    }
    for person, line in expected.items():
        client.force_login(person)
        page = client.get(reverse("home")).content.decode()
        assert "Breach forecast: the next 14 days" in page
        assert line in page
    client.force_login(team.officer)
    kinds = [item["kind"] for item in client.get(reverse("api:my-work")).json()["items"]]
    assert "forecast_mine" in kinds
    client.force_login(team.chair)
    items = client.get(reverse("api:my-work")).json()["items"]
    lines = [item for item in items if item["kind"] == "forecast_case"]
    assert lines[0]["reference"] in {
        area["panel_tomorrow"].reference,
        area["post_exit_tomorrow"].reference,
    }
