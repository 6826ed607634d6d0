"""Every other disclosure of case data in the ledger (issue 21), as panel packs are: a
case-list export, a subject access export, a break-glass read, a transfer accepted by another
area and the copy to the MASH. Each is recorded once against the current agreement with the
recipient's agency, in the transaction that lets the data leave; with no agreement, where
the borough refuses such disclosures, it is refused with words a practitioner can act on
(a break-glass read goes with its reason recorded instead); the ledger shows counts by
party, agreement and kind, never a case."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from partnership.models import Disclosure, DisclosureKind
from partnership.services import agreements as services
from persons import services as person_services
from prevent_cms.errors import ActionForbidden, DisclosureRefused
from prevent_cms.models import AuditEvent, Job
from referrals import exports, subject_access
from referrals import services as referral_services
from referrals import tasks as referral_tasks
from referrals.models import BreakGlassGrant, Referral
from tests.factories import UserFactory
from tests.helpers import date_boxes
from tests.referrals import factories as rf

from .conftest import api

pytestmark = pytest.mark.django_db

REFUSED = "No current data-sharing agreement covers sharing this with your organisation"
REASON = "Quarterly performance return for the board"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _agreement(people, parties, **changes):
    today = timezone.localdate()
    data = {
        "title": "Prevent information sharing",
        "purpose": "Prevent case work",
        "lawful_basis": "public_task",
        "starts_on": today - datetime.timedelta(days=30),
        "review_on": today + datetime.timedelta(days=300),
        **changes,
    }
    return services.agreement_create(
        actor=people.lead, data=data, party_ids=[p.pk for p in parties]
    )


def _refuse(people):
    services.disclosure_policy_set(actor=people.lead, refuse_without_agreement=True)


def _ledger(people, **params):
    response = api(people.lead).get("/api/v1/partnership/disclosures/", params)
    assert response.status_code == 200
    return [
        (row["agency_name"], row["kind"], row["disclosures"], row["cases"])
        for row in response.json()["results"]
    ]


# --- Case-list export ------------------------------------------------------------------


def _export(officer, captured) -> Job:
    with captured(execute=True):
        job = referral_services.referral_export_request(
            actor=officer, filters={"include_closed": True}, reason=REASON
        )
    job.refresh_from_db()
    return job


def test_a_case_list_export_is_counted_once_per_borough_against_its_agreement(
    world, people, django_capture_on_commit_callbacks
):
    _refuse(people)
    agreement = _agreement(people, [world.police_a])
    officer = rf.officer_for(world)
    rf.SubmittedFactory(referrer=rf.referrer_for(world))
    rf.SubmittedFactory(referrer=rf.referrer_for(world))
    rf.SubmittedFactory(referrer=rf.referrer_for(world, world.school_b))  # Southmere's
    job = _export(officer, django_capture_on_commit_callbacks)
    assert job.state == Job.State.DONE, job.error
    assert exports.referral_export_run(job_id=job.pk) is None  # a redelivery: nothing more
    rows = Disclosure.objects.filter(kind=DisclosureKind.CASE_EXPORT)
    # Southmere has no agreement and does not refuse: recorded with none.
    assert sorted((d.local_authority.name, d.agreement, d.case_count) for d in rows) == [
        ("Northbridge", agreement, 2),
        ("Southmere", None, 1),
    ]
    assert _ledger(people) == [("Northbridge Police Prevent", "case_export", 1, 2)]


def test_a_case_list_export_with_no_agreement_is_refused_and_the_job_says_why(
    world, people, django_capture_on_commit_callbacks
):
    _refuse(people)
    _agreement(people, [world.health_a])  # not the police
    officer = rf.officer_for(world)
    rf.SubmittedFactory(referrer=rf.referrer_for(world))
    job = _export(officer, django_capture_on_commit_callbacks)
    assert job.state == Job.State.FAILED
    assert REFUSED in job.error
    assert not job.result
    assert not Disclosure.objects.exists()
    assert not AuditEvent.objects.filter(action=exports.CASE_EXPORTED).exists()


# --- Subject access export -------------------------------------------------------------


def _person(referral) -> dict:
    subject = referral.subject
    return {
        "first_name": subject.first_name,
        "last_name": subject.last_name,
        "date_of_birth": subject.date_of_birth,
    }


def test_a_subject_access_job_is_counted_once(world, people, django_capture_on_commit_callbacks):
    _refuse(people)
    agreement = _agreement(people, [world.police_a])
    officer = rf.officer_for(world)
    referral = rf.submitted(world)
    with django_capture_on_commit_callbacks(execute=True):
        job = referral_services.subject_access_request(
            actor=officer, fmt="json", reason="SAR-2026-1", **_person(referral)
        )
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.error
    assert subject_access.subject_access_run(job_id=job.pk) is None
    disclosure = Disclosure.objects.get()
    assert (disclosure.kind, disclosure.agreement, disclosure.case_count) == (
        DisclosureKind.SUBJECT_ACCESS,
        agreement,
        1,
    )


def test_a_subject_access_export_from_the_page_with_no_agreement_is_refused(world, people, client):
    _refuse(people)
    officer = rf.officer_for(world)
    referral = rf.submitted(world)
    client.force_login(officer)
    person = _person(referral)
    response = client.post(
        reverse("referrals:subject_access"),
        {
            "first_name": person["first_name"],
            "last_name": person["last_name"],
            **date_boxes("date_of_birth", person["date_of_birth"]),
            "reason": "SAR-2",
            "format": "json",
        },
    )
    assert response.status_code == 403
    assert REFUSED in response.content.decode()
    assert not Disclosure.objects.exists()
    assert not AuditEvent.objects.filter(action=subject_access.EXPORT_ACTION).exists()
    _agreement(people, [world.police_a])
    with pytest.raises(ActionForbidden):  # the job's path refuses the same way before
        subject_access.subject_access_export(
            actor=UserFactory(agency=world.health_a, roles=[Role.PREVENT_OFFICER]),
            fmt="json",
            reason="SAR-3",
            **person,
        )


# --- Break-glass read ------------------------------------------------------------------


def test_a_break_glass_read_is_recorded_once_with_its_reason_when_no_agreement_covers_it(
    world, people
):
    _refuse(people)
    case = rf.ChannelPanelFactory(referrer=rf.referrer_for(world))
    chair_b = UserFactory(agency=world.council_b, roles=[Role.CHANNEL_CHAIR])
    why = "Subject presented at A&E in our borough; need the safety plan."
    grant = referral_services.referral_break_glass(referral_id=case.pk, actor=chair_b, reason=why)
    # A second try while the grant lasts grants nothing more and records nothing more.
    assert (
        referral_services.referral_break_glass(referral_id=case.pk, actor=chair_b, reason=why)
        is None
    )
    disclosure = Disclosure.objects.get()
    assert (disclosure.kind, disclosure.source_id, disclosure.recipient_agency) == (
        DisclosureKind.BREAK_GLASS,
        str(grant.pk),
        world.council_b,
    )
    assert (disclosure.agreement, disclosure.reason) == (None, why)
    event = AuditEvent.objects.get(action="partnership.disclosure.recorded")
    assert event.reason == why
    assert BreakGlassGrant.objects.count() == 1


def test_a_break_glass_read_under_an_agreement_is_counted_against_it(world, people):
    agreement = _agreement(people, [world.council_b])
    case = rf.ChannelPanelFactory(referrer=rf.referrer_for(world))
    chair_b = UserFactory(agency=world.council_b, roles=[Role.CHANNEL_CHAIR])
    referral_services.referral_break_glass(
        referral_id=case.pk, actor=chair_b, reason="Immediate safeguarding concern tonight."
    )
    assert _ledger(people, agreement=str(agreement.pk)) == [
        ("Southmere Council", "break_glass", 1, 1)
    ]


# --- Transfer to another area ----------------------------------------------------------


def _transfer(world, referral, officer):
    return person_services.referral_transfer(
        referral_id=referral.pk,
        actor=officer,
        to_local_authority_id=world.la_b.pk,
        reason="The family moved to Southmere.",
    )


def test_a_transfer_to_a_party_with_no_agreement_is_refused_and_the_case_stays(
    world, people, client
):
    _refuse(people)
    officer = rf.officer_for(world)
    referral = rf.AssessedFactory(referrer=rf.referrer_for(world), assigned_officer=officer)
    _transfer(world, referral, officer)
    receiving = rf.officer_for(world, agency=world.police_a)
    with pytest.raises(DisclosureRefused, match=REFUSED):
        person_services.referral_accept_transfer(referral_id=referral.pk, actor=receiving)
    assert Referral.objects.get(pk=referral.pk).local_authority_id == world.la_a.pk
    assert not Disclosure.objects.exists()
    answer = api(receiving).post(
        f"/api/v1/referrals/{referral.pk}/transitions/accept_transfer/", {}, format="json"
    )
    assert answer.status_code == 403
    assert REFUSED in answer.content.decode()
    client.force_login(receiving)  # the page says why, on the list of transfers waiting
    page = client.post(reverse("persons:transfer_accept", args=[referral.pk]), follow=True)
    assert REFUSED in page.content.decode()
    assert Referral.objects.get(pk=referral.pk).local_authority_id == world.la_a.pk


def test_an_accepted_transfer_is_counted_once_against_the_sending_boroughs_agreement(world, people):
    _refuse(people)
    agreement = _agreement(people, [world.police_a])
    officer = rf.officer_for(world)
    referral = rf.AssessedFactory(referrer=rf.referrer_for(world), assigned_officer=officer)
    transfer = _transfer(world, referral, officer)
    person_services.referral_accept_transfer(referral_id=referral.pk, actor=officer)
    disclosure = Disclosure.objects.get()
    assert (disclosure.kind, disclosure.source_id, disclosure.agreement) == (
        DisclosureKind.TRANSFER,
        str(transfer.pk),
        agreement,
    )
    assert disclosure.local_authority_id == world.la_a.pk  # the sending borough's ledger


# --- Copy to the MASH ------------------------------------------------------------------

MASH = "mash@northbridge.example.gov.uk"


def _years_ago(years: int) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years, day=min(today.day, 28))


@pytest.fixture
def mash(world):
    world.la_a.mash_email = MASH
    world.la_a.mash_agency = world.health_a
    world.la_a.save()
    return world.la_a


def _child_submitted(world, captured) -> Referral:
    referral = rf.draft(world, subject={"date_of_birth": _years_ago(14)})
    with captured(execute=True):
        referral_services.referral_transition(
            referral_id=referral.pk, name="submit", actor=referral.referrer
        )
    return referral


def _mash_mails():
    return [m for m in mail.outbox if m.to == [MASH]]


def test_a_mash_copy_is_counted_once_against_the_agreement_with_the_mash(
    world, people, mash, django_capture_on_commit_callbacks
):
    _refuse(people)
    agreement = _agreement(people, [world.health_a])
    referral = _child_submitted(world, django_capture_on_commit_callbacks)
    assert len(_mash_mails()) == 1
    referral_tasks._send_council_copy(referral, "/")  # the task run again (a redelivery)
    disclosure = Disclosure.objects.get()
    assert (disclosure.kind, disclosure.agreement, disclosure.recipient) == (
        DisclosureKind.MASH_COPY,
        agreement,
        None,
    )
    assert _ledger(people) == [("Northbridge Health", "mash_copy", 1, 1)]


def test_a_mash_copy_with_no_agreement_is_not_sent_and_the_refusal_audited(
    world, people, mash, django_capture_on_commit_callbacks
):
    _refuse(people)
    referral = _child_submitted(world, django_capture_on_commit_callbacks)
    assert _mash_mails() == []
    assert not Disclosure.objects.exists()
    refused = AuditEvent.objects.get(action="partnership.disclosure.refused")
    assert (refused.object_id, refused.detail) == (str(referral.pk), {"kind": "mash_copy"})


def test_a_mash_that_is_the_councils_own_front_door_is_no_disclosure(
    world, people, mash, django_capture_on_commit_callbacks
):
    _refuse(people)
    mash.mash_agency = None
    mash.save()
    _child_submitted(world, django_capture_on_commit_callbacks)
    assert len(_mash_mails()) == 1
    assert not Disclosure.objects.exists()


# --- The ledger: counts, never cases ---------------------------------------------------


def test_the_ledger_shows_counts_by_party_and_kind_never_a_case(
    world, people, django_capture_on_commit_callbacks
):
    _agreement(people, [world.police_a, world.council_b])
    officer = rf.officer_for(world)
    case = rf.ChannelPanelFactory(referrer=rf.referrer_for(world), assigned_officer=officer)
    _export(officer, django_capture_on_commit_callbacks)
    chair_b = UserFactory(agency=world.council_b, roles=[Role.CHANNEL_CHAIR])
    referral_services.referral_break_glass(
        referral_id=case.pk, actor=chair_b, reason="Immediate safeguarding concern tonight."
    )
    today = timezone.localdate()
    assert _ledger(people, **{"from": today.isoformat(), "to": today.isoformat()}) == [
        ("Northbridge Police Prevent", "case_export", 1, 1),
        ("Southmere Council", "break_glass", 1, 1),
    ]
    yesterday = (today - datetime.timedelta(days=1)).isoformat()
    assert _ledger(people, to=yesterday) == []
    body = api(people.lead).get("/api/v1/partnership/disclosures/").content.decode()
    assert case.reference not in body
    assert str(case.pk) not in body
    assert case.subject.last_name not in body
