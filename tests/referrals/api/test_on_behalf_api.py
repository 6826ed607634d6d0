"""``POST /api/v1/referrals/`` for referrals recorded on someone's behalf (issue 15)."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Role
from referrals.models import Referral
from tests.referrals import factories as f
from tests.referrals.api.conftest import as_user

LIST = "/api/v1/referrals/"
CONTACT = {
    "name": "Sam Parent",
    "organisation": "",
    "sector": "friends_and_family",
    "phone": "01632 960 123",
    "email": "sam.parent@example.com",
}


def on_behalf_body(**overrides) -> dict:
    form = f.complete_form(referrer_phone="")
    form["subject"]["date_of_birth"] = form["subject"]["date_of_birth"].isoformat()
    received = timezone.now() - datetime.timedelta(hours=3)
    return {
        **form,
        "received_via": "phone",
        "received_at": received.isoformat(),
        "referrer_contact": dict(CONTACT),
        **overrides,
    }


@pytest.mark.parametrize("role", [Role.PREVENT_OFFICER, Role.PREVENT_LEAD])
def test_officer_or_prevent_lead_records_on_behalf(api, world, role):
    agency = world.police_a if role == Role.PREVENT_OFFICER else world.council_a
    user = world.user(role, agency=agency)
    response = as_user(api, user).post(LIST, on_behalf_body(), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    referral = Referral.objects.get(pk=data["id"])
    assert response["Location"].endswith(f"{LIST}{referral.pk}/")
    assert (referral.received_via, referral.keyed_by, referral.referrer) == ("phone", user, user)
    assert referral.contact_sector == "friends_and_family"
    assert data["received_via"] == "phone"
    assert data["referrer_contact"]["name"] == "Sam Parent"
    assert data["available_transitions"] == ["submit"]
    submitted = as_user(api, user).post(f"{LIST}{referral.pk}/transitions/submit/", {}, "json")
    assert submitted.status_code == 200, submitted.json()


@pytest.mark.parametrize(
    "sent",
    [
        {"received_via": "phone"},
        {"received_via": "online"},
        {"received_at": "2026-01-01T09:00:00Z"},
        {"referrer_contact": CONTACT},
    ],
)
def test_a_referrer_who_sends_on_behalf_fields_gets_400(api, world, sent):
    referrer = world.user(Role.REFERRER, agency=world.school_a)
    response = as_user(api, referrer).post(LIST, {**f.complete_form(), **sent}, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(sent) <= set(errors)
    assert "always received online" in str(errors)
    assert not Referral.objects.exists()


def test_officer_without_a_route_is_still_refused(api, world):
    officer = world.user(Role.PREVENT_OFFICER, agency=world.police_a)
    response = as_user(api, officer).post(LIST, {"concern_summary": "x"}, format="json")
    assert response.status_code == 403
    assert "received_via" in response.json()["detail"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"received_via": "online"}, "received_via"),
        ({"received_via": "pigeon"}, "received_via"),
        ({"received_at": "yesterday"}, "received_at"),
        (
            {"received_at": (timezone.now() + datetime.timedelta(hours=2)).isoformat()},
            "received_at",
        ),
        ({"referrer_contact": {**CONTACT, "sector": "astrology"}}, "referrer_contact"),
        ({"referrer_contact": {**CONTACT, "email": "nope"}}, "referrer_contact"),
        ({"referrer_contact": {**CONTACT, "name": ""}}, "referrer_contact"),
        ({"referrer_contact": {**CONTACT, "name": 5}}, "referrer_contact"),
        ({"referrer_contact": {**CONTACT, "name": "x" * 201}}, "referrer_contact"),
        ({"referrer_contact": {**CONTACT, "phone": "ring me"}}, "referrer_contact"),
    ],
)
def test_bad_on_behalf_fields_are_400_and_save_nothing(api, world, overrides, field):
    officer = world.user(Role.PREVENT_OFFICER, agency=world.police_a)
    response = as_user(api, officer).post(LIST, on_behalf_body(**overrides), format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()["errors"]
    assert not Referral.objects.exists()


@pytest.mark.parametrize("missing", ["received_at", "referrer_contact"])
def test_all_three_on_behalf_fields_come_together(api, world, missing):
    officer = world.user(Role.PREVENT_OFFICER, agency=world.police_a)
    sent = on_behalf_body()
    del sent[missing]
    response = as_user(api, officer).post(LIST, sent, format="json")
    assert response.status_code == 400
    assert missing in response.json()["errors"]


@pytest.mark.parametrize("role", [Role.CHANNEL_CHAIR, Role.BOROUGH_LEAD, Role.SYSTEM_ADMIN])
def test_other_roles_may_not_record_on_behalf(api, world, role):
    user = world.user(role, agency=world.council_a)
    response = as_user(api, user).post(LIST, on_behalf_body(), format="json")
    assert response.status_code == 403
    assert not Referral.objects.exists()


def test_the_contact_is_shown_to_the_case_s_officer_not_to_a_prevent_lead(api, world):
    keyer = world.user(Role.PREVENT_OFFICER, agency=world.police_a)
    created = as_user(api, keyer).post(LIST, on_behalf_body(), format="json").json()
    as_user(api, keyer).post(f"{LIST}{created['id']}/transitions/submit/", {}, "json")
    other_officer = world.user(Role.PREVENT_OFFICER, agency=world.police_a)
    full = as_user(api, other_officer).get(f"{LIST}{created['id']}/").json()
    assert (full["view"], full["referrer_contact"]["email"]) == ("full", CONTACT["email"])
    lead = world.user(Role.PREVENT_LEAD, agency=world.council_a)
    coarse = as_user(api, lead).get(f"{LIST}{created['id']}/").json()
    assert (coarse["view"], coarse["referrer_contact"]) == ("coarse", None)
    assert coarse["received_via"] == "phone"


def test_the_schema_documents_the_on_behalf_fields(api, world):
    user = world.user(Role.REFERRER)
    schema = as_user(api, user).get("/api/schema/", {"format": "json"}).json()
    create = schema["components"]["schemas"]["ReferralInputRequest"]["properties"]
    assert {"received_via", "received_at", "referrer_contact"} <= set(create)
    enum = create["received_via"]["allOf"][0]["$ref"].rsplit("/", 1)[-1]
    routes = schema["components"]["schemas"][enum]["enum"]
    assert "phone" in routes
    assert "online" not in routes
    post = schema["paths"]["/api/v1/referrals/"]["post"]
    examples = post["requestBody"]["content"]["application/json"]["examples"]
    assert any("received_via" in example["value"] for example in examples.values())
    assert "received_via" in post["description"]
