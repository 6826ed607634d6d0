"""The national form's answers found and understood: the labels located in the text blocks
(``layout``), the text between one label and the next taken as its answer, template prompts
taken out, and each answer understood by its kind (``values``) or left unread.

Nothing here touches the database or guesses: an answer that is empty, still the template's
prompt, not understood or longer than the draft's field holds is unread, and ``notes`` says
why for an answer that was there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from ..models import Referral, Subject
from . import files, values
from .blocks import Block, FormRejected
from .layout import COMMON_PROMPTS, DRAFT_FIELDS, SECTIONS, TITLES, Question, Section

# More text than any filled-in form holds (the longest answers allowed add up to ~30,000).
MAX_TEXT = 250_000
MIN_SECTIONS = 5
MIN_QUESTIONS = 12
TITLE_BLOCKS = 25
CONTACT_LIMITS = {"name": 200, "organisation": 200, "phone": 40, "email": 254}
MAX_LIST_ITEMS = 20
MAX_CELL = 200


def other_layout_message() -> str:
    return _(
        "This looks like a Prevent referral form, but not in the national form’s layout, so it "
        "cannot be read safely. Record the referral yourself and attach the file to it."
    )


@dataclass
class FormReading:
    """What was read: ``values`` by draft field (``layout.DRAFT_FIELDS``), the fields read
    and unread in the form's order, and why an answer that was on the form was not read."""

    values: dict[str, Any] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def read_fields(self) -> list[str]:
        return [name for name in DRAFT_FIELDS if name in self.values]

    @property
    def unread_fields(self) -> list[str]:
        return [name for name in DRAFT_FIELDS if name not in self.values]

    def draft_data(self) -> dict[str, Any]:
        """The answers as ``services.referral_update_draft`` takes them."""
        subject_fields = {f.name for f in Subject._meta.concrete_fields}
        data: dict[str, Any] = {"subject": {}}
        for name, value in self.values.items():
            if name.startswith("referrer_contact."):
                continue
            if name in subject_fields:
                data["subject"][name] = value
            else:
                data[name] = value
        return data

    def referrer_contact(self) -> dict[str, str]:
        """The person who sent the form, as far as it says."""
        return {
            name.split(".", 1)[1]: value
            for name, value in self.values.items()
            if name.startswith("referrer_contact.")
        }


def read_form(data: bytes) -> FormReading:
    """Read a file's bytes as the national form, or raise ``FormRejected`` (or
    ``PayloadTooLarge`` over 10 MB) saying why not."""
    return read_blocks(files.read_blocks(data))


def read_blocks(blocks: list[Block]) -> FormReading:
    cleaned = [Block(values.clean_text(b.text), b.row, b.column) for b in blocks]
    cleaned = [b for b in cleaned if b.text]
    if sum(len(b.text) for b in cleaned) > MAX_TEXT:
        raise FormRejected(
            _(
                "This file holds far more text than a referral form could. Check it is the "
                "right file, or record the referral yourself and attach the file to it."
            )
        )
    if not any(title in values.key(b.text) for b in cleaned[:TITLE_BLOCKS] for title in TITLES):
        raise FormRejected(files.not_a_form_message())
    anchors = _anchors(cleaned)
    sections = {a.section for a in anchors if a.question is None and a.section}
    questions = {a.question.key for a in anchors if a.question and a.question.target}
    if len(sections) < MIN_SECTIONS or len(questions) < MIN_QUESTIONS:
        raise FormRejected(other_layout_message())
    reading = FormReading()
    answers: dict[str, tuple[Question, str, list[tuple[Block, str]]]] = {}
    for index, anchor in enumerate(anchors):
        if anchor.question is None or anchor.question.key in answers:
            continue
        following = anchors[index + 1] if index + 1 < len(anchors) else None
        pieces = _pieces(cleaned, anchor, following)
        text = _without_prompts("\n".join(p for _b, p in pieces), anchor.question)
        answers[anchor.question.key] = (anchor.question, text, pieces)
    for question, text, pieces in answers.values():
        if question.target and text and not values.blank(text, question.options):
            _understand(reading, question, text, pieces)
    _combine_education(reading, answers)
    return reading


@dataclass(frozen=True)
class Anchor:
    block: int
    start: int
    end: int
    question: Question | None
    section: str | None = None


def _label_pattern(label: str, *, heading: bool = False) -> re.Pattern[str]:
    """A label at the start of a line, however it is spaced, numbered ("3.", "b)", "Section
    3:") or written ("’" or "'"); a heading may say "(optional)" after it."""
    words = [re.escape(word).replace("’", "['’]") for word in label.split()]
    number = r"(?:section\s+\d{1,2}\s*[:.–-]?\s*|\d{1,2}[.)]\s*|[a-h][.)]\s+)?"
    optional = r"(?:\s*\(optional\))?" if heading else ""
    return re.compile(
        number + r"\s+".join(words) + optional + r"(?=$|[\s:?.,;)\-–])", re.IGNORECASE
    )


HEADINGS = [
    (section, _label_pattern(heading, heading=True))
    for section in SECTIONS
    for heading in sorted(section.headings, key=len, reverse=True)
]
LABELS = {
    section.key: sorted(
        ((q, _label_pattern(label)) for q in section.questions for label in q.labels),
        key=lambda pair: len(pair[1].pattern),
        reverse=True,
    )
    for section in SECTIONS
}


def _anchors(blocks: list[Block]) -> list[Anchor]:
    """Every section heading (a whole line) and every question label (at the start of a
    line, in its own section), in reading order."""
    anchors: list[Anchor] = []
    section: Section | None = None
    seen: set[str] = set()
    for index, block in enumerate(blocks):
        starts = [0] + [m.end() for m in re.finditer("\n", block.text)]
        for start in starts:
            if anchors and anchors[-1].block == index and start < anchors[-1].end:
                continue
            rest = block.text[start:]
            heading = _heading(rest)
            if heading is not None:
                section, end = heading
                anchors.append(Anchor(index, start, start + end, None, section.key))
                continue
            if section is None:
                continue
            for question, pattern in LABELS[section.key]:
                match = pattern.match(rest)
                if match:
                    end = start + match.end()
                    end += len(rest[match.end() :]) - len(rest[match.end() :].lstrip(" :?-–"))
                    repeated = question.key in seen
                    seen.add(question.key)
                    anchors.append(Anchor(index, start, end, None if repeated else question))
                    break
    return anchors


def _heading(text: str) -> tuple[Section, int] | None:
    for section, pattern in HEADINGS:
        match = pattern.match(text)
        if match and not text[match.end() :].split("\n", 1)[0].strip(" :.–-"):
            return section, match.end()
    return None


def _pieces(
    blocks: list[Block], anchor: Anchor, following: Anchor | None
) -> list[tuple[Block, str]]:
    """The text from the end of a label to the start of the next, block by block (a
    Word table's answer ends where the table does: the text after it is the form's)."""
    last = following.block if following else len(blocks) - 1
    in_table = blocks[anchor.block].row is not None
    pieces = []
    for index in range(anchor.block, last + 1):
        if in_table and blocks[index].row is None:
            break  # a label in a table: its answer ends with the table
        text = blocks[index].text
        start = anchor.end if index == anchor.block else 0
        end = following.start if following and index == following.block else len(text)
        piece = text[start:end].strip()
        if piece:
            pieces.append((blocks[index], piece))
    return pieces


def _prompt_keys(question: Question) -> list[str]:
    return sorted({values.key(p) for p in (*question.prompts, *COMMON_PROMPTS)}, key=len)[::-1]


def _without_prompts(text: str, question: Question) -> str:
    """The answer without the template's prompt lines, or a prompt left before the answer."""
    prompts = _prompt_keys(question)
    lines = []
    for line in text.split("\n"):
        lowered = values.key(line)
        if lowered in prompts:
            continue
        for prompt in prompts:
            if lowered.startswith(prompt):
                line = line.strip()[len(prompt) :]
                break
        if line.strip():
            lines.append(line.strip())
    return "\n".join(lines).strip()


def _limit(target: str) -> int | None:
    if target.startswith("referrer_contact."):
        return CONTACT_LIMITS[target.split(".", 1)[1]]
    for model in (Subject, Referral):
        try:
            return model._meta.get_field(target).max_length
        except FieldDoesNotExist:
            continue
    return None


def _understand(
    reading: FormReading, question: Question, text: str, pieces: list[tuple[Block, str]]
) -> None:
    target = question.target or ""
    value: Any
    if question.kind == "text":
        value = text
    elif question.kind == "date":
        value = values.date(text)
    elif question.kind == "choice":
        value = values.choice(text, question.options)
    elif question.kind == "yes_no":
        value = values.yes_no(text)
    elif question.kind == "details":
        value = values.details(text)
    elif question.kind == "options":
        value = values.many(text, question.options)
    elif question.kind == "list":
        value = values.items(text)
    elif question.kind == "postcode":
        value = values.postcode(text)
    elif question.kind == "phone":
        value = values.phone(text)
    elif question.kind == "email":
        value = values.email(text)
    elif question.kind == "grid":
        value = values.grid_rows(_rows(pieces, question), question.columns)
        value = _grid_dates(value) or None
    else:  # a kind layout.py names but nothing here understands
        value = None
    if value is None:
        reading.notes[target] = _("On the form, but not understood: see the attached form")
        return
    limit = _limit(target)
    if isinstance(value, str) and limit and len(value) > limit:
        reading.notes[target] = _(
            "On the form, but longer than the %(limit)s characters this answer holds: see "
            "the attached form"
        ) % {"limit": f"{limit:,}"}
        return
    if isinstance(value, list) and (
        len(value) > MAX_LIST_ITEMS or any(len(str(v)) > MAX_CELL * 3 for v in value)
    ):
        reading.notes[target] = _("On the form, but too long to read: see the attached form")
        return
    reading.values[target] = value


def _rows(pieces: list[tuple[Block, str]], question: Question) -> list[list[str]]:
    """The answer's table rows, cells in column order; a paragraph is a row of one cell."""
    rows: list[list[str]] = []
    current: tuple[int, ...] | None = None
    for block, piece in pieces:
        text = _without_prompts(piece, question)
        if not text:
            continue
        if block.row is not None and block.row == current:
            rows[-1].append(text)
        else:
            rows.append([text])
        current = block.row
    return rows


def _grid_dates(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """A household member's date of birth as ISO when it is a date, else left empty."""
    for row in rows:
        if "date_of_birth" in row:
            born = values.date(row["date_of_birth"])
            row["date_of_birth"] = born.isoformat() if born else ""
    return rows


def _combine_education(reading: FormReading, answers: dict) -> None:
    """The form asks current and previous separately; the draft holds one answer."""
    parts = []
    for key, label in (("education_current", _("Current")), ("education_previous", _("Previous"))):
        if key in answers and answers[key][1]:
            parts.append(f"{label}: {answers[key][1]}")
    reading.values.pop("education_or_employment", None)
    reading.notes.pop("education_or_employment", None)
    if parts:
        text = "\n".join(parts)
        limit = _limit("education_or_employment") or 0
        if len(text) > limit:
            reading.notes["education_or_employment"] = _(
                "On the form, but longer than the %(limit)s characters this answer holds: see "
                "the attached form"
            ) % {"limit": f"{limit:,}"}
        else:
            reading.values["education_or_employment"] = text
