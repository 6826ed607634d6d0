"""Spreadsheet-formula injection is neutralised in every exported cell."""

import csv
import io
from datetime import date

import openpyxl
import pytest

from training.exports import csv_text, neutralise, xlsx_bytes


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Plain name", "Plain name"),
        ("O'Neil", "O'Neil"),
        ("", ""),
        (12, 12),
        (-5, -5),
        (None, None),
        (date(2025, 1, 1), date(2025, 1, 1)),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_csv_cells_and_headers_are_inert():
    text = csv_text(["=Header"], [["=cmd|' /C calc'!A0"], ["fine"]])
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows == [["'=Header"], ["'=cmd|' /C calc'!A0"], ["fine"]]


def test_xlsx_cells_are_strings_never_formulas():
    data = xlsx_bytes("t", ["Name", "When"], [['=HYPERLINK("x")', date(2025, 1, 1)], [7, None]])
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet["A2"].value == '\'=HYPERLINK("x")'
    assert sheet["A2"].data_type == "s"
    assert sheet["B2"].is_date
    assert sheet["A3"].value == 7
