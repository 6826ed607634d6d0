"""One reading of the dates people write in the files they import (training spreadsheets,
the national referral form): the same text means the same date wherever it arrives.

Accepted: ISO 8601 (2026-03-01); UK day-first with ``/``, ``-`` or ``.`` (01/03/2026,
1-3-2026, 1.3.2026); the month in words, in English or Welsh (1 March 2026, 1st Mar 2026,
1 Mawrth 2026, 1af Maw 2026); and Excel dates (a
date cell, or a cell holding Excel's day number, counted in the 1900 system). A trailing
midnight (``2026-03-01 00:00:00``, as spreadsheets export a date) is ignored.

Refused, with a reason in words: two-digit years (is 01/03/26 1926 or 2026?), American
month-first dates (03/15/2026) and dates that do not exist (31/02/2026). What a date may be
(not in the future, not before some year) is each import's own rule.
"""

from __future__ import annotations

import datetime
import re

from django.utils.translation import gettext as _

FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %B %Y", "%d %b %Y")
EXAMPLE = "15/03/2024"
# Excel's day 1 is 1 January 1900 and it counts a 29 February 1900 that never was, so day
# numbers from 61 on are days since 30 December 1899. The largest is 31 December 9999.
EXCEL_EPOCH = datetime.date(1899, 12, 30)
EXCEL_FIRST_DAY, EXCEL_LAST_DAY = 61, 2_958_465

_MIDNIGHT = re.compile(r"[T ]00:00(:00(\.0+)?)?$")
# English ordinals (1st, 22nd) and Welsh ones (1af, 2il, 3ydd, 5ed, 7fed, 11eg, 21ain).
_ORDINAL = re.compile(r"(\d)(st|nd|rd|th|af|il|ydd|ed|fed|eg|ain)\b", re.IGNORECASE)
# Welsh month names and their usual abbreviations (Welsh Government style and CLDR), for
# files written in Welsh: "3 Ionawr 2026", "3 Ion 2026". A bare date never mutates the
# month's name ("o Ionawr" would), so only the radical forms are needed.
WELSH_MONTHS = {
    "ionawr": 1,
    "ion": 1,
    "chwefror": 2,
    "chwef": 2,
    "chwe": 2,
    "mawrth": 3,
    "maw": 3,
    "ebrill": 4,
    "ebr": 4,
    "mai": 5,
    "mehefin": 6,
    "meh": 6,
    "gorffennaf": 7,
    "gorff": 7,
    "gorf": 7,
    "awst": 8,
    "medi": 9,
    "hydref": 10,
    "hyd": 10,
    "tachwedd": 11,
    "tach": 11,
    "rhagfyr": 12,
    "rhag": 12,
}
_MONTH_IN_WORDS = re.compile(r"^(\d{1,2}) ([^\W\d_]+)\.? (\d{4})$")
_NUMBERS = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})$")


class ImportedDateError(ValueError):
    """The value is not a date this service reads; ``str()`` says why, in words for the
    person who wrote the file (it quotes their value, so never log it)."""


def imported_date(value: object) -> datetime.date:
    """``value`` (a cell of a spreadsheet or CSV, or text from a form) as a date.

    Raises ``ImportedDateError`` for an empty value and for anything not read as one date.
    """
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _excel_day(value)
    text = _tidy(str(value or ""))
    if not text:
        raise ImportedDateError(_("Enter a date."))
    text = _welsh_month_as_number(text)
    for pattern in FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ImportedDateError(_why_not(str(value).strip()[:40], text))


def _tidy(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    text = _MIDNIGHT.sub("", text)
    return _ORDINAL.sub(r"\1", text).strip(" .,")


def _welsh_month_as_number(text: str) -> str:
    """ "3 Ionawr 2026" as "3/1/2026", read then as day/month/year (so 31 Chwefror is
    refused as a day that does not exist); anything else unchanged."""
    words = _MONTH_IN_WORDS.match(text)
    month = WELSH_MONTHS.get(words.group(2).casefold()) if words else None
    if words is None or month is None:
        return text
    return f"{words.group(1)}/{month}/{words.group(3)}"


def _excel_day(number: float) -> datetime.date:
    if not EXCEL_FIRST_DAY <= number <= EXCEL_LAST_DAY:
        raise ImportedDateError(
            _("‘%(value)s’ is not a date. Write dates as day/month/year, for example %(example)s.")
            % {"value": f"{number:g}", "example": EXAMPLE}
        )
    return EXCEL_EPOCH + datetime.timedelta(days=int(number))


def _why_not(shown: str, text: str) -> str:
    numbers = _NUMBERS.match(text)
    if numbers:
        first, second, year = numbers.groups()
        if len(year) != 4:
            return _(
                "‘%(value)s’ has a year of %(digits)s figures. Write the year in full, "
                "for example %(example)s."
            ) % {"value": shown, "digits": len(year), "example": EXAMPLE}
        if int(second) > 12 and 1 <= int(first) <= 12:
            return _(
                "‘%(value)s’ is not a date: the month comes second. Write dates as "
                "day/month/year, for example %(example)s."
            ) % {"value": shown, "example": EXAMPLE}
        return _("‘%(value)s’ is not a date: that day does not exist.") % {"value": shown}
    return _(
        "‘%(value)s’ is not a date. Write dates as day/month/year, for example %(example)s, "
        "or as 2024-03-15."
    ) % {"value": shown, "example": EXAMPLE}
