"""Reading the national form (issue 15): the fixture forms are read field for field, never a
wrong value; template prompts, blank boxes and answers nobody could understand are unread;
hostile files are refused with a message an officer can act on, before anything is
unpacked or run."""

from __future__ import annotations

import datetime
import time

import pytest

from prevent_cms.errors import PayloadTooLarge
from referrals.forms.draft import COMPLEX_NEEDS
from referrals.national_form import values
from referrals.national_form.blocks import FormRejected
from referrals.national_form.layout import DRAFT_FIELDS, NEEDS_OPTIONS
from referrals.national_form.reader import read_form

from . import forms, hostile
from .accuracy import scores

FILES = forms.fixture_files()
HOSTILE = hostile.hostile_files()


@pytest.mark.parametrize(("name", "fixture", "content"), FILES, ids=[f[0] for f in FILES])
def test_a_fixture_form_is_read_field_for_field(name, fixture, content):
    reading = read_form(content)
    for field, expected in fixture.expected.items():
        if expected == forms.UNREADABLE:
            assert field not in reading.values, (
                f"{name}: {field} guessed as {reading.values[field]!r}"
            )
            assert field in reading.notes, f"{name}: {field} unread without saying why"
        else:
            assert reading.values.get(field) == expected, f"{name}: {field}"
    extra = set(reading.values) - set(fixture.expected)
    assert not extra, f"{name}: read fields nobody filled in: {sorted(extra)}"
    assert set(reading.read_fields) | set(reading.unread_fields) == set(DRAFT_FIELDS)
    assert "immediate_risk" in reading.unread_fields  # the national form never asks it


def test_the_accuracy_per_fixture_is_printed_and_never_a_wrong_value(capsys):
    """The figures for the closing note (also: python -m tests.referrals.national_form.accuracy)."""
    results = scores()
    with capsys.disabled():
        print()  # noqa: T201
        for result in results:
            print(result.line())  # noqa: T201
    assert len({r.file.rsplit(".", 1)[0] for r in results}) >= 5
    assert any(r.file.endswith(".pdf") for r in results)
    for result in results:
        assert result.wrong == [], result.file
    assert sum(r.correct for r in results) / sum(r.filled for r in results) > 0.95


def test_a_box_left_as_its_template_prompt_is_unread():
    reading = read_form(forms.build_docx(forms.PROMPTS))
    for field in ("date_of_birth", "place_of_birth", "how_concern_arose", "postcode"):
        assert field in reading.unread_fields
        assert field not in reading.notes  # not filled in, so nothing to say
    # The concern written under the template's prompts is read without them.
    assert reading.values["concern_summary"].startswith("Ryan has been")


def test_the_pdf_export_reads_as_the_word_document_does():
    word = read_form(forms.build_docx(forms.COMPLETE))
    pdf = read_form(forms.build_pdf(forms.COMPLETE))
    assert word.values == pdf.values


@pytest.mark.parametrize(("name", "content", "words"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_hostile_file_is_refused_with_a_message(name, content, words):
    with pytest.raises(FormRejected) as refused:
        read_form(content)
    assert words in refused.value.detail
    assert refused.value.field_errors["file"][0].code == "form_rejected"


def test_a_zip_bomb_is_refused_without_unpacking_it():
    bomb = hostile.zip_bomb(300)
    assert len(bomb) < 1024 * 1024
    started = time.process_time()
    with pytest.raises(FormRejected):
        read_form(bomb)
    assert time.process_time() - started < 1


def test_a_file_over_10_mb_is_too_large():
    with pytest.raises(PayloadTooLarge):
        read_form(b"PK\x03\x04" + b"\x00" * (10 * 1024 * 1024 + 1))


def test_an_empty_file_is_refused():
    with pytest.raises(FormRejected, match="empty"):
        read_form(b"")


def test_an_external_entity_is_never_resolved():
    """XXE: python-docx parses without resolving entities, so no local file is read."""
    try:
        reading = read_form(hostile.external_entity())
    except FormRejected:
        return
    assert "root:" not in str(reading.values)


def test_characters_nobody_can_see_are_taken_out():
    reading = read_form(hostile.hidden_characters())
    assert reading.values["first_name"] == "Jordan"
    assert reading.values["last_name"] == "Ellis"


def test_a_50000_character_answer_is_left_unread_with_a_message_never_cut():
    reading = read_form(hostile.long_answer())
    assert "concern_summary" in reading.unread_fields
    assert "5,000 characters" in reading.notes["concern_summary"]
    assert reading.values["first_name"] == "Jordan"


def test_the_needs_are_the_browser_forms_needs():
    assert {code for code, _aliases in NEEDS_OPTIONS} == {code for code, _label in COMPLEX_NEEDS}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Yes ☒ No ☐", True),
        ("Yes ☐ No ☒", False),
        ("☒ Yes ☐ No", True),
        ("☐ Yes ☑ No", False),
        ("Yes ✓ No", True),
        ("Yes   No X", False),
        ("Yes [x] No [ ]", True),
        ("Yes ( ) No (X)", False),
        ("Yes", True),
        ("no", False),
        ("Yes, we spoke on Monday", True),
        ("Yes ☒ No ☒", None),
        ("Yes ☐ No ☐", None),
        ("Maybe", None),
        ("Yes ✗ No", None),
    ],
)
def test_yes_or_no_is_understood_however_it_is_ticked(text, expected):
    assert values.yes_no(text) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("14/02/2010", datetime.date(2010, 2, 14)),
        ("14-2-2010", datetime.date(2010, 2, 14)),
        ("14th February 2010", datetime.date(2010, 2, 14)),
        ("2010-02-14", datetime.date(2010, 2, 14)),
        ("14/02/10", None),
        ("02/14/2010", None),
        ("DD/MM/YYYY", None),
        ("about 14", None),
        ("14/02/2999", None),
        ("14/02/1850", None),
    ],
)
def test_a_date_is_read_only_when_it_cannot_be_mistaken(text, expected):
    assert values.date(text, today=datetime.date(2026, 12, 6)) == expected


def test_control_and_format_characters_are_removed():
    assert values.clean_text("A\x00B\x07C\u202eD\u200bE\ufeffF\tG") == "ABCDEF G"
