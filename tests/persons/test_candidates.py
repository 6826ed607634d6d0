"""Possible earlier referrals come from the person index (issue 18) and name only cases the
reader may open; a Prevent officer is told whom to ask about the rest, others nothing."""

import datetime

from django.urls import reverse

from accounts.models import Role
from persons.models import IdentifierKind, PersonIdentifier
from referrals.selectors import referral_possible_duplicates
from tests.referrals import factories as f

DOB = datetime.date(2007, 4, 3)
HOME = {"address": "12 Mill Lane, Northbridge", "postcode": "NB1 2AA", "date_of_birth": DOB}


def test_amie_browne_is_proposed_for_amy_browser_with_score_and_reasons(world, client):
    officer = f.officer_for(world)
    earlier = f.police_assessment(
        world, officer=officer, subject={"first_name": "Amie", "last_name": "Browne", **HOME}
    )
    ours = f.submitted(world, subject={"first_name": "Amy", "last_name": "Browser", **HOME})
    found = referral_possible_duplicates(officer, ours)
    assert [m.referral.pk for m in found.matches] == [earlier.pk]
    match = found.matches[0]
    assert match.score >= 60
    assert {"name_sounds_alike", "dob_exact", "same_postcode"} <= set(match.reasons)
    client.force_login(officer)
    page = client.get(reverse("referrals:detail", args=[ours.pk])).content.decode()
    assert earlier.reference in page
    assert "Same date of birth" in page


def test_a_different_date_of_birth_and_name_is_not_proposed(world):
    officer = f.officer_for(world)
    f.police_assessment(
        world, officer=officer, subject={"first_name": "Keith", "last_name": "Lomax", **HOME}
    )
    ours = f.submitted(world, subject={"first_name": "Amy", "last_name": "Browser", **HOME})
    assert not referral_possible_duplicates(officer, ours)


def test_an_identifier_finds_the_person_whatever_the_name(world):
    officer = f.officer_for(world)
    earlier = f.police_assessment(world, officer=officer, subject={"date_of_birth": DOB})
    ours = f.submitted(world, subject={"date_of_birth": datetime.date(1990, 1, 1)})
    earlier.refresh_from_db()
    ours.refresh_from_db()
    for referral in (earlier, ours):
        PersonIdentifier.objects.create(
            person_id=referral.person_id,
            referral=referral,
            kind=IdentifierKind.NHS_NUMBER,
            value="9434765919",
        )
    found = referral_possible_duplicates(officer, ours)
    assert [m.referral.pk for m in found.matches] == [earlier.pk]
    assert "same_identifier" in found.matches[0].reasons


def test_a_chair_never_sees_another_council_s_case_there(world, client):
    officer = f.officer_for(world)
    ours = f.channel_panel(
        world, officer=officer, subject={"first_name": "Amie", "last_name": "Browne", **HOME}
    )
    theirs = f.channel_panel(
        world,
        officer=officer,
        subject={
            "first_name": "Amy",
            "last_name": "Browser",
            **HOME,
            "local_authority": world.la_b.pk,
        },
    )
    chair = f.chair_for(world)
    client.force_login(chair)
    page = client.get(reverse("referrals:detail", args=[ours.pk])).content.decode()
    for hidden in (theirs.reference, str(theirs.pk), "Browser", "possible earlier referral"):
        assert hidden not in page, hidden
    assert not referral_possible_duplicates(chair, ours)
    # Council B's chair sees neither: ours is council A's.
    chair_b = f.chair_for(world, agency=world.council_b)
    found = referral_possible_duplicates(chair_b, theirs)
    assert not found.matches
    assert found.other_areas == []


def test_other_roles_are_told_nothing_of_a_hidden_match(world):
    officer_c = f.officer_for(world, agency=world.police_c)
    f.police_assessment(
        world,
        officer=officer_c,
        subject={
            "first_name": "Amie",
            "last_name": "Browne",
            **HOME,
            "local_authority": world.la_c.pk,
        },
    )
    ours = f.channel_panel(world, subject={"first_name": "Amy", "last_name": "Browser", **HOME})
    officer = f.officer_for(world)
    assert referral_possible_duplicates(officer, ours).other_areas == ["Thames Valley Police"]
    assert not referral_possible_duplicates(officer, ours).matches
    for role in (Role.CHANNEL_CHAIR, Role.PANEL_MEMBER, Role.REFERRER, Role.AGENCY_LEAD):
        reader = world.user(role, agency=world.council_a)
        assert not referral_possible_duplicates(reader, ours), role


def test_a_match_in_another_force_costs_the_officer_few_queries(
    world, django_assert_max_num_queries
):
    """Bench row 8 (issue 18): matching must cost less than a queue page. The visible matches
    are read once (named and told apart from those elsewhere), and the officer's "not this
    person" decisions only when there is a match to mark: 11 queries, where it took 15."""
    officer_c = f.officer_for(world, agency=world.police_c)
    f.police_assessment(
        world,
        officer=officer_c,
        subject={
            "first_name": "Amie",
            "last_name": "Browne",
            **HOME,
            "local_authority": world.la_c.pk,
        },
    )
    ours = f.submitted(world, subject={"first_name": "Amy", "last_name": "Browser", **HOME})
    ours.refresh_from_db()
    officer = f.officer_for(world)
    officer.roles  # noqa: B018 - the roles as the signed-in request has them already
    with django_assert_max_num_queries(11):
        found = referral_possible_duplicates(officer, ours)
    assert found.other_areas == ["Thames Valley Police"]
    assert not found.matches
