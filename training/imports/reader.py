"""Read an uploaded CSV or XLSX of completions into rows of cells, or reject the whole file.

Everything a person must fix in the file itself (size, type, encoding, missing columns) is a
``FileRejected`` with a message they can act on. Nothing here touches the database.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import BinaryIO

import filetype
import openpyxl
from django.core.files import File
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.utils.exceptions import InvalidFileException

from prevent_cms.errors import FieldError, InvalidInput
from prevent_cms.spreadsheet import DATE_PATTERN

from .. import conf
from ..files import megabytes

# Unpacked size beyond which an XLSX is refused (a zip bomb, or far more than 10,000 rows).
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class FileRejected(InvalidInput):
    """The file cannot be imported at all (400, on ``file``). ``str(error)`` is shown to the
    person."""

    code = "file_rejected"

    def __init__(self, message: str):
        super().__init__({"file": FieldError(str(message), "file_rejected")}, detail=message)


# field name -> (label shown to people, header names accepted, required)
COLUMNS: dict[str, tuple] = {
    "name": (
        gettext_lazy("Name"),
        [
            "name",
            "full name",
            "person",
            "staff name",
            "employee name",
            "learner",
            "learner name",
            "person name",
        ],
        True,
    ),
    "first_name": (gettext_lazy("First name"), ["first name", "forename", "given name"], False),
    "last_name": (gettext_lazy("Last name"), ["last name", "surname", "family name"], False),
    "email": (
        gettext_lazy("Email"),
        ["email", "e mail", "email address", "e mail address", "work email", "learner email"],
        True,
    ),
    "course": (
        gettext_lazy("Course"),
        ["course", "course code", "course name", "course title", "training", "module"],
        True,
    ),
    "completed_on": (
        gettext_lazy("Completed on"),
        [
            "completed on",
            "completion date",
            "date completed",
            "completed",
            "date",
            "completed date",
        ],
        True,
    ),
    "agency": (
        gettext_lazy("Agency"),
        ["agency", "organisation", "organization", "employer"],
        False,
    ),
    "department": (
        gettext_lazy("Department"),
        ["department", "team", "service", "directorate"],
        False,
    ),
    "role": (gettext_lazy("Role"), ["role", "job role", "staff role"], False),
    "frontline": (gettext_lazy("Frontline"), ["frontline", "front line", "frontline staff"], False),
    "contractor": (gettext_lazy("Contractor"), ["contractor", "is contractor"], False),
    "elected_member": (
        gettext_lazy("Elected member"),
        ["elected member", "councillor", "member"],
        False,
    ),
    "delivery_mode": (
        gettext_lazy("Delivery mode"),
        ["delivery mode", "delivery", "mode", "format", "delivery method"],
        False,
    ),
}

TEMPLATE_HEADERS = [
    "Name",
    "Email",
    "Agency",
    "Department",
    "Role",
    "Frontline",
    "Contractor",
    "Elected member",
    "Course",
    "Delivery mode",
    "Completed on",
]


def normalise_header(text: object) -> str:
    """Header text compared loosely; the date pattern our own exports add to a date column's
    header (``Completed on (YYYY-MM-DD)``) is left out, so an export can be imported."""
    text = str(text or "").strip()
    suffix = f"({DATE_PATTERN})"
    if text.upper().endswith(suffix):
        text = text[: -len(suffix)]
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


_HEADER_LOOKUP = {
    normalise_header(alias): name
    for name, (_label, aliases, _req) in COLUMNS.items()
    for alias in aliases
}


Cell = str | date | int | float | None


@dataclass
class Sheet:
    """A parsed file: which column holds which field, and the data rows with their numbers."""

    file_format: str
    columns: dict[str, int]
    headers: list[str]
    ignored: list[str] = field(default_factory=list)
    rows: list[tuple[int, list[Cell]]] = field(default_factory=list)

    def value(self, cells: list[Cell], name: str) -> Cell:
        index = self.columns.get(name)
        if index is None or index >= len(cells):
            return None
        return cells[index]


def detect_format(head: bytes, filename: str) -> str:
    """'csv' or 'xlsx' by content; anything else is refused with a reason."""
    if head.startswith(OLE_SIGNATURE):
        raise FileRejected(
            _("This is an older Excel file (.xls). Save it as .xlsx or as CSV UTF-8 and try again.")
        )
    kind = filetype.guess(head)
    if kind is not None and kind.extension == "xlsx":
        return "xlsx"
    if kind is not None and kind.extension == "zip" and filename.lower().endswith(".xlsx"):
        return "xlsx"
    if kind is not None:
        raise FileRejected(
            _("The file must be a spreadsheet saved as CSV or XLSX. This file is a %(type)s file.")
            % {"type": kind.extension.upper()}
        )
    return "csv"


def read_upload(upload: BinaryIO | File, *, filename: str, size: int) -> Sheet:
    """Check and parse one uploaded file."""
    limit = conf.import_max_bytes()
    if size == 0:
        raise FileRejected(_("The selected file is empty."))
    if size > limit:
        raise FileRejected(
            _(
                "The file is %(size)s MB. The largest file you can import is %(limit)s MB: "
                "split it into smaller files."
            )
            % {"size": megabytes(size), "limit": megabytes(limit)}
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    file_format = detect_format(data[:8192], filename)
    raw_rows = _xlsx_rows(data) if file_format == "xlsx" else _csv_rows(data)
    return _build_sheet(file_format, raw_rows)


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    else:
        encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise FileRejected(
            _(
                "The file is not saved as UTF-8 text, so some letters would come out wrong. "
                "In Excel, choose Save as and pick ‘CSV UTF-8 (Comma delimited)’, then upload "
                "it again."
            )
        ) from error
    if "\x00" in text:
        raise FileRejected(_("The file is not a text file. Save it as CSV or XLSX and try again."))
    return text


def _csv_rows(data: bytes) -> list[list[Cell]]:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count) if first_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[Cell]] = []
    try:
        for row in reader:
            rows.append(list(row))
            if len(rows) > conf.import_max_rows() + 1:
                break
    except csv.Error as error:
        raise FileRejected(
            _("Line %(line)s of the file could not be read as CSV. Check it and try again.")
            % {"line": reader.line_num}
        ) from error
    return rows


def _xlsx_rows(data: bytes) -> list[list[Cell]]:
    unreadable = _(
        "The file could not be opened as an Excel workbook. Save it again as .xlsx or as CSV "
        "UTF-8 and try again."
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise FileRejected(unreadable)
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as error:
        raise FileRejected(unreadable) from error
    try:
        sheet = workbook.worksheets[0]
        rows: list[list[Cell]] = []
        for row in sheet.iter_rows(values_only=True):
            rows.append([_xlsx_cell(value) for value in row])
            if len(rows) > conf.import_max_rows() + 1:
                break
    except (IndexError, KeyError, ValueError, TypeError, zipfile.BadZipFile) as error:
        raise FileRejected(unreadable) from error
    finally:
        workbook.close()
    return rows


def _xlsx_cell(value: object) -> Cell:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.date()
    if value is None or isinstance(value, date | int | float):
        return value
    return str(value)


def _blank(row: list[Cell]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in row)


def _build_sheet(file_format: str, raw_rows: list[list[Cell]]) -> Sheet:
    numbered = [(number, row) for number, row in enumerate(raw_rows, start=1) if not _blank(row)]
    if not numbered:
        raise FileRejected(_("The file is empty."))
    header_number, header = numbered[0]
    headers = [str(cell).strip() if cell is not None else "" for cell in header]
    columns: dict[str, int] = {}
    ignored: list[str] = []
    for index, text in enumerate(headers):
        name = _HEADER_LOOKUP.get(normalise_header(text))
        if name is None:
            if text:
                ignored.append(text)
            continue
        if name in columns:
            raise FileRejected(
                _("Two columns are both for ‘%(label)s’. Keep one and try again.")
                % {"label": COLUMNS[name][0]}
            )
        columns[name] = index
    if "name" not in columns and {"first_name", "last_name"} <= set(columns):
        columns["name"] = -1  # built from first and last name
    missing = [
        str(label)
        for name, (label, _aliases, required) in COLUMNS.items()
        if required and name not in columns
    ]
    if missing:
        raise FileRejected(
            _(
                "The file has no column for: %(missing)s. The first row must name the columns, "
                "for example: %(example)s."
            )
            % {"missing": ", ".join(missing), "example": ", ".join(TEMPLATE_HEADERS)}
        )
    rows = numbered[1:]
    if not rows:
        raise FileRejected(_("The file has column names but no rows of training under them."))
    if len(rows) > conf.import_max_rows():
        raise FileRejected(
            _(
                "The file has more than %(max)s rows. Split it into files of %(max)s rows or "
                "fewer and import each one."
            )
            % {"max": f"{conf.import_max_rows():,}"}
        )
    return Sheet(file_format, columns, headers, ignored, rows)


def person_name(sheet: Sheet, cells: list[Cell]) -> Cell:
    if sheet.columns.get("name") == -1:
        parts = [sheet.value(cells, "first_name"), sheet.value(cells, "last_name")]
        return " ".join(str(p).strip() for p in parts if p not in (None, "")) or None
    return sheet.value(cells, "name")
