"""A hypothesis state machine over the whole lifecycle, police and Channel stages, driven
through the services (issue 7): ``referral_transition`` and the Channel services that record
assessments, panels, consent, interventions and reviews.

Every rule is tried by any of the people involved (or a stranger of another force). After
each step: no impossible state, the history is one unbroken chain of allowed steps, and each
successful transition wrote exactly one history row and one audit event; a refused one
wrote neither and left the case as it was.
"""

from __future__ import annotations

import datetime
from collections import Counter

import pytest
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from channel.services.assessments import vulnerability_assessment_record
from channel.services.consent import consent_record
from channel.services.interventions import intervention_add
from channel.services.reviews import review_record
from prevent_cms.errors import ActionForbidden, GuardFailed, TransitionNotAllowed
from prevent_cms.models import AuditEvent
from referrals import services
from referrals.choices import ClosureReason, State
from referrals.models import Referral
from tests.channel import factories as cf
from tests.referrals import factories as rf
from tests.referrals.test_lifecycle_exhaustive import SOURCES, TARGET

REFUSED = (ActionForbidden, GuardFailed, TransitionNotAllowed, ObjectDoesNotExist)
ACTORS = ["referrer", "officer", "chair", "member", "stranger"]
REASONS = ["", *ClosureReason.values]
STATS = Counter()
# The person who may act, and a closure reason allowed, for each state: half the steps are
# "the right person tries", so walks get deep into the Channel stages rather than bouncing.
LAWFUL_ACTOR = {
    State.DRAFT: "referrer",
    State.SUBMITTED: "officer",
    State.POLICE_ASSESSMENT: "officer",
    State.POLICE_LED: "officer",
}
LAWFUL_REASON = {
    State.POLICE_ASSESSMENT: "no_further_action",
    State.POLICE_LED: "risk_reduced",
    State.CHANNEL_PANEL: "not_adopted",
    State.AWAITING_CONSENT: "consent_declined",
    State.SUPPORT: "consent_withdrawn",
    State.POST_EXIT_REVIEW: "reviews_complete",
}


def make_machine(world):
    team = cf.channel_team(world)
    people = {
        "referrer": rf.referrer_for(world),
        "officer": team.officer,
        "chair": team.chair,
        "member": team.member,
        "stranger": rf.officer_for(world, agency=world.police_c),
    }

    class Lifecycle(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.pk = None
            self.state = State.DRAFT

        @initialize(start=st.sampled_from(["draft", "draft", "channel_panel", "support"]))
        def start(self, start):
            """Begin at a draft, or (built through the services too) deeper in Channel."""
            if start == "draft":
                referral = rf.draft(world, referrer=people["referrer"])
            elif start == "channel_panel":
                referral = cf.channel_panel(world, team)
            else:
                referral = cf.support(world, team)
            self.pk, self.state = referral.pk, referral.state
            STATS["examples"] += 1

        def referral(self) -> Referral:
            return Referral.objects.select_related("subject").get(pk=self.pk)

        def transition_events(self) -> int:
            return AuditEvent.objects.filter(
                object_id=str(self.pk), action__startswith="referral.transition."
            ).count()

        def attempt(self, call) -> bool:
            STATS["steps"] += 1
            try:
                call()
            except REFUSED:
                return False
            return True

        @rule(
            actor=st.sampled_from([*ACTORS, "lawful", "lawful", "lawful"]),
            name=st.sampled_from(sorted(SOURCES)),
            reason=st.sampled_from([*REASONS, "lawful", "lawful", "lawful"]),
            rationale=st.sampled_from(["", "Reasons given."]),
            signposted=st.booleans(),
            reassess=st.booleans(),
        )
        def transition(self, actor, name, reason, rationale, signposted, reassess):
            if actor == "lawful":
                actor = LAWFUL_ACTOR.get(self.state, "chair")
            if reason == "lawful":
                reason = LAWFUL_REASON.get(self.state, "")
            payload = {"reason": reason, "rationale": rationale}
            if signposted:
                payload["signposted_to"] = "childrens_social_care"
            if reassess:
                payload["reassess_on"] = timezone.localdate() + datetime.timedelta(days=60)
            before = self.state
            history = self.referral().history.count()
            events = self.transition_events()
            ok = self.attempt(
                lambda: services.referral_transition(
                    referral_id=self.pk, name=name, actor=people[actor], payload=payload
                )
            )
            referral = self.referral()
            if ok:
                STATS["transitions"] += 1
                STATS[f"reached {TARGET[name]}"] += 1
                assert before in SOURCES[name]
                self.state = TARGET[name]
                assert referral.history.count() == history + 1
                assert self.transition_events() == events + 1
                last = referral.history.order_by("-at", "-id").first()
                assert (last.name, last.from_state, last.to_state) == (name, before, self.state)
                assert last.actor_id == people[actor].pk
            else:
                assert referral.history.count() == history
                assert self.transition_events() == events
            assert referral.state == self.state

        @rule(pick=st.integers(min_value=0, max_value=10))
        def advance(self, pick):
            """The lawful person takes one of the steps the design allows from here."""
            names = sorted(name for name, sources in SOURCES.items() if self.state in sources)
            onward = [name for name in names if name != "close"]
            if onward and pick < 8:  # closing ends the walk: prefer going on
                names = onward
            self.transition(
                actor="lawful",
                name=names[pick % len(names)],
                reason="lawful",
                rationale="Reasons given.",
                signposted=True,
                reassess=True,
            )

        # Hypothesis picks rules evenly: more ways to advance make walks go deeper.
        @rule(pick=st.integers(min_value=0, max_value=10))
        def advance_again(self, pick):
            self.advance(pick)

        @rule(pick=st.integers(min_value=0, max_value=10))
        def advance_once_more(self, pick):
            self.advance(pick)

        @rule(actor=st.sampled_from([*ACTORS, "officer", "officer"]), cleared=st.booleans())
        def police_assessment(self, actor, cleared):
            self.attempt(
                lambda: services.assessment_record(
                    referral_id=self.pk,
                    actor=people[actor],
                    data={
                        "deconfliction": "cleared" if cleared else "live_investigation",
                        "concern_type": "islamist",
                        "screening": "clear_vulnerability",
                        "risk_summary": "Walk.",
                    },
                )
            )

        @rule(actor=st.sampled_from(ACTORS))
        def vulnerability_assessment(self, actor):
            actor = "chair" if actor == "member" else actor
            self.attempt(
                lambda: vulnerability_assessment_record(
                    referral_id=self.pk,
                    actor=people[actor],
                    framework="vaf_2012",
                    ratings=cf.full_ratings("moderate"),
                    summary="Summary.",
                    management_plan="Plan.",
                )
            )

        @rule()
        def discussed_at_a_held_panel(self):
            self.attempt(lambda: cf.held_panel(world, team, self.referral()))

        @rule(actor=st.sampled_from(ACTORS), given=st.booleans(), right_person=st.booleans())
        def consent(self, actor, given, right_person):
            subject = self.referral().subject
            adult = (subject.age_on(cf.today()) or 0) >= 18
            by_individual = adult == right_person
            data = {
                "given_by": "individual" if by_individual else "parent_or_guardian",
                "given_by_name": "" if by_individual else "Sam Parent",
                "relationship": "" if by_individual else "Mother",
                "date": cf.today(),
                "decision": "given" if given else "declined",
            }
            self.attempt(
                lambda: consent_record(referral_id=self.pk, actor=people[actor], data=data)
            )

        @rule(actor=st.sampled_from(ACTORS))
        def intervention(self, actor):
            self.attempt(
                lambda: intervention_add(
                    referral_id=self.pk,
                    actor=people[actor],
                    data={
                        "type": "ideological_mentoring",
                        "provider_name": "Mentor Ltd",
                        "start_date": cf.today(),
                        "hours": 6,
                    },
                )
            )

        @rule(
            actor=st.sampled_from(ACTORS),
            kind=st.sampled_from(["panel", "post_exit_6_months", "post_exit_12_months"]),
            recommend_exit=st.booleans(),
        )
        def review(self, actor, kind, recommend_exit):
            self.attempt(
                lambda: review_record(
                    referral_id=self.pk,
                    actor=people[actor],
                    data={
                        "kind": kind,
                        "date": cf.today(),
                        "risk_change": "reduced",
                        "recommend_exit": recommend_exit,
                    },
                )
            )

        @invariant()
        def no_impossible_state(self):
            if self.pk is None:
                return
            referral = self.referral()
            assert referral.state == self.state
            assert referral.state in State.values
            assert (referral.state == State.CLOSED) == bool(referral.closure_reason)
            assert (referral.state == State.CLOSED) == (referral.closed_at is not None)
            assert (referral.state == State.DRAFT) == (referral.submitted_at is None)
            if referral.state not in (State.DRAFT, State.SUBMITTED):
                assert referral.assigned_officer_id == people["officer"].pk
            if referral.state in (State.CHANNEL_PANEL, State.AWAITING_CONSENT, State.SUPPORT):
                assert referral.channel_entered_at is not None
            if referral.state in (State.AWAITING_CONSENT, State.SUPPORT):
                assert referral.adopted_at is not None
            if referral.state == State.POST_EXIT_REVIEW:
                assert referral.exited_at is not None

        @invariant()
        def history_is_one_chain_with_one_audit_event_per_step(self):
            if self.pk is None:
                return
            steps = list(self.referral().history.order_by("at", "id"))
            current = State.DRAFT
            for step in steps:
                assert step.from_state == current
                assert step.from_state in SOURCES[step.name]
                assert step.to_state == TARGET[step.name]
                current = step.to_state
            assert current == self.state
            assert len(steps) == self.transition_events()

    return Lifecycle


@pytest.mark.django_db
def test_random_walks_through_the_services_never_reach_an_impossible_state(world):
    STATS.clear()
    run_state_machine_as_test(
        make_machine(world),
        settings=settings(
            max_examples=30,
            stateful_step_count=40,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        ),
    )
    reached = STATS["transitions"]
    states = sorted(k.split()[1] for k in STATS if k.startswith("reached "))
    print(  # noqa: T201
        f"\nhypothesis lifecycle: {STATS['examples']} examples, {STATS['steps']} steps, "
        f"{reached} successful transitions; states reached: {', '.join(states)}"
    )
    assert reached > 0
