"""Who may read and change the partnership records (issue 21): role × endpoint, from the URL
conf and the API schema, for the people of the case matrix (``test_matrix.PEOPLE``).

Borough A's borough lead keeps its records (their cells are the feature tests' business).
Everyone else gets, on a record named by id, the answer for one that does not exist (404);
on the lists, the forms and the ledger, 403 — except the borough lead of borough B, who
keeps their own (an empty list, their own form) and never sees or changes A's. A CTLP
briefing is narrower: only the people named on it (here A's Channel chair and Prevent
officer, not its borough lead) read it; anyone else gets 404. No answer shows A's records'
words, and nothing of A's changes. The inactive and locked-out officers get the sign-in page
or 401. Every endpoint whose path names the partnership joins without editing this file.
"""

from __future__ import annotations

import datetime
import json
from collections import Counter
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client, override_settings
from django.utils import timezone

from accounts.models import User
from partnership.models import (
    Action,
    Agreement,
    Board,
    BoardMember,
    Complaint,
    CtlpBriefing,
    Disclosure,
    DisclosurePolicy,
    DueDiligenceCheck,
    GapAnalysis,
    MailingContact,
    MailingSend,
    Meeting,
    Organisation,
    Plan,
    PolicyItem,
    Project,
    RiskAssessment,
    Support,
    TermsOfReference,
    Workshop,
)
from partnership.services import agreements as agreement_services
from partnership.services import boards as board_services
from partnership.services import complaints as complaint_services
from partnership.services import mailing as mailing_services
from partnership.services import organisations as organisation_services
from partnership.services import risk as risk_services
from prevent_cms.pdf import render_pdf
from prevent_cms.registry import ensure_reference_data

from .conftest import add
from .endpoints import Endpoint, api_operations, url_endpoints
from .test_matrix import LONG_SESSIONS, PEOPLE, TOKEN, _clients, _people, _world

# Each cell's records are read in one PostgreSQL query (``_in_one_query``).
pytestmark = pytest.mark.postgres

OWNER = "borough_lead"
SIGNED_OUT = {"inactive_officer", "locked_officer"}
CTLP_READERS = {"chair", "officer"}
OTHER_LEAD = "borough_lead_other_la"
BOARD = "Qxboardname"
CTLP = "Qxctlptitle"
AGREEMENT = "Qxagreementtitle"
ORGANISATION = "Qxorganisation"
TODAY = timezone.localdate()
DAY = TODAY.isoformat()


def _endpoints() -> dict[str, tuple[Endpoint, str]]:
    found = {}
    pages = [e for e in url_endpoints() if not e.name.startswith(("api:", "admin:"))]
    for endpoint in pages + api_operations():
        if endpoint.template.startswith(("/partnership/", "/api/v1/partnership/")):
            for method in endpoint.methods:
                found[f"{method} {'api' if endpoint.api else 'page'}:{endpoint.name}"] = (
                    endpoint,
                    method,
                )
    return found


ENDPOINTS = _endpoints()


@dataclass
class Setup:
    people: dict[str, User]
    clients: dict[str, Client]
    ids: dict[str, str]
    body: dict


@pytest.fixture(scope="module")
def setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), override_settings(**LONG_SESSIONS):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            ensure_reference_data()
            world = _world()
            people = _people(world)
            lead = people[OWNER]
            board = board_services.board_create(
                actor=lead, name=BOARD, kind="prevent_board", quorum=1
            )
            member = board_services.board_member_add(
                actor=lead, board_id=board.pk, name="Qxmember", agency=world.health_a
            )
            pdf = render_pdf(html="<p>Qxctlpbody</p>", static=False).content
            terms = board_services.terms_upload(
                actor=lead,
                board_id=board.pk,
                upload=SimpleUploadedFile("t.pdf", pdf),
                approved_on=TODAY,
            )
            meeting = board_services.meeting_schedule(
                actor=lead, board_id=board.pk, date=TODAY, location="Qxplace"
            )
            action = board_services.action_create(
                actor=lead,
                data={"description": "Qxaction", "owner": "Qxowner", "due_date": TODAY},
                meeting_id=meeting.pk,
            )
            assessment = risk_services.risk_assessment_create(
                actor=lead,
                assessed_on=TODAY,
                review_by=TODAY + datetime.timedelta(days=300),
                summary="Qxsummary",
                risks=[{"title": "Qxrisk", "level": "high"}],
            )
            plan = risk_services.plan_create(
                actor=lead,
                title="Qxplan",
                starts_on=TODAY,
                ends_on=TODAY + datetime.timedelta(days=300),
            )
            agreement = agreement_services.agreement_create(
                actor=lead,
                data={
                    "title": AGREEMENT,
                    "purpose": "Qxpurpose",
                    "lawful_basis": "public_task",
                    "starts_on": TODAY,
                    "review_on": TODAY + datetime.timedelta(days=300),
                },
                party_ids=[world.health_a.pk],
            )
            ctlp = risk_services.ctlp_briefing_upload(
                actor=lead,
                title=CTLP,
                received_on=TODAY,
                upload=SimpleUploadedFile("c.pdf", pdf),
                reader_ids=[people["chair"].pk, people["officer"].pk],
            )
            organisation = organisation_services.organisation_create(
                actor=lead, name=ORGANISATION, organisation_type="faith", engaged_on=TODAY
            )
            organisation_services.gap_analysis_record(
                actor=lead,
                organisation_id=organisation.pk,
                assessed_on=TODAY,
                items=dict.fromkeys(PolicyItem.values, "met"),
            )
            organisation_services.support_record(
                actor=lead, organisation_id=organisation.pk, date=TODAY, description="Qxsupport"
            )
            check = organisation_services.due_diligence_record(
                actor=lead,
                organisation_id=organisation.pk,
                route="grant",
                checked_on=TODAY,
                checks=["registration"],
                outcome="passed",
                checked_by="Qxchecker",
            )
            project = organisation_services.project_create(
                actor=lead,
                organisation_id=organisation.pk,
                title="Qxproject",
                funding_amount=100,
                funding_source="Qxsource",
                starts_on=TODAY,
            )
            workshop = organisation_services.workshop_record(
                actor=lead,
                date=TODAY,
                title="Qxworkshop",
                session_type="workshop",
                audience="Qxaudience",
                attendance=9,
            )
            # Complaints and the mailing list (partner21).
            complaint = complaint_services.complaint_create(
                actor=lead,
                data={"received_on": TODAY, "channel": "email", "summary": "Qxcomplaint"},
            )
            contact = mailing_services.mailing_contact_add(
                actor=lead, email="qxcontact@example.org"
            )
            MailingContact.objects.filter(pk=contact.pk).update(status="confirmed")
            send = mailing_services.mailing_list_send(actor=lead)
            ids = {
                "complaints": str(complaint.pk),
                "mailing-contacts": str(contact.pk),
                "mailing-list": str(contact.pk),  # the page /partnership/mailing-list/{pk}/
                "mailing-sends": str(send.pk),
                "organisations": str(organisation.pk),
                "due-diligence": str(check.pk),
                "projects": str(project.pk),
                "workshops": str(workshop.pk),
                "boards": str(board.pk),
                "meetings": str(meeting.pk),
                "actions": str(action.pk),
                "risk-assessments": str(assessment.pk),
                "plans": str(plan.pk),
                "agreements": str(agreement.pk),
                "terms": str(terms.pk),
                "ctlp-briefings": str(ctlp.pk),
            }
            # Plausible answers to every field of every form and body, so that a write that
            # lacked only its permission check would succeed rather than fail validation.
            body = {
                "name": "Matrix board",
                "kind": "prevent_board",
                "quorum": 1,
                "board": ids["boards"],
                "date": DAY,
                "location": "Matrix place",
                "agenda": "Matrix agenda",
                "attended": [str(member.pk)],
                "minutes": "Matrix minutes",
                "description": "Matrix action",
                "owner": "Matrix owner",
                "due_date": DAY,
                "rag": "red",
                "meeting": ids["meetings"],
                "plan": ids["plans"],
                "title": "Matrix title",
                "assessed_on": DAY,
                "review_by": (TODAY + datetime.timedelta(days=10)).isoformat(),
                "summary": "Matrix summary",
                "risks": [],
                "risk_1": "Matrix risk",
                "level_1": "high",
                "parties": [str(world.health_a.pk)],
                "purpose": "Matrix purpose",
                "lawful_basis": "public_task",
                "starts_on": DAY,
                "review_on": (TODAY + datetime.timedelta(days=10)).isoformat(),
                "ends_on": (TODAY + datetime.timedelta(days=20)).isoformat(),
                "status": "ended",
                "refuse": "yes",
                "organisation_type": "charity",
                "engaged_on": DAY,
                "items": dict.fromkeys(PolicyItem.values, "partly"),
                **{f"item_{code}": "partly" for code in PolicyItem.values},
                "organisation": ids["organisations"],
                "route": "commissioning",
                "checked_on": DAY,
                "checks": ["accounts"],
                "outcome": "failed",
                "checked_by": "Matrix checker",
                "funding_amount": "250.00",
                "funding_source": "Matrix fund",
                "outputs": "Matrix outputs",
                "session_type": "briefing",
                "audience": "Matrix audience",
                "attendance": 3,
                "received_on": DAY,
                "channel": "letter",
                "signposted": True,
                "email": "matrix@example.org",
            }
            dates = ("date", "due_date", "assessed_on", "review_by", "starts_on", "review_on")
            for name in (*dates, "engaged_on", "checked_on", "received_on"):
                day = datetime.date.fromisoformat(body[name])
                body |= {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}
            clients = _clients(people)
            yield Setup(people, clients, ids, body)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _fill(endpoint: Endpoint, ids: dict[str, str]) -> str:
    values = {}
    for name in endpoint.params:
        before = endpoint.template.split("{" + name + "}")[0].rstrip("/").rsplit("/", 1)[-1]
        values[name] = ids[before]
    return endpoint.fill(values)


def _call(client: Client, endpoint: Endpoint, method: str, url: str, body: dict):
    if method == "GET":
        return client.get(url)
    if endpoint.api:
        plain = {k: v for k, v in body.items() if k[-2:] not in ("_0", "_1", "_2")}
        return client.generic(method, url, json.dumps(plain), content_type="application/json")
    return client.post(url, body)


def _in_one_query(querysets: list) -> tuple:
    """Each queryset's rows, as JSON, read in one round trip (a cell reads its records after
    every request: twenty queries a cell were most of this matrix's time)."""
    parts, params = [], []
    for queryset in querysets:
        sql, values = queryset.query.sql_with_params()
        # The ORM's own SQL; its values stay bound parameters.
        parts.append(f"(SELECT coalesce(json_agg(row_to_json(t)), '[]') FROM ({sql}) t)")  # noqa: S608
        params += values
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        return tuple(cursor.fetchone())


def _ids(model) -> object:
    """Which records of ``model`` exist (a record added or removed shows; a count would miss
    one added as another was removed)."""
    return model.objects.order_by("pk").values_list("pk")


def _fingerprint(_setup: Setup) -> tuple:
    return _in_one_query(
        [
            Board.objects.order_by("pk").values_list("pk", "name", "quorum"),
            _ids(BoardMember),
            _ids(TermsOfReference),
            Meeting.objects.order_by("pk").values_list("pk", "held_at", "minutes", "signed_off_at"),
            Action.objects.order_by("pk").values_list("pk", "rag", "owner", "due_date"),
            _ids(RiskAssessment),
            _ids(Plan),
            Agreement.objects.order_by("pk").values_list("pk", "status", "review_on"),
            _ids(CtlpBriefing),
            _ids(Disclosure),
            DisclosurePolicy.objects.order_by("pk").values_list(
                "local_authority_id", "refuse_without_agreement"
            ),
            _ids(Organisation),
            _ids(GapAnalysis),
            _ids(Support),
            _ids(DueDiligenceCheck),
            _ids(Project),
            _ids(Workshop),
            Complaint.objects.order_by("pk").values_list("pk", "summary", "outcome"),
            MailingContact.objects.order_by("pk").values_list("pk", "status"),
            _ids(MailingSend),
        ]
    )


def _expected(actor: str, endpoint: Endpoint, method: str) -> set[int]:
    person = actor.split(TOKEN)[0]
    if person in SIGNED_OUT:
        return {401} if endpoint.api else {302}
    ctlp = "ctlp-briefings" in endpoint.template
    names_one = "{" in endpoint.template
    if ctlp and names_one and person in CTLP_READERS and method == "GET":
        return {200}
    if names_one:
        # A download answers only GET (405 says nothing of whether the record exists).
        return {404, 405} if method != "GET" and not endpoint.api else {404}
    if ctlp and method == "GET" and endpoint.api:
        return {200}  # the list of briefings naming them: theirs only
    if person == OTHER_LEAD:
        # Their own records: an empty list, their own form, a board of their own; never A's.
        # A reminder to their own list, on which nobody has confirmed: nothing to send (409).
        if "mailing-sends" in endpoint.template and method == "POST":
            return {200, 201, 302, 400, 404, 409, 415}
        return {200, 201, 302, 400, 404, 415}
    return {403}


def test_every_partnership_endpoint_is_in_the_matrix():
    names = {key.split(" ", 1)[1] for key in ENDPOINTS}
    assert {
        "page:partnership:home",
        "page:partnership:board",
        "page:partnership:meeting_sign_off",
        "page:partnership:ctlp_download",
        "page:partnership:ledger",
        "page:partnership:organisation",
        "page:partnership:due_diligence_new",
        "page:partnership:project_new",
        "page:partnership:workshops",
        "page:partnership:complaints",
        "page:partnership:complaint_edit",
        "page:partnership:mailing_list",
        "page:partnership:mailing_contact_remove",
        "page:partnership:mailing_list_send",
    } <= names
    api = {(e.methods[0], e.template) for e, _m in ENDPOINTS.values() if e.api}
    assert {
        ("GET", "/api/v1/partnership/disclosures/"),
        ("POST", "/api/v1/partnership/boards/"),
        ("POST", "/api/v1/partnership/meetings/{id}/sign-off/"),
        ("PATCH", "/api/v1/partnership/actions/{id}/"),
        ("GET", "/api/v1/partnership/ctlp-briefings/{id}/document/"),
        ("POST", "/api/v1/partnership/organisations/{id}/gap-analyses/"),
        ("GET", "/api/v1/partnership/due-diligence/{id}/"),
        ("POST", "/api/v1/partnership/projects/"),
        ("POST", "/api/v1/partnership/workshops/"),
        ("GET", "/api/v1/partnership/complaints/"),
        ("PATCH", "/api/v1/partnership/complaints/{id}/"),
        ("POST", "/api/v1/partnership/mailing-contacts/"),
        ("POST", "/api/v1/partnership/mailing-contacts/{id}/remove/"),
        ("POST", "/api/v1/partnership/mailing-sends/"),
    } <= api


@pytest.mark.parametrize("person", [p for p in PEOPLE if p != OWNER])
def test_who_may_read_and_change_the_partnership_records(setup, db, settings, person):
    for name, value in LONG_SESSIONS.items():
        setattr(settings, name, value)
    failures, cells = [], Counter()
    # B's lead may add records of their own: for them, A's must stay as they were.
    fingerprint = _fingerprint_of_a if person == OTHER_LEAD else _fingerprint
    # Every cell's request is rolled back, so each starts from these records: read once.
    before = fingerprint(setup)
    for actor in (person, person + TOKEN):
        client = setup.clients[actor]
        for key, (endpoint, method) in ENDPOINTS.items():
            if client.token and not endpoint.api:
                continue
            url = _fill(endpoint, setup.ids)
            with transaction.atomic():
                response = _call(client, endpoint, method, url, setup.body)
                after = fingerprint(setup)
                transaction.set_rollback(True)
            cells[person] += 1
            label = f"{actor} × {key}"
            expected = _expected(actor, endpoint, method)
            if response.status_code not in expected:
                failures.append(f"{label}: {response.status_code}, expected {expected}")
            body = (
                b"".join(response.streaming_content)
                if getattr(response, "streaming", False)
                else response.content
            ).decode("utf-8", "replace")
            markers = (BOARD, AGREEMENT, "Qxaction", "Qxrisk", "Qxplace", ORGANISATION)
            markers += ("Qxsupport", "Qxchecker", "Qxproject", "Qxworkshop")
            markers += ("Qxcomplaint", "qxcontact")
            shown = [m for m in markers if m in body]
            if CTLP in body and person not in CTLP_READERS:
                shown.append(CTLP)
            if shown:
                failures.append(f"{label}: the answer shows {shown}")
            if before != after:
                failures.append(f"{label}: a partnership record changed")
    add("Partnership matrix cells (role × endpoint)", sum(cells.values()))
    assert not failures, "\n".join(failures)


def _fingerprint_of_a(setup: Setup) -> tuple:
    ids = setup.ids
    board, a = ids["boards"], "Matrix A"
    organisation = ids["organisations"]
    return _in_one_query(
        [
            Board.objects.filter(pk=board).values_list("name", "quorum"),
            BoardMember.objects.filter(board_id=board).order_by("pk").values_list("pk"),
            TermsOfReference.objects.filter(board_id=board).order_by("pk").values_list("pk"),
            Meeting.objects.filter(board_id=board)
            .order_by("pk")
            .values_list("pk", "held_at", "minutes", "signed_off_at"),
            Action.objects.filter(pk=ids["actions"]).values_list("rag", "owner"),
            Action.objects.filter(meeting_id=ids["meetings"]).order_by("pk").values_list("pk"),
            Action.objects.filter(plan_id=ids["plans"]).order_by("pk").values_list("pk"),
            Agreement.objects.filter(pk=ids["agreements"]).values_list("status", "review_on"),
            DisclosurePolicy.objects.filter(local_authority__name=a).values_list(
                "refuse_without_agreement"
            ),
            Organisation.objects.filter(pk=organisation).values_list("name"),
            *(
                model.objects.filter(organisation_id=organisation).order_by("pk").values_list("pk")
                for model in (GapAnalysis, Support, DueDiligenceCheck, Project)
            ),
            Workshop.objects.filter(local_authority__name=a).order_by("pk").values_list("pk"),
            Complaint.objects.filter(pk=ids["complaints"]).values_list("summary", "outcome"),
            MailingContact.objects.filter(pk=ids["mailing-contacts"]).values_list("status"),
            MailingSend.objects.filter(local_authority__name=a).order_by("pk").values_list("pk"),
        ]
    )
