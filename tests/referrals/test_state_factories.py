"""The factories that write a case straight to the database build the case the services
build: same state, same timestamps set, same records hanging off it, and the lifecycle's
next step runs on it (its guards find what they need)."""

import pytest

from channel.models import AgendaItem
from prevent_cms.errors import GuardFailed
from referrals import services
from referrals.choices import State
from referrals.models import Referral
from tests.channel import factories as cf
from tests.referrals import factories as rf

TIMESTAMPS = (
    "submitted_at",
    "assessment_started_at",
    "decided_at",
    "channel_entered_at",
    "adopted_at",
    "exited_at",
    "closed_at",
)
RELATED = (
    "history",
    "assessments",
    "vulnerability_assessments",
    "consents",
    "interventions",
    "reviews",
    "agenda_items",
)

# state: (the services' way, the direct factory)
STATES = {
    "draft": (lambda w, t: rf.draft(w), rf.DraftFactory),
    "submitted": (lambda w, t: rf.submitted(w), rf.SubmittedFactory),
    "police_assessment": (lambda w, t: rf.police_assessment(w), rf.InPoliceAssessmentFactory),
    "assessed": (lambda w, t: rf.assessed(w, officer=t.officer), rf.AssessedFactory),
    "police_led": (lambda w, t: rf.police_led(w, officer=t.officer), rf.PoliceLedFactory),
    "channel_panel": (lambda w, t: cf.channel_panel(w, t), rf.ChannelPanelFactory),
    "closed_by_police": (
        lambda w, t: rf.closed_by_police(w, officer=t.officer),
        rf.ClosedByPoliceFactory,
    ),
    "awaiting_consent": (lambda w, t: cf.awaiting_consent(w, t), cf.AwaitingConsentFactory),
    "support": (lambda w, t: cf.support(w, t), cf.SupportFactory),
    "post_exit_review": (lambda w, t: cf.post_exit_review(w, t), cf.PostExitReviewFactory),
    "closed_via_channel": (
        lambda w, t: cf.closed_via_channel(w, t),
        cf.ClosedViaChannelFactory,
    ),
}
CHANNEL_FACTORIES = (
    cf.AwaitingConsentFactory,
    cf.SupportFactory,
    cf.PostExitReviewFactory,
    cf.ClosedViaChannelFactory,
)
# The step each state's case takes next through the services, with its payload.
NEXT_STEP = {
    "draft": ("submit", "referrer", {}, State.SUBMITTED),
    "submitted": ("start_assessment", "officer", {}, State.POLICE_ASSESSMENT),
    "assessed": ("refer_to_channel", "officer", {"rationale": "Needs it."}, State.CHANNEL_PANEL),
    "police_led": (
        "close",
        "officer",
        {"reason": "risk_reduced", "rationale": "Done."},
        State.CLOSED,
    ),
    "channel_panel": ("adopt", "chair", {}, None),  # refused: nothing assessed or discussed
    "awaiting_consent": ("consent_given", "chair", {}, None),  # refused: no consent recorded
    "support": ("exit_channel", "chair", {}, None),  # refused: no intervention or review yet
    "post_exit_review": ("readopt", "chair", {"rationale": "Again."}, State.CHANNEL_PANEL),
    "closed_via_channel": ("reopen", "chair", {"rationale": "Again."}, None),  # not on consent
}


def _shape(referral: Referral) -> dict:
    referral.refresh_from_db()
    shape = {
        "state": referral.state,
        "set": {name for name in TIMESTAMPS if getattr(referral, name)},
        "closure_reason": referral.closure_reason,
        "urgent": referral.urgent,
        "borough": referral.local_authority_id == referral.referrer_agency.local_authority_id,
        "officer": bool(referral.assigned_officer_id),
        "panel grants": referral.referraluserobjectpermission_set.count(),
    }
    shape.update({name: getattr(referral, name).count() for name in RELATED if name != "history"})
    return shape


def _direct(world, team, state: str) -> Referral:
    factory = STATES[state][1]
    kwargs = {"referrer": rf.referrer_for(world)}
    if factory in CHANNEL_FACTORIES:
        kwargs["team"] = team
    elif factory not in (rf.DraftFactory, rf.SubmittedFactory):
        kwargs["assigned_officer"] = team.officer
    return factory(**kwargs)


@pytest.mark.parametrize("state", STATES)
def test_a_factory_builds_the_case_the_services_build(world, state):
    team = cf.channel_team(world)
    through_services = STATES[state][0]
    by_services = through_services(world, team)
    direct = _direct(world, team, state)
    assert _shape(direct) == _shape(by_services)
    assert not direct.history.exists()  # no history: the services' way has it
    assert by_services.history.count() >= (state != "draft")


@pytest.mark.parametrize("state", NEXT_STEP)
def test_the_lifecycle_takes_a_factory_built_case_where_it_would_take_the_real_one(world, state):
    """The guards read a factory-built case as they read the services' one: the next step
    runs where its guards are met, and is refused (GuardFailed) where they are not."""
    team = cf.channel_team(world)
    referral = _direct(world, team, state)
    name, who, payload, expected = NEXT_STEP[state]
    actor = {"referrer": referral.referrer, "officer": team.officer, "chair": team.chair}[who]
    if expected is None:
        with pytest.raises(GuardFailed):
            services.referral_transition(
                referral_id=referral.pk, name=name, actor=actor, payload=payload
            )
        return
    done = services.referral_transition(
        referral_id=referral.pk, name=name, actor=actor, payload=payload
    )
    assert done.state == expected
    assert done.history.get().name == name


def test_by_default_the_people_of_a_factory_built_case_belong_to_its_borough(db):
    case = cf.SupportFactory()
    borough = case.local_authority
    assert borough == case.referrer.agency.local_authority
    assert case.assigned_officer.agency.local_authority == borough
    chair = case.vulnerability_assessments.get().assessor
    assert chair.agency.local_authority == borough
    panel = AgendaItem.objects.get(referral=case).panel
    assert {chair, case.assigned_officer} < set(panel.members.all())
    assert all(m.agency.local_authority == borough for m in panel.members.all())
