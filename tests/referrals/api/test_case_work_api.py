"""Case notes, attachments, draft withdrawal and break-glass through the API (issue 23).

The same permissions, scope and audit as the case page: out of scope answers 404 (before the
body is read), a visible case whose action is not the caller's 403, bad input 400 in the
page's words, and every read and change writes its audit event.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from prevent_cms.models import AuditEvent
from referrals import services
from referrals.models import Attachment, BreakGlassGrant, Referral, Subject
from referrals.views.break_glass import NEUTRAL

from .conftest import as_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(direct_cast):
    """Notes, attachments, withdrawal and break-glass read none of the history, audit or
    e-mails a transition leaves: the cases are written straight to the database."""
    return direct_cast


def notes_url(referral) -> str:
    return f"/api/v1/referrals/{referral.pk}/notes/"


def files_url(referral) -> str:
    return f"/api/v1/referrals/{referral.pk}/attachments/"


def viewed(user, referral, via: str) -> int:
    return AuditEvent.objects.filter(
        action="referral.viewed", actor=user, object_id=str(referral.pk), detail__via=via
    ).count()


def field_messages(response, field: str) -> list[str]:
    """A field's messages: the error shape gives each field a list of ``{message, code}``."""
    listed = response.json()["errors"][field]
    assert isinstance(listed, list)
    return [error["message"] for error in listed]


# --- Notes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "case"), [("prevent_officer", "police"), ("channel_chair", "channel")]
)
def test_the_officer_and_the_chair_add_and_list_notes(api, cast, who, case):
    user, referral = cast.people[who], cast.cases[case]
    api = as_user(api, user)
    response = api.post(
        notes_url(referral), {"kind": "opinion", "text": "Seems isolated."}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["kind"] == "opinion"
    assert AuditEvent.objects.filter(
        action="referral.note_added", actor=user, object_id=str(referral.pk)
    ).exists()
    listed = api.get(notes_url(referral))
    assert listed.status_code == 200
    body = listed.json()
    assert body["count"] == 1
    assert body["results"][0]["text"] == "Seems isolated."
    assert body["results"][0]["author"] == str(user.pk)
    assert viewed(user, referral, "api_notes") == 1


def test_notes_out_of_scope_are_404_even_with_a_bad_body(api, cast):
    referral = cast.cases["police"]
    for who in ("officer_other_force", "chair_other_la", "referrer_other_la"):
        api = as_user(api, cast.people[who])
        assert api.get(notes_url(referral)).status_code == 404
        response = api.post(notes_url(referral), {"kind": "junk", "text": ""}, format="json")
        assert response.status_code == 404, who
    assert not referral.notes.exists()


@pytest.mark.parametrize("who", ["referrer", "agency_lead"])
def test_notes_are_not_for_those_who_see_a_case_coarsely(api, cast, who):
    referral = cast.cases["police"]
    api = as_user(api, cast.people[who])
    assert api.get(notes_url(referral)).status_code == 403
    response = api.post(notes_url(referral), {"kind": "fact", "text": "x"}, format="json")
    assert response.status_code == 403
    assert not referral.notes.exists()


def test_a_panel_member_may_not_read_or_add_notes(api, cast):
    referral = cast.cases["channel"]
    api = as_user(api, cast.people["panel_member"])
    assert api.get(notes_url(referral)).status_code == 403
    assert (
        api.post(notes_url(referral), {"kind": "fact", "text": "x"}, format="json").status_code
        == 403
    )


def test_a_note_needs_its_kind_and_text(api, cast):
    api = as_user(api, cast.people["prevent_officer"])
    response = api.post(
        notes_url(cast.cases["police"]), {"kind": "maybe", "text": ""}, format="json"
    )
    assert response.status_code == 400
    assert field_messages(response, "kind") == ["Say whether the note is fact or opinion"]
    assert field_messages(response, "text") == ["Enter the note"]


# --- Attachments ------------------------------------------------------------------------


def upload(name="report.txt", content=b"Attendance fell in October.", content_type="text/plain"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("who", "case"), [("prevent_officer", "police"), ("channel_chair", "channel")]
)
def test_upload_list_and_download_an_attachment(api, cast, settings, tmp_path, who, case):
    settings.MEDIA_ROOT = tmp_path
    user, referral = cast.people[who], cast.cases[case]
    api = as_user(api, user)
    response = api.post(
        files_url(referral), {"file": upload(), "description": "Attendance"}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["content_type"] == "text/plain"
    assert "report.txt" not in str(created)  # the uploaded name is never shown
    assert AuditEvent.objects.filter(
        action="referral.attachment_added", actor=user, object_id=str(referral.pk)
    ).exists()
    listed = api.get(files_url(referral)).json()
    assert [row["id"] for row in listed["results"]] == [created["id"]]
    assert viewed(user, referral, "api_attachments") == 1
    download = api.get(created["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"Attendance fell in October."
    assert f'filename="{referral.reference}-attachment-1.txt"' in download["Content-Disposition"]
    assert download["Content-Disposition"].startswith("attachment")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Cache-Control"] == "no-store"
    assert viewed(user, referral, "api_attachment") == 1


def test_an_upload_has_the_pages_content_checks(api, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    referral = cast.cases["police"]
    api = as_user(api, cast.people["prevent_officer"])
    program = upload("notes.txt", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 64)
    response = api.post(files_url(referral), {"file": program}, format="multipart")
    assert response.status_code == 400
    assert field_messages(response, "file") == [
        "The selected file must be a PDF, image, Office document or text file"
    ]
    response = api.post(files_url(referral), {"file": upload(content=b"")}, format="multipart")
    assert response.status_code == 400
    assert field_messages(response, "file") == ["The selected file is empty"]
    response = api.post(files_url(referral), {}, format="multipart")
    assert field_messages(response, "file") == ["Select a file"]
    response = api.post(files_url(referral), {"file": "x"}, format="json")
    assert response.status_code == 415  # a file is sent as multipart only
    assert not referral.attachments.exists()


def test_attachments_out_of_scope_are_404(api, cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    referral = cast.cases["police"]
    attachment = services.attachment_add(
        referral_id=referral.pk, actor=cast.people["prevent_officer"], upload=upload()
    )
    api = as_user(api, cast.people["officer_other_force"])
    assert api.get(files_url(referral)).status_code == 404
    assert api.post(files_url(referral), {"file": upload()}, format="multipart").status_code == 404
    assert api.get(f"{files_url(referral)}{attachment.pk}/").status_code == 404
    assert referral.attachments.count() == 1


def test_the_uploader_downloads_their_own_file_but_not_others(api, cast, world, settings, tmp_path):
    """As the page: coarse viewers get only what they uploaded themselves."""
    settings.MEDIA_ROOT = tmp_path
    referrer = cast.people["referrer"]
    referral = services.referral_create_draft(actor=referrer, data={"concern_summary": "Worried."})
    own = services.attachment_add(referral_id=referral.pk, actor=referrer, upload=upload())
    officer_file = cast.cases["police"]
    other = services.attachment_add(
        referral_id=officer_file.pk, actor=cast.people["prevent_officer"], upload=upload()
    )
    api = as_user(api, referrer)
    assert api.get(f"{files_url(referral)}{own.pk}/").status_code == 200
    assert api.get(files_url(referral)).status_code == 403  # the list is the case page's
    assert api.get(f"{files_url(officer_file)}{other.pk}/").status_code == 403
    api = as_user(api, cast.people["agency_lead"])
    assert api.get(f"{files_url(officer_file)}{other.pk}/").status_code == 403


# --- Withdrawing a draft -----------------------------------------------------------------


def test_the_referrer_withdraws_their_draft(
    api, cast, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    referral = cast.cases["draft"]
    referrer = cast.people["referrer"]
    attachment = services.attachment_add(referral_id=referral.pk, actor=referrer, upload=upload())
    stored = attachment.file.path
    api = as_user(api, referrer)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.delete(f"/api/v1/referrals/{referral.pk}/")
    assert response.status_code == 204
    assert not Path(stored).exists()  # the file leaves storage once the withdrawal commits
    assert not Referral.objects.filter(pk=referral.pk).exists()
    assert not Subject.objects.filter(pk=referral.subject_id).exists()
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    event = AuditEvent.objects.get(action="referral.draft_withdrawn", object_id=str(referral.pk))
    assert event.actor_id == referrer.pk
    assert event.detail == {"reference": referral.reference}
    assert str(referral.subject.last_name) not in str(event.detail)
    assert api.get(f"/api/v1/referrals/{referral.pk}/").status_code == 404


def test_only_a_draft_is_withdrawn_and_only_by_its_referrer(api, cast):
    police = cast.cases["police"]
    api = as_user(api, cast.people["referrer"])
    response = api.delete(f"/api/v1/referrals/{police.pk}/")
    assert response.status_code == 409
    assert "Only a draft can be withdrawn" in response.json()["detail"]
    api = as_user(api, cast.people["prevent_officer"])
    assert api.delete(f"/api/v1/referrals/{police.pk}/").status_code == 403
    assert Referral.objects.filter(pk=police.pk).exists()
    draft = cast.cases["draft"]
    for who in ("colleague_referrer", "agency_lead", "prevent_officer"):
        api = as_user(api, cast.people[who])
        assert api.delete(f"/api/v1/referrals/{draft.pk}/").status_code == 404, who
    assert Referral.objects.filter(pk=draft.pk).exists()
    assert not AuditEvent.objects.filter(action="referral.draft_withdrawn").exists()


# --- Break-glass -------------------------------------------------------------------------

BREAK_GLASS = "/api/v1/referrals/break-glass/"
REASON = "Out-of-hours call from A&E about this person; need the safety plan."


def test_a_chair_of_another_borough_opens_a_channel_case(api, cast):
    chair_b = cast.people["chair_other_la"]
    referral = cast.cases["channel"]
    api = as_user(api, chair_b)
    assert api.get(f"/api/v1/referrals/{referral.pk}/").status_code == 404
    response = api.post(
        BREAK_GLASS, {"reference": referral.reference, "reason": REASON}, format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["referral"] == str(referral.pk)
    assert body["url"].endswith(f"/api/v1/referrals/{referral.pk}/")
    assert body["expires_at"]
    assert api.get(body["url"]).status_code == 200
    grant = BreakGlassGrant.objects.get(referral=referral, user=chair_b)
    event = AuditEvent.objects.get(action="referral.break_glass", object_id=str(referral.pk))
    assert (event.actor_id, event.reason) == (chair_b.pk, REASON)
    assert event.detail["grant"] == str(grant.pk)


def test_someone_who_already_sees_the_case_is_granted_nothing(api, cast):
    referral = cast.cases["police"]
    api = as_user(api, cast.people["prevent_officer"])
    response = api.post(
        BREAK_GLASS, {"reference": referral.reference, "reason": REASON}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["expires_at"] is None
    assert not BreakGlassGrant.objects.exists()


def test_a_case_that_may_not_be_opened_answers_as_one_that_does_not_exist(api, cast):
    api = as_user(api, cast.people["officer_other_force"])
    other_force = api.post(
        BREAK_GLASS, {"reference": cast.cases["police"].reference, "reason": REASON}, format="json"
    )
    missing = api.post(
        BREAK_GLASS, {"reference": "PRV-2000-999999", "reason": REASON}, format="json"
    )
    assert other_force.status_code == missing.status_code == 404
    assert other_force.json() == missing.json() == {"detail": str(NEUTRAL), "code": "not_found"}
    api = as_user(api, cast.people["chair_other_la"])  # a police-stage case: not for chairs
    response = api.post(
        BREAK_GLASS, {"reference": cast.cases["police"].reference, "reason": REASON}, format="json"
    )
    assert response.status_code == 404
    assert not BreakGlassGrant.objects.exists()


def test_break_glass_needs_a_reason_and_the_role(api, cast):
    referral = cast.cases["channel"]
    api = as_user(api, cast.people["chair_other_la"])
    response = api.post(
        BREAK_GLASS, {"reference": referral.reference, "reason": "x"}, format="json"
    )
    assert response.status_code == 400
    assert field_messages(response, "reason") == ["Give the reason you need to open this case"]
    response = api.post(BREAK_GLASS, {"reason": REASON}, format="json")
    assert field_messages(response, "reference") == ["Enter the case reference"]
    for who in ("referrer", "panel_member", "borough_lead"):
        api = as_user(api, cast.people[who])
        body = {"reference": referral.reference, "reason": REASON}
        assert api.post(BREAK_GLASS, body, format="json").status_code == 403, who
    assert not BreakGlassGrant.objects.exists()
