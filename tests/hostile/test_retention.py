"""Retention review queue and confirmed deletion of personal data (issue 7)."""

from __future__ import annotations

import datetime
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from prevent_cms.errors import GuardFailed
from prevent_cms.models import AuditEvent
from referrals import services
from referrals.choices import State
from referrals.models import Attachment, CaseNote, Referral
from referrals.retention import referral_delete_personal_data, referrals_due_for_retention_review
from tests.factories import UserFactory
from tests.referrals import factories as rf

pytestmark = pytest.mark.django_db


def _closed(world, officer, *, years_ago: float, reason="no_further_action", **kwargs):
    referral = rf.assessed(world, officer=officer, **kwargs)
    payload = {"reason": reason, "rationale": "No vulnerability found."}
    if reason == "signposted":
        payload["signposted_to"] = "education"
    services.referral_transition(
        referral_id=referral.pk, name="close", actor=officer, payload=payload
    )
    closed_at = timezone.now() - datetime.timedelta(days=int(365.25 * years_ago))
    Referral.objects.filter(pk=referral.pk).update(closed_at=closed_at)
    return Referral.objects.get(pk=referral.pk)


@pytest.fixture
def officer(world):
    return rf.officer_for(world)


def test_queue_lists_cases_past_their_review_date_only(world, officer, client):
    nfa_due = _closed(world, officer, years_ago=3.1)
    nfa_not_yet = _closed(world, officer, years_ago=2.5)
    other_not_yet = _closed(world, officer, years_ago=4, reason="signposted")
    other_due = _closed(world, officer, years_ago=6.1, reason="signposted")
    open_case = rf.assessed(world, officer=officer)

    due = set(referrals_due_for_retention_review(officer).values_list("pk", flat=True))
    assert due == {nfa_due.pk, other_due.pk}
    assert not {nfa_not_yet.pk, other_not_yet.pk, open_case.pk} & due

    client.force_login(officer)
    page = client.get(reverse("referrals:retention"))
    assert page.status_code == 200
    assert nfa_due.reference in page.content.decode()
    assert nfa_not_yet.reference not in page.content.decode()


def test_queue_is_scoped_and_closed_to_other_roles(world, officer, client):
    due = _closed(world, officer, years_ago=3.5)
    stranger = rf.officer_for(world, agency=world.police_c)
    assert not referrals_due_for_retention_review(stranger).exists()
    other_chair = UserFactory(agency=world.council_b, roles=[Role.CHANNEL_CHAIR])
    assert not referrals_due_for_retention_review(other_chair).exists()
    client.force_login(stranger)
    assert client.get(reverse("referrals:retention_delete", args=[due.pk])).status_code == 404
    for role, agency in [(Role.REFERRER, world.school_a), (Role.BOROUGH_LEAD, world.council_a)]:
        client.force_login(UserFactory(agency=agency, roles=[role]))
        assert client.get(reverse("referrals:retention")).status_code == 403


def test_deletion_needs_a_reason_and_a_confirmation(world, officer, client):
    referral = _closed(world, officer, years_ago=3.5)
    with pytest.raises(GuardFailed) as refused:
        referral_delete_personal_data(
            referral_id=referral.pk, actor=officer, reason="", confirmed=False
        )
    assert set(refused.value.errors) == {"reason", "confirmed"}
    client.force_login(officer)
    url = reverse("referrals:retention_delete", args=[referral.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "Retention period passed"})
    assert response.status_code == 400
    referral.refresh_from_db()
    assert referral.subject.first_name
    assert not AuditEvent.objects.filter(action="referral.personal_data_deleted").exists()


def test_deletion_removes_personal_data_and_keeps_statistics(world, officer, client):
    referral = _closed(world, officer, years_ago=3.5)
    Referral.objects.filter(pk=referral.pk).update(state=State.POLICE_ASSESSMENT)
    services.note_add(referral_id=referral.pk, actor=officer, text="Spoke to Jo.", kind="fact")
    attachment = services.attachment_add(
        referral_id=referral.pk,
        actor=officer,
        upload=SimpleUploadedFile("letter.txt", b"A letter about Jo.", "text/plain"),
    )
    Referral.objects.filter(pk=referral.pk).update(state=State.CLOSED)
    stored = attachment.file.path
    subject = referral.subject
    age_before = subject.age_on(referral.submitted_at.date())
    kept_before = Referral.objects.filter(pk=referral.pk).values(
        "state",
        "submitted_at",
        "closed_at",
        "closure_reason",
        "referrer_agency__sector",
        "concern_types",
        "local_authority_id",
    )[0]

    client.force_login(officer)
    url = reverse("referrals:retention_delete", args=[referral.pk])
    response = client.post(url, {"reason": "Retention period passed", "confirmed": "on"})
    assert response.status_code == 302

    referral = Referral.objects.select_related("subject").get(pk=referral.pk)
    subject = referral.subject
    for field in ("first_name", "last_name", "address", "postcode", "contact_details"):
        assert getattr(subject, field) == ""
    assert referral.concern_summary == referral.how_concern_arose == ""
    assert referral.referrer_phone == ""
    assert subject.gender == "male"
    assert subject.age_on(referral.submitted_at.date()) == age_before
    kept_after = Referral.objects.filter(pk=referral.pk).values(*kept_before)[0]
    assert kept_after == kept_before
    assert not CaseNote.objects.filter(referral=referral).exists()
    assert not Attachment.objects.filter(referral=referral).exists()
    assert not os.path.exists(stored)
    assert all(
        set(step.payload) <= {"reason", "signposted_to", "reassess_on"}
        for step in referral.history.all()
    )
    event = AuditEvent.objects.get(action="referral.personal_data_deleted")
    assert event.object_id == str(referral.pk)
    assert event.actor_id == officer.pk
    assert event.reason == "Retention period passed"
    assert not referrals_due_for_retention_review(officer).filter(pk=referral.pk).exists()


def test_deletion_removes_the_contact_of_a_referral_recorded_on_their_behalf(world, officer):
    """Issue 15: the contact details of whoever raised it go; their sector and the route,
    which the statistics count, stay."""
    referral = _closed(world, officer, years_ago=3.1)
    Referral.objects.filter(pk=referral.pk).update(
        received_via="phone",
        contact_name="Qxcaller Person",
        contact_organisation="Qx Organisation",
        contact_sector="friends_and_family",
        contact_phone="01632 960 123",
        contact_email="qx.caller@example.com",
    )
    referral_delete_personal_data(
        referral_id=referral.pk, actor=officer, reason="Retention review.", confirmed=True
    )
    referral.refresh_from_db()
    assert (referral.contact_name, referral.contact_organisation) == ("", "")
    assert (referral.contact_phone, referral.contact_email) == ("", "")
    assert (referral.received_via, referral.contact_sector) == ("phone", "friends_and_family")
