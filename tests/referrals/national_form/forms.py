"""Realistic national referral forms, filled in as practitioners fill them, built with
python-docx (and exported to PDF with WeasyPrint), each with the values a careful reader
should take from it.

The blank form is reconstructed from DOMAIN.md §Referral form: a title, the 999 warning,
eight numbered sections of two-column tables (label | answer), Word's "Click or tap here to
enter text." placeholders in the answer cells, ``Yes ☐ No ☐`` check boxes and small tables
for household members and other agencies. Each fixture fills it differently.

    DJANGO_SETTINGS_MODULE=prevent_cms.settings.test \\
      .venv/bin/python -m tests.referrals.national_form.forms OUTDIR

writes every fixture (and hostile file) with its expected values beside it, to open in Word.
"""

from __future__ import annotations

import datetime
import io
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import django
import docx
from django.utils.html import escape
from docx.enum.text import WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt
from weasyprint import HTML

if __name__ == "__main__":  # run as a script: the hostile files need the apps
    django.setup()

PLACEHOLDER = "Click or tap here to enter text."
YES_NO = "Yes ☐     No ☐"
GENDERS = "Male ☐     Female ☐     Other ☐     Not known ☐"
NEEDS = [
    "Special educational needs or disability",
    "Mental health",
    "Neurodiversity (for example autism or ADHD)",
    "Victim of crime, abuse or bullying",
    "Family issues",
    "Housing or money problems",
    "Drug or alcohol misuse",
    "Immigration issues",
    "Involved with courts or probation",
]
CONCERN_TYPES = [
    "Islamist",
    "Extreme right-wing",
    "Left-wing, anarchist or single-issue",
    "Other ideology",
    "Conflicted",
    "School massacre",
    "Fascination with extreme violence (no other ideology)",
    "Vulnerability present, no ideology or CT risk",
    "High CT risk, no ideology",
    "Unclear",
]
CONCERN_PROMPTS = [
    "In as much detail as possible, describe the concern.",
    "Please consider:",
    "How and why the person came to your notice;",
    "What was seen or heard, in the exact words used where possible;",
    "Contact with groups or individuals who cause you concern;",
    "Any expression of an intent to harm, or threats of violence;",
    "Any interest in mass-casualty attacks or school shootings;",
    "Any plans to travel to a conflict zone.",
]

# kind of answer box in the blank form: text, date, yes_no, gender, needs, types, concern,
# details (yes/no and details), grid (a small table); "wide" puts the box under the label.
FORM: list[tuple[str, list[tuple[str, str, str]]]] = [
    (
        "Section 1: The individual",
        [
            ("first_name", "Forename(s):", "text"),
            ("last_name", "Surname:", "text"),
            ("aliases", "Other names or aliases:", "text"),
            ("date_of_birth", "Date of Birth (DD/MM/YYYY):", "date"),
            ("place_of_birth", "Place of birth:", "text"),
            ("gender", "Gender:", "gender"),
            ("address", "Current address:", "text"),
            ("postcode", "Postcode:", "text"),
            ("previous_addresses", "Previous addresses:", "text"),
            ("nationality", "Nationality or citizenship:", "text"),
            ("immigration_status", "Immigration or asylum status:", "text"),
            ("languages", "Languages spoken:", "text"),
            ("english_spoken", "Is English spoken?", "yes_no"),
            ("ethnicity", "Ethnicity:", "text"),
            ("religion", "Religion:", "text"),
            ("contact_details", "Contact numbers and e-mail addresses:", "text"),
            ("social_media", "Social media accounts or handles:", "text"),
            (
                "household_members",
                "Household members (name, date of birth, relationship):",
                "grid:Name|Date of birth|Relationship",
            ),
        ],
    ),
    (
        "Section 2: Education or employment",
        [
            ("education_current", "Current school, college, university or employer:", "text"),
            ("education_previous", "Previous school, college, university or employer:", "text"),
        ],
    ),
    (
        "Section 3: Describe concerns",
        [
            ("concern_summary", "Describe your concerns", "concern"),
            ("how_concern_arose", "How did the concern come to your attention?", "wide"),
            ("online_activity", "Online activity (what, and how do you know about it?)", "wide"),
        ],
    ),
    (
        "Section 4: Complex needs",
        [
            (
                "complex_needs",
                "Does the person have any of these needs? (tick all that apply)",
                "needs",
            ),
            ("additional_needs", "Details of any needs:", "wide"),
        ],
    ),
    (
        "Section 5: Other information",
        [
            (
                "other_agencies",
                "Other agencies or professionals involved (name, role, contact):",
                "grid:Name|Role|Contact",
            ),
        ],
    ),
    (
        "Section 6: Safeguarding considerations",
        [
            (
                "discussed_with_lead",
                "Have you discussed this with your designated safeguarding lead or Prevent lead?",
                "yes_no",
            ),
            ("subject_aware", "Is the person, or their family, aware of this referral?", "yes_no"),
            ("action_taken", "Has any action been taken already? Give details", "details"),
            ("agencies_consulted", "Have other agencies been consulted? Give details", "details"),
            (
                "carer_support",
                "If the person is under 18, are their parents or carers supportive?",
                "details",
            ),
        ],
    ),
    (
        "Section 7: Referrer’s details",
        [
            ("referrer_name", "Your name:", "text"),
            ("referrer_role", "Your role:", "text"),
            ("referrer_organisation", "Organisation:", "text"),
            ("referrer_address", "Work address:", "text"),
            ("referrer_relationship", "Relationship to the person:", "text"),
            ("referrer_phone", "Telephone:", "text"),
            ("referrer_email", "E-mail:", "text"),
            ("referral_date", "Date of referral:", "date"),
        ],
    ),
    (
        "Section 8: Type of concern (optional)",
        [
            (
                "concern_types",
                "If you think you know the type of concern, tick it (the police "
                "decide the type of concern)",
                "types",
            ),
        ],
    ),
]


def blank(kind: str) -> str:
    """What the blank form holds in an answer box of this kind."""
    if kind == "date":
        return "DD/MM/YYYY"
    if kind == "yes_no":
        return YES_NO
    if kind == "gender":
        return GENDERS
    if kind == "needs":
        return "\n".join(f"☐ {need}" for need in NEEDS)
    if kind == "types":
        return "\n".join(f"☐ {concern}" for concern in CONCERN_TYPES)
    if kind == "concern":
        return "\n".join(CONCERN_PROMPTS)
    if kind == "details":
        return YES_NO + "\nPlease give details"
    return "{PLACEHOLDER}"


@dataclass
class Answer:
    """A filled-in box. ``where``: in the answer cell (``beside``), typed in the label's own
    cell under the label (``label_cell``), after the label in its paragraph (``inline``), or
    in a row added below (``below``). ``rows`` fills a small table's cells."""

    text: str = ""
    where: str = "beside"
    rows: list[list[str]] | None = None


UNREADABLE = "<filled in, but not understandable>"


@dataclass
class Fixture:
    name: str
    answers: dict[str, Answer | str]
    expected: dict[str, Any]
    pdf: bool = False
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def answer(self, key: str) -> Answer | None:
        value = self.answers.get(key)
        return Answer(value) if isinstance(value, str) else value


# --- Writing the .docx ---------------------------------------------------------------------


def _runs(paragraph, text: str) -> None:
    """Text with the markers the fixtures use: {PLACEHOLDER} a content control showing its
    placeholder, {FF1}/{FF0} a legacy check box form field ticked or not, {WD1}/{WD0} a
    Wingdings box symbol ticked or not, and new lines as line breaks."""
    for part in _split_markers(text):
        if part == "{PLACEHOLDER}":
            paragraph._p.append(
                parse_xml(
                    f"<w:sdt {nsdecls('w')}><w:sdtPr><w:showingPlcHdr/><w:text/></w:sdtPr>"
                    f'<w:sdtContent><w:r><w:rPr><w:color w:val="808080"/></w:rPr>'
                    f"<w:t>{PLACEHOLDER}</w:t></w:r></w:sdtContent></w:sdt>"
                )
            )
        elif part in ("{FF1}", "{FF0}"):
            checked = "1" if part == "{FF1}" else "0"
            paragraph._p.append(
                parse_xml(
                    f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"><w:ffData>'
                    f'<w:name w:val="Check1"/><w:enabled/><w:calcOnExit w:val="0"/>'
                    f'<w:checkBox><w:sizeAuto/><w:default w:val="{checked}"/></w:checkBox>'
                    f"</w:ffData></w:fldChar></w:r>"
                )
            )
            paragraph._p.append(
                parse_xml(
                    f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve"> FORMCHECKBOX '
                    f"</w:instrText></w:r>"
                )
            )
            paragraph._p.append(
                parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>')
            )
        elif part in ("{WD1}", "{WD0}"):
            char = "F0FE" if part == "{WD1}" else "F0A8"
            paragraph._p.append(
                parse_xml(f'<w:r {nsdecls("w")}><w:sym w:font="Wingdings" w:char="{char}"/></w:r>')
            )
        else:
            for index, line in enumerate(part.split("\n")):
                if index:
                    paragraph.add_run().add_break(WD_BREAK.LINE)
                if line:
                    paragraph.add_run(line)


def _split_markers(text: str) -> list[str]:
    return [p for p in re.split(r"(\{PLACEHOLDER\}|\{FF[01]\}|\{WD[01]\})", text) if p]


def _set_cell(cell, text: str) -> None:
    """A cell's content: one paragraph per line of ``text`` (as a person types them)."""
    cell.paragraphs[0].text = ""
    lines = text.split("\n")
    _runs(cell.paragraphs[0], lines[0])
    for line in lines[1:]:
        _runs(cell.add_paragraph(), line)


def _grid(cell, columns: list[str], rows: list[list[str]] | None) -> None:
    cell.paragraphs[0].text = ""
    filled = list(rows or [])
    table = cell.add_table(rows=1 + max(3, len(filled)), cols=len(columns))
    table.style = "Table Grid"
    for index, name in enumerate(columns):
        table.cell(0, index).text = name
    for r, row in enumerate(filled, start=1):
        for c, value in enumerate(row):
            _set_cell(table.cell(r, c), value)


def build_docx(fixture: Fixture) -> bytes:
    document = docx.Document()
    document.styles["Normal"].font.size = Pt(10)
    document.add_heading("Prevent National Referral Form", level=1)
    document.add_paragraph(
        "If you think someone is in immediate danger, or a crime is being committed, call 999 "
        "now. Do not wait to complete this form."
    )
    document.add_paragraph(
        "Complete every section you can and send the form to your local Prevent team by "
        "secure e-mail. Where you do not know an answer, leave the box as it is."
    )
    for heading, questions in FORM:
        document.add_heading(heading, level=2)
        if heading.startswith("Section 3"):
            for line in ["Describe what has happened that made you concerned."]:
                document.add_paragraph(line)
        table = document.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for key, label, kind in questions:
            answer = fixture.answer(key)
            wide = kind in ("concern", "wide", "needs", "types") or kind.startswith("grid")
            row = table.add_row()
            label_cell, answer_cell = row.cells
            if wide:
                label_cell = label_cell.merge(answer_cell)
                answer_row = table.add_row()
                answer_cell = answer_row.cells[0].merge(answer_row.cells[1])
            label_cell.paragraphs[0].text = ""
            label_run = label_cell.paragraphs[0].add_run(label)
            label_run.bold = True
            if kind.startswith("grid"):
                columns = kind.split(":", 1)[1].split("|")
                if answer is not None and answer.rows is not None:
                    _grid(answer_cell, columns, answer.rows)
                    continue
                if answer is None or answer.where != "beside":
                    _grid(answer_cell, columns, None)
            else:
                _set_cell(answer_cell, blank(kind))
            if answer is None:
                continue
            if answer.where == "beside":
                _set_cell(answer_cell, answer.text)
            elif answer.where == "inline":
                _runs(label_cell.paragraphs[0], " " + answer.text)
            elif answer.where == "label_cell":
                for line in answer.text.split("\n"):
                    _runs(label_cell.add_paragraph(), line)
            elif answer.where == "below":
                extra = table.add_row()
                merged = extra.cells[0].merge(extra.cells[1])
                _set_cell(merged, answer.text)
    document.add_paragraph("Thank you. Keep a copy of this form in your safeguarding records.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --- The same form as a PDF (a text-based export) --------------------------------------------


def _html_text(text: str) -> str:
    text = text.replace("{PLACEHOLDER}", PLACEHOLDER)
    for marker, symbol in (("{FF1}", "☒"), ("{FF0}", "☐"), ("{WD1}", "☒"), ("{WD0}", "☐")):
        text = text.replace(marker, symbol)
    return "<br>".join(escape(line) for line in text.split("\n"))


def build_html(fixture: Fixture) -> str:
    parts = [
        "<html><head><meta charset='utf-8'><style>",
        "@page{size:A4;margin:18mm} body{font-family:sans-serif;font-size:10pt}",
        "table{width:100%;border-collapse:collapse;margin-bottom:8pt}",
        "td,th{border:1px solid #000;padding:5pt 8pt;vertical-align:top;text-align:left}",
        "td.label{width:38%;font-weight:bold} h2{font-size:12pt;margin:14pt 0 6pt}",
        "tr{break-inside:avoid}",
        "</style></head><body>",
        "<h1>Prevent National Referral Form</h1>",
        "<p>If you think someone is in immediate danger, or a crime is being committed, call "
        "999 now. Do not wait to complete this form.</p>",
    ]
    for heading, questions in FORM:
        parts.append(f"<h2>{escape(heading)}</h2><table>")
        for key, label, kind in questions:
            answer = fixture.answer(key)
            text = answer.text if answer is not None and answer.where == "beside" else blank(kind)
            label_html = escape(label)
            if answer is not None and answer.where == "inline":
                label_html += " " + _html_text(answer.text)
            if answer is not None and answer.where == "label_cell":
                label_html += "<br>" + _html_text(answer.text)
            if kind.startswith("grid"):
                columns = kind.split(":", 1)[1].split("|")
                rows = answer.rows if answer is not None and answer.rows is not None else []
                cells = "".join(f"<th>{escape(c)}</th>" for c in columns)
                body = (
                    "".join(
                        "<tr>" + "".join(f"<td>{_html_text(v)}</td>" for v in row) + "</tr>"
                        for row in rows
                    )
                    or "<tr>" + "<td>&nbsp;</td>" * len(columns) + "</tr>"
                )
                if answer is not None and answer.rows is None and answer.where == "beside":
                    inner = _html_text(answer.text)
                else:
                    inner = f"<table><tr>{cells}</tr>{body}</table>"
                parts.append(f"<tr><td class='label' colspan='2'>{label_html}</td></tr>")
                parts.append(f"<tr><td colspan='2'>{inner}</td></tr>")
                continue
            if kind in ("concern", "wide", "needs", "types"):
                parts.append(f"<tr><td class='label' colspan='2'>{label_html}</td></tr>")
                parts.append(f"<tr><td colspan='2'>{_html_text(text)}</td></tr>")
            else:
                parts.append(
                    f"<tr><td class='label'>{label_html}</td><td>{_html_text(text)}</td></tr>"
                )
            if answer is not None and answer.where == "below":
                parts.append(f"<tr><td colspan='2'>{_html_text(answer.text)}</td></tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "".join(parts)


def build_pdf(fixture: Fixture) -> bytes:
    return HTML(string=build_html(fixture)).write_pdf()


# --- The fixtures ------------------------------------------------------------------------

CONCERN = (
    'Jordan has told other students in his tutor group that "people like them are '
    'replacing us" and that "someone should do something about it". On 3 November he '
    'showed a classmate a video on his phone of a mosque attack and said it was "a '
    'legend".\nHe has drawn symbols associated with a banned group on his exercise books.'
)
ARISE = "A classmate told his form tutor, who told me the same day (4 November)."
ONLINE = (
    'He uses a Telegram channel he calls "the lads". A classmate showed me screenshots; '
    "we have not seen the channel ourselves."
)
NEEDS_DETAILS = "Diagnosed with ADHD in Year 7. Parents separated last year; lives with mum."

COMPLETE = Fixture(
    name="complete",
    pdf=True,
    note="Every box filled in, answers in the answer cells, ☒ check boxes.",
    answers={
        "first_name": "Jordan",
        "last_name": "Ellis",
        "aliases": "JJ",
        "date_of_birth": "14/02/2010",
        "place_of_birth": "Northbridge",
        "gender": "Male ☒     Female ☐     Other ☐     Not known ☐",
        "address": "12 Station Road\nNorthbridge",
        "postcode": "NB1 4QT",
        "previous_addresses": "4 Mill Lane, Southmere (until 2022)",
        "nationality": "British",
        "immigration_status": "Not applicable",
        "languages": "English, Polish",
        "english_spoken": "Yes ☒     No ☐",
        "ethnicity": "White British",
        "religion": "None",
        "contact_details": "07700 900123 (mobile)",
        "social_media": "Instagram @jj_ellis10",
        "household_members": Answer(
            rows=[
                ["Karen Ellis", "02/06/1984", "Mother"],
                ["Mia Ellis", "19/09/2015", "Sister"],
            ]
        ),
        "education_current": "Northbridge Academy, Year 10",
        "education_previous": "St Mark’s Primary School",
        "concern_summary": CONCERN,
        "how_concern_arose": ARISE,
        "online_activity": ONLINE,
        "complex_needs": "\n".join(
            f"{'☒' if need in (NEEDS[2], NEEDS[4]) else '☐'} {need}" for need in NEEDS
        ),
        "additional_needs": NEEDS_DETAILS,
        "other_agencies": Answer(
            rows=[
                ["Sam Patel", "Early help worker", "01632 960555"],
            ]
        ),
        "discussed_with_lead": "Yes ☒     No ☐",
        "subject_aware": "Yes ☐     No ☒",
        "action_taken": "Yes ☒     No ☐\nSpoke to mum on 4 November; she is worried too.",
        "agencies_consulted": "Yes ☒     No ☐\nEarly help",
        "carer_support": "Yes ☒     No ☐",
        "referrer_name": "Helen Okafor",
        "referrer_role": "Designated safeguarding lead",
        "referrer_organisation": "Northbridge Academy",
        "referrer_address": "Academy Way, Northbridge NB2 1AA",
        "referrer_relationship": "Head of Year 10",
        "referrer_phone": "01632 960001",
        "referrer_email": "h.okafor@northbridge-academy.example.org",
        "referral_date": "05/11/2026",
        "concern_types": "\n".join(
            f"{'☒' if c == 'Extreme right-wing' else '☐'} {c}" for c in CONCERN_TYPES
        ),
    },
    expected={
        "first_name": "Jordan",
        "last_name": "Ellis",
        "aliases": "JJ",
        "date_of_birth": datetime.date(2010, 2, 14),
        "place_of_birth": "Northbridge",
        "gender": "male",
        "address": "12 Station Road\nNorthbridge",
        "postcode": "NB1 4QT",
        "previous_addresses": "4 Mill Lane, Southmere (until 2022)",
        "nationality": "British",
        "immigration_status": "Not applicable",
        "languages": ["English", "Polish"],
        "english_spoken": True,
        "ethnicity": "White British",
        "religion": "None",
        "contact_details": "07700 900123 (mobile)",
        "social_media": "Instagram @jj_ellis10",
        "household_members": [
            {"name": "Karen Ellis", "date_of_birth": "1984-06-02", "relationship": "Mother"},
            {"name": "Mia Ellis", "date_of_birth": "2015-09-19", "relationship": "Sister"},
        ],
        "education_or_employment": "Current: Northbridge Academy, Year 10\n"
        "Previous: St Mark’s Primary School",
        "concern_summary": CONCERN,
        "how_concern_arose": ARISE,
        "online_activity": ONLINE,
        "complex_needs": ["neurodiversity", "family"],
        "additional_needs": NEEDS_DETAILS,
        "other_agencies": [
            {"name": "Sam Patel", "role": "Early help worker", "contact": "01632 960555"}
        ],
        "discussed_with_lead": True,
        "subject_aware": False,
        "action_taken": "Spoke to mum on 4 November; she is worried too.",
        "referrer_contact.name": "Helen Okafor",
        "referrer_contact.organisation": "Northbridge Academy",
        "referrer_relationship": "Head of Year 10",
        "referrer_contact.phone": "01632 960001",
        "referrer_contact.email": "h.okafor@northbridge-academy.example.org",
        "concern_types": ["extreme_right_wing"],
    },
)

HALF = Fixture(
    name="half_filled",
    note="About half the boxes filled in by a youth worker in a hurry; the rest left as the "
    "blank form has them (Word placeholders, DD/MM/YYYY, unticked boxes).",
    answers={
        "first_name": "Aisha",
        "last_name": "Rahman",
        "date_of_birth": "3 March 2007",
        "gender": "Male ☐     Female ☒     Other ☐     Not known ☐",
        "address": "Flat 7, Jubilee House, Canal Street, Southmere",
        "postcode": "sm3 9zx",
        "concern_summary": "Aisha has been sharing posts praising a proscribed group in the "
        "youth club's group chat and asked another member how to travel to Syria.",
        "how_concern_arose": "Seen by me in the group chat on Saturday.",
        "discussed_with_lead": "Yes ☐     No ☒",
        "referrer_name": "Tom Baker",
        "referrer_organisation": "Southmere Youth Network",
        "referrer_phone": "01632 960777",
    },
    expected={
        "first_name": "Aisha",
        "last_name": "Rahman",
        "date_of_birth": datetime.date(2007, 3, 3),
        "gender": "female",
        "address": "Flat 7, Jubilee House, Canal Street, Southmere",
        "postcode": "SM3 9ZX",
        "concern_summary": "Aisha has been sharing posts praising a proscribed group in the "
        "youth club's group chat and asked another member how to travel to Syria.",
        "how_concern_arose": "Seen by me in the group chat on Saturday.",
        "discussed_with_lead": False,
        "referrer_contact.name": "Tom Baker",
        "referrer_contact.organisation": "Southmere Youth Network",
        "referrer_contact.phone": "01632 960777",
    },
)

CELLS = Fixture(
    name="cells",
    pdf=True,
    note="Answers typed in different places: under the label in its own cell, after the "
    "label in the same line, in a row added below, a small table typed as lines; legacy "
    "Word check-box form fields and Wingdings box symbols.",
    answers={
        "first_name": Answer("Connor", "inline"),
        "last_name": Answer("McBride", "label_cell"),
        "date_of_birth": Answer("21-07-2008", "below"),
        "gender": "Male {FF1}     Female {FF0}     Other {FF0}     Not known {FF0}",
        "address": Answer("27 Orchard Close\nWestford", "label_cell"),
        "postcode": Answer("WF4 2HB", "inline"),
        "nationality": "Irish",
        "languages": "English",
        "english_spoken": "Yes {WD1}     No {WD0}",
        "religion": Answer("Roman Catholic", "below"),
        "household_members": "Siobhan McBride, 11/01/1979, mother\nDeclan McBride, "
        "30/04/1977, father",
        "education_current": Answer("Westford College (Level 3 engineering)", "below"),
        "concern_summary": 'Connor told his tutor that he is "preparing for the race war" '
        "and has been buying survival equipment online.",
        "how_concern_arose": "His tutor overheard him in a workshop.",
        "complex_needs": "\n".join(
            f"{'{FF1}' if need == 'Mental health' else '{FF0}'} {need}" for need in NEEDS
        ),
        "other_agencies": "Dr R. Shah, GP, Westford Medical Centre 01632 960200",
        "discussed_with_lead": "Yes {FF1}     No {FF0}",
        "subject_aware": "Yes {FF0}     No {FF1}",
        "referrer_name": Answer("Priya Nair", "inline"),
        "referrer_organisation": "Westford College",
        "referrer_relationship": Answer("Personal tutor", "label_cell"),
        "referrer_phone": "01632 960321",
        "referrer_email": Answer("p.nair@westford-college.example.ac.uk", "below"),
    },
    expected={
        "first_name": "Connor",
        "last_name": "McBride",
        "date_of_birth": datetime.date(2008, 7, 21),
        "gender": "male",
        "address": "27 Orchard Close\nWestford",
        "postcode": "WF4 2HB",
        "nationality": "Irish",
        "languages": ["English"],
        "english_spoken": True,
        "religion": "Roman Catholic",
        "household_members": [
            {"name": "Siobhan McBride", "date_of_birth": "1979-01-11", "relationship": "mother"},
            {"name": "Declan McBride", "date_of_birth": "1977-04-30", "relationship": "father"},
        ],
        "education_or_employment": "Current: Westford College (Level 3 engineering)",
        "concern_summary": 'Connor told his tutor that he is "preparing for the race war" '
        "and has been buying survival equipment online.",
        "how_concern_arose": "His tutor overheard him in a workshop.",
        "complex_needs": ["mental_health"],
        "other_agencies": [
            {"name": "Dr R. Shah", "role": "GP", "contact": "Westford Medical Centre 01632 960200"}
        ],
        "discussed_with_lead": True,
        "subject_aware": False,
        "referrer_contact.name": "Priya Nair",
        "referrer_contact.organisation": "Westford College",
        "referrer_relationship": "Personal tutor",
        "referrer_contact.phone": "01632 960321",
        "referrer_contact.email": "p.nair@westford-college.example.ac.uk",
    },
)

TICKS = Fixture(
    name="ticks",
    note="Check boxes ticked every way people tick them: ☑, ✓, ✔, X, [x], the box before "
    "the option, the answer typed as a word; one question ticked both ways.",
    answers={
        "first_name": "Olivia",
        "last_name": "Hughes",
        "date_of_birth": "09.12.2005",
        "gender": "☐ Male ☑ Female ☐ Other ☐ Not known",
        "address": "3 The Green, Northbridge",
        "postcode": "NB7 2PL",
        "english_spoken": "Yes ☒     No ☒",
        "concern_summary": 'Olivia has said at work that the council "deserve what\'s coming" '
        "and has posted instructions for making weapons.",
        "how_concern_arose": "Her manager reported it to HR, who told me.",
        "complex_needs": "✓ Mental health\n✓ Housing or money problems\nX Family issues\n"
        "☐ Drug or alcohol misuse",
        "discussed_with_lead": "Yes",
        "subject_aware": "Yes [ ]   No [x]",
        "action_taken": "No",
        "referrer_name": "Mark Evans",
        "referrer_organisation": "Northbridge Council HR",
        "referrer_phone": "01632 960444",
        "concern_types": "✔ Other ideology\n☐ Unclear",
    },
    expected={
        "first_name": "Olivia",
        "last_name": "Hughes",
        "date_of_birth": datetime.date(2005, 12, 9),
        "gender": "female",
        "address": "3 The Green, Northbridge",
        "postcode": "NB7 2PL",
        "english_spoken": UNREADABLE,
        "concern_summary": 'Olivia has said at work that the council "deserve what\'s coming" '
        "and has posted instructions for making weapons.",
        "how_concern_arose": "Her manager reported it to HR, who told me.",
        "complex_needs": ["mental_health", "family", "housing_money"],
        "discussed_with_lead": True,
        "subject_aware": False,
        # "No" alone says no action was taken: the draft's free-text answer is left for the
        # officer rather than filled with a word the practitioner did not write as details.
        "action_taken": UNREADABLE,
        "referrer_contact.name": "Mark Evans",
        "referrer_contact.organisation": "Northbridge Council HR",
        "referrer_contact.phone": "01632 960444",
        "concern_types": ["other_ideology"],
    },
)

PROMPTS = Fixture(
    name="prompt_left",
    note="Boxes left as the template's prompt (Word placeholders, DD/MM/YYYY, the placeholder "
    "typed back as text), the concern written under the template's prompts, and answers "
    'that cannot be understood (a two-digit year, a gender of "M/F?", a phone number '
    "written in words).",
    answers={
        "first_name": "Ryan",
        "last_name": "Cole",
        "date_of_birth": "DD/MM/YYYY",
        "place_of_birth": "Click or tap here to enter text.",
        "gender": "M/F?",
        "address": "Unknown – sofa surfing",
        "household_members": Answer(rows=[["Lee Cole", "about 40", "Uncle"]]),
        "concern_summary": "\n".join(CONCERN_PROMPTS)
        + "\nRyan has been handing out leaflets from a banned group outside the job centre.",
        "how_concern_arose": "{PLACEHOLDER}",
        "referrer_name": "Jo Whitfield",
        "referrer_phone": "oh one six three two nine six oh",
        "referrer_email": "not given",
        "referral_date": "05/11/26",
    },
    expected={
        "first_name": "Ryan",
        "last_name": "Cole",
        "gender": UNREADABLE,
        "address": "Unknown – sofa surfing",
        "household_members": [{"name": "Lee Cole", "date_of_birth": "", "relationship": "Uncle"}],
        "concern_summary": "Ryan has been handing out leaflets from a banned group outside the "
        "job centre.",
        "referrer_contact.name": "Jo Whitfield",
        "referrer_contact.phone": UNREADABLE,
        "referrer_contact.email": UNREADABLE,
    },
)

FIXTURES = [COMPLETE, HALF, CELLS, TICKS, PROMPTS]


def fixture_files() -> list[tuple[str, Fixture, bytes]]:
    """Every fixture as a .docx, and as a PDF where it has one: (file name, fixture, bytes)."""
    files = []
    for fixture in FIXTURES:
        files.append((f"{fixture.name}.docx", fixture, build_docx(fixture)))
        if fixture.pdf:
            files.append((f"{fixture.name}.pdf", fixture, build_pdf(fixture)))
    return files


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def main(directory: str) -> None:
    """Write the fixtures and their expected values into ``directory``."""
    from . import hostile  # (hostile builds on this module's fixtures)

    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    for name, fixture, content in fixture_files():
        (out / name).write_bytes(content)
        expected = {k: _jsonable(v) for k, v in fixture.expected.items()}
        (out / f"{name}.expected.json").write_text(json.dumps(expected, indent=2))
    for name, content, _message in hostile.hostile_files():
        (out / name).write_bytes(content)
    sys.stdout.write(f"Fixtures written to {out}\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "national-form-fixtures")
