"""A case that comes back to the panel is adopted again only after a panel held since then.

The finding: a case closed on declined consent and re-opened could be adopted at once, on
the strength of the panel that discussed it before the consent was declined.
"""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from channel.models import AgendaItem, Panel
from channel.selectors import cases_awaiting_panel
from prevent_cms.errors import GuardFailed
from referrals import services as referral_services
from tests.channel import factories as cf

pytestmark = pytest.mark.django_db


def run(team, referral, name, **payload):
    return referral_services.referral_transition(
        referral_id=referral.pk, name=name, actor=team.chair, payload=payload
    )


def reopened(world, team):
    referral = cf.awaiting_consent(world, team)
    reassess = cf.today() + datetime.timedelta(days=30)
    run(team, referral, "close", reason="consent_declined", reassess_on=reassess, rationale="No.")
    return run(team, referral, "reopen", rationale="The family asked to meet again.")


def test_a_reopened_case_needs_a_panel_held_after_the_reopening(world, team):
    referral = reopened(world, team)
    assert referral.state == "channel_panel"
    with pytest.raises(GuardFailed) as error:
        run(team, referral, "adopt", rationale="Again.")
    day = f"{cf.today():%-d %B %Y}"
    assert error.value.errors == {
        "panel": f"The case was reopened on {day}: it must be discussed at a panel held since "
        "then before it is adopted again"
    }
    referral.refresh_from_db()
    assert referral.state == "channel_panel"
    cf.held_panel(world, team, referral)
    assert run(team, referral, "adopt", rationale="Again.").state == "awaiting_consent"


def test_the_api_does_not_offer_adoption_until_a_panel_has_been_held(world, team):
    referral = reopened(world, team)
    client = APIClient()
    client.force_authenticate(team.chair)
    detail = client.get(f"/api/v1/referrals/{referral.pk}/").json()
    assert "adopt" not in detail["available_transitions"]
    response = client.post(
        f"/api/v1/referrals/{referral.pk}/transitions/adopt/",
        {"rationale": "Again."},
        format="json",
    )
    assert response.status_code == 400
    assert "reopened on" in response.content.decode()
    cf.held_panel(world, team, referral)
    detail = client.get(f"/api/v1/referrals/{referral.pk}/").json()
    assert "adopt" in detail["available_transitions"]


def test_a_panel_that_met_before_the_reopening_does_not_count(world, team):
    """Marked held after the reopening, but the meeting itself was the day before."""
    referral = reopened(world, team)
    yesterday = cf.today() - datetime.timedelta(days=1)
    panel = Panel.objects.create(
        local_authority=world.la_a, chair=team.chair, date=yesterday, location="Room 1"
    )
    AgendaItem.objects.create(panel=panel, referral=referral)
    Panel.objects.filter(pk=panel.pk).update(held_at=timezone.now())
    with pytest.raises(GuardFailed) as error:
        run(team, referral, "adopt", rationale="Again.")
    assert "reopened on" in error.value.errors["panel"]


def test_a_readopted_case_needs_a_new_panel_too(world, team):
    referral = cf.post_exit_review(world, team)
    run(team, referral, "readopt", rationale="Risk has returned.")
    with pytest.raises(GuardFailed) as error:
        run(team, referral, "adopt", rationale="Again.")
    assert "came back to the panel on" in error.value.errors["panel"]
    cf.held_panel(world, team, referral)
    assert run(team, referral, "adopt", rationale="Again.").state == "awaiting_consent"


def test_the_first_adoption_keeps_its_rule(world, team):
    referral = cf.channel_panel(world, team)
    cf.assess(team, referral)
    with pytest.raises(GuardFailed) as error:
        run(team, referral, "adopt")
    assert error.value.errors["panel"] == (
        "The case must be discussed at a held panel before it is adopted"
    )
    cf.held_panel(world, team, referral)
    assert run(team, referral, "adopt").state == "awaiting_consent"


def test_a_reopened_case_waits_for_a_panel_on_the_dashboard(world, team):
    referral = reopened(world, team)
    assert referral in cases_awaiting_panel(team.chair)
    cf.held_panel(world, team, referral)
    assert referral not in cases_awaiting_panel(team.chair)
