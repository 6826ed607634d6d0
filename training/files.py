"""Checks on uploaded certificates: the type comes from the content, never from the name."""

from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from . import conf

CERTIFICATE_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/gif": "gif",
    "image/webp": "webp",
    "image/heic": "heic",
}


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".removesuffix(".0")


def check_certificate(upload: UploadedFile) -> CheckedFile:
    """Accept a PDF or a picture up to the size limit, or raise a ValidationError."""
    limit = conf.certificate_max_bytes()
    if upload.size == 0:
        raise ValidationError(_("The selected file is empty."), code="empty")
    if upload.size > limit:
        raise ValidationError(
            _("The certificate must be smaller than %(limit)s MB.") % {"limit": megabytes(limit)},
            code="too_big",
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in CERTIFICATE_TYPES:
        raise ValidationError(
            _("The certificate must be a PDF or a picture (JPG, PNG, GIF, WebP or HEIC)."),
            code="wrong_type",
        )
    return CheckedFile(kind.mime, CERTIFICATE_TYPES[kind.mime])
