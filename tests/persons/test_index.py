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


def test_a_common_name_does_not_crowd_the_same_person_out_of_the_candidates(db, monkeypatch):
    """A national index holds more people with a common name than the search reads: those
    whose date of birth also fits are read first, so the limit never cuts them."""
    from persons import index, matching

    monkeypatch.setattr(index, "CANDIDATE_LIMIT", 5)
    dob = datetime.date(2007, 4, 3)

    def person(day: datetime.date) -> Person:
        someone = Person.objects.create()
        PersonName.objects.create(
            person=someone,
            first_name="Jordan",
            last_name="Ellis",
            date_of_birth=day,
            first_key=matching.phonetic("Jordan"),
            last_key=matching.phonetic("Ellis"),
        )
        return someone

    for n in range(12):  # namesakes born on other days, indexed first
        person(datetime.date(1990 + n, 1, 1))
    same = person(dob)
    identity = matching.Identity(names=(matching.Name("Jordan", "Ellis", dob),))
    found = [pk for pk, _score in index.person_candidates(identity)]
    assert found[0] == same.pk
