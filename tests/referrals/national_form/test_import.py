"""The national form read into a draft (issue 15): through the API and the page, by a
Prevent officer or Prevent lead; the draft, its contact, the file as its first attachment,
the marks on its pages; and nothing saved for a file that is not the form."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Role
from prevent_cms.models import AuditEvent
from referrals import services
from referrals.models import Attachment, NationalFormImport, Referral, Subject
from referrals.national_form.reader import read_form

from . import forms, hostile

pytestmark = pytest.mark.django_db

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
URL = "/api/v1/referrals/imports/"


def _file(content: bytes, name: str = "referral.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, DOCX)


def _officer(world):
    return world.user(Role.PREVENT_OFFICER, agency=world.police_a)


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _nothing_saved() -> None:
    assert not Referral.objects.exists()
    assert not Subject.objects.exists()
    assert not Attachment.objects.exists()
    assert not NationalFormImport.objects.exists()


def test_an_officer_gets_a_draft_with_every_read_field_filled(world):
    officer = _officer(world)
    content = forms.build_docx(forms.COMPLETE)
    response = _api(officer).post(
        URL, {"file": _file(content), "referrer_sector": "education"}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    referral = Referral.objects.get()
    assert body["id"] == str(referral.pk)
    assert response["Location"] == body["url"]
    assert body["url"].endswith(f"/api/v1/referrals/{referral.pk}/")
    reading = read_form(content)
    assert body["read_fields"] == reading.read_fields
    assert body["unread_fields"] == reading.unread_fields
    assert "immediate_risk" in body["unread_fields"]
    # The draft: the officer's, received by the national form, the sender its contact.
    assert referral.state == "draft"
    assert referral.referrer == officer
    assert referral.keyed_by == officer
    assert referral.received_via == "national_form"
    assert referral.contact_name == "Helen Okafor"
    assert referral.contact_organisation == "Northbridge Academy"
    assert referral.contact_sector == "education"
    assert referral.contact_phone == "01632 960001"
    assert referral.contact_email == "h.okafor@northbridge-academy.example.org"
    subject = referral.subject
    assert (subject.first_name, subject.last_name) == ("Jordan", "Ellis")
    assert subject.date_of_birth == datetime.date(2010, 2, 14)
    assert subject.postcode == "NB1 4QT"
    assert subject.household_members[0]["name"] == "Karen Ellis"
    assert referral.concern_types == ["extreme_right_wing"]
    assert referral.complex_needs == ["neurodiversity", "family"]
    assert referral.discussed_with_lead is True
    assert referral.immediate_risk is None  # never on the national form: the officer answers
    # The file, kept as the referral's first attachment, checked as any upload is.
    attachment = referral.attachments.get()
    assert attachment.content_type == DOCX
    assert attachment.size == len(content)
    assert attachment.uploaded_by == officer
    imported = referral.national_form_import
    assert imported.attachment == attachment
    assert imported.read_fields == reading.read_fields
    assert AuditEvent.objects.filter(action="referral.national_form_imported").count() == 1


def test_a_pdf_export_makes_the_same_draft(world):
    officer = _officer(world)
    response = _api(officer).post(
        URL,
        {
            "file": SimpleUploadedFile(
                "form.pdf", forms.build_pdf(forms.COMPLETE), "application/pdf"
            ),
            "referrer_sector": "education",
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    referral = Referral.objects.get()
    assert referral.subject.first_name == "Jordan"
    assert referral.attachments.get().content_type == "application/pdf"


def test_a_prevent_lead_may_import_and_gives_when_it_was_received(world):
    lead = world.user(Role.PREVENT_LEAD, agency=world.council_a)
    received = "2026-12-01T09:30:00Z"
    response = _api(lead).post(
        URL,
        {
            "file": _file(forms.build_docx(forms.HALF)),
            "referrer_sector": "community",
            "received_at": received,
        },
        format="multipart",
    )
    assert response.status_code == 201, response.json()
    referral = Referral.objects.get()
    assert referral.received_at.isoformat().startswith("2026-12-01T09:30")
    assert referral.contact_sector == "community"


@pytest.mark.parametrize(
    ("name", "content", "words"), hostile.hostile_files()[:6], ids=lambda v: str(v)[:20]
)
def test_a_file_that_is_not_the_form_is_a_400_with_its_message_and_saves_nothing(
    world, name, content, words
):
    response = _api(_officer(world)).post(
        URL, {"file": _file(content, name), "referrer_sector": "education"}, format="multipart"
    )
    assert response.status_code == 400, response.status_code
    assert words in response.json()["detail"]
    assert response.json()["code"] == "form_rejected"
    _nothing_saved()


def test_over_10_mb_is_a_413_and_saves_nothing(world):
    big = forms.build_docx(forms.COMPLETE) + b"\x00" * (10 * 1024 * 1024)
    response = _api(_officer(world)).post(
        URL, {"file": _file(big), "referrer_sector": "education"}, format="multipart"
    )
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    _nothing_saved()


def test_the_file_alone_makes_a_draft_whose_sector_submit_then_asks_for(world):
    """The contract (issue 15): multipart ``file`` alone answers 201. The form does not say
    its sender's sector, so the draft holds none, and ``submit`` answers 400 naming it until
    it is given through the contact's sub-resource, with the case's ETag as ``If-Match``."""
    officer = _officer(world)
    api = _api(officer)
    response = api.post(URL, {"file": _file(forms.build_docx(forms.COMPLETE))}, format="multipart")
    assert response.status_code == 201, response.json()
    referral = Referral.objects.get()
    assert referral.contact_sector == ""
    services.referral_update_draft(
        referral_id=referral.pk, actor=officer, data={"immediate_risk": False}, section="concerns"
    )
    submit = f"/api/v1/referrals/{referral.pk}/transitions/submit/"
    refused = api.post(submit, {}, format="json")
    assert refused.status_code == 400
    assert set(refused.json()["errors"]) == {"contact_sector"}
    assert refused.json()["errors"]["contact_sector"][0]["message"] == (
        "Select the referrer’s sector"
    )
    contact = f"/api/v1/referrals/{referral.pk}/referrer-contact/"
    etag = api.get(f"/api/v1/referrals/{referral.pk}/")["ETag"]
    assert api.patch(contact, {"sector": "astrology"}, format="json").status_code == 400
    assert api.patch(contact, {"sector": "health", "age": 3}, format="json").status_code == 400
    changed = api.patch(contact, {"sector": "health"}, format="json", headers={"If-Match": etag})
    assert changed.status_code == 200, changed.json()
    assert changed.json()["referrer_contact"]["sector"] == "health"
    assert changed["ETag"] != etag
    stale = api.patch(contact, {"sector": "education"}, format="json", headers={"If-Match": etag})
    assert stale.status_code == 412
    referral.refresh_from_db()
    assert referral.contact_sector == "health"
    assert referral.contact_name  # what was not sent stays
    event = AuditEvent.objects.filter(action="referral.contact_updated").get()
    assert event.detail == {"fields": ["sector"]}
    assert api.post(submit, {}, format="json").status_code == 200
    referral.refresh_from_db()
    assert referral.state == "submitted"
    assert api.patch(contact, {"sector": "education"}, format="json").status_code == 409


def test_only_the_drafts_keyer_corrects_its_contact(world):
    officer = _officer(world)
    _api(officer).post(URL, {"file": _file(forms.build_docx(forms.COMPLETE))}, format="multipart")
    referral = Referral.objects.get()
    contact = f"/api/v1/referrals/{referral.pk}/referrer-contact/"
    colleague = _officer(world)
    assert _api(colleague).patch(contact, {"sector": "health"}, format="json").status_code == 404
    referrer = world.user(Role.REFERRER, agency=world.school_a)
    own = services.referral_create_draft(actor=referrer, data={})
    own_contact = f"/api/v1/referrals/{own.pk}/referrer-contact/"
    refused = _api(referrer).patch(own_contact, {"sector": "health"}, format="json")
    assert refused.status_code == 400
    assert "referrer_contact" in refused.json()["errors"]
    referral.refresh_from_db()
    assert referral.contact_sector == ""


def test_the_draft_is_checked_and_submitted_like_any_other(world):
    officer = _officer(world)
    _api(officer).post(
        URL,
        {"file": _file(forms.build_docx(forms.COMPLETE)), "referrer_sector": "education"},
        format="multipart",
    )
    referral = Referral.objects.get()
    services.referral_update_draft(
        referral_id=referral.pk, actor=officer, data={"immediate_risk": False}, section="concerns"
    )
    services.referral_transition(referral_id=referral.pk, name="submit", actor=officer)
    referral.refresh_from_db()
    assert referral.state == "submitted"


# --- The page ------------------------------------------------------------------------------


def test_the_page_makes_the_draft_and_marks_each_answer_read_from_the_form(world):
    officer = _officer(world)
    page = Client()
    page.force_login(officer)
    assert page.get(reverse("referrals:import_form")).status_code == 200
    response = page.post(
        reverse("referrals:import_form"),
        {"file": _file(forms.build_docx(forms.COMPLETE)), "referrer_sector": "education"},
    )
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:task_list", args=[referral.pk])
    tasks = page.get(response["Location"]).content.decode()
    assert "Read from the national referral form" in tasks
    assert "Place of birth" in tasks  # read, though no page asks it yet
    assert "Anyone in immediate danger" in tasks  # for the officer to answer
    person = page.get(reverse("referrals:section", args=[referral.pk, "person"])).content.decode()
    assert person.count("Read from the form — check") >= 5
    check = page.get(reverse("referrals:check", args=[referral.pk])).content.decode()
    marks = check.count("Read from the form — check")
    assert marks >= 20
    # Saving a section is checking it: its answers lose the mark.
    page.post(
        reverse("referrals:section", args=[referral.pk, "concerns"]),
        {
            "immediate_risk": "no",
            "concern_summary": referral.concern_summary,
            "how_concern_arose": referral.how_concern_arose,
            "online_activity": referral.online_activity,
            "concern_types": referral.concern_types,
            "version": referral.version,
        },
    )
    after = page.get(reverse("referrals:check", args=[referral.pk])).content.decode()
    assert after.count("Read from the form — check") == marks - 4
    concerns = page.get(reverse("referrals:section", args=[referral.pk, "concerns"]))
    assert "Read from the form — check" not in concerns.content.decode()


def test_the_page_shows_why_a_file_was_refused_and_saves_nothing(world):
    page = Client()
    page.force_login(_officer(world))
    response = page.post(
        reverse("referrals:import_form"),
        {"file": _file(hostile.macro_enabled()), "referrer_sector": "education"},
    )
    assert response.status_code == 400
    assert hostile.MACROS in response.content.decode()
    _nothing_saved()


def test_the_page_answers_413_over_10_mb(world):
    page = Client()
    page.force_login(_officer(world))
    response = page.post(
        reverse("referrals:import_form"),
        {
            "file": _file(b"PK\x03\x04" + b"\x00" * (10 * 1024 * 1024 + 10)),
            "referrer_sector": "other",
        },
    )
    assert response.status_code == 413
    assert "smaller than 10 MB" in response.content.decode()
    _nothing_saved()


def test_a_form_without_the_sender_s_name_says_so_rather_than_inventing_one(world):
    answers = {k: v for k, v in forms.HALF.answers.items() if k != "referrer_name"}
    content = forms.build_docx(forms.Fixture(name="no-name", answers=answers, expected={}))
    response = _api(_officer(world)).post(
        URL, {"file": _file(content), "referrer_sector": "community"}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    assert "referrer_contact.name" in response.json()["unread_fields"]
    assert Referral.objects.get().contact_name == "Not given on the form"


def test_the_check_page_links_to_the_contact_page_which_gives_the_sector(world):
    officer = _officer(world)
    _api(officer).post(URL, {"file": _file(forms.build_docx(forms.COMPLETE))}, format="multipart")
    referral = Referral.objects.get()
    services.referral_update_draft(
        referral_id=referral.pk, actor=officer, data={"immediate_risk": False}, section="concerns"
    )
    page = Client()
    page.force_login(officer)
    contact_url = reverse("referrals:contact", args=[referral.pk]) + "?next=check"
    refused = page.post(reverse("referrals:check", args=[referral.pk]))
    assert refused.status_code == 400
    body = refused.content.decode()
    assert f'<a href="{contact_url}">Select the referrer’s sector</a>' in body
    # The "How the referral was received" rows change on the same page.
    assert (
        f'href="{contact_url}"'
        in page.get(reverse("referrals:check", args=[referral.pk])).content.decode()
    )
    form = page.get(contact_url)
    assert form.status_code == 200
    assert referral.contact_name in form.content.decode()
    fields = {
        "contact_name": referral.contact_name,
        "contact_organisation": referral.contact_organisation,
        "contact_phone": "",
        "contact_email": "",
        "version": referral.version + 1,  # the section saved above raised it
    }
    missing = page.post(contact_url, fields)
    assert missing.status_code == 400
    assert "Select the referrer’s sector" in missing.content.decode()
    stale = page.post(contact_url, {**fields, "contact_sector": "health", "version": 1})
    assert stale.status_code == 400
    assert "changed by someone else" in stale.content.decode()
    saved = page.post(contact_url, {**fields, "contact_sector": "health"})
    assert saved.status_code == 302
    assert saved["Location"] == reverse("referrals:check", args=[referral.pk])
    referral.refresh_from_db()
    assert referral.contact_sector == "health"
    assert page.post(reverse("referrals:check", args=[referral.pk])).status_code == 302
    referral.refresh_from_db()
    assert referral.state == "submitted"
    # Once sent, the page only leads back to the case.
    assert page.get(contact_url).status_code == 302


def test_a_referrers_own_draft_has_no_contact_page(world):
    referrer = world.user(Role.REFERRER, agency=world.school_a)
    own = services.referral_create_draft(actor=referrer, data={})
    page = Client()
    page.force_login(referrer)
    assert page.get(reverse("referrals:contact", args=[own.pk])).status_code == 404
