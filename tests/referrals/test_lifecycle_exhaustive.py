"""Every state × every transition (STYLE.md §4): each step succeeds exactly where DESIGN.md §4
allows it, and answers 409 (TransitionNotAllowed) everywhere else, through the services and
the API alike.

The table below is written out from DESIGN.md, not read from the model, so a change to the
model's declarations that disagrees with the design fails here. States up to
``channel_panel`` and ``closed`` are reached through the services (the factories); the later
Channel stages need Channel data (assessments, consent, reviews) owned by the Channel app, so
those cases are moved there directly in the database from a real ``channel_panel`` case.
"""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from prevent_cms.errors import ActionForbidden, GuardFailed, TransitionNotAllowed
from referrals import lifecycle, services
from referrals.choices import State, TransitionName
from referrals.models import Referral
from tests.referrals import factories as f

S = State
SOURCES = {
    "submit": {S.DRAFT},
    "start_assessment": {S.SUBMITTED},
    "refer_to_channel": {S.POLICE_ASSESSMENT, S.POLICE_LED},
    "police_led_partnership": {S.POLICE_ASSESSMENT, S.CHANNEL_PANEL, S.AWAITING_CONSENT},
    "close": {
        S.POLICE_ASSESSMENT,
        S.POLICE_LED,
        S.CHANNEL_PANEL,
        S.AWAITING_CONSENT,
        S.SUPPORT,
        S.POST_EXIT_REVIEW,
    },
    "adopt": {S.CHANNEL_PANEL},
    "consent_given": {S.AWAITING_CONSENT},
    "exit_channel": {S.SUPPORT},
    "escalate_to_police": {S.CHANNEL_PANEL, S.AWAITING_CONSENT, S.SUPPORT, S.POST_EXIT_REVIEW},
    "readopt": {S.POST_EXIT_REVIEW},
    "reopen": {S.CLOSED},
}
TARGET = {
    "submit": S.SUBMITTED,
    "start_assessment": S.POLICE_ASSESSMENT,
    "refer_to_channel": S.CHANNEL_PANEL,
    "police_led_partnership": S.POLICE_LED,
    "close": S.CLOSED,
    "adopt": S.AWAITING_CONSENT,
    "consent_given": S.SUPPORT,
    "exit_channel": S.POST_EXIT_REVIEW,
    "escalate_to_police": S.POLICE_ASSESSMENT,
    "readopt": S.CHANNEL_PANEL,
    "reopen": S.CHANNEL_PANEL,
}
REASSESS = timezone.localdate() + datetime.timedelta(days=90)
CLOSE_PAYLOAD = {
    S.POLICE_ASSESSMENT: {"reason": "no_further_action"},
    S.POLICE_LED: {"reason": "risk_reduced"},
    S.CHANNEL_PANEL: {"reason": "not_adopted", "signposted_to": "education"},
    S.AWAITING_CONSENT: {"reason": "consent_declined", "reassess_on": REASSESS},
    S.SUPPORT: {"reason": "consent_withdrawn", "reassess_on": REASSESS},
    # reviews_complete needs the Channel app's reviews; any stage may close as moved_area.
    S.POST_EXIT_REVIEW: {"reason": "moved_area"},
}
# Cases to try every transition on: the states, plus a case closed after consent declined
# (the only kind that may reopen).
CASE_KINDS = [*State.values, "closed_consent_declined"]


def test_the_table_covers_every_state_and_transition():
    assert set(SOURCES) == set(TransitionName.values) == set(TARGET)
    assert set().union(*SOURCES.values()) | set(TARGET.values()) == set(State.values)


def _force(referral: Referral, **fields) -> Referral:
    Referral.objects.filter(pk=referral.pk).update(**fields)
    return Referral.objects.get(pk=referral.pk)


def build(world, kind: str, officer) -> Referral:
    now = datetime.datetime.now(tz=datetime.UTC)
    builders = {
        "draft": lambda: f.draft(world),
        "submitted": lambda: f.submitted(world),
        "police_assessment": lambda: f.assessed(world, officer=officer),
        "police_led": lambda: f.police_led(world, officer=officer),
        "channel_panel": lambda: f.channel_panel(world, officer=officer),
        "closed": lambda: f.closed_by_police(world, officer=officer),
    }
    if kind in builders:
        return builders[kind]()
    referral = f.channel_panel(world, officer=officer)
    if kind == "closed_consent_declined":
        return _force(
            referral,
            state=S.CLOSED,
            adopted_at=now,
            closure_reason="consent_declined",
            reassess_on=REASSESS,
            closed_at=now,
        )
    extra = {"adopted_at": now}
    if kind == S.POST_EXIT_REVIEW:
        extra["exited_at"] = now
    return _force(referral, state=kind, **extra)


def state_of(kind: str) -> str:
    return S.CLOSED if kind == "closed_consent_declined" else kind


def actor_for(referral: Referral, name: str, officer, chair):
    """Who runs ``name`` on this case under DESIGN.md §4 (or, if no one may, who sees it)."""
    if name == "submit" or referral.state == S.DRAFT:
        return referral.referrer
    police_stage = referral.state in (S.SUBMITTED, S.POLICE_ASSESSMENT, S.POLICE_LED)
    if name in ("start_assessment", "refer_to_channel"):
        return officer if police_stage or not referral.channel_entered_at else chair
    if name in ("police_led_partnership", "close"):
        return officer if police_stage or not referral.channel_entered_at else chair
    return chair if referral.channel_entered_at else officer


def payload_for(name: str, state: str) -> dict:
    payload = {"rationale": "Recorded in the exhaustive test."}
    if name == "close":
        payload.update(CLOSE_PAYLOAD.get(state, {"reason": "moved_area"}))
    return payload


@pytest.mark.parametrize("name", TransitionName.values)
@pytest.mark.parametrize("kind", CASE_KINDS)
def test_every_state_times_every_transition(world, kind, name):
    officer = f.officer_for(world)
    chair = f.chair_for(world)
    referral = build(world, kind, officer)
    state = state_of(kind)
    assert referral.state == state
    before = referral.history.count()
    actor = actor_for(referral, name, officer, chair)
    payload = payload_for(name, state)
    available = services.available_transitions(referral=referral, actor=actor)

    if state not in SOURCES[name]:
        with pytest.raises(TransitionNotAllowed):
            services.referral_transition(
                referral_id=referral.pk, name=name, actor=actor, payload=payload
            )
        assert name not in available
        after = Referral.objects.get(pk=referral.pk)
        assert (after.state, after.history.count()) == (state, before)
        return

    # Allowed from here: somebody other than the right person is refused (403)...
    if name != "submit":
        with pytest.raises(ActionForbidden):
            services.referral_transition(
                referral_id=referral.pk, name=name, actor=referral.referrer, payload=payload
            )
    if not lifecycle.may_run(name, referral, actor):
        # A case the police closed never reached Channel: no chair may reopen it.
        assert (kind, name) == ("closed", "reopen")
        with pytest.raises(ActionForbidden):
            services.referral_transition(
                referral_id=referral.pk, name=name, actor=actor, payload=payload
            )
        return
    # ...and the right person succeeds, unless the data the step needs is missing.
    missing = lifecycle.guard_errors(name, referral, payload)
    if missing:
        # Only Channel-data guards and reopen-after-an-ordinary-closure may hold it back here.
        assert name in {"adopt", "consent_given", "exit_channel", "reopen"}, missing
        with pytest.raises(GuardFailed):
            services.referral_transition(
                referral_id=referral.pk, name=name, actor=actor, payload=payload
            )
        assert Referral.objects.get(pk=referral.pk).state == state
        return
    assert name in available
    result = services.referral_transition(
        referral_id=referral.pk, name=name, actor=actor, payload=payload
    )
    assert result.state == TARGET[name]
    last = result.history.order_by("-at", "-id").first()
    assert (last.name, last.from_state, last.to_state) == (name, state, TARGET[name])
    assert result.history.count() == before + 1


def _api_payload(payload: dict) -> dict:
    return {k: v.isoformat() if isinstance(v, datetime.date) else v for k, v in payload.items()}


@pytest.mark.parametrize("name", TransitionName.values)
@pytest.mark.parametrize("kind", [k for k in CASE_KINDS if k != "draft"])
def test_every_state_times_every_transition_through_the_api(world, kind, name):
    """The same table over HTTP for the officer or chair of the case: 200, 400 or 409."""
    officer = f.officer_for(world)
    chair = f.chair_for(world)
    referral = build(world, kind, officer)
    state = state_of(kind)
    actor = actor_for(referral, name, officer, chair)
    payload = payload_for(name, state)
    api = APIClient()
    api.force_authenticate(actor)
    response = api.post(
        f"/api/v1/referrals/{referral.pk}/transitions/{name}/",
        _api_payload(payload),
        format="json",
    )
    if state not in SOURCES[name]:
        assert response.status_code == 409, response.json()
        # The referrer sees only a coarse status, so their message does not name the state.
        expected = "already been submitted" if name == "submit" else "cannot take the step"
        assert expected in response.json()["detail"]
    elif not lifecycle.may_run(name, referral, actor):
        assert response.status_code == 403, response.json()
    elif lifecycle.guard_errors(name, referral, payload):
        assert response.status_code == 400, response.json()
    else:
        assert response.status_code == 200, response.json()
        assert response.json()["state"] == TARGET[name]
    if response.status_code != 200:
        assert Referral.objects.get(pk=referral.pk).state == state
