"""Who may read a national referral form into a draft (issue 15), for every role: the page
and the API. Prevent officers and Prevent leads may; everyone else is refused before the
file is read, and nothing is saved. A new role joins without editing this, refused."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from accounts.models import Role
from referrals.models import Attachment, Referral
from tests.referrals.national_form import forms

MAY_IMPORT = {Role.PREVENT_OFFICER, Role.PREVENT_LEAD}
AGENCY = {Role.PREVENT_OFFICER: "police_a", Role.REFERRER: "school_a", Role.AGENCY_LEAD: "school_a"}
FORM = forms.build_docx(forms.HALF)


def _upload() -> SimpleUploadedFile:
    return SimpleUploadedFile("form.docx", FORM, "application/octet-stream")


@pytest.mark.parametrize("role", list(Role))
def test_only_prevent_officers_and_prevent_leads_import_the_national_form(world, role):
    user = world.user(role, agency=getattr(world, AGENCY.get(role, "council_a")))
    page = Client()
    page.force_login(user)
    token = Client(headers={"Authorization": f"Token {Token.objects.create(user=user).key}"})
    shown = page.get(reverse("referrals:import_form"))
    created = token.post(
        "/api/v1/referrals/imports/", {"file": _upload(), "referrer_sector": "education"}
    )
    if role in MAY_IMPORT:
        assert shown.status_code == 200
        assert created.status_code == 201, created.json()
        referral = Referral.objects.get()
        assert created["Location"].endswith(f"/api/v1/referrals/{referral.pk}/")
        assert (referral.keyed_by, referral.received_via) == (user, "national_form")
    else:
        assert shown.status_code == 403
        assert created.status_code == 403, created.json()
        assert (
            page.post(
                reverse("referrals:import_form"),
                {"file": _upload(), "referrer_sector": "education"},
            ).status_code
            == 403
        )
        assert not Referral.objects.exists()
        assert not Attachment.objects.exists()


def test_a_draft_imported_by_one_officer_is_not_another_officers_to_edit(world):
    """The imported draft is its keyer's, as any on-behalf draft: another officer of the
    same force cannot read it on the draft pages."""
    first = world.user(Role.PREVENT_OFFICER, agency=world.police_a)
    second = world.user(Role.PREVENT_OFFICER, agency=world.police_a)
    token = Client(headers={"Authorization": f"Token {Token.objects.create(user=first).key}"})
    token.post("/api/v1/referrals/imports/", {"file": _upload(), "referrer_sector": "education"})
    referral = Referral.objects.get()
    other = Client()
    other.force_login(second)
    assert other.get(reverse("referrals:task_list", args=[referral.pk])).status_code in (403, 404)
    assert other.get(reverse("referrals:check", args=[referral.pk])).status_code in (403, 404)
