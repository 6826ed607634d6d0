"""Hostile files sent as the national referral form (issue 15, "Bad input"), through the
import API as an officer would: a Word file with macros or a remote template, a zip bomb
renamed .docx, PDFs with scripts, an encrypted PDF, a scan, an image renamed .docx, a form
in another layout, a letter, raw control characters, far too much text, an old .doc and a
file over 10 MB. Each answers with a message and saves nothing; none is unpacked, run or
fetched. Answers with hidden characters or 50,000 characters make a draft without them."""

from __future__ import annotations

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from accounts.models import Role
from referrals.models import Attachment, Referral, Subject
from tests.referrals.national_form import hostile

pytestmark = pytest.mark.django_db

URL = "/api/v1/referrals/imports/"
HOSTILE = hostile.hostile_files()


def _post(world, name: str, content: bytes):
    api = APIClient()
    api.force_authenticate(world.user(Role.PREVENT_OFFICER, agency=world.police_a))
    upload = SimpleUploadedFile(name, content, "application/octet-stream")
    return api.post(URL, {"file": upload, "referrer_sector": "education"}, format="multipart")


def _nothing_saved() -> None:
    assert not Referral.objects.exists()
    assert not Subject.objects.exists()
    assert not Attachment.objects.exists()


@pytest.mark.parametrize(("name", "content", "words"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_a_hostile_file_answers_400_with_a_message_and_saves_nothing(world, name, content, words):
    response = _post(world, name, content)
    assert response.status_code == 400, response.status_code
    body = response.json()
    assert words in body["detail"]
    assert body["errors"]["file"][0]["code"] == "form_rejected"
    _nothing_saved()


def test_a_zip_bomb_renamed_docx_is_refused_without_being_unpacked(world):
    bomb = hostile.zip_bomb(300)
    started = time.process_time()
    response = _post(world, "referral.docx", bomb)
    assert time.process_time() - started < 5
    assert response.status_code == 400
    assert hostile.BOMB in response.json()["detail"]
    _nothing_saved()


def test_a_file_over_10_mb_answers_413(world):
    response = _post(world, "referral.pdf", b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024))
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    _nothing_saved()


def test_hidden_characters_never_reach_the_draft(world):
    response = _post(world, "referral.docx", hostile.hidden_characters())
    assert response.status_code == 201
    subject = Referral.objects.get().subject
    assert (subject.first_name, subject.last_name) == ("Jordan", "Ellis")


def test_a_50000_character_answer_is_left_for_the_officer_never_cut(world):
    response = _post(world, "referral.docx", hostile.long_answer())
    assert response.status_code == 201
    body = response.json()
    assert "concern_summary" in body["unread_fields"]
    assert "5,000 characters" in body["notes"]["concern_summary"]
    assert Referral.objects.get().concern_summary == ""


def test_an_external_entity_reads_no_local_file(world):
    response = _post(world, "referral.docx", hostile.external_entity())
    assert response.status_code in (201, 400)
    for referral in Referral.objects.all():
        assert "root:" not in referral.subject.first_name
