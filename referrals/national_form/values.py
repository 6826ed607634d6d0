"""Understanding one answer: text cleaned of what a person cannot see, dates, yes or no,
ticked boxes, lists and small tables. Each parser returns None for what it does not
understand: the field is then left for the officer, never guessed.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Iterable, Sequence

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from prevent_cms.imported_dates import ImportedDateError, imported_date

KEEP = {"\n"}
YES_NO_OPTIONS = (("yes", ("yes", "y")), ("no", ("no", "n")))
MAX_AGE_YEARS = 120


def clean_text(text: str) -> str:
    """The text a person sees: control and format characters (NUL, bidirectional overrides,
    zero-width characters) removed, tabs and odd spaces made plain, lines trimmed."""
    text = unicodedata.normalize("NFC", text.replace("\t", " ").replace("\r\n", "\n"))
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if char in KEEP:
            kept.append(char)
        elif category in ("Cc", "Cf", "Cs", "Co", "Cn"):
            continue
        elif category == "Zs" or char in "\u2028\u2029":
            kept.append(" ")
        else:
            kept.append(char)
    lines = [re.sub(r" {2,}", " ", line).strip() for line in "".join(kept).split("\n")]
    return "\n".join(lines).strip()


def key(text: str) -> str:
    """Text as labels are compared: lower case, one kind of apostrophe, single spaces."""
    text = text.lower().replace("'", "’").replace("`", "’")
    return re.sub(r"\s+", " ", text).strip()


# --- Check boxes -------------------------------------------------------------------------

TICKED = "☒☑✓✔🗹■"
UNTICKED = "☐□▢"
MARK = re.compile(
    r"\[\s*[xX✓✔]\s*\]|\(\s*[xX✓✔]\s*\)|\[\s*\]|\(\s*\)"
    rf"|[{TICKED}{UNTICKED}]|(?<![\w’'])[xX](?![\w’'])"
)


def _is_ticked(mark: str) -> bool:
    return any(c in mark for c in TICKED) or "x" in mark.lower()


def _option_pattern(options: Sequence[tuple[str, tuple[str, ...]]]) -> re.Pattern[str]:
    aliases = sorted({alias for _code, names in options for alias in names}, key=len, reverse=True)
    body = "|".join(re.escape(alias) for alias in aliases)
    return re.compile(rf"(?<![\w])(?:{body})(?![\w])", re.IGNORECASE)


def ticks(
    text: str, options: Sequence[tuple[str, tuple[str, ...]]]
) -> tuple[set[str], int, str] | None:
    """The options ticked in a row of check boxes, how many boxes there were, and the text
    left once the boxes and their option words are taken out (the details written beside).

    A box belongs to the option next to it: after it (``Yes ☒ No ☐``) when the row starts
    with an option, before it (``☒ Yes ☐ No``) when it starts with a box. A cross in brackets
    or alone (``[X]``, ``X``) counts as ticked; a box with nothing next to it is ignored.
    None when the text holds no boxes at all.
    """
    names = {alias.lower(): code for code, aliases in options for alias in aliases}
    tokens: list[tuple[str, str, int, int]] = []
    for match in MARK.finditer(text):
        tokens.append(("mark", match.group(0), match.start(), match.end()))
    marks = len(tokens)
    if not marks:
        return None
    for match in _option_pattern(options).finditer(text):
        if any(s < match.end() and match.start() < e for _k, _v, s, e in tokens[:marks]):
            continue
        tokens.append(("option", names[match.group(0).lower()], match.start(), match.end()))
    tokens.sort(key=lambda t: t[2])
    marks_first = tokens[0][0] == "mark"
    ticked: set[str] = set()
    used: list[tuple[int, int]] = []
    for index, (kind, value, start, end) in enumerate(tokens):
        if kind != "option":
            continue
        neighbour = index - 1 if marks_first else index + 1
        if not 0 <= neighbour < len(tokens) or tokens[neighbour][0] != "mark":
            continue
        mark = tokens[neighbour]
        between = text[min(end, mark[3]) : max(start, mark[2])]
        if between.strip(" :-–.,;"):
            continue
        if _is_ticked(mark[1]):
            ticked.add(value)
        used += [(start, end), (mark[2], mark[3])]
    rest = text
    for start, end in sorted(used, reverse=True):
        rest = rest[:start] + " " + rest[end:]
    # Boxes nobody paired with an option are still part of the form, not of the answer.
    rest = MARK.sub(" ", rest) if used else rest
    return ticked, marks, clean_text(rest).lstrip(" :-–.,;")


GRID_HEADERS = {"name", "date of birth", "relationship", "role", "contact", "dob"}


def blank(text: str, options: Sequence[tuple[str, tuple[str, ...]]] = ()) -> bool:
    """Whether a box holds only what the blank form printed in it: unticked boxes, their
    option words, a small table's column names. Such a box was not filled in."""
    marks = [m.group(0) for m in MARK.finditer(text)]
    if any(_is_ticked(mark) for mark in marks):
        return False
    rest = MARK.sub(" ", text)
    if options and marks:
        rest = _option_pattern(options).sub(" ", rest)
    words = [key(line).strip(" :") for line in rest.split("\n")]
    return all(not word.strip(" .,;:-–/|") or word in GRID_HEADERS for word in words)


def choice(text: str, options: Sequence[tuple[str, tuple[str, ...]]]) -> str | None:
    """One option: the single ticked box, or the option written on its own ("Female", "Yes").
    Two ticked, none ticked, or words that are not an option: not understood."""
    found = ticks(text, options)
    if found is not None:
        ticked, _marks, _rest = found
        return next(iter(ticked)) if len(ticked) == 1 else None
    words = key(text).strip(" .")
    for code, aliases in options:
        if words in aliases:
            return code
    return None


def yes_no(text: str) -> bool | None:
    """Yes or no, ticked or written; "Yes, we spoke on Monday" is a yes."""
    found = ticks(text, YES_NO_OPTIONS)
    if found is not None:
        ticked, _marks, _rest = found
        return {"yes": True, "no": False}.get(next(iter(ticked))) if len(ticked) == 1 else None
    words = key(text)
    match = re.match(r"(yes|no)\b", words)
    if match is None or (re.search(r"\byes\b", words) and re.search(r"\bno\b", words)):
        return None  # neither, or both written with a mark we do not know ("Yes ✗ No")
    return match.group(1) == "yes"


def details(text: str) -> str | None:
    """The words written beside a yes/no question, without its boxes."""
    found = ticks(text, YES_NO_OPTIONS)
    rest = found[2] if found is not None else text
    rest = (
        re.sub(r"^(yes|no)\b[\s:,.\-–]*", "", rest, flags=re.IGNORECASE) if found is None else rest
    )
    return rest.strip() or None


def many(text: str, options: Sequence[tuple[str, tuple[str, ...]]]) -> list[str] | None:
    """Every ticked option of a "tick all that apply" list, in the form's order. A list with
    no box ticked is not an answer (the practitioner may have skipped it)."""
    found = ticks(text, options)
    if found is None or not found[0]:
        return None
    return [code for code, _aliases in options if code in found[0]]


# --- Dates, lists, contact details ---------------------------------------------------------


def date(text: str, *, today: datetime.date | None = None) -> datetime.date | None:
    """A date of birth as people write it (27/03/2010, 27-3-2010, 27th March 2010, 2010-03-27),
    read as every import reads dates (``prevent_cms.imported_dates``). Two-digit years,
    American order or a date in the future or over 120 years ago: None (left for the
    practitioner to enter, never guessed)."""
    try:
        value = imported_date(text)
    except ImportedDateError:
        return None
    today = today or timezone.localdate()
    if value > today or value.year < today.year - MAX_AGE_YEARS:
        return None
    return value


def items(text: str) -> list[str] | None:
    """A list written in one box: "Urdu, English and Punjabi" or one per line."""
    parts = re.split(r"[,;/\n]|\band\b", text)
    found = [part.strip(" .") for part in parts if part.strip(" .")]
    return found or None


POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")


def postcode(text: str) -> str | None:
    match = POSTCODE.match(re.sub(r"\s+", " ", text.strip().upper()))
    return f"{match.group(1)} {match.group(2)}" if match else None


def phone(text: str) -> str | None:
    """The browser form's rule (``forms.draft.AboutYouForm``): digits, spaces, + ( ) -."""
    value = text.strip()
    digits = sum(c.isdigit() for c in value)
    if digits < 7 or any(c not in "0123456789 +()-" for c in value):
        return None
    return value


def email(text: str) -> str | None:
    value = text.strip()
    try:
        validate_email(value)
    except ValidationError:
        return None
    return value


def grid_rows(rows: Iterable[list[str]], columns: Sequence[str]) -> list[dict[str, str]]:
    """Rows of a small table (household members, other agencies) as dicts by column. A row
    typed as one line is split on commas, as the browser form splits it; the header row
    and empty rows are skipped."""
    headers = GRID_HEADERS
    found = []
    for cells in rows:
        cells = [cell for cell in cells if cell is not None]
        if all(key(cell).strip(" :") in headers or not cell for cell in cells):
            continue
        lines = cells if len(cells) > 1 else [line for line in cells[0].split("\n") if line]
        groups = (
            [lines]
            if len(cells) > 1
            else [[part.strip() for part in line.split(",", len(columns) - 1)] for line in lines]
        )
        for group in groups:
            values = (list(group) + [""] * len(columns))[: len(columns)]
            if any(values):
                found.append(dict(zip(columns, values, strict=True)))
    return found
