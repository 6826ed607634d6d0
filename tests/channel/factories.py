"""Channel-stage cases, reached through the services (STYLE.md §10).

``channel_team(world)`` gives a chair, a police officer and a panel member of borough A.
Each state factory builds on the previous one, so every case has real history and audit.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone

from accounts.models import Role, User
from channel.models import AssessmentFactor
from channel.services.agenda import panel_add_case
from channel.services.assessments import vulnerability_assessment_record
from channel.services.consent import consent_record
from channel.services.interventions import intervention_add
from channel.services.panels import panel_create, panel_hold
from channel.services.reviews import review_record
from referrals import services as referral_services
from referrals.models import Referral
from tests.factories import UserFactory
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


def closed_via_channel(world, team: Team, **kwargs) -> Referral:
    referral = post_exit_review(world, team, **kwargs)
    review(team, referral, kind="post_exit_6_months")
    review(team, referral, kind="post_exit_12_months")
    return _run(team, referral, "close", reason="reviews_complete", rationale="Both reviews done.")
