"""A Word (.docx) file, checked before it is opened and read into blocks with python-docx.

Checked first, from the zip's own directory and without unpacking anything: how much it
would unpack to (a zip bomb renamed .docx), whether it holds macros (a .docm renamed, or a
``vbaProject``) or links to a template elsewhere (which Word would fetch and run). Nothing
embedded in the document (OLE objects, pictures, linked files) is ever opened or fetched:
only the text of the main document part is read. python-docx parses XML without resolving
entities, so an entity pointing at a local file or a web address stays unread.
"""

from __future__ import annotations

import io
import zipfile

import docx
from django.utils.translation import gettext as _
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from lxml import etree

from .blocks import Block, FormRejected

MAX_PARTS = 1000
MAX_UNPACKED_BYTES = 40 * 1024 * 1024
# Word's own parts compress about 5-10 to 1; a part over this ratio is made to explode.
MAX_RATIO = 200
RATIO_FLOOR_BYTES = 1024 * 1024
MACRO_PARTS = ("vbaproject.bin", "vbadata.xml", "activex")
# Word fetches (and runs the macros of) a template named by a link to another place.
ATTACHED_TEMPLATE = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/attachedTemplate"
)

WINGDINGS_TICKED = {"f0fe", "f078", "f0fd", "f0fc", "00fe", "0078"}
WINGDINGS_UNTICKED = {"f0a8", "f06f", "f071", "00a8", "006f"}
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def bomb_message() -> str:
    return _(
        "This file would unpack to far more than a referral form holds, so it was not "
        "opened. Ask the sender for the form again."
    )


def macro_message() -> str:
    return _(
        "This Word file contains macros (or links to a macro template), which this service "
        "never opens. Ask the sender for the form saved as an ordinary Word document (.docx), "
        "or record the referral yourself."
    )


def damaged_message() -> str:
    return _(
        "This file is damaged or incomplete and cannot be read. Ask the sender for the form again."
    )


def not_word_message() -> str:
    return _(
        "This file is not a Word document. Upload the national Prevent referral form as the "
        "practitioner sent it: a Word document (.docx) or a PDF saved from it."
    )


def check_archive(data: bytes) -> None:
    """Refuse a zip that would unpack to too much, is encrypted, is not a Word document, or
    holds macros — reading only the zip's directory."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FormRejected(damaged_message()) from None
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS or sum(p.file_size for p in parts) > MAX_UNPACKED_BYTES:
            raise FormRejected(bomb_message())
        for part in parts:
            if part.file_size > RATIO_FLOOR_BYTES and part.file_size > MAX_RATIO * max(
                part.compress_size, 1
            ):
                raise FormRejected(bomb_message())
            if part.flag_bits & 0x1:
                raise FormRejected(damaged_message())
        names = {part.filename.lower() for part in parts}
    if any(name.endswith(MACRO_PARTS) or "/activex/" in name for name in names):
        raise FormRejected(macro_message())
    if "word/document.xml" not in names or "[content_types].xml" not in names:
        raise FormRejected(not_word_message())


def open_document(data: bytes):
    """The checked file opened by python-docx, or ``FormRejected``."""
    check_archive(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except ValueError as error:
        # python-docx names the main part's type: a macro-enabled document or template.
        if "macroEnabled" in str(error):
            raise FormRejected(macro_message()) from None
        raise FormRejected(not_word_message()) from None
    except (KeyError, PackageNotFoundError, zipfile.BadZipFile, etree.XMLSyntaxError):
        raise FormRejected(damaged_message()) from None
    for part in document.part.package.iter_parts():
        if "macroEnabled" in part.content_type or "vbaProject" in part.content_type:
            raise FormRejected(macro_message())
        if any(rel.is_external and rel.reltype == ATTACHED_TEMPLATE for rel in part.rels.values()):
            raise FormRejected(macro_message())
    return document


def read_blocks(data: bytes) -> list[Block]:
    """The main document's paragraphs and table cells, in reading order."""
    document = open_document(data)
    blocks: list[Block] = []
    _walk(document.element.body, blocks, counter=[0])
    return blocks


def _walk(container, blocks: list[Block], counter: list[int]) -> None:
    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            text = paragraph_text(child)
            if text.strip():
                blocks.append(Block(text))
        elif child.tag == qn("w:tbl"):
            _table(child, blocks, counter)
        elif child.tag == qn("w:sdt"):
            if not _placeholder(child):
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    _walk(content, blocks, counter)


def _table(table, blocks: list[Block], counter: list[int]) -> None:
    for row in table.iterchildren(qn("w:tr")):
        counter[0] += 1
        row_id = (counter[0],)
        for column, cell in enumerate(_cells(row)):
            texts: list[str] = []
            for child in cell.iterchildren():
                if child.tag == qn("w:p"):
                    texts.append(paragraph_text(child))
                elif child.tag == qn("w:sdt") and not _placeholder(child):
                    content = child.find(qn("w:sdtContent"))
                    for paragraph in content.iter(qn("w:p")) if content is not None else ():
                        texts.append(paragraph_text(paragraph))
                elif child.tag == qn("w:tbl"):
                    if any(t.strip() for t in texts):
                        blocks.append(Block("\n".join(texts), row_id, column))
                    texts = []
                    _table(child, blocks, counter)
            text = "\n".join(texts)
            if text.strip():
                blocks.append(Block(text, row_id, column))


def _cells(row):
    """The row's cells, a cell-level content control's cell included."""
    for child in row.iterchildren():
        if child.tag == qn("w:tc"):
            yield child
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from content.iterchildren(qn("w:tc"))


def _placeholder(sdt) -> bool:
    """A content control still showing its placeholder ("Click or tap here to enter text.")."""
    properties = sdt.find(qn("w:sdtPr"))
    return properties is not None and properties.find(qn("w:showingPlcHdr")) is not None


def paragraph_text(paragraph) -> str:
    """A paragraph's text as Word shows it: check boxes (content controls, legacy form
    fields and Wingdings symbols) as ☒ or ☐, breaks as new lines, deleted text and
    placeholders left out."""
    out: list[str] = []
    _text(paragraph, out)
    return "".join(out)


def _text(element, out: list[str]) -> None:
    for child in element.iterchildren():
        tag = child.tag
        if not isinstance(tag, str) or tag == MC_FALLBACK:
            continue
        if tag == qn("w:t"):
            out.append(child.text or "")
        elif tag in (qn("w:tab"), qn("w:ptab")):
            out.append(" ")
        elif tag in (qn("w:br"), qn("w:cr")):
            out.append("\n")
        elif tag == qn("w:sym"):
            out.append(_symbol(child))
        elif tag == qn("w:checkBox"):
            out.append("☒" if _legacy_checked(child) else "☐")
        elif tag in (qn("w:del"), qn("w:instrText"), qn("w:delText"), qn("w:moveFrom")):
            continue
        elif tag == qn("w:sdt"):
            if not _placeholder(child):
                content = child.find(qn("w:sdtContent"))
                if content is not None:
                    _text(content, out)
        else:
            _text(child, out)


def _symbol(sym) -> str:
    char = (sym.get(qn("w:char")) or "").lower()
    font = (sym.get(qn("w:font")) or "").lower()
    if "wingdings" not in font:
        return ""
    if char in WINGDINGS_TICKED:
        return "☒"
    if char in WINGDINGS_UNTICKED:
        return "☐"
    return ""


def _legacy_checked(check_box) -> bool:
    for name in ("w:checked", "w:default"):
        element = check_box.find(qn(name))
        if element is not None:
            return (element.get(qn("w:val")) or "1") not in ("0", "false", "off")
    return False
