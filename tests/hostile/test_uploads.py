"""Upload and body-size attacks (issue 7): path traversal in file names, disguised
executables, a zip bomb dressed as .docx, and bodies over DATA_UPLOAD_MAX_MEMORY_SIZE.
Each gets a clear 4xx or is stored harmlessly, never a 500."""

from __future__ import annotations

import io
import json
import os
import time
import zipfile

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from referrals.models import Attachment
from tests.referrals import factories as rf

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
WINDOWS_EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"
    + b"\x00" * 48
    + (b"This program cannot be run in DOS mode.\r\r\n$" + b"\x00" * 200)
)
LINUX_ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 300
MACH_O = b"\xcf\xfa\xed\xfe\x07\x00\x00\x01" + b"\x00" * 300


@pytest.fixture
def case(world):
    officer = rf.officer_for(world)
    return rf.direct(rf.InPoliceAssessmentFactory, world, officer=officer), officer


def _upload(client, referral, name: str, content: bytes, content_type="application/pdf"):
    return client.post(
        reverse("referrals:attachment_upload", args=[referral.pk]),
        {"file": SimpleUploadedFile(name, content, content_type), "description": name},
    )


@pytest.mark.parametrize(
    "name",
    [
        "../../../../etc/passwd.pdf",
        "..\\..\\..\\Windows\\System32\\drivers\\etc\\hosts.pdf",
        "/etc/cron.d/evil.pdf",
        "....//....//evil.pdf",
        "%2e%2e%2fevil.pdf",
        "evil.pdf\x00.txt",
    ],
)
def test_path_traversal_in_a_file_name_goes_nowhere(case, client, name):
    referral, officer = case
    client.force_login(officer)
    response = _upload(client, referral, name, PDF)
    assert response.status_code in (302, 400)
    for attachment in Attachment.objects.filter(referral=referral):
        stored = os.path.realpath(attachment.file.path)
        assert stored.startswith(os.path.realpath(settings.MEDIA_ROOT) + os.sep)
        assert f"attachments/{referral.pk}/" in attachment.file.name
        assert "/" not in attachment.original_name
        assert "\\" not in attachment.original_name
        download = client.get(
            reverse("referrals:attachment_download", args=[referral.pk, attachment.pk])
        )
        assert download.status_code == 200
        assert download["Content-Disposition"].startswith("attachment")
        assert download["X-Content-Type-Options"] == "nosniff"
    assert not os.path.exists("/etc/cron.d/evil.pdf")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", WINDOWS_EXE),
        ("photo.jpg", LINUX_ELF),
        ("minutes.docx", MACH_O),
        ("letter.txt", WINDOWS_EXE),
    ],
)
def test_disguised_executables_are_refused(case, client, name, content):
    referral, officer = case
    client.force_login(officer)
    response = _upload(client, referral, name, content)
    assert response.status_code == 400
    assert "must be a PDF, image, Office document or text file" in response.content.decode()
    assert not Attachment.objects.filter(referral=referral).exists()


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 60


@pytest.mark.parametrize(
    ("name", "content", "extension"),
    [
        ("report.pdf.exe", PDF, "pdf"),
        ("report.exe", PDF, "pdf"),
        ("Jo Bloggs school report.pdf", PDF, "pdf"),
        ("photo.pdf", PNG, "png"),
        ("notes.html", b"<script>alert(1)</script> plain words", "txt"),
        ("run.bat", b"echo hello", "txt"),
    ],
)
def test_a_download_is_named_by_its_sniffed_type_never_its_uploaded_name(
    case, client, name, content, extension
):
    """The saved name is the case reference, the file's number and the sniffed extension."""
    referral, officer = case
    client.force_login(officer)
    for _earlier in range(2):
        assert _upload(client, referral, "earlier.txt", b"earlier").status_code == 302
    assert _upload(client, referral, name, content).status_code == 302
    attachment = Attachment.objects.filter(referral=referral).order_by("created_at").last()
    download = client.get(
        reverse("referrals:attachment_download", args=[referral.pk, attachment.pk])
    )
    assert download.status_code == 200
    expected = f"{referral.reference}-attachment-3.{extension}"
    assert download["Content-Disposition"] == f'attachment; filename="{expected}"'
    assert download.filename == expected


def _zip_bomb(megabytes: int) -> bytes:
    """A .docx-looking zip whose document expands to ``megabytes`` of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as inner:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(megabytes):
                inner.write(chunk)
    return buffer.getvalue()


def test_a_zip_bomb_disguised_as_docx_is_never_expanded(case, client):
    referral, officer = case
    bomb = _zip_bomb(200)
    assert len(bomb) < 1024 * 1024
    client.force_login(officer)
    # CPU time of this process, not the wall clock: other work on a busy machine does not
    # count, while unpacking 200 MB (and parsing what comes out) would.
    started = time.process_time()
    response = _upload(client, referral, "cv.docx", bomb)
    assert time.process_time() - started < 5
    assert response.status_code in (302, 400)
    for attachment in Attachment.objects.filter(referral=referral):
        # Stored as sent, opaque, and served only as a download: nothing unpacks it.
        assert attachment.size == len(bomb)
        assert os.path.getsize(attachment.file.path) == len(bomb)


def test_a_file_over_the_attachment_limit_is_a_clear_400(case, client):
    referral, officer = case
    client.force_login(officer)
    big = PDF + b"0" * (settings.MAX_ATTACHMENT_BYTES + 1)
    response = _upload(client, referral, "big.pdf", big)
    assert response.status_code == 400
    assert "smaller than 10 MB" in response.content.decode()


def test_an_api_body_over_the_memory_limit_is_a_json_413(world):
    api = APIClient()
    api.force_authenticate(rf.referrer_for(world))
    body = rf.complete_form()
    body["subject"]["date_of_birth"] = body["subject"]["date_of_birth"].isoformat()
    body["concern_summary"] = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024)
    response = api.post("/api/v1/referrals/", json.dumps(body), content_type="application/json")
    assert response.status_code == 413, response.status_code
    assert response.json() == {
        "detail": "The request is too large. Send less data, or a smaller file.",
        "code": "too_large",
    }


def test_an_html_form_body_over_the_memory_limit_is_a_clear_4xx(world, client):
    referrer = rf.referrer_for(world)
    referral = rf.draft(world, referrer=referrer)
    client.force_login(referrer)
    response = client.post(
        reverse("referrals:section", args=[referral.pk, "concerns"]),
        {"concern_summary": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024)},
    )
    assert 400 <= response.status_code < 500, response.status_code
    referral.refresh_from_db()
    assert len(referral.concern_summary) < 10_000
