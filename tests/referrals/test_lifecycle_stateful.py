"""Random sequences of API calls never produce an impossible state or a history that skips
a step (STYLE.md §4, issue 3).

Hypothesis drives the referrals API as a referrer, the force's Prevent officer, the borough's
Channel chair and an officer of another force, mostly around the police stages. After every
call the case must be where the design says, and its history must be one unbroken chain of
allowed steps from ``draft`` to the current state.
"""

import datetime

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from rest_framework.test import APIClient

from referrals.choices import ClosureReason, SignpostService, State
from referrals.models import Referral
from referrals.selectors import referrals_visible_to
from tests.referrals import factories as f
from tests.referrals.test_lifecycle_exhaustive import SOURCES, TARGET

ACTORS = ["referrer", "officer", "chair", "stranger"]
DECISIONS = [
    "refer_to_channel",
    "police_led_partnership",
    "close",
    "escalate_to_police",
    "adopt",
    "consent_given",
    "exit_channel",
    "readopt",
    "reopen",
]
REASSESS = (timezone.localdate() + datetime.timedelta(days=60)).isoformat()


def make_machine(world):
    people = {
        "referrer": f.referrer_for(world),
        "officer": f.officer_for(world),
        "chair": f.chair_for(world),
        "stranger": f.officer_for(world, agency=world.police_c),
    }

    class ReferralWalk(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.api = APIClient()
            self.call_as("referrer")
            form = f.complete_form()
            form["subject"]["date_of_birth"] = form["subject"]["date_of_birth"].isoformat()
            response = self.api.post("/api/v1/referrals/", form, format="json")
            assert response.status_code == 201, response.content
            self.pk = response.json()["id"]
            self.state = State.DRAFT

        def call_as(self, actor: str):
            self.api.force_authenticate(people[actor])
            return people[actor]

        def url(self, tail: str = "") -> str:
            return f"/api/v1/referrals/{self.pk}/{tail}"

        def referral(self) -> Referral:
            return Referral.objects.get(pk=self.pk)

        def run(self, actor: str, name: str, payload: dict) -> None:
            user = self.call_as(actor)
            before = self.state
            visible = referrals_visible_to(user).filter(pk=self.pk).exists()
            response = self.api.post(self.url(f"transitions/{name}/"), payload, format="json")
            status = response.status_code
            if not visible:
                assert status == 404
            elif status == 200:
                assert before in SOURCES[name]
                self.state = TARGET[name]
            elif status == 409:
                # Coarse viewers (the referrer) are told only that it was submitted.
                assert before not in SOURCES[name] or actor == "referrer"
            else:
                assert status in (400, 403), (status, response.content)
            assert self.referral().state == self.state

        @rule(actor=st.sampled_from(ACTORS))
        def submit(self, actor):
            self.run(actor, "submit", {})

        @rule(actor=st.sampled_from(ACTORS))
        def start_assessment(self, actor):
            self.run(actor, "start_assessment", {})

        @rule(
            actor=st.sampled_from(ACTORS),
            deconfliction=st.sampled_from(["cleared", "live_investigation"]),
        )
        def assess(self, actor, deconfliction):
            user = self.call_as(actor)
            visible = referrals_visible_to(user).filter(pk=self.pk).exists()
            response = self.api.post(
                self.url("assessment/"),
                {
                    "deconfliction": deconfliction,
                    "concern_type": "islamist",
                    "screening": "clear_vulnerability",
                    "vulnerabilities": [],
                    "risk_summary": "Walk.",
                },
                format="json",
            )
            if not visible:
                assert response.status_code == 404
            elif response.status_code == 201:
                assert self.state == State.POLICE_ASSESSMENT
                assert actor == "officer"
            else:
                assert response.status_code in (403, 409)
            assert self.referral().state == self.state

        @rule(
            actor=st.sampled_from(ACTORS),
            name=st.sampled_from(DECISIONS),
            rationale=st.sampled_from(["", "Reasons given."]),
            reason=st.sampled_from(["", *ClosureReason.values]),
            signposted_to=st.sampled_from(["", *SignpostService.values]),
            reassess=st.booleans(),
        )
        def decide(self, actor, name, rationale, reason, signposted_to, reassess):
            payload = {"rationale": rationale, "reason": reason, "signposted_to": signposted_to}
            if reassess:
                payload["reassess_on"] = REASSESS
            self.run(actor, name, payload)

        @invariant()
        def history_is_an_unbroken_chain_of_allowed_steps(self):
            referral = self.referral()
            assert referral.state in State.values
            steps = list(referral.history.order_by("at", "id"))
            current = State.DRAFT
            for step in steps:
                assert step.from_state == current
                assert step.from_state in SOURCES[step.name]
                assert step.to_state == TARGET[step.name]
                current = step.to_state
            assert current == referral.state == self.state

        @invariant()
        def stored_facts_match_the_state(self):
            referral = self.referral()
            assert (referral.state == State.CLOSED) == bool(referral.closure_reason)
            assert (referral.state == State.DRAFT) == (referral.submitted_at is None)
            if referral.state not in (State.DRAFT, State.SUBMITTED):
                assert referral.assigned_officer_id == people["officer"].pk
            if referral.state == State.CHANNEL_PANEL:
                assert referral.channel_entered_at is not None

    return ReferralWalk


@pytest.mark.django_db
def test_random_api_walks_keep_the_lifecycle_sound(world):
    run_state_machine_as_test(
        make_machine(world),
        settings=settings(
            max_examples=30,
            stateful_step_count=25,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
