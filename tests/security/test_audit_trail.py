"""Every read and every change of a case writes its audit event (issue 7, Audit).

The operations are enumerated: the case pages (referrals and Channel), the API detail, the
attachment download, every list of cases and every search (one event per read, naming the
references returned, never the words searched for), the officer's case-list export (a row per
case, with the reason), the auditor's exports, every lifecycle transition through the API
(``TransitionName`` — a new transition is picked up without editing this file), and the panel
pack: its generation and each of the three doors a copy leaves by (the panel page, the API,
the pack job's result).
Each request must add its own event, naming the person and the case; a pack, which holds
several cases, adds one per case in it (in one INSERT), so each case's "who has seen this
case" log shows it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse, reverse_lazy
from django.utils import timezone

from accounts.models import Role
from channel.models import (
    AgencyUpdate,
    Consent,
    InterventionSession,
    PanelAction,
    PanelPack,
    VulnerabilityAssessment,
)
from channel.services.agenda import agenda_item_record, panel_add_case
from channel.services.interventions import intervention_session_record
from channel.services.packs import panel_pack_request
from channel.services.panels import agency_update_add, panel_action_add, panel_create
from channel.services.update_requests import panel_update_request
from consultations.services import consultation_link
from prevent_cms.models import AuditEvent, Job
from referrals import services
from referrals.choices import TransitionName
from referrals.forms.draft import SECTIONS
from referrals.models import Referral
from referrals.selectors import referral_access_log
from tests.channel import factories as cf
from tests.consultations.factories import consultation
from tests.factories import UserFactory
from tests.referrals import factories as rf

from .conftest import record
from .endpoints import url_endpoints

CASE_TYPE = "referrals.referral"
PAYLOAD = {
    "rationale": "Recorded for the audit test.",
    "reason": "no_further_action",
    "signposted_to": "education",
}


def _new_events(since: int, **filters):
    return AuditEvent.objects.filter(pk__gt=since, **filters)


def _last() -> int:
    return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


@pytest.fixture
def team(world):
    return cf.channel_team(world)


@pytest.fixture
def case(world, team):
    referral = cf.SupportFactory(referrer=rf.referrer_for(world), team=team)
    upload = SimpleUploadedFile("a.txt", b"hello", content_type="text/plain")
    referral.attachment = services.attachment_add(
        referral_id=referral.pk, actor=team.chair, upload=upload
    )
    return referral


READS = {
    "case page": lambda c: reverse("referrals:detail", args=[c.pk]),
    "Channel case page": lambda c: reverse("channel:case", args=[c.pk]),
    "API detail": lambda c: reverse("api:referral-detail", args=[c.pk]),
    "attachment download": lambda c: reverse(
        "referrals:attachment_download", args=[c.pk, c.attachment.pk]
    ),
    "assign page": lambda c: reverse("referrals:assign", args=[c.pk]),  # issue 17
}


@pytest.mark.parametrize("operation", list(READS))
def test_every_read_of_a_case_is_audited(client, team, case, operation):
    client.force_login(team.chair)
    since = _last()
    response = client.get(READS[operation](case))
    assert response.status_code == 200
    events = _new_events(
        since, action="referral.viewed", object_type=CASE_TYPE, object_id=str(case.pk)
    )
    assert events.filter(actor=team.chair).count() == 1, operation


# Every list of cases, and every search: one event per read naming the references returned.
LIST_READS = {
    "queue page": ("officer", lambda client: client.get(reverse("referrals:queue"))),
    "queue search": (
        "officer",
        lambda client: client.post(reverse("referrals:queue"), {"q": "Qxsearch"}, follow=True),
    ),
    "my referrals page": ("referrer", lambda client: client.get(reverse("referrals:mine"))),
    "API list": ("officer", lambda client: client.get(reverse("api:referral-list"))),
    # Issue 17: the Today page names the cases whose time limits run out.
    "Today page": ("officer", lambda client: client.get(reverse("home"))),
    "API work": ("officer", lambda client: client.get(reverse("api:my-work"))),
    "API search": (
        "officer",
        lambda client: client.post(
            reverse("api:referral-search"), {"q": "Qxsearch"}, content_type="application/json"
        ),
    ),
}


@pytest.mark.parametrize("operation", list(LIST_READS))
def test_every_read_of_a_list_of_cases_is_audited(world, client, operation):
    who, read = LIST_READS[operation]
    officer = rf.officer_for(world)
    referrer = rf.referrer_for(world)
    listed = rf.submitted(world, referrer=referrer, subject={"last_name": "Qxsearch"})
    reader = {"officer": officer, "referrer": referrer}[who]
    client.force_login(reader)
    since = _last()
    response = read(client)
    assert response.status_code == 200
    events = _new_events(since, action__in=["referral.list_viewed", "referral.searched"])
    event = events.get()
    assert event.actor == reader
    assert event.detail["references"] == [listed.reference], operation
    assert "Qxsearch" not in str(event.detail) + event.reason


def test_every_row_of_a_case_list_export_is_audited_with_why(
    client, team, case, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(team.officer)
    since = _last()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("referrals:queue_export"),
            {"include_closed": "on", "reason": "Quarterly performance return"},
        )
    assert response.status_code == 302
    job = Job.objects.get(owner=team.officer, kind="referrals.case_list_export")
    assert case.reference in job.result.read().decode("utf-8-sig")
    row = _new_events(
        since, action="referral.exported", object_type=CASE_TYPE, object_id=str(case.pk)
    ).get()
    assert (row.actor, row.reason) == (team.officer, "Quarterly performance return")
    export = _new_events(since, action="referrals.exported", object_id=str(job.pk)).get()
    assert (export.actor, export.reason) == (team.officer, "Quarterly performance return")
    assert export.detail["rows"] >= 1


def _candidates(world, team):
    """Cases in every state a transition may start from, and who runs it there."""
    officer, chair = team.officer, team.chair
    return [
        (rf.draft(world), None),
        (rf.submitted(world), officer),
        (rf.assessed(world, officer=officer), officer),
        (rf.police_led(world, officer=officer), officer),
        (cf.channel_panel(world, team), chair),
        (_held(world, team), chair),
        (_consented(world, team), chair),
        (_exit_ready(world, team), chair),
        (cf.post_exit_review(world, team), chair),
        (cf.closed_via_channel(world, team), chair),
        (_consent_declined(world, team), chair),
    ]


def _consent_declined(world, team):
    referral = cf.awaiting_consent(world, team)
    cf.consent(team, referral, decision="declined")
    return services.referral_transition(
        referral_id=referral.pk,
        name="close",
        actor=team.chair,
        payload={
            "reason": "consent_declined",
            "rationale": "Consent was declined.",
            "reassess_on": cf.today() + datetime.timedelta(days=30),
        },
    )


def _held(world, team):
    referral = cf.channel_panel(world, team)
    cf.assess(team, referral)
    cf.held_panel(world, team, referral)
    return referral


def _consented(world, team):
    referral = cf.awaiting_consent(world, team)
    cf.consent(team, referral)
    return referral


def _exit_ready(world, team):
    referral = cf.support(world, team)
    cf.intervention(team, referral)
    cf.review(team, referral, recommend_exit=True)
    return referral


def test_every_transition_through_the_api_is_audited(world, team, client):
    candidates = _candidates(world, team)
    proven = {}
    for name in TransitionName.values:
        for referral, actor in candidates:
            actor = actor or referral.referrer
            client.force_login(actor)
            since = _last()
            with transaction.atomic():
                response = client.post(
                    reverse("api:referral-transition", args=[referral.pk, name]),
                    PAYLOAD,
                    content_type="application/json",
                )
                if response.status_code == 200:
                    events = _new_events(
                        since,
                        action=f"referral.transition.{name}",
                        object_id=str(referral.pk),
                        actor=actor,
                    )
                    proven[name] = events.count()
                transaction.set_rollback(True)
            if name in proven:
                break
    record("Transitions proven audited through the API", len(proven))
    assert set(proven) == set(TransitionName.values), set(TransitionName.values) - set(proven)
    assert set(proven.values()) == {1}


def test_changes_from_the_case_page_are_audited(world, team, case, client):
    client.force_login(team.chair)
    since = _last()
    client.post(reverse("referrals:note_add", args=[case.pk]), {"kind": "fact", "text": "Hi"})
    upload = SimpleUploadedFile("b.txt", b"more", content_type="text/plain")
    client.post(reverse("referrals:attachment_upload", args=[case.pk]), {"file": upload})
    actions = set(
        _new_events(since, object_id=str(case.pk), actor=team.chair).values_list(
            "action", flat=True
        )
    )
    assert {"referral.note_added", "referral.attachment_added"} <= actions


def test_an_audit_export_of_a_case_is_itself_audited(
    world, case, client, team, django_capture_on_commit_callbacks
):
    admin = UserFactory(agency=world.council_a, roles=[Role.SYSTEM_ADMIN])
    client.force_login(admin)
    since = _last()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("audit_export"),
            {"what": "case", "case_id": str(case.pk), "reason": "Complaint 42 investigation"},
        )
    assert response.status_code == 302
    job = Job.objects.get(owner=admin)
    assert job.state == Job.State.DONE
    content = job.result.read().decode()
    assert "referral.viewed" in content or "referral.attachment_added" in content
    requested = _new_events(since, action="audit.export_requested", actor=admin).get()
    assert requested.reason == "Complaint 42 investigation"
    assert _new_events(since, action="audit.exported", object_id=str(case.pk)).count() == 1
    client.get(reverse("job_download", args=[job.pk]))
    assert _new_events(since, action="job.download", actor=admin).count() == 1
    assert client.get(reverse("api:job-result", args=[job.pk])).status_code == 200
    assert _new_events(since, action="job.download", actor=admin).count() == 2


def test_an_audit_export_of_a_person(world, case, client, team, django_capture_on_commit_callbacks):
    admin = UserFactory(agency=world.council_a, roles=[Role.SYSTEM_ADMIN])
    client.force_login(admin)
    since = _last()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("audit_export"),
            {"what": "user", "username": team.chair.username, "reason": "Misuse allegation"},
        )
    assert response.status_code == 302
    job = Job.objects.get(owner=admin, kind="audit_export_user")
    assert job.params == {"user_id": str(team.chair.pk)}
    assert job.state == Job.State.DONE
    content = job.result.read().decode()
    assert str(team.chair.pk) in content
    assert "channel" in content or "referral" in content
    exported = _new_events(since, action="audit.exported", object_id=str(team.chair.pk))
    assert exported.count() == 1


def test_only_a_system_admin_may_export(world, client, team):
    client.force_login(team.chair)
    assert client.get(reverse("audit_export")).status_code == 403


# --- Panel packs: one event per case in the pack -------------------------------------------

# Each door a copy leaves by, and the ``via`` its audit events name (a job's result is the
# job door, whether read from the page or, with a token, from the API).
PACK_DOORS = {
    "page": (lambda pack: reverse("channel:panel_pack", args=[pack.panel_id]), "page"),
    "api": (lambda pack: reverse("api:channel-panel-pack", args=[pack.panel_id]), "api"),
    "job": (lambda pack: reverse("job_download", args=[pack.job_id]), "job"),
    "api-job": (lambda pack: reverse("api:job-result", args=[pack.job_id]), "job"),
}


@pytest.fixture
def pack(world, team, case, django_capture_on_commit_callbacks):
    """The chair's copy of a pack holding two cases."""
    other = rf.ChannelPanelFactory(referrer=rf.referrer_for(world), assigned_officer=team.officer)
    panel = panel_create(
        actor=team.chair,
        date=cf.today(),
        location="Audit room",
        member_ids=[team.officer.pk, team.member.pk],
    )
    for referral in (case, other):
        panel_add_case(panel_id=panel.pk, actor=team.chair, referral_id=referral.pk)
    with django_capture_on_commit_callbacks(execute=True):
        job = panel_pack_request(panel_id=panel.pk, actor=team.chair)
    copy = PanelPack.objects.get(job=job, recipient=team.chair)
    assert sorted(copy.referral_ids) == sorted([str(case.pk), str(other.pk)])
    return copy


def _names(*people) -> list[str]:
    return [value for p in people for value in (p.username, p.first_name, p.last_name) if value]


def test_a_pack_generation_is_audited_against_each_case_in_each_copy(team, pack):
    for copy in PanelPack.objects.filter(job_id=pack.job_id):
        for referral_id in copy.referral_ids:
            event = AuditEvent.objects.get(
                action="channel.pack.generated",
                object_type=CASE_TYPE,
                object_id=referral_id,
                detail__recipient=str(copy.recipient_id),
            )
            assert event.actor_id == team.chair.pk
            assert event.detail["panel"] == str(pack.panel_id)
            assert not any(name in str(event.detail) for name in _names(copy.recipient))
            log = referral_access_log(Referral.objects.get(pk=referral_id))
            assert event in log


@pytest.mark.parametrize("door", list(PACK_DOORS))
def test_every_pack_download_is_audited_against_each_case_in_it(client, team, pack, door):
    client.force_login(team.chair)
    since = _last()
    with CaptureQueriesContext(connection) as queries:
        url, via = PACK_DOORS[door]
        response = client.get(url(pack))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    events = _new_events(since, action="channel.pack.downloaded")
    assert sorted(events.values_list("object_type", "object_id")) == sorted(
        [("channel.panel", str(pack.panel_id))] + [(CASE_TYPE, pk) for pk in pack.referral_ids]
    )
    for event in events:
        assert event.actor_id == team.chair.pk
        assert event.detail == {
            "panel": str(pack.panel_id),
            "recipient": str(team.chair.pk),
            "pack": str(pack.pk),
            "job": str(pack.job_id),
            "via": via,
        }
    for referral_id in pack.referral_ids:
        log = referral_access_log(Referral.objects.get(pk=referral_id))
        assert events.get(object_id=referral_id) in log
    inserts = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith("INSERT") and "channel.pack.downloaded" in q["sql"]
    ]
    assert len(inserts) == 1, "the pack's events should be written in one INSERT"
    record(f"Pack downloads proven audited per case ({door})", events.count() - 1)


# --- Every endpoint that answers a case's content audits the read (issue 13) ---------------
#
# The endpoints come from the URL resolver (``url_endpoints``: every page and API route), not
# from a hand list. Each is asked for with GET, its parameters filled with the ids of one
# case that has everything a case can have (attachment, assessment, consent, intervention
# with session notes, review, panel discussion, action and agency update), by each person
# who works on it. An answer that shows the case — its id, reference, subject's name or any
# of the texts planted in it — must have written an audit event by that person naming the
# case (its id, or its reference in a list's event), and must carry ``no-store``. A new
# endpoint that shows a case without auditing the read fails here without editing this file.

PLANTED = {
    "session": "Qxsessionnotes kept by the provider",
    "discussion": "Qxdiscussion at the panel",
    "action": "Qxaction for the panel",
    "update": "Qxupdate from the agency",
    "review": "Qxreview notes",
    "attachment": "Qxattachment content",
    "note": "Qxnote by the chair",
    "police": "Qxpolice risk summary",
    "addendum": "Qxaddendum from the referrer",
    # What the factories write: the assessment's summary, the consent, the adoption's reason.
    "assessment": "Vulnerable to grooming online.",
    "consent": "Happy to meet a mentor.",
    "rationale": "Vulnerability clear; support needed.",
}


@dataclass
class Content:
    case: Referral
    draft: Referral
    assessed: Referral
    retained: Referral
    ids: dict[str, str]
    people: dict[str, object]


@pytest.fixture
def content(world, team):
    def subject(tag):  # names no page of staff could hold by chance (a Faker surname might)
        return {"subject": {"first_name": f"Qxfirst{tag}", "last_name": f"Qxlast{tag}"}}

    referral = cf.support(world, team, **subject("Case"))
    upload = SimpleUploadedFile("a.txt", PLANTED["attachment"].encode(), content_type="text/plain")
    attachment = services.attachment_add(referral_id=referral.pk, actor=team.chair, upload=upload)
    services.note_add(referral_id=referral.pk, actor=team.chair, text=PLANTED["note"], kind="fact")
    addendum = services.addendum_add(
        referral_id=referral.pk, actor=referral.referrer, text=PLANTED["addendum"]
    )
    intervention = cf.intervention(team, referral)
    intervention_session_record(
        intervention_id=intervention.pk,
        actor=team.provider,
        date=cf.today(),
        notes=PLANTED["session"],
    )
    services_review = cf.review(team, referral)
    services_review.notes = PLANTED["review"]
    services_review.save(update_fields=["notes"])
    panel = panel_create(
        actor=team.chair,
        date=cf.today() + datetime.timedelta(days=7),
        location="Audit room",
        member_ids=[team.officer.pk, team.member.pk],
    )
    item = panel_add_case(panel_id=panel.pk, actor=team.chair, referral_id=referral.pk)
    agenda_item_record(item_id=item.pk, actor=team.chair, discussion=PLANTED["discussion"])
    panel_action_add(
        panel_id=panel.pk,
        actor=team.chair,
        description=PLANTED["action"],
        owner_name="Someone",
        referral_id=referral.pk,
    )
    agency_update_add(
        panel_id=panel.pk, referral_id=referral.pk, actor=team.member, text=PLANTED["update"]
    )
    update_request = panel_update_request(  # issue 17: the chair asks the member's agency
        panel_id=panel.pk,
        referral_id=referral.pk,
        agency_id=team.member.agency_id,
        actor=team.chair,
    )
    draft = rf.draft(world, **subject("Draft"))
    assessed = rf.police_assessment(world, officer=team.officer, **subject("Assessed"))
    retained = rf.assessed(world, officer=team.officer, **subject("Retained"))
    services.referral_transition(  # closed long enough ago to be due for retention review
        referral_id=retained.pk, name="close", actor=team.officer, payload=PAYLOAD
    )
    long_ago = timezone.now() - datetime.timedelta(days=365 * 7)
    Referral.objects.filter(pk=retained.pk).update(closed_at=long_ago)
    # A consultation the referral followed: its page and API show the case's reference.
    advice = consultation(team.officer, referral.local_authority)
    consultation_link(consultation_id=advice.pk, actor=team.officer, referral_id=referral.pk)
    police = referral.assessments.get()
    police.risk_summary = PLANTED["police"]
    police.save(update_fields=["risk_summary"])
    ids = {
        "case": str(referral.pk),
        "panel": str(panel.pk),
        "intervention": str(intervention.pk),
        "item": str(item.pk),
        "attachment": str(attachment.pk),
        # Each created record at its own URL (issue 23: a 201's Location).
        "assessment": str(police.pk),
        "note": str(referral.notes.get().pk),
        "addendum": str(addendum.pk),
        "vaf": str(VulnerabilityAssessment.objects.filter(referral=referral).first().pk),
        "consent": str(Consent.objects.filter(referral=referral).first().pk),
        "review": str(services_review.pk),
        "action": str(PanelAction.objects.get(panel=panel).pk),
        "update": str(AgencyUpdate.objects.get(panel=panel).pk),
        "session": str(InterventionSession.objects.get(intervention=intervention).pk),
        "consultation": str(advice.pk),
        "update_request": str(update_request.pk),
        "person": str(Referral.objects.get(pk=referral.pk).person_id),  # issue 18
    }
    people = {
        "chair": team.chair,
        "officer": team.officer,
        "member": team.member,
        "provider": team.provider,
        "referrer": referral.referrer,
    }
    return Content(referral, draft, assessed, retained, ids, people)


_OWNER_OF_PK = {
    "panels": "panel",
    "interventions": "intervention",
    "consultations": "consultation",
    "persons": "person",  # issue 18: a person, whose page lists the case
}
_RECORD_OF_LIST = {  # a created record's id, by the list segment before it
    "assessment": "assessment",
    "notes": "note",
    "addenda": "addendum",
    "vulnerability-assessments": "vaf",
    "consents": "consent",
    "reviews": "review",
    "actions": "action",
    "agency-updates": "update",
    "sessions": "session",
    "update-requests": "update_request",
}
_NOT_A_CASE = ("/training/", "/reports/", "/jobs/", "/api/v1/jobs/", "/admin/")
_SLUGS = {"name": "close", "code": "adopt", "slug": SECTIONS[1].slug, "fmt": "csv"}


def _filled(endpoint, ids: dict[str, str], case_id: str) -> str | None:
    """The endpoint's URL for one case, or None for routes that never show a case."""
    if endpoint.template.startswith(_NOT_A_CASE) or endpoint.name.startswith("admin:"):
        return None
    values = {}
    for name in endpoint.params:
        if name in ("pk", "id"):
            before = endpoint.template.split("{" + name + "}")[0].rstrip("/").rsplit("/", 1)[-1]
            owner = _OWNER_OF_PK.get(before, "case")
            values[name] = case_id if owner == "case" else ids[owner]
        elif name == "referral_pk":
            values[name] = case_id
        elif name == "item_pk":
            values[name] = ids["item"]
        elif name == "attachment_id":
            values[name] = ids["attachment"]
        elif name in (
            "record_pk",
            "assessment_pk",
            "note_pk",
            "addendum_pk",
            "action_pk",
            "update_pk",
            "session_pk",
            "request_pk",
        ):
            before = endpoint.template.split("{" + name + "}")[0].rstrip("/").rsplit("/", 1)[-1]
            values[name] = ids[_RECORD_OF_LIST[before]]
        else:
            values[name] = _SLUGS.get(name, "x")
    return endpoint.fill(values)


def _shows(body: str, referral: Referral, markers) -> bool:
    words = {str(referral.pk), referral.reference, referral.subject.last_name, *markers}
    return any(word and word in body for word in words)


def _audited(since: int, actor, referral: Referral) -> bool:
    events = _new_events(since, actor=actor)
    return (
        events.filter(object_type=CASE_TYPE, object_id=str(referral.pk)).exists()
        or events.filter(detail__references__contains=[referral.reference]).exists()
    )


def test_every_endpoint_that_shows_a_case_audits_the_read(content):
    readers = [(person, content.case) for person in content.people.values()]
    readers += [
        (content.draft.referrer, content.draft),
        (content.people["officer"], content.assessed),
        (content.people["officer"], content.retained),
    ]
    # Each reader signs in once (a sign-in is a session written and the user's last_login
    # saved: it cost as much as the reads it preceded, for some 4,000 reads).
    clients: dict[int, Client] = {}
    shown, unaudited, not_no_store = set(), [], []
    for endpoint in url_endpoints():
        for person, referral in readers:
            url = _filled(endpoint, content.ids, str(referral.pk))
            if url is None:
                continue
            if person.pk not in clients:
                clients[person.pk] = Client()
                clients[person.pk].force_login(person)
            client = clients[person.pk]
            since = _last()
            response = client.get(url)
            if getattr(response, "streaming", False):
                body = b"".join(response.streaming_content).decode("utf-8", "replace")
            else:
                body = response.content.decode("utf-8", "replace")
            markers = PLANTED.values() if referral == content.case else ()
            if response.status_code not in (200, 409):
                continue  # refused, not found or moved on: an error page shows no case
            if not _shows(body, referral, markers):
                continue
            shown.add(endpoint.name)
            if response.get("Cache-Control") != "no-store":
                not_no_store.append(f"{endpoint.name} {url}")
            if _audited(since, person, referral):
                continue
            unaudited.append(f"{endpoint.name} as {person.username}: GET {url}")
    record("Endpoints proven to audit every read of a case", len(shown))
    assert not unaudited, "reads of a case with no audit event:\n" + "\n".join(unaudited)
    assert not not_no_store, "cacheable answers with case content:\n" + "\n".join(not_no_store)
    # The enumeration really reached the case's content everywhere it is known to be.
    assert {
        "referrals:detail",
        "referrals:access_log",
        "referrals:attachment_download",
        "channel:case",
        "channel:support_plan",
        "channel:session_new",
        "channel:agenda_item",
        "channel:panel",
        "api:referral-detail",
        "api:referral-history",
        "api:referral-access-log",
        "api:channel-case-assessments",
        "api:channel-case-consents",
        "api:channel-case-interventions",
        "api:channel-case-reviews",
        "api:channel-panel-detail",
        "api:channel-panel-agenda",
        "api:channel-panel-actions",
        "api:channel-intervention-sessions",
        "referrals:retention",
        "referrals:retention_delete",
        "api:referral-notes",
        "api:referral-attachments",
        "api:referral-attachment",
        "api:referral-retention",
        "api:channel-case-support-plan",
        "api:channel-intervention-detail",
        "api:referral-assessment-detail",
        "api:referral-note",
        "api:channel-case-assessment",
        "api:channel-case-consent",
        "api:channel-case-review",
        "api:channel-panel-agenda-item",
        "api:channel-panel-action",
        "api:channel-panel-agency-update",
        "api:channel-intervention-session",
        # A consultation linked to the case shows its reference (issue 15).
        "consultations:detail",
        "api:consultation-detail",
        # Issue 15: evidence on a draft, information added once sent.
        "referrals:evidence",
        "referrals:addendum_add",
        "api:referral-addenda",
        "api:referral-addendum",
        "channel:timeline",
        "api:referral-timeline",
        "channel:intervention_brief",
        "channel:intervention_brief_edit",
        # Issue 17: the agency updates a chair asks for before a panel.
        "channel:panel_update_requests",
        "api:channel-panel-update-requests",
        "api:channel-panel-update-request",
        "api:channel-intervention-brief",
        # Issue 18: the person page (and its API) list the case; the transfer and unlink
        # pages name it.
        "persons:detail",
        "api:person-detail",
        "persons:transfer",
        "persons:identifier",  # recording the person's NHS number or UPN names the case
    } <= shown


# Consultations (issue 15): every read of one, and of a list of them, is audited against the
# consultation (its id), by the person who read it.
CONSULTATION_TYPE = "consultations.consultation"
CONSULTATION_READS = {
    "page": lambda c: reverse("consultations:detail", args=[c.pk]),
    "API detail": lambda c: reverse("api:consultation-detail", args=[c.pk]),
}
CONSULTATION_LIST_READS = {
    "list page": reverse_lazy("consultations:list"),
    "API list": reverse_lazy("api:consultation-list"),
}


@pytest.mark.parametrize("operation", list(CONSULTATION_READS))
def test_every_read_of_a_consultation_is_audited(world, client, operation):
    officer = rf.officer_for(world)
    advice = consultation(officer)
    client.force_login(officer)
    since = _last()
    assert client.get(CONSULTATION_READS[operation](advice)).status_code == 200
    events = _new_events(
        since,
        action="consultation.viewed",
        object_type=CONSULTATION_TYPE,
        object_id=str(advice.pk),
        actor=officer,
    )
    assert events.count() == 1, operation


@pytest.mark.parametrize("operation", list(CONSULTATION_LIST_READS))
def test_every_read_of_a_list_of_consultations_is_audited(world, client, operation):
    officer = rf.officer_for(world)
    advice = consultation(officer)
    client.force_login(officer)
    since = _last()
    assert client.get(CONSULTATION_LIST_READS[operation]).status_code == 200
    event = _new_events(since, action="consultation.list_viewed").get()
    assert event.actor == officer
    assert event.detail["ids"] == [str(advice.pk)]
    assert "Alex Morgan" not in str(event.detail)
