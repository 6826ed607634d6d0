"""What every upload is checked against, wherever it is kept (case attachments, partnership
documents): its real type from its content, never its name, and its size. Here, below the
apps, so that any app may check an upload without importing another app's services."""

from __future__ import annotations

import filetype
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from .errors import GuardFailed

ALLOWED_UPLOADS = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/msword": "doc",
    "application/vnd.ms-excel": "xls",
    "application/rtf": "rtf",
    "text/plain": "txt",
}


REFUSED_TYPE = _lazy("The selected file must be a PDF, image, Office document or text file")


def sniff_upload(*, upload: UploadedFile) -> str:
    """The file's real type from its content, never its name. Raises GuardFailed if refused."""
    size = upload.size or 0
    if size > settings.MAX_ATTACHMENT_BYTES:
        raise GuardFailed({"file": _("The file must be smaller than 10 MB")})
    if size == 0:
        raise GuardFailed({"file": _("The selected file is empty")})
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is not None:
        mime = kind.mime
        if mime == "application/x-ole-storage" or mime == "application/x-cfb":
            mime = "application/msword"
        if mime in ALLOWED_UPLOADS:
            return mime
        raise GuardFailed({"file": str(REFUSED_TYPE)})
    if head.startswith(b"{\\rtf"):
        return "application/rtf"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        raise GuardFailed({"file": str(REFUSED_TYPE)}) from None
    if b"\x00" in head:
        raise GuardFailed({"file": str(REFUSED_TYPE)})
    return "text/plain"
