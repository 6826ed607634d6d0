"""Who may record a referral on someone's behalf (issue 15), for every role: the page and
the API. A new role joins this matrix without editing it, refused unless listed here."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import Role
from referrals.models import Referral
from tests.referrals import factories as f

MAY_RECORD = {Role.PREVENT_OFFICER, Role.PREVENT_LEAD}
# The agency each role's person works in (a police officer in the police, the rest at the
# council); borough A throughout.
AGENCY = {Role.PREVENT_OFFICER: "police_a", Role.REFERRER: "school_a", Role.AGENCY_LEAD: "school_a"}


def _body() -> dict:
    form = f.complete_form(referrer_phone="")
    form["subject"]["date_of_birth"] = form["subject"]["date_of_birth"].isoformat()
    return {
        **form,
        "received_via": "in_person",
        "received_at": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
        "referrer_contact": {"name": "Ari Caller", "sector": "community"},
    }


@pytest.mark.parametrize("role", list(Role))
def test_only_prevent_officers_and_prevent_leads_record_on_behalf(world, role):
    user = world.user(role, agency=getattr(world, AGENCY.get(role, "council_a")))
    page = Client()
    page.force_login(user)
    token = Client(headers={"Authorization": f"Token {Token.objects.create(user=user).key}"})
    record_page = page.get(reverse("referrals:record"))
    created = token.post("/api/v1/referrals/", _body(), content_type="application/json")
    if role in MAY_RECORD:
        assert record_page.status_code == 200
        assert created.status_code == 201, created.json()
        assert created["Location"].endswith(f"/api/v1/referrals/{created.json()['id']}/")
        assert Referral.objects.get().keyed_by == user
    else:
        assert record_page.status_code == 403
        # A referrer is told their own referral is always online (400); anyone else may not
        # start a referral at all (403). Either way nothing is saved.
        expected = 400 if role in (Role.REFERRER, Role.AGENCY_LEAD) else 403
        assert created.status_code == expected, created.json()
        assert not Referral.objects.exists()


def test_an_inactive_officer_may_not_record(world):
    officer = world.user(Role.PREVENT_OFFICER, agency=world.police_a)
    key = Token.objects.create(user=officer).key
    officer.is_active = False
    officer.save()
    token = Client(headers={"Authorization": f"Token {key}"})
    response = token.post("/api/v1/referrals/", _body(), content_type="application/json")
    assert response.status_code == 401
    assert not Referral.objects.exists()
