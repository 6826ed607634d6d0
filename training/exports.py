"""CSV and XLSX exports of training records and coverage, safe to open in a spreadsheet.

Any text cell starting with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return, which some
spreadsheets skip) is prefixed with an apostrophe, so it is shown as text and never run.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator
from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from prevent_cms.spreadsheet import date_header

from .dates import Status
from .models import DeliveryMode, StaffRole, TrainingRecord
from .selectors import Coverage

DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """Make a cell inert: text that a spreadsheet would read as a formula becomes plain text."""
    if isinstance(value, str) and value.startswith(DANGEROUS_STARTS):
        return "'" + value
    return value


def record_headers() -> list[str]:
    return [
        _("Name"),
        _("Email"),
        _("Agency"),
        _("Department"),
        _("Role"),
        _("Frontline"),
        _("Contractor"),
        _("Elected member"),
        _("Course code"),
        _("Course"),
        _("Delivery mode"),
        date_header(_("Completed on")),
        date_header(_("Expires on")),
        _("Status"),
    ]


def record_rows(records: QuerySet[TrainingRecord], *, on: date) -> Iterator[list]:
    roles = dict(StaffRole.choices)
    modes = dict(DeliveryMode.choices)
    statuses = dict(Status.choices)
    yes, no = _("Yes"), _("No")
    for record in records.iterator(chunk_size=2000):
        staff = record.staff
        yield [
            staff.name,
            staff.email,
            staff.agency.name,
            staff.department,
            str(roles.get(staff.role, staff.role)),
            yes if staff.frontline else no,
            yes if staff.contractor else no,
            yes if staff.elected_member else no,
            record.course.code,
            record.course.title,
            str(modes.get(record.delivery_mode, record.delivery_mode)),
            record.completed_on,
            record.expires_on,
            str(statuses[record.status(on)]),
        ]


def coverage_headers() -> list[str]:
    return [
        _("Breakdown"),
        _("Group"),
        _("Staff"),
        _("In date"),
        _("Per cent in date"),
        _("Current"),
        _("Expiring soon"),
        _("Expired"),
        _("No Prevent course"),
    ]


def breakdown_labels() -> dict[str, str]:
    return {
        "total": _("All staff"),
        "agency": _("Agency"),
        "sector": _("Sector"),
        "role": _("Role"),
        "frontline": _("Frontline"),
        "contractor": _("Contractors"),
        "elected_member": _("Elected members"),
    }


def coverage_rows(coverage: Coverage) -> Iterator[list]:
    labels = breakdown_labels()
    sections = [("total", [coverage.total]), *coverage.breakdowns()]
    for key, rows in sections:
        for row in rows:
            yield [
                labels[key],
                row.label,
                row.staff,
                row.in_date,
                row.percent_in_date if row.percent_in_date is not None else "",
                row.current,
                row.expiring_soon,
                row.expired,
                row.untrained,
            ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(headers: list[str], rows: Iterable[list]) -> Iterator[str]:
    """Lines of a UTF-8 CSV (with a BOM so Excel reads accents), written as they are read."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([neutralise(h) for h in headers])
    for row in rows:
        yield writer.writerow([neutralise(_plain(cell)) for cell in row])


def _plain(cell):
    if isinstance(cell, date):
        return cell.isoformat()
    return cell


def xlsx_file(title: str, headers: list[str], rows: Iterable[list]):
    """A one-sheet workbook written row by row to a temporary file, returned open at its start.

    The caller closes it (``FileResponse`` does so once it has been sent).
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([_text_cell(sheet, h) for h in headers])
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
    workbook.save(handle)
    handle.seek(0)
    return handle


def xlsx_bytes(title: str, headers: list[str], rows: Iterable[list]) -> bytes:
    with xlsx_file(title, headers, rows) as handle:
        return handle.read()


def _text_cell(sheet, value: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=neutralise(value))
    cell.data_type = "s"
    return cell


def _cell(sheet, value):
    if isinstance(value, str):
        return _text_cell(sheet, value)
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "yyyy-mm-dd"
        return cell
    return value


def csv_text(headers: list[str], rows: Iterable[list]) -> str:
    buffer = io.StringIO()
    for line in csv_stream(headers, rows):
        buffer.write(line)
    return buffer.getvalue()
