"""The person index's own tables: identities from a referral's subject, and the candidate
search (issue 18).

Reads and writes only ``persons`` rows; it never decides who may see a referral — the
callers (``referrals.selectors.referral_possible_duplicates``, ``persons.selectors``) pass
every candidate through the referral visibility selector before naming it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.db import connections
from django.db.models import Case, Q, Value, When

from . import matching
from .models import (
    LinkAction,
    Person,
    PersonAddress,
    PersonIdentifier,
    PersonLink,
    PersonName,
)

# How many people the indexed search reads in full and scores: enough for a common surname
# with the same date of birth, few enough to score in a few milliseconds.
CANDIDATE_LIMIT = 300
# How many name rows (person, surname) it reads to choose them: a surname is checked here
# in about a microsecond, so a busy birthday in a national index is read whole.
NAME_ROWS_LIMIT = 3_000


def identity_of_subject(subject: Any) -> matching.Identity:
    """The identity a referral's subject gives: its name and other names (with its date of
    birth), its current and previous addresses."""
    dob = subject.date_of_birth
    names = [matching.Name(subject.first_name or "", subject.last_name or "", dob)]
    for first, last in matching.split_aliases(subject.aliases, last_name=subject.last_name):
        names.append(matching.Name(first, last, dob, is_alias=True))
    addresses = matching.addresses_from(
        subject.address, subject.postcode, getattr(subject, "previous_addresses", "")
    )
    return matching.Identity(names=tuple(names), addresses=addresses)


def identities_of(person_ids: Iterable[UUID]) -> dict[UUID, matching.Identity]:
    """The identities of many people in three queries."""
    ids = list(person_ids)
    names: dict[UUID, list[matching.Name]] = {pk: [] for pk in ids}
    addresses: dict[UUID, list[matching.Address]] = {pk: [] for pk in ids}
    numbers: dict[UUID, set[tuple[str, str]]] = {pk: set() for pk in ids}
    # Tuples, not model instances: a search scores up to three CANDIDATE_LIMITs of people,
    # and building a model per row cost more than the queries.
    for person_id, first, last, dob, is_alias in (
        PersonName.objects.filter(person_id__in=ids)
        .order_by("is_alias", "id")
        .values_list("person_id", "first_name", "last_name", "date_of_birth", "is_alias")
    ):
        names[person_id].append(matching.Name(first, last, dob, is_alias))
    for person_id, address, postcode in (
        PersonAddress.objects.filter(person_id__in=ids)
        .order_by("-lived_from", "id")
        .values_list("person_id", "address", "postcode")
    ):
        addresses[person_id].append(matching.Address(address, postcode))
    for kind, value, person_id in PersonIdentifier.objects.filter(person_id__in=ids).values_list(
        "kind", "value", "person_id"
    ):
        numbers[person_id].add((kind, value))
    return {
        pk: matching.Identity(
            names=tuple(names[pk]),
            addresses=tuple(addresses[pk]),
            identifiers=frozenset(numbers[pk]),
        )
        for pk in ids
    }


# The most a candidate can score with a name alike but no date of birth in
# ``dates_to_search``, no shared postcode and no shared number: a name alike (40) and an
# address alike (10). At a threshold above it, such people can never be proposed, so the
# search does not read them (every namesake in a national index).
BEST_BY_NAME_ALONE = 50


def _surname_alike(ours: matching.Identity, their_lasts: Iterable[str]) -> bool:
    """Whether some surname of theirs is alike one of ours: without it (or a shared number)
    ``matching.score`` gives no points, so the person is not worth reading in full."""
    return any(
        matching.part_alike(name.last, last)[0] for name in ours.names for last in their_lasts
    )


def person_candidates(
    identity: matching.Identity,
    *,
    exclude: Iterable[UUID] = (),
    threshold: int = matching.DEFAULT_THRESHOLD,
) -> list[tuple[UUID, matching.Score]]:
    """People who may be ``identity``, best first, each with its score and reasons.

    Only people who can reach ``threshold`` are read (issue 18, bench row 8: at 1,000,000
    persons every synthetic name has ~20,000 namesakes). ``matching.score`` gives a person
    no points without a surname alike or a shared number, and at the default threshold a
    name alike also needs a date of birth that ``dates_to_search`` gives (exact, swapped, a
    year apart) or, where either side has no date of birth, the same postcode. So the
    indexes are read for exactly those (date of birth, postcode of someone without a dated
    name, number): up to ``NAME_ROWS_LIMIT`` (person, surname) rows, those sounding like
    ours first, their surnames checked here, and only the people left (at most
    ``CANDIDATE_LIMIT``) read in full and scored. Below ``BEST_BY_NAME_ALONE``
    the namesakes by phonetic key are read too.
    """
    excluded = list(exclude)
    dates = {day for dob in identity.dates_of_birth for day in matching.dates_to_search(dob)}
    postcodes = {a.postcode for a in identity.addresses if a.postcode}
    names = PersonName.objects.exclude(person_id__in=excluded).order_by()
    # Each clause its own query, each served by its own index (OR-ed together, PostgreSQL
    # read the whole name table). Names sounding like ours first, so a busy birthday
    # cannot push them past the limit.
    keys = [matching.phonetic(n.last) for n in identity.names if matching.phonetic(n.last)]
    sounding_first = Case(When(last_key__in=keys, then=Value(0)), default=Value(1))
    queries = []
    if dates:
        queries.append(names.filter(date_of_birth__in=dates).annotate(rank=sounding_first))
    if postcodes:
        at_address = PersonAddress.objects.filter(postcode__in=postcodes).values("person_id")
        # With a dated identity, a person at the address whose date of birth is another
        # day loses 20 points and cannot reach the threshold: only the undated are read.
        # Read in person order from the indexes alone (few people live at one address).
        queries.append(
            names.filter(person_id__in=at_address, date_of_birth__isnull=True).annotate(
                rank=Value(0)
            )
            if dates
            else names.filter(person_id__in=at_address).annotate(rank=sounding_first)
        )
    if threshold <= BEST_BY_NAME_ALONE:
        sounding = Q(pk__in=[])
        for n in identity.names:
            if matching.phonetic(n.last):
                sounding |= Q(
                    last_key=matching.phonetic(n.last), first_key=matching.phonetic(n.first)
                )
        queries.append(names.filter(sounding).annotate(rank=Value(0)))
    # One round trip: the clauses' own ordered, limited reads, UNION ALL-ed (in order).
    parts = [
        query.order_by("rank", "person_id").values_list("person_id", "last_name")[:NAME_ROWS_LIMIT]
        for query in queries
    ]
    if parts and connections[parts[0].db].features.supports_slicing_ordering_in_compound:
        rows = list(parts[0].union(*parts[1:], all=True))
    else:  # SQLite (make run) refuses a LIMIT inside UNION ALL: one read per clause there
        rows = [row for part in parts for row in part]
    surnames: dict[UUID, list[str]] = {}
    for person_id, last in rows:
        surnames.setdefault(person_id, []).append(last)
    alike = [pk for pk, lasts in surnames.items() if _surname_alike(identity, lasts)]
    chosen = set(alike[:CANDIDATE_LIMIT])
    if identity.identifiers:
        numbers = Q(pk__in=[])
        for kind, value in identity.identifiers:
            numbers |= Q(kind=kind, value=value)
        chosen |= set(
            PersonIdentifier.objects.filter(numbers)
            .exclude(person_id__in=excluded)
            .values_list("person_id", flat=True)[:CANDIDATE_LIMIT]
        )
    found = []
    for pk, theirs in identities_of(sorted(chosen)).items():
        result = matching.score(identity, theirs)
        if result.value >= threshold:
            found.append((pk, result))
    return sorted(found, key=lambda pair: (-pair[1].value, str(pair[0])))


def person_records_add(*, person: Person, referral: Any) -> None:
    """Write the identity ``referral``'s subject gives as rows of ``person``, from that
    referral (so an unlink can take them away again)."""
    subject = referral.subject
    identity = identity_of_subject(subject)
    PersonName.objects.bulk_create(
        PersonName(
            person=person,
            referral=referral,
            first_name=name.first[:100],
            last_name=name.last[:100],
            is_alias=name.is_alias,
            date_of_birth=name.date_of_birth,
            first_key=matching.phonetic(name.first),
            last_key=matching.phonetic(name.last),
        )
        for name in identity.names
    )
    PersonAddress.objects.bulk_create(
        PersonAddress(
            person=person,
            referral=referral,
            address=address.address,
            postcode=address.postcode[:10],
            lived_from=None
            if i
            else (referral.submitted_at.date() if referral.submitted_at else None),
        )
        for i, address in enumerate(identity.addresses)
    )


def person_records_move(*, referral: Any, to_person: Person) -> None:
    """Move the rows ``referral`` gave from whichever person holds them to ``to_person``."""
    for model in (PersonName, PersonAddress, PersonIdentifier):
        model.objects.filter(referral=referral).update(person=to_person)


def person_for_referral(referral: Any) -> Person:
    """A person of its own for ``referral``, holding the identity its subject gives.

    One person per referral until an officer links it to another (``persons.services``).
    Runs in the caller's transaction, with the referral row locked by the caller.
    """
    person = Person.objects.create()
    person_records_add(person=person, referral=referral)
    referral.person = person
    type(referral).objects.filter(pk=referral.pk).update(person=person)
    return person


def index_submitted_referral(referral: Any, *, name: str, from_state: str, actor: Any) -> None:
    """The submit hook: a submitted referral's subject joins the index (what was submitted
    does not change afterwards). Runs once; a referral already indexed is left alone."""
    if referral.person_id is None:
        person_for_referral(referral)


def rejected_person_ids(referral: Any) -> set[UUID]:
    """The people an officer said are not ``referral``'s person, unless a later decision
    about the same person (a link) overrode it."""
    last: dict[UUID, str] = {}
    for person_id, action in (
        PersonLink.objects.filter(referral=referral, person__isnull=False)
        .order_by("at", "id")
        .values_list("person_id", "action")
    ):
        last[person_id] = action
    return {pk for pk, action in last.items() if action == LinkAction.REJECTED}
