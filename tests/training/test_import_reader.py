"""Whole-file checks: type, size, encoding, columns. A rejected file stores nothing."""

import io
from datetime import date

import pytest

from tests.training.importing import HEADERS, csv_bytes, xlsx_bytes
from training.exports import record_headers
from training.imports.reader import FileRejected, read_upload


def read(data: bytes, name: str = "file.csv"):
    return read_upload(io.BytesIO(data), filename=name, size=len(data))


def rejected(data: bytes, name: str = "file.csv") -> str:
    with pytest.raises(FileRejected) as error:
        read(data, name)
    return str(error.value)


ROW = ["Ffion Jenkins", "ffion@example.org", "awareness", "15/03/2025"]


def test_reads_a_utf8_csv_with_accents():
    sheet = read(csv_bytes([["Siân Thomas", "sian@example.org", "awareness", "15/03/2025"]]))
    assert sheet.file_format == "csv"
    assert sheet.rows == [(2, ["Siân Thomas", "sian@example.org", "awareness", "15/03/2025"])]
    assert sheet.columns == {"name": 0, "email": 1, "course": 2, "completed_on": 3}


def test_reads_excel_utf8_with_bom_semicolons_and_utf16():
    with_bom = b"\xef\xbb\xbf" + csv_bytes([ROW])
    assert read(with_bom).rows[0][1][0] == "Ffion Jenkins"
    semicolons = csv_bytes([ROW], delimiter=";")
    assert read(semicolons).rows[0][1][1] == "ffion@example.org"
    utf16 = csv_bytes([["Siân", "s@example.org", "awareness", "1/1/2025"]], encoding="utf-16")
    assert read(utf16).rows[0][1][0] == "Siân"


def test_header_names_are_matched_loosely():
    headers = ["Forename", "Surname", "E-mail address", "Course name", "Date completed", "Team"]
    sheet = read(
        csv_bytes([["Ffion", "Jenkins", "f@example.org", "x", "1/1/2025", "Year 7"]], headers)
    )
    assert sheet.columns["email"] == 2
    assert sheet.columns["department"] == 5
    assert sheet.columns["name"] == -1  # built from first and last names


def test_unknown_columns_are_ignored_and_listed():
    sheet = read(csv_bytes([[*ROW, "42"]], [*HEADERS, "Payroll number"]))
    assert sheet.ignored == ["Payroll number"]


def test_blank_lines_are_skipped_but_numbers_kept():
    data = csv_bytes([ROW, ["", "", "", ""], ROW])
    assert [number for number, _cells in read(data).rows] == [2, 4]


def test_windows_1252_csv_is_refused_with_how_to_fix():
    data = csv_bytes([["Siân Thomas", "s@example.org", "awareness", "1/1/2025"]], encoding="cp1252")
    message = rejected(data)
    assert "not saved as UTF-8" in message
    assert "CSV UTF-8" in message


def test_missing_columns_are_named():
    message = rejected(csv_bytes([["Ffion", "1/1/2025"]], ["Name", "Completed on"]))
    assert "no column for: Email, Course" in message


def test_two_columns_for_one_field_are_refused():
    message = rejected(csv_bytes([[*ROW, "x"]], [*HEADERS, "E-mail"]))
    assert "Two columns are both for ‘Email’" in message


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.csv", "The selected file is empty"),
        (b"\n\n", "blank.csv", "The file is empty"),
        (csv_bytes([]), "headers.csv", "no rows of training"),
        (b"%PDF-1.4 not a spreadsheet", "records.csv", "This file is a PDF file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old.xls", "older Excel file"),
        (b"PK\x03\x04 broken zip", "broken.xlsx", "could not be opened as an Excel workbook"),
        (b"Name,Email\x00,Course\n", "nul.csv", "not a text file"),
    ],
)
def test_files_that_are_not_spreadsheets_are_refused(data, name, message):
    assert message in rejected(data, name)


def test_a_50_mb_file_is_refused_without_reading_it():
    class Huge(io.BytesIO):
        def read(self, *args):  # pragma: no cover - must not be called
            raise AssertionError("read a file that was too big")

    with pytest.raises(FileRejected) as error:
        read_upload(Huge(), filename="big.csv", size=50 * 1024 * 1024)
    assert "The file is 50 MB. The largest file you can import is 5 MB" in str(error.value)


def test_too_many_rows_are_refused(settings):
    settings.TRAINING_IMPORT_MAX_ROWS = 10
    assert "more than 10 rows" in rejected(csv_bytes([ROW] * 11))
    assert len(read(csv_bytes([ROW] * 10)).rows) == 10


def test_xlsx_dates_numbers_and_formulas_are_read_as_they_are():
    data = xlsx_bytes(
        [["Ffion", "f@example.org", "awareness", date(2025, 3, 15)], ["=1+1", 7, None, "x"]]
    )
    sheet = read(data, "file.xlsx")
    assert sheet.file_format == "xlsx"
    assert sheet.rows[0][1][3] == date(2025, 3, 15)
    assert sheet.rows[1][1][:3] == ["=1+1", 7, None]


def test_xlsx_is_recognised_by_content_not_name():
    assert read(xlsx_bytes([ROW]), "export.csv").file_format == "xlsx"


def test_an_xlsx_that_unpacks_to_gigabytes_is_refused(monkeypatch):
    monkeypatch.setattr("training.imports.reader.MAX_UNPACKED_BYTES", 1000)
    assert "could not be opened" in rejected(xlsx_bytes([ROW] * 50), "bomb.xlsx")


def test_our_own_export_headers_are_read_back():
    """Issue 19: an export names its date columns' pattern (``Completed on (YYYY-MM-DD)``);
    the same file imported again finds the column."""
    exported = record_headers()
    assert "Completed on (YYYY-MM-DD)" in exported
    headers = [h for h in exported if h in ("Name", "Email", "Course") or h.startswith("Comp")]
    sheet = read(csv_bytes([["Ffion", "f@example.org", "Awareness", "2025-03-15"]], headers))
    assert sheet.columns["completed_on"] == headers.index("Completed on (YYYY-MM-DD)")
