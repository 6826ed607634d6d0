"""Issue 15: referrers attach evidence while drafting, and add information (a dated addendum)
to a referral already sent; the officers are told, content-free; what was sent never changes.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Role
from prevent_cms.errors import ActionForbidden, GuardFailed, TransitionNotAllowed
from referrals import services
from referrals.models import Addendum, Attachment, Referral
from tests.helpers import audit_actions
from tests.referrals import factories as f

ADDED = "Since I referred him he has started wearing the group's patch."
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 64


def upload(name="screenshot.pdf", content=PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def _submitted_fields(referral: Referral) -> dict:
    fresh = Referral.objects.select_related("subject").get(pk=referral.pk)
    return {
        "concern_summary": fresh.concern_summary,
        "version": fresh.version,
        "first_name": fresh.subject.first_name,
        "state": fresh.state,
    }


# --- The service -------------------------------------------------------------------------


def test_the_referrer_adds_information_and_the_assigned_officer_is_told(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    officer = f.officer_for(world)
    other_officer = f.officer_for(world)
    referral = f.police_assessment(world, officer=officer)
    before = _submitted_fields(referral)
    with django_capture_on_commit_callbacks(execute=True):
        addendum = services.addendum_add(
            referral_id=referral.pk,
            actor=referral.referrer,
            text=f"  {ADDED}  ",
            upload=upload(),
            description="Photo of the patch",
        )
    assert addendum.text == ADDED
    assert addendum.attachment.referral_id == referral.pk
    assert addendum.attachment.content_type == "application/pdf"
    assert _submitted_fields(referral) == before  # what was sent never changes
    assert "referral.addendum_added" in audit_actions(object_id=str(referral.pk))
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [officer.email]
    assert other_officer.email not in mail.to
    assert referral.reference in mail.subject
    # Content-free: the reference and a link, never what was added or who it is about.
    for private in (ADDED, "patch", referral.subject.first_name, referral.subject.last_name):
        assert private not in mail.subject + mail.body


def test_before_an_officer_is_assigned_the_force_officers_are_told(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    officers = [f.officer_for(world), f.officer_for(world)]
    elsewhere = f.officer_for(world, agency=world.police_c)
    referral = f.submitted(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.addendum_add(referral_id=referral.pk, actor=referral.referrer, text=ADDED)
    assert sorted(mailoutbox[0].to) == sorted(o.email for o in officers)
    assert elsewhere.email not in mailoutbox[0].to


def test_only_the_referrer_and_only_once_sent(world):
    officer = f.officer_for(world)
    referral = f.direct(f.InPoliceAssessmentFactory, world, officer=officer)
    colleague = f.referrer_for(world)
    lead = world.user(Role.AGENCY_LEAD, agency=world.school_a)
    for person in (officer, lead):
        with pytest.raises(ActionForbidden):
            services.addendum_add(referral_id=referral.pk, actor=person, text=ADDED)
    with pytest.raises(Referral.DoesNotExist):  # out of their scope: as if it did not exist
        services.addendum_add(referral_id=referral.pk, actor=colleague, text=ADDED)
    draft = f.direct(f.DraftFactory, world)
    with pytest.raises(TransitionNotAllowed):
        services.addendum_add(referral_id=draft.pk, actor=draft.referrer, text=ADDED)
    assert not Addendum.objects.exists()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Enter the information"),
        ("   ", "Enter the information"),
        ("x" * 5001, "5000 characters or fewer"),
        ("bad\x00text", "control characters"),
        ("bad\x1b[2Jtext", "control characters"),
    ],
)
def test_the_text_is_checked(world, text, message):
    referral = f.direct(f.SubmittedFactory, world)
    with pytest.raises(GuardFailed) as error:
        services.addendum_add(referral_id=referral.pk, actor=referral.referrer, text=text)
    assert message in str(error.value.errors["text"])
    assert not Addendum.objects.exists()


def test_a_refused_file_saves_nothing(world):
    referral = f.direct(f.SubmittedFactory, world)
    with pytest.raises(GuardFailed) as error:
        services.addendum_add(
            referral_id=referral.pk,
            actor=referral.referrer,
            text=ADDED,
            upload=upload("report.pdf", PROGRAM),
        )
    assert "must be a PDF, image" in str(error.value.errors["file"])
    assert not Addendum.objects.exists()
    assert not Attachment.objects.filter(referral=referral).exists()


# --- Evidence while drafting (the officers' upload checks) --------------------------------


def test_the_referrer_attaches_evidence_to_a_draft(world, client):
    referral = f.direct(f.DraftFactory, world)
    client.force_login(referral.referrer)
    url = reverse("referrals:evidence", args=[referral.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "No files attached yet" in page.content.decode()
    response = client.post(url, {"file": upload(), "description": "Screenshot"})
    assert response.status_code == 302
    attachment = referral.attachments.get()
    assert (attachment.uploaded_by, attachment.content_type) == (
        referral.referrer,
        "application/pdf",
    )
    assert "screenshot.pdf" in client.get(url).content.decode()
    check = client.get(reverse("referrals:check", args=[referral.pk])).content.decode()
    assert "screenshot.pdf" in check
    # Sent with the referral: the officer sees it on the case page.
    services.referral_transition(referral_id=referral.pk, name="submit", actor=referral.referrer)
    client.force_login(f.officer_for(world))
    case = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "screenshot.pdf" in case


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (PROGRAM, "must be a PDF, image, Office document or text file"),
        (b"", "The selected file is empty"),
    ],
)
def test_evidence_gets_the_same_content_checks(world, client, content, message):
    referral = f.direct(f.DraftFactory, world)
    client.force_login(referral.referrer)
    url = reverse("referrals:evidence", args=[referral.pk])
    response = client.post(url, {"file": upload("notes.pdf", content)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not referral.attachments.exists()


def test_evidence_is_the_referrers_own_draft_only(world, client):
    referral = f.direct(f.DraftFactory, world)
    url = reverse("referrals:evidence", args=[referral.pk])
    client.force_login(f.referrer_for(world))  # a colleague: the draft is not in scope
    assert client.post(url, {"file": upload()}).status_code == 404
    client.force_login(referral.referrer)
    services.referral_transition(referral_id=referral.pk, name="submit", actor=referral.referrer)
    sent = client.post(url, {"file": upload()})
    assert sent.status_code == 302  # sent: back to the referral, nothing attached
    assert not referral.attachments.exists()


# --- The add-information page and where addenda show --------------------------------------


def test_the_referrer_adds_information_from_their_referral_page(world, client):
    officer = f.officer_for(world)
    referral = f.direct(f.InPoliceAssessmentFactory, world, officer=officer)
    client.force_login(referral.referrer)
    summary = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    url = reverse("referrals:addendum_add", args=[referral.pk])
    assert url in summary
    assert client.get(url).status_code == 200
    empty = client.post(url, {"text": ""})
    assert empty.status_code == 400
    assert "Enter the information you want to add" in empty.content.decode()
    long = client.post(url, {"text": "x" * 5001})
    assert "5000 characters or fewer" in long.content.decode()
    control = client.post(url, {"text": "a\x1bb"})
    assert "hidden control characters" in control.content.decode()
    bad_file = client.post(url, {"text": ADDED, "file": upload("x.pdf", PROGRAM)})
    assert bad_file.status_code == 400
    assert "must be a PDF, image" in bad_file.content.decode()
    assert not Addendum.objects.exists()
    response = client.post(url, {"text": ADDED, "file": upload(), "description": "Patch"})
    assert response.url == reverse("referrals:detail", args=[referral.pk])
    summary = client.get(response.url).content.decode()
    assert "The Prevent team has been told" in summary
    assert "the group&#x27;s patch" in summary
    # The referrer may download the file they added.
    addendum = Addendum.objects.get()
    download = reverse("referrals:attachment_download", args=[referral.pk, addendum.attachment_id])
    assert download in summary
    # The officer sees it on the case page, with the file.
    client.force_login(officer)
    case = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Information added since the referral was sent" in case
    assert "the group&#x27;s patch" in case
    assert download in case


def test_the_agency_lead_reads_addenda_but_cannot_add_or_download(world, client):
    referral = f.direct(f.SubmittedFactory, world)
    addendum = services.addendum_add(
        referral_id=referral.pk, actor=referral.referrer, text=ADDED, upload=upload()
    )
    lead = world.user(Role.AGENCY_LEAD, agency=world.school_a)
    client.force_login(lead)
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "the group&#x27;s patch" in page
    assert reverse("referrals:addendum_add", args=[referral.pk]) not in page
    download = reverse("referrals:attachment_download", args=[referral.pk, addendum.attachment_id])
    assert download not in page
    assert "screenshot.pdf" not in page
    url = reverse("referrals:addendum_add", args=[referral.pk])
    assert client.post(url, {"text": ADDED}).status_code == 403
    assert Addendum.objects.count() == 1


def test_a_draft_has_no_add_information_page(world, client):
    referral = f.direct(f.DraftFactory, world)
    client.force_login(referral.referrer)
    response = client.post(reverse("referrals:addendum_add", args=[referral.pk]), {"text": ADDED})
    assert response.url == reverse("referrals:task_list", args=[referral.pk])
    assert not Addendum.objects.exists()


# --- The API --------------------------------------------------------------------------------


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def _addenda_url(referral) -> str:
    return f"/api/v1/referrals/{referral.pk}/addenda/"


def test_api_adds_with_location_and_replays_the_same_key(world):
    referral = f.direct(f.SubmittedFactory, world)
    client = _api(referral.referrer)
    headers = {"Idempotency-Key": "addendum-1"}
    body = {"text": ADDED, "file": upload(), "description": "Patch"}
    first = client.post(_addenda_url(referral), body, format="multipart", headers=headers)
    assert first.status_code == 201, first.content
    data = first.json()
    assert data["text"] == ADDED
    assert data["attachment"].endswith(f"/attachments/{Addendum.objects.get().attachment_id}/")
    location = first["Location"]
    assert location.endswith(f"{_addenda_url(referral)}{data['id']}/")
    again = client.post(
        _addenda_url(referral),
        {"text": ADDED, "file": upload(), "description": "Patch"},
        format="multipart",
        headers=headers,
    )
    assert again.status_code == 201
    assert again.json()["id"] == data["id"]
    assert again["Idempotent-Replayed"] == "true"
    assert Addendum.objects.count() == 1
    read = client.get(location)
    assert read.status_code == 200
    assert read.json()["text"] == ADDED


def test_api_lists_addenda_to_those_who_see_the_referral_and_audits_it(world):
    officer = f.officer_for(world)
    referral = f.direct(f.InPoliceAssessmentFactory, world, officer=officer)
    services.addendum_add(referral_id=referral.pk, actor=referral.referrer, text="First.")
    services.addendum_add(referral_id=referral.pk, actor=referral.referrer, text="Second.")
    lead = world.user(Role.AGENCY_LEAD, agency=world.school_a)
    for person in (referral.referrer, lead, officer):
        response = _api(person).get(_addenda_url(referral))
        assert response.status_code == 200
        assert [row["text"] for row in response.json()["results"]] == ["Second.", "First."]
        assert "referral.viewed" in audit_actions(actor=person, object_id=str(referral.pk))
    outsider = f.officer_for(world, agency=world.police_c)
    assert _api(outsider).get(_addenda_url(referral)).status_code == 404


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"text": ""}, 400, "text"),
        ({"text": "x" * 5001}, 400, "text"),
        ({"text": "a\x07b"}, 400, "text"),
        ({}, 400, "text"),
        ({"text": ADDED, "file": upload("x.pdf", PROGRAM)}, 400, "file"),
    ],
)
def test_api_refuses_bad_addenda(world, body, status, field):
    referral = f.direct(f.SubmittedFactory, world)
    response = _api(referral.referrer).post(_addenda_url(referral), body, format="multipart")
    assert response.status_code == status, response.content
    assert field in response.json()["errors"]
    assert not Addendum.objects.exists()


def test_api_add_is_the_referrers_once_sent(world):
    officer = f.officer_for(world)
    referral = f.direct(f.InPoliceAssessmentFactory, world, officer=officer)
    lead = world.user(Role.AGENCY_LEAD, agency=world.school_a)
    for person in (officer, lead):
        response = _api(person).post(_addenda_url(referral), {"text": ADDED}, format="multipart")
        assert response.status_code == 403
    draft = f.direct(f.DraftFactory, world)
    response = _api(draft.referrer).post(_addenda_url(draft), {"text": ADDED}, format="multipart")
    assert response.status_code == 409
    outsider = f.referrer_for(world, agency=world.school_c)
    response = _api(outsider).post(_addenda_url(referral), {"text": ADDED}, format="multipart")
    assert response.status_code == 404
    assert not Addendum.objects.exists()
