"""One rule for every CSV and spreadsheet the service writes: no cell may start a formula.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run as a
formula by spreadsheet programs (CSV injection, OWASP). Such text is written with a leading
apostrophe, which spreadsheets show as plain text. Python writers call ``formula_safe``;
exports streamed by PostgreSQL apply ``FORMULA_SQL_PATTERN`` in the query itself.
"""

from __future__ import annotations

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# The same first characters as a PostgreSQL regular expression (for ``regexp_replace``).
FORMULA_SQL_PATTERN = r"^[=+@\t\r-]"


def formula_safe(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text
