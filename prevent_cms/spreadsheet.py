"""One rule for every CSV and spreadsheet the service writes: no cell may start a formula.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a
formula by spreadsheet programs (CSV injection, OWASP). Such text is written with a leading
apostrophe, which spreadsheets show as plain text. Python writers call ``formula_safe``;
exports streamed by PostgreSQL apply ``FORMULA_SQL_PATTERN`` in the query itself.

And one way of writing dates (issue 19, docs/frontend.md "Files people download"): ISO 8601,
a day as ``2026-12-03``, a moment in UTC to the second as ``2026-12-03T14:05:00Z``, and the
column's header names the pattern in brackets (``date_header``, ``moment_header``), so nobody
has to guess whether 03/12 is March or December.
"""

from __future__ import annotations

import datetime

DATE_PATTERN = "YYYY-MM-DD"
MOMENT_PATTERN = "YYYY-MM-DDThh:mm:ssZ"

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# The same first characters as a PostgreSQL regular expression (for ``regexp_replace``).
FORMULA_SQL_PATTERN = r"^[=+@\t\r-]"


def formula_safe(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def date_header(name: str) -> str:
    """The header of a column of days: ``received_on (YYYY-MM-DD)``."""
    return f"{name} ({DATE_PATTERN})"


def moment_header(name: str) -> str:
    """The header of a column of moments, in UTC: ``at (YYYY-MM-DDThh:mm:ssZ)``."""
    return f"{name} ({MOMENT_PATTERN})"


def iso_moment(value: datetime.datetime | None) -> str:
    """A moment as ``moment_header`` names it: UTC, whole seconds, ``Z``."""
    if value is None:
        return ""
    utc = value.astimezone(datetime.UTC).replace(microsecond=0, tzinfo=None)
    return utc.isoformat() + "Z"
