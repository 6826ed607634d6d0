"""Fixtures for the referrals API tests: a signed-in API client and a cast of people."""

from dataclasses import dataclass, field

import pytest
from guardian.shortcuts import assign_perm
from rest_framework.test import APIClient

from accounts.models import Role, User
from referrals.models import Referral
from tests.referrals import factories as f


@pytest.fixture
def api():
    return APIClient()


def as_user(api: APIClient, user: User | None) -> APIClient:
    api.force_authenticate(user=user)
    return api


@dataclass
class Cast:
    """One person per role of DESIGN.md §3 (borough A unless named), and three cases."""

    people: dict[str, User]
    cases: dict[str, Referral] = field(default_factory=dict)


def _people(world) -> dict[str, User]:
    referrer = world.user(Role.REFERRER, agency=world.school_a)
    officer = world.user(Role.PREVENT_OFFICER, agency=world.police_a)
    return {
        "referrer": referrer,
        "agency_lead": world.user(Role.AGENCY_LEAD, agency=world.school_a),
        "prevent_officer": officer,
        "channel_chair": world.user(Role.CHANNEL_CHAIR, agency=world.council_a),
        "panel_member": world.user(Role.PANEL_MEMBER, agency=world.health_a),
        "intervention_provider": world.user(Role.INTERVENTION_PROVIDER, agency=world.community_a),
        "borough_lead": world.user(Role.BOROUGH_LEAD, agency=world.council_a),
        "system_admin": world.user(Role.SYSTEM_ADMIN, agency=world.council_a),
        "colleague_referrer": world.user(Role.REFERRER, agency=world.school_a),
        "referrer_other_la": world.user(Role.REFERRER, agency=world.school_b),
        "agency_lead_other_la": world.user(Role.AGENCY_LEAD, agency=world.school_b),
        "chair_other_la": world.user(Role.CHANNEL_CHAIR, agency=world.council_b),
        "officer_other_force": world.user(Role.PREVENT_OFFICER, agency=world.police_c),
        "chair_other_force": world.user(Role.CHANNEL_CHAIR, agency=world.council_c),
    }


def _cast(people: dict[str, User], cases: dict[str, Referral]) -> Cast:
    # The panel member is invited to a panel with the Channel case on its agenda.
    assign_perm("referrals.view_case_as_panel_member", people["panel_member"], cases["channel"])
    return Cast(people=people, cases=cases)


@pytest.fixture
def cast(world) -> Cast:
    """The cases built through the services, with the history and audit a real case has:
    the access matrix reads the history and the access log."""
    people = _people(world)
    referrer, officer = people["referrer"], people["prevent_officer"]
    return _cast(
        people,
        {
            "draft": f.draft(world, referrer=referrer),
            "police": f.police_assessment(world, referrer=referrer, officer=officer),
            "channel": f.channel_panel(world, referrer=referrer, officer=officer),
        },
    )


@pytest.fixture
def direct_cast(world) -> Cast:
    """The same people and cases, the cases written straight to the database (no history,
    audit or e-mail): for tests of what is done to a case, not of how it got there."""
    people = _people(world)
    referrer, officer = people["referrer"], people["prevent_officer"]
    return _cast(
        people,
        {
            "draft": f.DraftFactory(referrer=referrer),
            "police": f.InPoliceAssessmentFactory(referrer=referrer, assigned_officer=officer),
            "channel": f.ChannelPanelFactory(referrer=referrer, assigned_officer=officer),
        },
    )
