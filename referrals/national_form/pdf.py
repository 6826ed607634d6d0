"""A PDF export of the form, checked with pypdf and read into blocks with pdfminer.six.

pypdf looks at every object first, with its decompression limits lowered so a stream made
to explode stops early: a PDF with scripts (JavaScript, launch or submit actions, automatic
actions), embedded files or an XFA form is refused, as are encrypted ones. Nothing in a PDF
is ever run. pdfminer.six then lays the text out into boxes (a table cell is a box) and the
boxes are read row by row, left to right, so a label and the answer beside it stay together.
"""

from __future__ import annotations

import io
import re

import pypdf
from django.utils.translation import gettext as _
from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTTextContainer
from pdfminer.psexceptions import PSException
from pypdf.errors import LimitReachedError, PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

from .blocks import Block, FormRejected

MAX_UNPACKED_BYTES = 40 * 1024 * 1024
MAX_OBJECTS = 50_000
MAX_PAGES = 40
ROW_TOLERANCE = 4  # points: boxes whose tops are this close are one row of the table
ACTIVE_KEYS = {"/JS", "/JavaScript", "/EmbeddedFile", "/EmbeddedFiles", "/EF", "/RichMedia"}
ACTIVE_KEYS |= {"/XFA", "/AA", "/Launch"}
ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/GoToE"}
ACTIVE_ACTIONS |= {"/RichMediaExecute", "/Rendition", "/ResetForm"}
LIMITS = {
    "zlib_maximum_output_length": MAX_UNPACKED_BYTES,
    "lzw_maximum_output_length": MAX_UNPACKED_BYTES,
    "run_length_maximum_output_length": MAX_UNPACKED_BYTES,
    "maximum_declared_stream_length": MAX_UNPACKED_BYTES,
    "stream_decoding_work_maximum_length": MAX_UNPACKED_BYTES,
}


def active_content_message() -> str:
    return _(
        "This PDF contains scripts, automatic actions or embedded files, which this service "
        "never runs or opens. Ask the sender for the form as a Word document (.docx), or "
        "record the referral yourself."
    )


def encrypted_message() -> str:
    return _(
        "This file is protected with a password. Ask the sender for a copy without a password."
    )


def damaged_message() -> str:
    return _(
        "This PDF is damaged or incomplete and cannot be read. Ask the sender for the form again."
    )


def bomb_message() -> str:
    return _(
        "This PDF would unpack to far more than a referral form holds, so it was not read. "
        "Ask the sender for the form again."
    )


def check_pdf(data: bytes) -> None:
    """Refuse an encrypted, damaged, exploding or active PDF, looking at every object."""
    with pypdf.apply_configuration(**LIMITS):
        try:
            reader = pypdf.PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                raise FormRejected(encrypted_message())
            ids = [(n, g) for g, table in reader.xref.items() for n in table]
            ids += [(n, 0) for n in reader.xref_objStm]
            if len(ids) > MAX_OBJECTS:
                raise FormRejected(damaged_message())
            unpacked = 0
            for number, generation in ids:
                obj = reader.get_object(IndirectObject(number, generation, reader))
                if _active(obj):
                    raise FormRejected(active_content_message())
                if isinstance(obj, StreamObject):
                    unpacked += len(obj.get_data() or b"")
                    if unpacked > MAX_UNPACKED_BYTES:
                        raise FormRejected(bomb_message())
        except LimitReachedError:
            raise FormRejected(bomb_message()) from None
        except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            raise FormRejected(damaged_message()) from None


def _active(obj, depth: int = 0) -> bool:
    """Whether a direct object (a dictionary, with what it holds) carries active content.
    Indirect references are looked at on their own turn, so no cycle is followed."""
    if depth > 50:
        return True
    if isinstance(obj, DictionaryObject):
        if ACTIVE_KEYS & set(obj.keys()):
            return True
        if obj.get("/S") in ACTIVE_ACTIONS:
            return True
        return any(
            _active(value, depth + 1)
            for value in obj.values()
            if not isinstance(value, IndirectObject)
        )
    if isinstance(obj, ArrayObject):
        return any(
            _active(value, depth + 1) for value in obj if not isinstance(value, IndirectObject)
        )
    return False


WRAPPED = re.compile(r"(?<![.!?:;])\n(?=[a-z])")


def unwrap(text: str) -> str:
    """A box's lines as the paragraphs they were typed as: a line that goes on in lower case
    after no full stop is the same sentence wrapped at the cell's edge. A line break the
    practitioner typed (an address's lines, a new sentence) stays."""
    return WRAPPED.sub(" ", text)


def read_blocks(data: bytes) -> list[Block]:
    """The text boxes of a checked PDF in reading order, each row of the page a row."""
    check_pdf(data)
    # A gap of a character's width ends a box: a table's label and answer cells stay apart.
    params = LAParams(char_margin=1.0, line_margin=0.4)
    blocks: list[Block] = []
    try:
        for page_number, page in enumerate(
            extract_pages(io.BytesIO(data), maxpages=MAX_PAGES, laparams=params)
        ):
            boxes = [box for box in page if isinstance(box, LTTextContainer)]
            boxes.sort(key=lambda box: (-box.y1, box.x0))
            rows: list[list] = []
            for box in boxes:
                if rows and rows[-1][0].y1 - box.y1 <= ROW_TOLERANCE:
                    rows[-1].append(box)
                else:
                    rows.append([box])
            for row_number, row in enumerate(rows):
                for column, box in enumerate(sorted(row, key=lambda b: b.x0)):
                    text = unwrap(box.get_text().strip())
                    if text:
                        blocks.append(Block(text, (page_number, row_number), column))
    except (PSException, ValueError, KeyError, TypeError, AssertionError, RecursionError):
        raise FormRejected(damaged_message()) from None
    if not blocks:
        raise FormRejected(
            _(
                "This PDF holds no text that can be read (it may be a scan or a photo). Record "
                "the referral yourself and attach the file to it."
            )
        )
    return blocks
