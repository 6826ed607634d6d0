"""Who sees which consultations (consultations.selectors): officers of the force only."""

from __future__ import annotations

import pytest
from django.db.models import Q

from accounts.models import Role
from consultations import selectors
from tests.referrals import factories as rf

from .factories import consultation

pytestmark = pytest.mark.django_db


def test_officers_of_the_force_see_its_consultations_in_every_local_authority(world):
    officer = rf.officer_for(world)
    in_a = consultation(officer, world.la_a)
    in_b = consultation(officer, world.la_b)
    other_force = consultation(rf.officer_for(world, world.police_c), world.la_c)
    colleague = rf.officer_for(world)
    assert set(selectors.consultations_visible_to(colleague)) == {in_a, in_b}
    assert set(selectors.consultation_local_authorities_for(colleague)) == {world.la_a, world.la_b}
    outsider = rf.officer_for(world, world.police_c)
    assert set(selectors.consultations_visible_to(outsider)) == {other_force}


@pytest.mark.parametrize(
    "role",
    [
        Role.REFERRER,
        Role.AGENCY_LEAD,
        Role.CHANNEL_CHAIR,
        Role.PANEL_MEMBER,
        Role.INTERVENTION_PROVIDER,
        Role.BOROUGH_LEAD,
        Role.SYSTEM_ADMIN,
    ],
)
def test_no_other_role_sees_any(world, role):
    consultation(rf.officer_for(world))
    reader = world.user(role, agency=world.council_a)
    assert not selectors.consultations_visible_to(reader).exists()
    assert not selectors.may_work_with_consultations(reader)


def test_an_inactive_officer_sees_none(world):
    consultation(rf.officer_for(world))
    officer = rf.officer_for(world)
    officer.is_active = False
    officer.save()
    assert not selectors.consultations_visible_to(officer).exists()


def test_the_outcome_filter_and_order(world):
    officer = rf.officer_for(world)
    advised = consultation(officer)
    none_needed = consultation(officer, outcome="no_referral_needed")
    assert list(selectors.consultations_listed(officer, outcome="no_referral_needed")) == [
        none_needed
    ]
    assert set(selectors.consultations_listed(officer)) == {advised, none_needed}


def test_a_role_joins_by_one_entry_in_the_area_map(world, monkeypatch):
    """The hook for the local authority's Prevent lead: one entry, and the list, the form's
    local authorities and the services all follow (no other change)."""
    made = consultation(rf.officer_for(world), world.la_a)
    consultation(rf.officer_for(world), world.la_b)
    lead = world.user(Role.BOROUGH_LEAD, agency=world.council_a)
    assert not selectors.consultations_visible_to(lead).exists()
    monkeypatch.setitem(
        selectors.CONSULTATION_AREAS,
        Role.BOROUGH_LEAD,
        lambda user: Q(pk=user.local_authority_id),
    )
    assert list(selectors.consultations_visible_to(lead)) == [made]
    assert list(selectors.consultation_local_authorities_for(lead)) == [world.la_a]
