"""Which reader a file goes to, judged by its content, never its name; and the files that go
to none (an image renamed .docx, an old .doc, anything else), each with what to do instead.
"""

from __future__ import annotations

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from prevent_cms.errors import PayloadTooLarge

from . import pdf, word
from .blocks import Block, FormRejected

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def not_a_form_message() -> str:
    return _(
        "This file is not the national Prevent referral form. Upload the form as the "
        "practitioner sent it: a Word document (.docx) or a PDF saved from it."
    )


def too_large_message() -> str:
    return _("The file must be smaller than 10 MB")


def check_size(size: int) -> None:
    """Over the attachment limit is 413 (``PayloadTooLarge``), before anything is read."""
    if size > settings.MAX_ATTACHMENT_BYTES:
        raise PayloadTooLarge(too_large_message())
    if size == 0:
        raise FormRejected(_("The selected file is empty"))


def read_upload(upload: UploadedFile) -> bytes:
    """The upload's bytes, refused over the limit before they are read (and, should the
    size it claims be wrong, after reading one byte past the limit)."""
    check_size(upload.size or 0)
    upload.seek(0)
    data = upload.read(settings.MAX_ATTACHMENT_BYTES + 1)
    upload.seek(0)
    check_size(len(data))
    return data


def read_blocks(data: bytes) -> list[Block]:
    """The file's text blocks, from the reader its content calls for, or ``FormRejected``."""
    check_size(len(data))
    if data.startswith(b"PK\x03\x04"):
        return word.read_blocks(data)
    if b"%PDF-" in data[:1024]:
        return pdf.read_blocks(data)
    if data.startswith(OLE_SIGNATURE):
        raise FormRejected(
            _(
                "This is an older Word document (.doc), or one protected with a password. Open "
                "it in Word, save it as a Word document (.docx) without a password, and upload "
                "that."
            )
        )
    kind = filetype.guess(data[:8192])
    if kind is not None and kind.mime.startswith("image/"):
        raise FormRejected(
            _(
                "This file is a picture, not a Word document or PDF. If it is a photo or scan "
                "of the form, record the referral yourself and attach the picture to it."
            )
        )
    raise FormRejected(not_a_form_message())
