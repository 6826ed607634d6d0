""" "Who has seen this case": the case page shows its access log to those with full access."""

from __future__ import annotations

from django.urls import reverse

from accounts.models import Role
from referrals import services
from tests.factories import UserFactory
from tests.referrals import factories as rf


def test_the_case_page_lists_who_saw_the_case_with_break_glass_reasons(world, client):
    officer = rf.officer_for(world)
    referral = rf.channel_panel(world, officer=officer)
    chair_b = UserFactory(agency=world.council_b, roles=[Role.CHANNEL_CHAIR])
    services.referral_break_glass(
        referral_id=referral.pk, actor=chair_b, reason="Urgent safeguarding check tonight."
    )
    client.force_login(chair_b)
    client.get(reverse("referrals:detail", args=[referral.pk]))

    client.force_login(officer)
    response = client.get(reverse("referrals:detail", args=[referral.pk]))
    log = response.context["access_log"]
    actions = [(event.actor_id, event.action) for event in log]
    assert (chair_b.pk, "referral.viewed") in actions
    assert (chair_b.pk, "referral.break_glass") in actions
    assert (officer.pk, "referral.viewed") in actions
    page = response.content.decode()
    assert "Who has seen this case" in page
    assert "Urgent safeguarding check tonight." in page
    assert chair_b.get_full_name() in page


def test_the_referrer_does_not_see_the_access_log(world, client):
    referral = rf.submitted(world)
    client.force_login(referral.referrer)
    response = client.get(reverse("referrals:detail", args=[referral.pk]))
    assert response.status_code == 200
    assert "access_log" not in response.context
    assert "Who has seen this case" not in response.content.decode()
