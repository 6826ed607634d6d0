"""Lifecycle: the police stages end to end through the services, and the rules around them."""

import pytest
from django.core import mail
from django.utils import timezone

from prevent_cms.errors import ActionForbidden, GuardFailed, TransitionNotAllowed
from referrals import services
from referrals.choices import State
from referrals.models import Referral
from tests.helpers import audit_actions
from tests.referrals import factories as f


def test_draft_to_channel_writes_history_and_audit(world, django_capture_on_commit_callbacks):
    officer = f.officer_for(world)
    with django_capture_on_commit_callbacks(execute=True):
        referral = f.channel_panel(world, officer=officer)
    assert referral.state == State.CHANNEL_PANEL
    steps = [(h.name, h.from_state, h.to_state) for h in referral.history.all()]
    assert steps == [
        ("submit", "draft", "submitted"),
        ("start_assessment", "submitted", "police_assessment"),
        ("refer_to_channel", "police_assessment", "channel_panel"),
    ]
    transitions = [a for a in audit_actions(object_id=str(referral.pk)) if ".transition." in a]
    assert len(transitions) == 3
    assert referral.assigned_officer == officer
    subjects = [m.subject for m in mail.outbox]
    assert any("received" in s for s in subjects)
    assert any("reviewed" in s for s in subjects)
    assert all(referral.subject.last_name not in m.body + m.subject for m in mail.outbox)


def test_reference_is_formatted_and_unrelated_to_id(world):
    referral = f.draft(world)
    year = timezone.localdate().year
    assert referral.reference.startswith(f"PRV-{year}-")
    assert len(referral.reference) == 15
    assert str(referral.pk) not in referral.reference


def test_submit_names_missing_answers(world):
    referral = f.draft(world, subject={"postcode": "", "date_of_birth": None}, referrer_phone="")
    with pytest.raises(GuardFailed) as error:
        services.referral_transition(
            referral_id=referral.pk, name="submit", actor=referral.referrer
        )
    assert set(error.value.errors) == {"postcode", "date_of_birth", "referrer_phone"}
    assert Referral.objects.get(pk=referral.pk).state == State.DRAFT


def test_wrong_state_is_a_conflict(world):
    officer = f.officer_for(world)
    referral = f.submitted(world)
    with pytest.raises(TransitionNotAllowed):
        services.referral_transition(referral_id=referral.pk, name="adopt", actor=officer)


def test_officer_of_another_force_cannot_even_find_the_case(world):
    referral = f.submitted(world)
    stranger = f.officer_for(world, agency=world.police_c)
    with pytest.raises(Referral.DoesNotExist):
        services.referral_transition(
            referral_id=referral.pk, name="start_assessment", actor=stranger
        )


def test_referrer_sees_case_but_may_not_triage_it(world):
    referral = f.submitted(world)
    with pytest.raises(ActionForbidden):
        services.referral_transition(
            referral_id=referral.pk, name="start_assessment", actor=referral.referrer
        )


def test_refer_to_channel_needs_cleared_deconfliction_and_rationale(world):
    officer = f.officer_for(world)
    referral = f.assessed(world, officer=officer, deconfliction="live_investigation")
    with pytest.raises(GuardFailed) as error:
        services.referral_transition(
            referral_id=referral.pk, name="refer_to_channel", actor=officer, payload={}
        )
    assert set(error.value.errors) == {"deconfliction", "rationale"}


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"rationale": "x"}, "reason"),
        ({"reason": "consent_declined", "rationale": "x"}, "reason"),
        ({"reason": "signposted", "rationale": "x"}, "signposted_to"),
        ({"reason": "no_further_action"}, "rationale"),
    ],
)
def test_close_checks_reason_for_the_stage(world, payload, field):
    officer = f.officer_for(world)
    referral = f.assessed(world, officer=officer)
    with pytest.raises(GuardFailed) as error:
        services.referral_transition(
            referral_id=referral.pk, name="close", actor=officer, payload=payload
        )
    assert field in error.value.errors


def test_signposted_closure_records_the_service(world):
    officer = f.officer_for(world)
    referral = f.assessed(world, officer=officer)
    referral = services.referral_transition(
        referral_id=referral.pk,
        name="close",
        actor=officer,
        payload={"reason": "signposted", "signposted_to": "mental_health", "rationale": "x"},
    )
    assert (referral.state, referral.closure_reason, referral.signposted_to) == (
        State.CLOSED,
        "signposted",
        "mental_health",
    )


def test_available_transitions_follow_role_and_data(world):
    officer = f.officer_for(world)
    referral = f.police_assessment(world, officer=officer)
    names = services.available_transitions(referral=referral, actor=officer)
    assert "refer_to_channel" not in names  # no cleared assessment yet
    assert {"police_led_partnership", "close"} <= set(names)
    assert services.available_transitions(referral=referral, actor=referral.referrer) == []


def test_unknown_concern_code_is_refused(world):
    with pytest.raises(GuardFailed) as error:
        f.draft(world, concern_types=["made_up"])
    assert "concern_types" in error.value.errors
