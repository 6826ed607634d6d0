"""The Channel pages: each renders for the right people, hides cases, and shows 400 errors."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from tests.channel import factories as cf
from tests.channel.conftest import years_ago
from tests.factories import UserFactory
from tests.helpers import date_boxes
from tests.referrals import factories as rf

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def test_chair_pages_render(world, team, as_user):
    referral = cf.direct(cf.SupportFactory, world, team)
    cf.intervention(team, referral)
    panel = cf.held_panel(world, team, cf.direct(rf.ChannelPanelFactory, world, team))
    client = as_user(team.chair)
    for url in [
        reverse("home"),
        reverse("channel:dashboard"),
        reverse("channel:panel_list"),
        reverse("channel:panel_create"),
        reverse("channel:panel", args=[panel.pk]),
        reverse("channel:panel_sign_off", args=[panel.pk]),
        reverse("channel:case_list"),
        reverse("channel:case", args=[referral.pk]),
        reverse("channel:assessment_new", args=[referral.pk]),
        reverse("channel:consent_new", args=[referral.pk]),
        reverse("channel:intervention_new", args=[referral.pk]),
        reverse("channel:review_new", args=[referral.pk]),
        reverse("channel:decision", args=[referral.pk, "exit_channel"]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url


def test_schedule_panel_in_the_past_shows_an_error(world, team, as_user):
    client = as_user(team.chair)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    response = client.post(
        reverse("channel:panel_create"), {**date_boxes("date", yesterday), "location": "Room"}
    )
    assert response.status_code == 400
    assert "today or in the future" in response.content.decode()


def test_wrong_consenter_shows_an_error(world, team, as_user):
    referral = cf.direct(
        cf.AwaitingConsentFactory, world, team, subject__date_of_birth=years_ago(15)
    )
    client = as_user(team.chair)
    response = client.post(
        reverse("channel:consent_new", args=[referral.pk]),
        {"given_by": "individual", **date_boxes("date", cf.today()), "decision": "given"},
    )
    assert response.status_code == 400
    assert "parent or guardian" in response.content.decode()
    assert not referral.consents.exists()


def test_missing_ratings_page_error(world, team, as_user):
    referral = cf.direct(rf.ChannelPanelFactory, world, team)
    client = as_user(team.chair)
    response = client.post(
        reverse("channel:assessment_new", args=[referral.pk]),
        {"summary": "s", "management_plan": "m"},
    )
    assert response.status_code == 400
    assert "Rate every factor" in response.content.decode()


def test_panel_member_sees_only_agenda_cases(world, team, as_user):
    shown = cf.direct(rf.ChannelPanelFactory, world, team)
    hidden = cf.direct(rf.ChannelPanelFactory, world, team)
    panel = cf.held_panel(world, team, shown)
    client = as_user(team.member)
    page = client.get(reverse("channel:panel", args=[panel.pk])).content.decode()
    assert shown.reference in page
    assert client.get(reverse("channel:case", args=[shown.pk])).status_code == 200
    assert client.get(reverse("channel:case", args=[hidden.pk])).status_code == 404
    listing = client.get(reverse("channel:case_list")).content.decode()
    assert shown.reference in listing
    assert hidden.reference not in listing
    assert client.get(reverse("channel:dashboard")).status_code == 403


def test_provider_sees_exactly_their_interventions(world, team, as_user):
    referral = cf.direct(cf.SupportFactory, world, team)
    mine = cf.intervention(team, referral)
    other_provider = UserFactory(agency=world.community_a, roles=[Role.INTERVENTION_PROVIDER])
    cf.intervention(team, referral, provider=str(other_provider.pk), type="education")
    client = as_user(team.provider)
    page = client.get(reverse("channel:provider_list")).content.decode()
    assert page.count("Record a session") == 1
    assert client.get(reverse("channel:case", args=[referral.pk])).status_code == 404
    response = client.post(
        reverse("channel:session_new", args=[mine.pk]),
        {**date_boxes("date", cf.today()), "hours": "1.5", "notes": "First meeting."},
    )
    assert response.status_code == 302
    assert mine.sessions.count() == 1
