"""The indexed candidate search (issue 18, bench row 8): it reads in full only the people who
can reach the threshold, and loses none of the near-duplicate fixture's pairs doing so."""

from __future__ import annotations

import datetime
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from persons import index, matching
from persons.matching import Address, Identity, Name
from persons.models import Person, PersonAddress, PersonName

from .test_matching import _fixture

UUID = re.compile(r"[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}")


def _index(identity: Identity) -> Person:
    """``identity`` as a person of the index, as ``person_records_add`` writes one."""
    person = Person.objects.create()
    PersonName.objects.bulk_create(
        PersonName(
            person=person,
            first_name=name.first,
            last_name=name.last,
            is_alias=name.is_alias,
            date_of_birth=name.date_of_birth,
            first_key=matching.phonetic(name.first),
            last_key=matching.phonetic(name.last),
        )
        for name in identity.names
    )
    PersonAddress.objects.bulk_create(
        PersonAddress(person=person, address=a.address, postcode=a.postcode)
        for a in identity.addresses
    )
    return person


def _read_in_full(captured) -> int:
    """How many people the search read in full: the ids of its address read."""
    reads = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith('SELECT "persons_personaddress"."person_id"')
    ]
    return max((len(UUID.findall(sql)) for sql in reads), default=0)


def test_a_common_name_at_the_same_address_is_not_read_in_full(db):
    """Namesakes born on other days, at the same postcode, cannot reach the threshold (a
    name alike and a postcode, less 20 for the date of birth): the search reads none of
    them in full, where it used to read and score every one."""
    dob = datetime.date(2007, 4, 3)
    home = Address("12 Mill Lane, Northbridge", "NB12AA")
    for n in range(60):
        _index(
            Identity(
                names=(Name("Jordan", "Ellis", datetime.date(1960 + n, 1, 1)),),
                addresses=(home,),
            )
        )
    same = _index(Identity(names=(Name("Jordan", "Elis", dob),), addresses=(home,)))
    identity = Identity(names=(Name("Jordan", "Ellis", dob),), addresses=(home,))

    with CaptureQueriesContext(connection) as captured:
        found = index.person_candidates(identity)

    assert [pk for pk, _score in found] == [same.pk]
    assert _read_in_full(captured) == 1


def test_an_undated_person_at_the_same_address_is_still_found(db):
    """Without a date of birth on one side, a name alike and the same address reach the
    threshold: the postcode clause reads the undated people there."""
    home = Address("12 Mill Lane, Northbridge", "NB12AA")
    undated = _index(Identity(names=(Name("Amie", "Browne"),), addresses=(home,)))
    _index(Identity(names=(Name("Amie", "Browne", datetime.date(1970, 1, 1)),), addresses=(home,)))
    identity = Identity(
        names=(Name("Amy", "Browne", datetime.date(2007, 4, 3)),), addresses=(home,)
    )
    assert [pk for pk, _score in index.person_candidates(identity)] == [undated.pk]


def test_the_search_keeps_the_fixture_s_precision_and_recall(db):
    """The 200 pairs and 200 non-pairs of test_matching, indexed: the search finds every
    pair the score alone finds, so its recall and precision keep the issue's bounds."""
    pairs, strangers = _fixture()
    partners = {}
    for k, (first, second) in enumerate(pairs + strangers):
        partners[k] = (_index(first).pk, second, k < len(pairs))
    scored = sum(matching.score(a, b).value >= matching.DEFAULT_THRESHOLD for a, b in pairs)
    found = wrong = 0
    for pk, second, is_pair in partners.values():
        for candidate, _score in index.person_candidates(second):
            if candidate == pk and is_pair:
                found += 1
            else:
                wrong += 1
    recall, precision = found / len(pairs), found / max(1, found + wrong)
    print(f"search: precision {precision:.3f}, recall {recall:.3f}")  # noqa: T201 - the figures
    assert found == scored  # the indexes lose no pair the score finds
    assert recall >= 0.95
    assert precision >= 0.8
