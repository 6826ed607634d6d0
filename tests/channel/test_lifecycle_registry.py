"""At run time a step whose declared guard or hook nobody registered refuses to run.

The system check (tests/referrals/test_lifecycle_checks.py) stops a misconfigured start; this
is the second line: ``referral_transition`` raises and changes nothing rather than adopt a
case without its assessment, or close one and leave its panel grants in place.
"""

import pytest
from django.db.models.signals import post_save

from channel.services.agenda import panel_add_case
from channel.services.panels import panel_create
from referrals import lifecycle
from referrals import services as referral_services
from referrals.models import Referral, ReferralUserObjectPermission
from tests.channel import factories as cf

pytestmark = pytest.mark.django_db

ADOPT_GUARD = "vulnerability_assessed_and_discussed"


@pytest.fixture
def without_adopt_guard():
    removed = lifecycle.unregister_guard(ADOPT_GUARD)
    assert removed is not None
    yield
    lifecycle.register_guard(ADOPT_GUARD, removed)


@pytest.fixture
def without_grants_hook():
    removed = lifecycle.unregister_hook("sync_panel_grants")
    assert removed is not None
    yield
    lifecycle.register_hook("sync_panel_grants", removed)


def test_adopt_refuses_when_its_guard_is_not_registered(world, team, without_adopt_guard):
    # No vulnerability assessment, no panel: a fail-open registry would adopt this case.
    referral = cf.channel_panel(world, team)
    assert "adopt" not in referral_services.available_transitions(
        referral=referral, actor=team.chair
    )
    with pytest.raises(lifecycle.LifecycleMisconfigured, match=ADOPT_GUARD):
        referral_services.referral_transition(
            referral_id=referral.pk, name="adopt", actor=team.chair, payload={}
        )
    referral.refresh_from_db()
    assert (referral.state, referral.history.filter(name="adopt").count()) == ("channel_panel", 0)


def test_closing_refuses_when_the_grants_hook_is_not_registered(world, team, without_grants_hook):
    referral = cf.channel_panel(world, team)
    panel = panel_create(
        actor=team.chair, date=cf.today(), location="Room 1", member_ids=[team.member.pk]
    )
    panel_add_case(panel_id=panel.pk, actor=team.chair, referral_id=referral.pk)
    with pytest.raises(lifecycle.LifecycleMisconfigured, match="sync_panel_grants"):
        referral_services.referral_transition(
            referral_id=referral.pk,
            name="close",
            actor=team.chair,
            payload={
                "reason": "not_adopted",
                "signposted_to": "education",
                "rationale": "Support from school instead.",
            },
        )
    referral.refresh_from_db()
    assert referral.state == "channel_panel"
    grants = ReferralUserObjectPermission.objects.filter(content_object=referral)
    assert grants.filter(user=team.member).exists()


def test_panel_grants_are_revoked_by_the_transition_not_a_save_signal():
    assert not post_save.has_listeners(Referral)
