"""Channel-stage cases, two ways (STYLE.md §10; see ``tests/referrals/factories.py``).

``AwaitingConsentFactory``, ``SupportFactory``, ``PostExitReviewFactory`` and
``ClosedViaChannelFactory`` write the case straight to the database with what its state
implies (vulnerability assessment and held panel, consent, intervention and exit review,
post-exit reviews) and the panel members' grants; pass ``team=channel_team(world)`` so the
chair, officer, member and provider are the team's.

``awaiting_consent(world, team)``, ``support(world, team)`` … reach the state through the
services, each building on the previous one, so the case has real history and audit.
``channel_team(world)`` gives a chair, a police officer and a panel member of borough A.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import factory
from django.utils import timezone

from accounts.models import Role, Sector, User
from channel.choices import (
    AgendaKind,
    ConsentDecision,
    GivenBy,
    InterventionStatus,
    ReviewKind,
    RiskChange,
)
from channel.models import (
    AgendaItem,
    AssessmentFactor,
    Consent,
    Intervention,
    Panel,
    Review,
    SupportPlan,
    VulnerabilityAssessment,
)
from channel.permissions import sync_case_grants
from channel.services.agenda import panel_add_case
from channel.services.assessments import vulnerability_assessment_record
from channel.services.consent import consent_record
from channel.services.interventions import intervention_add
from channel.services.panels import panel_create, panel_hold
from channel.services.reviews import review_record
from referrals import services as referral_services
from referrals.choices import ClosureReason, State
from referrals.models import Referral
from tests.factories import AgencyFactory, UserFactory
from tests.referrals import factories as rf


@dataclass
class Team:
    chair: User
    officer: User
    member: User
    provider: User


def channel_team(world) -> Team:
    return Team(
        chair=UserFactory(agency=world.council_a, roles=[Role.CHANNEL_CHAIR]),
        officer=UserFactory(agency=world.police_a, roles=[Role.PREVENT_OFFICER]),
        member=UserFactory(agency=world.health_a, roles=[Role.PANEL_MEMBER]),
        provider=UserFactory(agency=world.community_a, roles=[Role.INTERVENTION_PROVIDER]),
    )


def full_ratings(value: str = "low") -> dict:
    codes = AssessmentFactor.objects.filter(framework_id="vaf_2012").values_list("code", flat=True)
    return dict.fromkeys(codes, value)


def today() -> datetime.date:
    return timezone.localdate()


def held_panel(world, team: Team, referral: Referral):
    panel = panel_create(
        actor=team.chair,
        date=today(),
        location="Town Hall, room 2",
        member_ids=[team.officer.pk, team.member.pk],
    )
    panel_add_case(panel_id=panel.pk, actor=team.chair, referral_id=referral.pk)
    panel_hold(
        panel_id=panel.pk,
        actor=team.chair,
        attended_ids=[team.chair.pk, team.officer.pk, team.member.pk],
        minutes="Discussed the case.",
    )
    return panel


def assess(team: Team, referral: Referral, value: str = "low"):
    return vulnerability_assessment_record(
        referral_id=referral.pk,
        actor=team.chair,
        framework="vaf_2012",
        ratings=full_ratings(value),
        summary="Vulnerable to grooming online.",
        management_plan="Mentoring and family support.",
    )


def _run(team: Team, referral: Referral, name: str, **payload) -> Referral:
    return referral_services.referral_transition(
        referral_id=referral.pk, name=name, actor=team.chair, payload=payload
    )


def channel_panel(world, team: Team, **kwargs) -> Referral:
    return rf.channel_panel(world, officer=team.officer, **kwargs)


def awaiting_consent(world, team: Team, **kwargs) -> Referral:
    referral = channel_panel(world, team, **kwargs)
    assess(team, referral)
    held_panel(world, team, referral)
    return _run(team, referral, "adopt", rationale="Vulnerability clear; support needed.")


def consent(team: Team, referral: Referral, **overrides):
    referral.refresh_from_db()
    age = referral.subject.age_on(today())
    data = {
        "given_by": "individual" if age >= 18 else "parent_or_guardian",
        "given_by_name": "" if age >= 18 else "Sam Parent",
        "relationship": "" if age >= 18 else "Mother",
        "date": today(),
        "decision": "given",
        "child_view": "Happy to meet a mentor.",
    }
    data.update(overrides)
    return consent_record(referral_id=referral.pk, actor=team.chair, data=data)


def support(world, team: Team, **kwargs) -> Referral:
    referral = awaiting_consent(world, team, **kwargs)
    consent(team, referral)
    return _run(team, referral, "consent_given")


def intervention(team: Team, referral: Referral, **overrides):
    data = {
        "type": "ideological_mentoring",
        "provider": str(team.provider.pk),
        "start_date": today(),
        "hours": 12,
        "status": "active",
    }
    data.update(overrides)
    return intervention_add(referral_id=referral.pk, actor=team.chair, data=data)


def review(team: Team, referral: Referral, kind="panel", recommend_exit=False):
    return review_record(
        referral_id=referral.pk,
        actor=team.chair,
        data={
            "kind": kind,
            "date": today(),
            "risk_change": "reduced",
            "recommend_exit": recommend_exit,
            "notes": "Engaging well.",
        },
    )


def post_exit_review(world, team: Team, **kwargs) -> Referral:
    referral = support(world, team, **kwargs)
    intervention(team, referral)
    review(team, referral, recommend_exit=True)
    return _run(team, referral, "exit_channel")


def a_year_after_exit(referral: Referral) -> Referral:
    """Move the exit a year back, so both post-exit reviews are in their windows today."""
    Referral.objects.filter(pk=referral.pk).update(
        exited_at=timezone.now() - datetime.timedelta(days=366)
    )
    referral.refresh_from_db()
    return referral


def closed_via_channel(world, team: Team, **kwargs) -> Referral:
    referral = a_year_after_exit(post_exit_review(world, team, **kwargs))
    review(team, referral, kind="post_exit_6_months")
    review(team, referral, kind="post_exit_12_months")
    return _run(team, referral, "close", reason="reviews_complete", rationale="Both reviews done.")


# --- Written straight to the database -------------------------------------------------


def _team_of(referral: Referral) -> Team:
    """A chair, member and provider of the case's borough, and its officer."""
    la = referral.local_authority

    def person(sector: str, role: str) -> User:
        agency = la.agencies.filter(sector=sector).first() or AgencyFactory(
            local_authority=la, sector=sector
        )
        return UserFactory(agency=agency, roles=[role])

    return Team(
        chair=person(Sector.LOCAL_AUTHORITY, Role.CHANNEL_CHAIR),
        officer=referral.assigned_officer,
        member=person(Sector.HEALTH, Role.PANEL_MEMBER),
        provider=person(Sector.COMMUNITY, Role.INTERVENTION_PROVIDER),
    )


def _adoption_records(referral: Referral, team: Team) -> None:
    """What ``adopt`` requires: a full vulnerability assessment and a held panel that
    discussed the case (its members hold the panel grant, as ``panel_add_case`` gives)."""
    VulnerabilityAssessment.objects.create(
        referral=referral,
        framework_id="vaf_2012",
        assessor=team.chair,
        date=today(),
        ratings=full_ratings(),
        summary="Vulnerable to grooming online.",
        management_plan="Mentoring and family support.",
    )
    panel = Panel.objects.create(
        local_authority=referral.local_authority,
        chair=team.chair,
        date=today(),
        location="Town Hall, room 2",
        minutes="Discussed the case.",
        quorum_met=True,
        held_at=timezone.now(),
    )
    people = [team.chair, team.officer, team.member]
    panel.members.set(people)
    panel.attended.set(people)
    AgendaItem.objects.create(panel=panel, referral=referral, kind=AgendaKind.NEW_CASE, order=1)


def _consent_given(referral: Referral, team: Team) -> None:
    adult = referral.subject.age_on(today()) >= 18
    Consent.objects.create(
        referral=referral,
        given_by=GivenBy.INDIVIDUAL if adult else GivenBy.PARENT_OR_GUARDIAN,
        given_by_name=referral.subject.full_name if adult else "Sam Parent",
        relationship="" if adult else "Mother",
        date=today(),
        decision=ConsentDecision.GIVEN,
        child_view="Happy to meet a mentor.",
        recorded_by=team.chair,
    )


def _review(referral: Referral, team: Team, kind: str, recommend_exit: bool = False) -> None:
    Review.objects.create(
        referral=referral,
        kind=kind,
        date=today(),
        risk_change=RiskChange.REDUCED,
        recommend_exit=recommend_exit,
        notes="Engaging well.",
        recorded_by=team.chair,
    )


def _supported_and_reviewed(referral: Referral, team: Team) -> None:
    plan = SupportPlan.objects.create(referral=referral)
    Intervention.objects.create(
        plan=plan,
        referral=referral,
        type="ideological_mentoring",
        provider=team.provider,
        provider_name=team.provider.display_name,
        start_date=today(),
        hours=12,
        status=InterventionStatus.ACTIVE,
    )
    _review(referral, team, ReviewKind.PANEL, recommend_exit=True)


STATE_RECORDS = {
    State.AWAITING_CONSENT: (_adoption_records,),
    State.SUPPORT: (_adoption_records, _consent_given),
    State.POST_EXIT_REVIEW: (_adoption_records, _consent_given, _supported_and_reviewed),
}


class AwaitingConsentFactory(rf.ChannelPanelFactory):
    """Adopted by the panel. ``team`` (default: new people of the case's borough) names the
    chair who assessed and chaired, the officer and member who sat, and the provider."""

    team = None  # taken out by _create, never a field
    state = State.AWAITING_CONSENT
    assigned_officer = factory.LazyAttribute(
        lambda o: o.team.officer if o.team else rf._officer_of(o)
    )
    adopted_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def channel_records(referral, create, extracted, **kwargs):
        if not create:
            return
        team = referral.__dict__.pop("_team", None) or _team_of(referral)
        for record in STATE_RECORDS.get(referral.state, STATE_RECORDS[State.POST_EXIT_REVIEW]):
            record(referral, team)
        if referral.state == State.CLOSED:
            _review(referral, team, ReviewKind.POST_EXIT_6_MONTHS)
            _review(referral, team, ReviewKind.POST_EXIT_12_MONTHS)
        sync_case_grants(referral)

    @classmethod
    def _create(cls, model_class, *args, team=None, **kwargs):
        referral = super()._create(model_class, *args, **kwargs)
        referral._team = team
        return referral


class SupportFactory(AwaitingConsentFactory):
    """Consent given, support begun; no intervention yet."""

    state = State.SUPPORT


class PostExitReviewFactory(AwaitingConsentFactory):
    """Exited Channel after an intervention and a review recommending exit."""

    state = State.POST_EXIT_REVIEW
    exited_at = factory.LazyFunction(timezone.now)


class ClosedViaChannelFactory(PostExitReviewFactory):
    """Closed after both post-exit reviews (recorded today, in their windows: exited a year
    ago)."""

    state = State.CLOSED
    exited_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=366))
    closure_reason = ClosureReason.REVIEWS_COMPLETE
    closed_at = factory.LazyFunction(timezone.now)


def direct(factory: type[rf.DraftFactory], world, team: Team, **kwargs) -> Referral:
    """A case of borough A written straight to the database by ``factory``, worked by
    ``team`` (its officer; and, from adoption on, its chair, member and provider)."""
    kwargs.setdefault("referrer", rf.referrer_for(world))
    if issubclass(factory, AwaitingConsentFactory):
        kwargs.setdefault("team", team)
    elif issubclass(factory, rf.InPoliceAssessmentFactory):
        kwargs.setdefault("assigned_officer", team.officer)
    return factory(**kwargs)
