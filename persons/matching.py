"""How alike two identities are: a score out of 100 and the reasons for it (issue 18).

Pure functions over ``Identity`` (no database), so the precision and recall of the default
threshold are measured on a fixture of hand-made pairs (``tests/persons/test_matching.py``).
Names are compared with a maintained library, ``jellyfish``: a phonetic key (metaphone:
"Amie" and "Amy" sound alike) and an edit-distance measure (Jaro-Winkler: "Browne" and
"Browser" are close), over every name and alias on both sides. Dates of birth count exact, with
day and month swapped (a form read the American way) or a year apart; addresses by postcode
and by text; identifiers (NHS number, UPN) outweigh everything, for or against.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import jellyfish
from django.utils.translation import gettext_lazy as _

# A candidate at or above this score is proposed to the officer.
DEFAULT_THRESHOLD = 60

# Jaro-Winkler similarity from which two name parts count as "spelt alike".
SPELT_ALIKE = 0.88

REASONS = {
    "same_name": _("Same name"),
    "name_spelt_alike": _("Name spelt alike"),
    "name_sounds_alike": _("Name sounds alike"),
    "surname_alike": _("Surname alike, first name differs"),
    "alias": _("Matches another name they are known by"),
    "dob_exact": _("Same date of birth"),
    "dob_day_month_swapped": _("Date of birth with day and month swapped"),
    "dob_year_apart": _("Date of birth a year apart"),
    "dob_differs": _("Different date of birth"),
    "same_postcode": _("Same postcode"),
    "address_alike": _("Address alike"),
    "same_identifier": _("Same NHS number or UPN"),
    "identifier_differs": _("Different NHS number or UPN"),
}

POSTCODE = re.compile(r"\b([A-Z]{1,2}[0-9][0-9A-Z]?)\s*([0-9][A-Z]{2})\b", re.IGNORECASE)


@dataclass(frozen=True)
class Name:
    first: str
    last: str
    date_of_birth: datetime.date | None = None
    is_alias: bool = False


@dataclass(frozen=True)
class Address:
    address: str = ""
    postcode: str = ""


@dataclass(frozen=True)
class Identity:
    """What a person is matched on: names (the first is the main one), addresses, numbers."""

    names: tuple[Name, ...]
    addresses: tuple[Address, ...] = ()
    identifiers: frozenset[tuple[str, str]] = field(default_factory=frozenset)

    @property
    def dates_of_birth(self) -> set[datetime.date]:
        return {name.date_of_birth for name in self.names if name.date_of_birth}


@dataclass(frozen=True)
class Score:
    value: int
    reasons: tuple[str, ...]

    @property
    def reason_labels(self) -> list[str]:
        return [str(REASONS[code]) for code in self.reasons]


def normalise(text: str) -> str:
    """Lower case, letters and spaces only: hyphens and apostrophes are spelling, not names."""
    text = (text or "").lower().replace("-", " ").replace("’", "").replace("'", "")
    return " ".join(re.sub(r"[^\w ]", " ", text).split())


def normal_postcode(value: str) -> str:
    return re.sub(r"\s", "", value or "").upper()


def normal_identifier(value: str) -> str:
    return re.sub(r"[\s-]", "", value or "").upper()


def phonetic(part: str) -> str:
    """The metaphone key of a name part ('' for none); joined parts for a double name."""
    words = normalise(part).split()
    return "".join(jellyfish.metaphone(word) for word in words)[:24]


def split_aliases(text: str, *, last_name: str = "") -> list[tuple[str, str]]:
    """Other names as ``(first, last)``: one per comma, semicolon or line; a single word is a
    first name used with the main surname (a nickname)."""
    names = []
    for chunk in re.split(r"[,;\n/]+", text or ""):
        words = chunk.split()
        if not words:
            continue
        if len(words) == 1:
            names.append((words[0], last_name))
        else:
            names.append((" ".join(words[:-1]), words[-1]))
    return names


def addresses_from(address: str, postcode: str, previous: str = "") -> tuple[Address, ...]:
    """The current address and each previous one (a line each), with the postcode found."""
    found = [Address(address=address or "", postcode=normal_postcode(postcode))]
    for line in (previous or "").splitlines():
        if line.strip():
            code = POSTCODE.search(line)
            found.append(
                Address(
                    address=line.strip(), postcode=normal_postcode(code.group(0) if code else "")
                )
            )
    return tuple(a for a in found if a.address or a.postcode)


def part_alike(a: str, b: str) -> tuple[bool, str]:
    """Whether two name parts are the same person's, and how: same, spelt or sounds alike."""
    a, b = normalise(a), normalise(b)
    if not a or not b:
        return False, ""
    if a == b:
        return True, "same_name"
    if jellyfish.jaro_winkler_similarity(a, b) >= SPELT_ALIKE:
        return True, "name_spelt_alike"
    if phonetic(a) and phonetic(a) == phonetic(b):
        return True, "name_sounds_alike"
    return False, ""


def _name_points(a: Name, b: Name) -> tuple[int, list[str]]:
    first_ok, first_how = part_alike(a.first, b.first)
    last_ok, last_how = part_alike(a.last, b.last)
    reasons: list[str] = []
    if first_ok and last_ok:
        how = {first_how, last_how}
        if how == {"same_name"}:
            reasons.append("same_name")
        else:
            reasons.extend(sorted(how - {"same_name"}))
        points = 40
    elif last_ok:
        initial = normalise(a.first)[:1] == normalise(b.first)[:1]
        reasons.append("surname_alike")
        points = 25 if initial else 12
    else:
        return 0, []
    if a.is_alias or b.is_alias:
        reasons.append("alias")
    return points, reasons


def _dob_points(ours: set[datetime.date], theirs: set[datetime.date]) -> tuple[int, list[str]]:
    if not ours or not theirs:
        return 0, []
    best, why = -20, "dob_differs"
    for a in ours:
        for b in theirs:
            if a == b:
                return 35, ["dob_exact"]
            if (a.day, a.month) == (b.month, b.day) and a.year == b.year and best < 25:
                best, why = 25, "dob_day_month_swapped"
            elif (a.month, a.day) == (b.month, b.day) and abs(a.year - b.year) == 1 and best < 20:
                best, why = 20, "dob_year_apart"
    return best, [why]


def _address_points(ours: Iterable[Address], theirs: Iterable[Address]) -> tuple[int, list[str]]:
    theirs = list(theirs)
    best, why = 0, ""
    for a in ours:
        for b in theirs:
            if a.postcode and a.postcode == b.postcode:
                points, reason = 15, "same_postcode"
                if normalise(a.address) and (
                    jellyfish.jaro_winkler_similarity(normalise(a.address), normalise(b.address))
                    >= SPELT_ALIKE
                ):
                    points += 10
                if points > best:
                    best, why = points, reason
            elif normalise(a.address) and normalise(b.address):
                similar = jellyfish.jaro_winkler_similarity(
                    normalise(a.address), normalise(b.address)
                )
                if similar >= 0.92 and best < 10:
                    best, why = 10, "address_alike"
    return best, [why] if why else []


def score(ours: Identity, theirs: Identity) -> Score:
    """How alike two identities are. No name alike and no shared identifier scores 0: a
    date of birth and a postcode alone do not make the same person."""
    name_points, name_reasons = 0, []
    for a in ours.names:
        for b in theirs.names:
            points, reasons = _name_points(a, b)
            if points > name_points:
                name_points, name_reasons = points, reasons
    shared = ours.identifiers & theirs.identifiers
    our_kinds = {kind for kind, _value in ours.identifiers}
    conflicting = {kind for kind, _value in theirs.identifiers - shared if kind in our_kinds}
    conflicting -= {kind for kind, _value in shared}
    if not name_points and not shared:
        return Score(0, ())
    points = name_points
    reasons = list(name_reasons)
    dob, why = _dob_points(ours.dates_of_birth, theirs.dates_of_birth)
    points += dob
    reasons += why
    address, why = _address_points(ours.addresses, theirs.addresses)
    points += address
    reasons += why
    if shared:
        points += 80
        reasons.append("same_identifier")
    elif conflicting:
        points -= 60
        reasons.append("identifier_differs")
    return Score(max(0, min(100, points)), tuple(reasons))


def dates_to_search(dob: datetime.date | None) -> list[datetime.date]:
    """The dates of birth a candidate may have: the same, day and month swapped, a year apart
    (the days a candidate query reads from the index)."""
    if dob is None:
        return []
    days = [dob]
    for candidate in (
        (dob.year, dob.day, dob.month),
        (dob.year - 1, dob.month, dob.day),
        (dob.year + 1, dob.month, dob.day),
    ):
        try:
            days.append(datetime.date(*candidate))
        except ValueError:  # 13th month, or 29 February in a common year
            continue
    return days
