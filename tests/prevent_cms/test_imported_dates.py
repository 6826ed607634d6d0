"""One reading of the dates in imported files (issue 19): ISO, UK day-first and Excel dates
all accepted, everything else refused with a reason in words."""

import datetime

import pytest

from prevent_cms.imported_dates import ImportedDateError, imported_date
from referrals.national_form import values

from .source_tree import files_containing

MARCH_1 = datetime.date(2026, 3, 1)


@pytest.mark.parametrize(
    "value",
    [
        "2026-03-01",  # ISO 8601
        "2026-3-1",
        "01/03/2026",  # UK, day first
        "1/3/2026",
        "01-03-2026",
        "1.3.2026",
        "1 March 2026",
        "1st March 2026",
        "1 Mar 2026",
        " 01/03/2026 ",
        "2026-03-01 00:00:00",  # a date cell saved as text by a spreadsheet
        "2026-03-01T00:00:00",
        "01/03/2026 00:00",
        MARCH_1,  # an Excel date cell, as openpyxl reads it
        datetime.datetime(2026, 3, 1, 0, 0),
        46082,  # Excel's day number for 1 March 2026 (a date cell formatted as a number)
        46082.0,
        46082.75,  # a date and a time of day
    ],
)
def test_every_accepted_way_of_writing_1_march_2026(value):
    assert imported_date(value) == MARCH_1


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("", "Enter a date."),
        (None, "Enter a date."),
        ("31/02/2026", "‘31/02/2026’ is not a date: that day does not exist."),
        (
            "03/15/2026",
            "‘03/15/2026’ is not a date: the month comes second. Write dates as "
            "day/month/year, for example 15/03/2024.",
        ),
        (
            "01/03/26",
            "‘01/03/26’ has a year of 2 figures. Write the year in full, for example 15/03/2024.",
        ),
        (
            "next Tuesday",
            "‘next Tuesday’ is not a date. Write dates as day/month/year, for example "
            "15/03/2024, or as 2024-03-15.",
        ),
        ("46082", "‘46082’ is not a date."),  # a day number typed as text is not a date
        ("DD/MM/YYYY", "‘DD/MM/YYYY’ is not a date."),
        (12, "‘12’ is not a date."),  # a number too small to be an Excel date of this age
        (-3.5, "‘-3.5’ is not a date."),
    ],
)
def test_what_is_not_a_date_is_refused_with_the_reason_in_words(value, reason):
    with pytest.raises(ImportedDateError) as refused:
        imported_date(value)
    assert str(refused.value).startswith(reason)


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("3 Ionawr 2026", datetime.date(2026, 1, 3)),
        ("3 Ion 2026", datetime.date(2026, 1, 3)),
        ("3 ion. 2026", datetime.date(2026, 1, 3)),
        ("14 Chwefror 2026", datetime.date(2026, 2, 14)),
        ("14 Chwef 2026", datetime.date(2026, 2, 14)),
        ("1 Mawrth 2026", MARCH_1),
        ("1af Mawrth 2026", MARCH_1),  # a Welsh ordinal
        ("1 MAW 2026", MARCH_1),
        ("2il Ebrill 2026", datetime.date(2026, 4, 2)),
        ("5ed Mai 2026", datetime.date(2026, 5, 5)),
        ("30 Mehefin 2026", datetime.date(2026, 6, 30)),
        ("7fed Gorffennaf 2026", datetime.date(2026, 7, 7)),
        ("11eg Awst 2026", datetime.date(2026, 8, 11)),
        ("21ain Medi 2026", datetime.date(2026, 9, 21)),
        ("31 Hydref 2026", datetime.date(2026, 10, 31)),
        ("3ydd Tachwedd 2026", datetime.date(2026, 11, 3)),
        ("25 Rhagfyr 2026", datetime.date(2026, 12, 25)),
        ("25 Rhag 2026", datetime.date(2026, 12, 25)),
        ("3 January 2026", datetime.date(2026, 1, 3)),  # English names still read
        ("3 Jan 2026", datetime.date(2026, 1, 3)),
    ],
)
def test_welsh_month_names_and_abbreviations_are_read(value, day):
    """Issue 19: a file written in Welsh names its months in Welsh."""
    assert imported_date(value) == day


@pytest.mark.parametrize("value", ["31 Chwefror 2026", "3 Ionawrr 2026", "3 Ionawr 26"])
def test_welsh_dates_that_are_not_dates_are_refused(value):
    with pytest.raises(ImportedDateError):
        imported_date(value)


def test_true_is_not_a_day_number():
    with pytest.raises(ImportedDateError):
        imported_date(True)


def test_the_national_form_reads_dates_the_same_way():
    today = datetime.date(2026, 12, 6)
    for text in ("2010-02-14", "14/02/2010", "14.2.2010", "14th February 2010", "14/02/2010 00:00"):
        assert values.date(text, today=today) == datetime.date(2010, 2, 14)
    assert values.date("14/02/10", today=today) is None


def test_dates_in_imported_files_are_parsed_in_one_place():
    """The training import and the national form once each kept their own list of formats
    (one took 01/03/26, the other refused it)."""
    # bench/ reads gunicorn's own access log (its fixed timestamp format), not a person's file.
    application = [path for path in files_containing("strptime(") if not path.startswith("bench/")]
    assert application == ["prevent_cms/imported_dates.py"]
