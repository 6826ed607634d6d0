"""The lifecycle's declarations and the system check that fails closed on them.

Each transition declares its label, rationale rule, e-mails, guards, hooks and buttons on the
model (``custom=``); the apps owning the data register the guards and hooks by name. If one
is not registered, ``manage.py check`` (and so every server start) fails with a clear id.
"""

from contextlib import contextmanager

import pytest
from django.core import checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from referrals import lifecycle
from referrals.choices import TransitionName

ADOPT_GUARD = "vulnerability_assessed_and_discussed"


def _ids() -> set[str]:
    return {message.id for message in checks.run_checks() if message.id.startswith("referrals.")}


@contextmanager
def _without(registry: dict, name: str):
    """Take ``name`` out of a lifecycle registry for the block, then put it back."""
    removed = registry.pop(name)
    try:
        yield
    finally:
        registry[name] = removed


def test_the_lifecycle_is_fully_registered():
    assert _ids() == set()
    call_command("check")


def test_check_fails_when_the_adopt_guard_is_not_registered():
    removed = lifecycle.unregister_guard(ADOPT_GUARD)
    assert removed is not None
    try:
        assert "referrals.E002" in _ids()
        with pytest.raises(SystemCheckError, match=ADOPT_GUARD):
            call_command("check")
    finally:
        lifecycle.register_guard(ADOPT_GUARD, removed)
    assert _ids() == set()


def test_check_fails_when_a_transition_has_no_permission():
    with _without(lifecycle._permissions, "adopt"):
        assert "referrals.E001" in _ids()
        with pytest.raises(SystemCheckError, match="referrals.E001"):
            call_command("check")


def test_check_fails_when_an_after_transition_hook_is_not_registered():
    with _without(lifecycle._hooks, "sync_panel_grants"):
        assert "referrals.E003" in _ids()


def test_every_transition_declares_a_label_and_its_rules():
    steps = {step.name: step for step in lifecycle.steps()}
    assert set(steps) == set(TransitionName.values)
    assert all(str(step.label) for step in steps.values())
    # DESIGN.md §4: the decisions that need a rationale.
    assert {name for name, step in steps.items() if step.rationale_required} == {
        "refer_to_channel",
        "police_led_partnership",
        "close",
        "escalate_to_police",
        "readopt",
        "reopen",
    }
    assert "vulnerability_assessed_and_discussed" in steps["adopt"].guards
    assert "sync_panel_grants" in steps["close"].hooks


def test_emails_are_declared_on_the_steps_that_send_them():
    assert lifecycle.emails_for("submit", "draft") == ["receipt", "new_referral", "council_copy"]
    assert lifecycle.emails_for("close", "police_assessment") == ["reviewed"]
    assert lifecycle.emails_for("close", "support") == []
    assert lifecycle.emails_for("adopt", "channel_panel") == []


def test_the_buttons_keep_the_wording_users_see():
    from channel.views.cases import DECISIONS as CHANNEL_DECISIONS
    from referrals.views.case import DECISIONS as POLICE_DECISIONS

    assert {k: str(v) for k, v in POLICE_DECISIONS.items()} == {
        "start_assessment": "Start the assessment",
        "refer_to_channel": "Refer to Channel",
        "police_led_partnership": "Manage as a police-led partnership",
        "close": "Close the case",
    }
    assert list(POLICE_DECISIONS) == [
        "start_assessment",
        "refer_to_channel",
        "police_led_partnership",
        "close",
    ]
    assert [(code, str(label), reason) for code, (label, reason) in CHANNEL_DECISIONS.items()] == [
        ("adopt", "Adopt as a Channel case", ""),
        ("not_adopted", "Do not adopt (signpost)", "not_adopted"),
        ("police_led_partnership", "Police-led partnership", ""),
        ("escalate_to_police", "Escalate to police", ""),
        ("consent_given", "Start support: consent given", ""),
        ("consent_declined", "Close: consent declined", "consent_declined"),
        ("consent_withdrawn", "Close: consent withdrawn", "consent_withdrawn"),
        ("exit_channel", "Exit Channel", ""),
        ("reviews_complete", "Close: post-exit reviews complete", "reviews_complete"),
        ("readopt", "Re-adopt", ""),
        ("reopen", "Reopen for reassessment", ""),
    ]
    assert lifecycle.label("adopt") == "Adopt as a Channel case"
    assert lifecycle.label("close") == "Close the case"


def test_check_warns_of_a_guard_no_transition_requires():
    lifecycle.register_guard("left_behind_by_a_rename", lambda referral, payload: {})
    try:
        assert "referrals.W001" in _ids()
    finally:
        lifecycle.unregister_guard("left_behind_by_a_rename")
    assert _ids() == set()
