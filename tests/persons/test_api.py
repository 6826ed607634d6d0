"""The person index's API (issue 18): persons, matches, link, unlink and the transfer steps,
each answering 404 outside the caller's scope and 403 for a visible case not theirs to act on."""

import datetime

from django.urls import reverse
from rest_framework.test import APIClient

from persons.models import AreaTransfer
from prevent_cms.models import AuditEvent
from referrals.models import Referral
from tests.referrals import factories as f

HOME = {
    "address": "12 Mill Lane",
    "postcode": "NB1 2AA",
    "date_of_birth": datetime.date(2007, 4, 3),
}


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _pair(world, officer, **theirs):
    earlier = f.police_assessment(
        world, officer=officer, subject={"first_name": "Amie", "last_name": "Browne", **HOME}
    )
    ours = f.police_assessment(
        world,
        officer=officer,
        subject={"first_name": "Amy", "last_name": "Browser", **HOME, **theirs},
    )
    return Referral.objects.get(pk=earlier.pk), Referral.objects.get(pk=ours.pk)


def test_matches_link_person_and_unlink(world):
    officer = f.officer_for(world)
    earlier, ours = _pair(world, officer)
    api = _api(officer)
    answer = api.get(reverse("api:referral-matches", args=[ours.pk]))
    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 1
    match = body["results"][0]
    assert (match["reference"], match["person"]) == (earlier.reference, str(earlier.person_id))
    assert {"code": "dob_exact", "label": "Same date of birth"} in match["reasons"]
    assert body["other_areas"] == []

    bad = api.post(
        reverse("api:referral-link", args=[ours.pk]),
        {"person": str(earlier.person_id)},
        format="json",
    )
    assert bad.status_code == 400
    linked = api.post(
        reverse("api:referral-link", args=[ours.pk]),
        {"person": str(earlier.person_id), "reason": "Same."},
        format="json",
    )
    assert linked.status_code == 200, linked.json()
    assert [r["reference"] for r in linked.json()["referrals"]] == [
        earlier.reference,
        ours.reference,
    ]

    person = api.get(reverse("api:person-detail", args=[earlier.person_id]))
    assert person.status_code == 200
    assert {n["first_name"] for n in person.json()["names"]} == {"Amie", "Amy"}
    assert AuditEvent.objects.filter(
        action="referral.viewed", object_id=str(earlier.pk), detail__via="api_person"
    ).exists()

    unlinked = api.post(
        reverse("api:referral-unlink", args=[ours.pk]), {"reason": "No."}, format="json"
    )
    assert unlinked.status_code == 200
    again = api.post(
        reverse("api:referral-unlink", args=[ours.pk]), {"reason": "No."}, format="json"
    )
    assert again.status_code == 409


def test_outside_scope_is_404_and_visible_but_not_yours_is_403(world):
    officer = f.officer_for(world)
    earlier, ours = _pair(world, officer)
    other_force = _api(f.officer_for(world, agency=world.police_c))
    for url in (
        reverse("api:referral-matches", args=[ours.pk]),
        reverse("api:person-detail", args=[earlier.person_id]),
    ):
        assert other_force.get(url).status_code == 404, url
    for url in (
        reverse("api:referral-link", args=[ours.pk]),
        reverse("api:referral-unlink", args=[ours.pk]),
        reverse("api:referral-transfer", args=[ours.pk]),
        reverse("api:referral-accept-transfer", args=[ours.pk]),
        reverse("api:referral-decline-transfer", args=[ours.pk]),
    ):
        assert other_force.post(url, {"reason": "x"}, format="json").status_code == 404, url
    referrer = _api(ours.referrer)
    assert referrer.get(reverse("api:referral-matches", args=[ours.pk])).status_code == 403
    assert referrer.get(reverse("api:person-detail", args=[ours.person_id])).status_code == 404
    answer = referrer.post(
        reverse("api:referral-link", args=[ours.pk]),
        {"person": str(earlier.person_id), "reason": "x"},
        format="json",
    )
    assert answer.status_code == 403


def test_an_officer_is_told_whom_to_ask_and_nothing_more(world):
    officer_c = f.officer_for(world, agency=world.police_c)
    hidden = f.police_assessment(
        world,
        officer=officer_c,
        subject={
            "first_name": "Amie",
            "last_name": "Browne",
            **HOME,
            "local_authority": world.la_c.pk,
        },
    )
    officer = f.officer_for(world)
    ours = f.police_assessment(
        world, officer=officer, subject={"first_name": "Amy", "last_name": "Browser", **HOME}
    )
    answer = _api(officer).get(reverse("api:referral-matches", args=[ours.pk]))
    body = answer.content.decode()
    assert answer.json()["results"] == []
    assert answer.json()["other_areas"] == ["Thames Valley Police"]
    for hidden_detail in (hidden.reference, str(hidden.pk), "Browne"):
        assert hidden_detail not in body


def test_the_transfer_steps(world):
    officer = f.officer_for(world)
    referral = f.assessed(world, officer=officer)
    api = _api(officer)
    url = reverse("api:referral-transfer", args=[referral.pk])
    missing = api.post(url, {}, format="json")
    assert missing.status_code == 400
    assert set(missing.json()["errors"]) >= {"to_local_authority", "reason"}
    contradiction = api.post(
        url,
        {
            "to_local_authority": str(world.la_c.pk),
            "to_police_force": str(world.force.pk),
            "reason": "Moved.",
        },
        format="json",
    )
    assert contradiction.status_code == 400
    assert "to_police_force" in contradiction.json()["errors"]
    body = {
        "to_local_authority": str(world.la_c.pk),
        "to_police_force": str(world.other_force.pk),
        "reason": "Moved.",
    }
    answer = api.post(url, body, format="json")
    assert answer.status_code == 200
    assert answer.json()["status"] == "pending"
    assert api.post(url, body, format="json").status_code == 409
    receiving = _api(f.officer_for(world, agency=world.police_c))
    assert receiving.get(reverse("api:referral-detail", args=[referral.pk])).status_code == 404
    accepted = receiving.post(reverse("api:referral-accept-transfer", args=[referral.pk]))
    assert accepted.status_code == 200
    assert accepted.json()["status"] == "accepted"
    detail = receiving.get(reverse("api:referral-detail", args=[referral.pk]))
    assert detail.status_code == 200
    assert detail.json()["state"] == "police_assessment"
    assert api.get(reverse("api:referral-detail", args=[referral.pk])).status_code == 404
    again = receiving.post(reverse("api:referral-accept-transfer", args=[referral.pk]))
    assert again.status_code == 409


def test_decline_transfer_through_the_api(world):
    officer = f.officer_for(world)
    referral = f.assessed(world, officer=officer)
    _api(officer).post(
        reverse("api:referral-transfer", args=[referral.pk]),
        {"to_local_authority": str(world.la_c.pk), "reason": "Moved."},
        format="json",
    )
    receiving = _api(f.officer_for(world, agency=world.police_c))
    url = reverse("api:referral-decline-transfer", args=[referral.pk])
    assert receiving.post(url, {}, format="json").status_code == 400
    answer = receiving.post(url, {"reason": "Not known here."}, format="json")
    assert answer.status_code == 200
    assert AreaTransfer.objects.get(referral=referral).status == "declined"
