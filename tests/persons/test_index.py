"""A referral joins the person index when it is submitted (issue 18), one person each."""

import datetime

from persons.models import Person, PersonAddress, PersonName
from tests.referrals import factories as f


def test_a_submitted_referral_gets_a_person_of_its_own_with_its_names_and_addresses(world):
    draft = f.draft(
        world,
        subject={
            "first_name": "Amie",
            "last_name": "Browne",
            "aliases": "Amy Brown; Ames",
            "date_of_birth": datetime.date(2007, 4, 3),
            "address": "12 Mill Lane, Northbridge",
            "postcode": "nb1 2aa",
            "previous_addresses": "4 Station Road, Southmere SM2 9ZZ",
        },
    )
    assert draft.person_id is None  # a draft is not indexed: its answers may still change
    referral = f.submitted(world, subject={"first_name": "Amie", "last_name": "Browne"})
    referral.refresh_from_db()
    assert referral.person_id is not None
    names = list(
        PersonName.objects.filter(person=referral.person_id).values_list(
            "first_name", "last_name", "is_alias"
        )
    )
    assert names[0] == ("Amie", "Browne", False)
    other = f.submitted(world)
    other.refresh_from_db()
    assert other.person_id not in (None, referral.person_id)
    assert Person.objects.count() == 2


def test_aliases_and_previous_addresses_are_indexed(world):
    referral = f.submitted(
        world,
        subject={
            "first_name": "Amie",
            "last_name": "Browne",
            "aliases": "Amy Brown; Ames",
            "address": "12 Mill Lane, Northbridge",
            "postcode": "nb1 2aa",
            "previous_addresses": "4 Station Road, Southmere SM2 9ZZ",
        },
    )
    referral.refresh_from_db()
    names = set(
        PersonName.objects.filter(person=referral.person_id).values_list(
            "first_name", "last_name", "is_alias"
        )
    )
    assert names == {
        ("Amie", "Browne", False),
        ("Amy", "Brown", True),
        ("Ames", "Browne", True),
    }
    postcodes = set(
        PersonAddress.objects.filter(person=referral.person_id).values_list("postcode", flat=True)
    )
    assert postcodes == {"NB12AA", "SM29ZZ"}
