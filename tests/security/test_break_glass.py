"""Break-glass: a reason, 24 hours of full access, audited, the case's officer and chair told.

Who may break glass (``referrals.permissions.may_break_glass``): a Channel chair for any case
of their force area that has reached Channel; a Prevent officer for a submitted case of their
force area. Never another force's case, never a draft.
"""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from prevent_cms.errors import GuardFailed
from prevent_cms.models import AuditEvent
from referrals import services
from referrals.models import BreakGlassGrant, Referral
from referrals.selectors import Access, referral_access, referrals_visible_to
from tests.factories import UserFactory
from tests.referrals import factories as rf

REASON = "Subject presented at A&E in our borough; need the safety plan."


@pytest.fixture
def case(world, django_capture_on_commit_callbacks):
    officer = rf.officer_for(world)
    with django_capture_on_commit_callbacks(execute=True):
        referral = rf.channel_panel(world, officer=officer)
    referral.chair_a = rf.chair_for(world)
    return referral


@pytest.fixture
def chair_b(world):
    return UserFactory(agency=world.council_b, roles=[Role.CHANNEL_CHAIR])


def test_a_chair_of_another_borough_opens_a_channel_case_with_a_reason(
    world, case, chair_b, django_capture_on_commit_callbacks
):
    assert not referrals_visible_to(chair_b).filter(pk=case.pk).exists()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        grant = services.referral_break_glass(referral_id=case.pk, actor=chair_b, reason=REASON)
    assert grant.expires_at - grant.granted_at == datetime.timedelta(hours=24)
    assert referrals_visible_to(chair_b).filter(pk=case.pk).exists()
    assert referral_access(chair_b, case) == Access.FULL
    event = AuditEvent.objects.get(action="referral.break_glass", object_id=str(case.pk))
    assert event.actor_id == chair_b.pk
    assert event.reason == REASON
    recipients = {address for message in mail.outbox for address in message.to}
    assert case.assigned_officer.email in recipients
    assert case.chair_a.email in recipients
    assert chair_b.email not in recipients
    for message in mail.outbox:  # ids and the reference only: no names, no reason
        assert case.subject.last_name not in message.body + message.subject
        assert REASON not in message.body
        assert chair_b.last_name not in message.body


def test_access_ends_after_24_hours(world, case, chair_b):
    grant = services.referral_break_glass(referral_id=case.pk, actor=chair_b, reason=REASON)
    BreakGlassGrant.objects.filter(pk=grant.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert not referrals_visible_to(chair_b).filter(pk=case.pk).exists()
    assert referral_access(chair_b, case) == Access.NONE


def test_no_reason_no_access(world, case, chair_b):
    with pytest.raises(GuardFailed):
        services.referral_break_glass(referral_id=case.pk, actor=chair_b, reason="  ")
    assert not BreakGlassGrant.objects.exists()


@pytest.mark.parametrize("who", ["chair_other_force", "officer_other_force", "referrer"])
def test_people_who_may_not_break_glass_get_does_not_exist(world, case, who):
    actor = {
        "chair_other_force": lambda: UserFactory(agency=world.council_c, roles=["channel_chair"]),
        "officer_other_force": lambda: UserFactory(
            agency=world.police_c, roles=["prevent_officer"]
        ),
        "referrer": lambda: rf.referrer_for(world),
    }[who]()
    with pytest.raises(Referral.DoesNotExist):
        services.referral_break_glass(referral_id=case.pk, actor=actor, reason=REASON)
    assert not BreakGlassGrant.objects.exists()


def test_a_chair_cannot_break_glass_for_a_case_before_channel(world, chair_b):
    referral = rf.submitted(world)
    with pytest.raises(Referral.DoesNotExist):
        services.referral_break_glass(referral_id=referral.pk, actor=chair_b, reason=REASON)


def test_break_glass_gives_reading_not_the_chairs_decisions(world, case, chair_b, client):
    services.referral_break_glass(referral_id=case.pk, actor=chair_b, reason=REASON)
    client.force_login(chair_b)
    assert client.get(reverse("referrals:detail", args=[case.pk])).status_code == 200
    response = client.post(
        reverse("api:referral-transition", args=[case.pk, "adopt"]),
        {"rationale": "x"},
        content_type="application/json",
    )
    assert response.status_code == 403


class TestPage:
    """The page answers one neutral message whether the case does not exist or is not theirs."""

    url = reverse("referrals:break_glass")

    def test_opens_and_redirects_to_the_case(self, world, case, chair_b, client):
        client.force_login(chair_b)
        assert client.get(self.url).status_code == 200
        response = client.post(self.url, {"reference": case.reference, "reason": REASON})
        assert response.status_code == 302
        assert response["Location"] == reverse("referrals:detail", args=[case.pk])
        assert client.get(response["Location"]).status_code == 200

    def test_same_answer_for_missing_and_forbidden(self, world, case, client):
        chair_c = UserFactory(agency=world.council_c, roles=[Role.CHANNEL_CHAIR])
        client.force_login(chair_c)
        forbidden = client.post(self.url, {"reference": case.reference, "reason": REASON})
        missing = client.post(self.url, {"reference": "PRV-NOPE-0000", "reason": REASON})
        assert forbidden.status_code == missing.status_code == 200
        assert forbidden.context["neutral"] == missing.context["neutral"] != ""
        assert case.subject.last_name.encode() not in forbidden.content
        assert not BreakGlassGrant.objects.exists()

    def test_without_a_reason_asks_for_one(self, world, case, chair_b, client):
        client.force_login(chair_b)
        response = client.post(self.url, {"reference": case.reference, "reason": ""})
        assert response.status_code == 200
        assert "reason" in response.context["form"].errors
        assert not BreakGlassGrant.objects.exists()

    def test_only_officers_and_chairs(self, world, client):
        client.force_login(rf.referrer_for(world))
        assert client.get(self.url).status_code == 403
