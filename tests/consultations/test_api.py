"""The consultations API: list, create (201, Location, Idempotency-Key), detail, PATCH with
If-Match, link to a referral (docs/adr/0006)."""

from __future__ import annotations

import pytest
from django.db.models import Q
from rest_framework.test import APIClient

from accounts.models import Role
from consultations import selectors
from consultations.models import Consultation
from consultations.services import consultation_link
from prevent_cms.models import AuditEvent
from tests.referrals import factories as rf

from .factories import consultation, consultation_data

pytestmark = pytest.mark.django_db
LIST = "/api/v1/consultations/"


def _as(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _body(world, **overrides) -> dict:
    data = consultation_data(**overrides)
    data["consulted_on"] = data["consulted_on"].isoformat()
    return {"local_authority": str(world.la_a.pk), **data}


def test_create_answers_201_with_location_and_reads_back(world):
    officer = rf.officer_for(world)
    client = _as(officer)
    response = client.post(LIST, _body(world), format="json")
    assert response.status_code == 201, response.content
    made = Consultation.objects.get()
    assert response["Location"] == f"http://testserver/api/v1/consultations/{made.pk}/"
    assert response["ETag"] == '"1"'
    read = client.get(response["Location"])
    assert read.status_code == 200
    assert read.json()["id"] == str(made.pk)
    assert read.json()["outcome"] == "referral_advised"


def test_a_retried_create_makes_one_consultation(world):
    client = _as(rf.officer_for(world))
    key = {"HTTP_IDEMPOTENCY_KEY": "consult-1"}
    first = client.post(LIST, _body(world), format="json", **key)
    retry = client.post(LIST, _body(world), format="json", **key)
    assert first.status_code == retry.status_code == 201
    assert retry["Location"] == first["Location"]
    assert retry["Idempotent-Replayed"] == "true"
    assert Consultation.objects.count() == 1


def test_create_names_each_bad_field(world):
    client = _as(rf.officer_for(world))
    body = _body(world, outcome="referred_elsewhere", subject_initials="John")
    body.pop("asker_name")
    response = client.post(LIST, body, format="json")
    assert response.status_code == 400
    assert "asker_name" in response.json()["errors"]
    response = client.post(LIST, _body(world, outcome="referred_elsewhere"), format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"referred_to"}
    assert not Consultation.objects.exists()


def test_create_for_a_local_authority_outside_the_force_is_400(world):
    client = _as(rf.officer_for(world))
    body = {**_body(world), "local_authority": str(world.la_c.pk)}
    response = client.post(LIST, body, format="json")
    assert response.status_code == 400
    assert "local_authority" in response.json()["errors"]


@pytest.mark.parametrize("role", [Role.REFERRER, Role.CHANNEL_CHAIR, Role.BOROUGH_LEAD])
def test_other_roles_get_403_on_the_list_and_on_create(world, role):
    client = _as(world.user(role))
    assert client.get(LIST).status_code == 403
    assert client.post(LIST, _body(world), format="json").status_code == 403
    assert not Consultation.objects.exists()


def test_the_list_is_scoped_filtered_paged_and_audited(world):
    officer = rf.officer_for(world)
    mine = consultation(officer)
    consultation(officer, outcome="no_referral_needed")
    consultation(rf.officer_for(world, world.police_c), world.la_c)
    client = _as(officer)
    response = client.get(LIST, {"outcome": "referral_advised"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert [row["id"] for row in body["results"]] == [str(mine.pk)]
    assert "summary" not in body["results"][0]
    event = AuditEvent.objects.get(action="consultation.list_viewed")
    assert event.detail["ids"] == [str(mine.pk)]
    assert client.get(LIST, {"outcome": "nonsense"}).status_code == 400
    assert client.get(LIST, {"ordering": "asker_name"}).status_code == 400
    assert client.get(LIST, {"page_size": 1}).json()["next"]


def test_detail_out_of_scope_is_404(world):
    made = consultation(rf.officer_for(world))
    url = f"{LIST}{made.pk}/"
    for outsider in (
        rf.officer_for(world, world.police_c),
        rf.referrer_for(world),
        rf.chair_for(world),
    ):
        assert _as(outsider).get(url).status_code == 404
        assert _as(outsider).patch(url, {"advice": "x"}, format="json").status_code == 404
    assert Consultation.objects.get(pk=made.pk).advice != "x"


def test_patch_with_if_match(world):
    officer = rf.officer_for(world)
    made = consultation(officer)
    client = _as(officer)
    url = f"{LIST}{made.pk}/"
    etag = client.get(url)["ETag"]
    changed = client.patch(url, {"advice": "New advice"}, format="json", HTTP_IF_MATCH=etag)
    assert changed.status_code == 200, changed.content
    assert changed.json()["advice"] == "New advice"
    assert changed["ETag"] == '"2"'
    stale = client.patch(url, {"advice": "Late"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert Consultation.objects.get(pk=made.pk).advice == "New advice"
    bad = client.patch(url, {"outcome": "referred_elsewhere"}, format="json")
    assert bad.status_code == 400
    assert "referred_to" in bad.json()["errors"]


def test_link_to_a_referral_and_read_it_back_audited_on_the_case_too(world):
    officer = rf.officer_for(world)
    made = consultation(officer)
    referral = rf.direct(rf.SubmittedFactory, world)
    client = _as(officer)
    url = f"{LIST}{made.pk}/link/"
    response = client.post(url, {"referral": str(referral.pk)}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["outcome"] == "referral_made"
    assert response.json()["referral_reference"] == referral.reference
    read = client.get(f"{LIST}{made.pk}/")
    assert read.json()["referral"] == str(referral.pk)
    assert AuditEvent.objects.filter(
        action="referral.viewed", object_id=str(referral.pk), actor=officer
    ).exists()


def test_link_to_a_hidden_referral_is_400_like_a_missing_one(world):
    officer = rf.officer_for(world)
    made = consultation(officer)
    hidden = rf.direct(rf.SubmittedFactory, world, referrer=rf.referrer_for(world, world.school_c))
    client = _as(officer)
    url = f"{LIST}{made.pk}/link/"
    hidden_answer = client.post(url, {"referral": str(hidden.pk)}, format="json")
    missing_answer = client.post(
        url, {"referral": "4f6d2a8e-3b1c-4d5e-9f70-1a2b3c4d5e6f"}, format="json"
    )
    assert hidden_answer.status_code == missing_answer.status_code == 400
    assert hidden_answer.json() == missing_answer.json()
    assert Consultation.objects.get(pk=made.pk).referral is None


def test_a_reader_who_may_not_see_the_linked_case_is_not_told_its_reference(world, monkeypatch):
    """Ready for a role with a narrower view of cases (the Prevent lead's hook): it reads the
    consultation, but neither the linked case's id nor its reference, and no read of the
    case is logged against it."""
    officer = rf.officer_for(world)
    made = consultation(officer)
    referral = rf.direct(rf.SubmittedFactory, world)
    _as(officer).post(f"{LIST}{made.pk}/link/", {"referral": str(referral.pk)}, format="json")
    lead = world.user(Role.BOROUGH_LEAD, agency=world.council_a)
    monkeypatch.setitem(
        selectors.CONSULTATION_AREAS, Role.BOROUGH_LEAD, lambda user: Q(pk=user.local_authority_id)
    )
    body = _as(lead).get(f"{LIST}{made.pk}/").json()
    assert body["linked"] is True
    assert body["referral"] is None
    assert body["referral_reference"] is None
    assert referral.reference not in str(body)
    assert not AuditEvent.objects.filter(action="referral.viewed", actor=lead).exists()
    assert _as(officer).get(f"{LIST}{made.pk}/").json()["referral"] == str(referral.pk)


def test_the_list_filters_those_to_follow_up_as_the_work_list_counts_them(world):
    officer = rf.officer_for(world)
    advised = consultation(officer)
    linked = consultation(officer)
    done = consultation(officer, outcome="no_referral_needed")
    referral = rf.InPoliceAssessmentFactory(referrer=rf.referrer_for(world))
    consultation_link(consultation_id=linked.pk, actor=officer, reference=referral.reference)
    client = _as(officer)
    follow_up = client.get(LIST, {"follow_up": "true"}).json()
    assert [row["id"] for row in follow_up["results"]] == [str(advised.pk)]
    others = client.get(LIST, {"follow_up": "false"}).json()
    assert {row["id"] for row in others["results"]} == {str(linked.pk), str(done.pk)}
    (line,) = [
        item
        for item in client.get("/api/v1/me/work/").json()["items"]
        if item["kind"] == "consultation_follow_up"
    ]
    assert line["count"] == follow_up["count"] == 1
    assert client.get(LIST, {"follow_up": "perhaps"}).status_code == 400
