"""Role × operation × case-ownership matrix, generated from the URL conf and the API schema.

Operations: every URL pattern and every API operation that reaches a case by its id — found
by probing each endpoint with a case id and with a random id as people who may see the case;
an endpoint whose answer differs is case-scoped. Slug parameters take every value the code
knows for them (every transition, every form section, every Channel decision). A new endpoint
joins the matrix without editing this file.

People: every role of DESIGN.md §3 in borough A, people of borough B (the other local
authority of the same force) and of another force area, an inactive officer and an officer
locked out by django-axes. Each person comes twice: as a signed-in browser session (every
endpoint) and as an API token (``Authorization: Token …``, every API operation). The inactive
and locked officers sign in and get their token while in good standing and only then are made
inactive or locked out (five failed sign-ins), so the matrix proves that what they already hold
stops working. Cases: one per lifecycle state, all owned by borough A.

For every cell where the person may not see the case (DESIGN.md §3): the answer is exactly
the answer for a case that does not exist (404 for active people, sign-in for the others),
never 2xx, never containing the case's reference or the subject's name, and the case (its row
and every related row) unchanged. Where they see part of it (referrer, agency lead, panel
member): no police assessment in what they read, and no write succeeds — but one: a referrer
adds information to their own referral once sent (issue 15, ``REFERRER_WRITES``), which must
add exactly one addendum and change nothing else. Cells where a person has full access are
the lifecycle tests' business and are not counted.

Lists and searches of cases (``endpoints.CASE_LISTS``: the queue's search, "My referrals",
the API list and the API search) are read by every person for every case's subject: a case
they may not see never shows, and on one they see only coarsely the row's state is coarse.

Last run (PostgreSQL, 2026-12-07): 23,814 cells checked (19,398 out of scope, 4,410 partial
access, 6 a provider's own entries; 4,670 of them through an API token) over 99 case-scoped
endpoints, 21 people and 6 cases, and 5,640 checks of the 174 routes that name a case but reach
none — 0 failures. The figures are printed in the "security figures" section of the pytest
summary. One test id is an operation × a role (``ROLES``): its people of every borough and
force, inactive and locked out, share the test. A POST to
an HTML page that only reads (it re-renders with 200 and changes nothing) is not a write: the
case's fingerprint — its row and a count of every related row — is the proof, plus "no 2xx"
for API writes. The locked and inactive officers' tokens must get exactly 401 on every API
cell.
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
import os
import re
import time
import uuid
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import Agency, LocalAuthority, PoliceForce, Role, Sector, User
from channel.models import Consent, Review, VulnerabilityAssessment
from channel.services.agenda import panel_add_case
from channel.services.panels import panel_create
from channel.views.cases import DECISIONS as CHANNEL_DECISIONS
from prevent_cms.registry import ensure_reference_data
from referrals import services
from referrals.choices import TransitionName
from referrals.forms.draft import SECTIONS
from referrals.models import Referral, Subject
from referrals.views.case import DECISIONS as POLICE_DECISIONS
from tests.channel import factories as cf
from tests.conftest import World
from tests.factories import PASSWORD, AgencyFactory, UserFactory
from tests.helpers import date_boxes
from tests.referrals import factories as rf

from .conftest import add, record
from .endpoints import CASE_LISTS, Endpoint, api_operations, url_endpoints

RISK_SUMMARY = "Low-level but persistent interest in extremist material."
CASE_PARAMS = ("pk", "id", "referral_pk")
SLUG_VALUES = {
    "name": sorted(set(TransitionName.values) | set(POLICE_DECISIONS)),
    "slug": [form.slug for form in SECTIONS if form.slug],
    "code": sorted(CHANNEL_DECISIONS),
}
TODAY = timezone.localdate().isoformat()
# One body for every write: plausible answers to every field the case's forms and APIs take,
# so a write that lacked only a permission check would succeed rather than fail validation.
PAYLOAD = {
    "rationale": "Matrix rationale for the decision.",
    "reason": "no_further_action",
    "signposted_to": "education",
    "text": "Matrix note.",
    "kind": "fact",
    "description": "Matrix file",
    "deconfliction": "cleared",
    "concern_type": "extreme_right_wing",
    "screening": "clear_vulnerability",
    "vulnerabilities": "Isolation",
    "risk_summary": "Matrix risk summary.",
    "concern_summary": "Changed by the matrix.",
    "framework": "vaf_2012",
    "summary": "Matrix summary.",
    "management_plan": "Matrix plan.",
    "given_by": "individual",
    "given_by_name": "Matrix Person",
    "relationship": "Parent",
    "date": TODAY,
    "decision": "given",
    "child_view": "Fine.",
    "type": "education",
    "provider_name": "Matrix provider",
    "start_date": TODAY,
    "hours": "2",
    "status": "planned",
    "risk_change": "reduced",
    "recommend_exit": "false",
    "notes": "Matrix review.",
}

# The pages ask each date with the GOV.UK date input (day, month and year boxes).
PAGE_DATES = {**date_boxes("date", TODAY), **date_boxes("start_date", TODAY)}

NONE, COARSE, PANEL, FULL = "none", "coarse", "panel", "full"
# Issue 16: an intervention provider reads a case's timeline, and only its entries of their
# own interventions, while the case is open. Every other endpoint stays NONE for them.
PROVIDER = "provider"
PROVIDER_ENDPOINTS = {"channel:timeline", "api:referral-timeline", "v1_referrals_timeline_list"}


@dataclass
class Case:
    key: str
    referral: Referral
    attachment_id: str = ""
    on_agenda: bool = False
    records: dict[str, str] = field(default_factory=dict)  # list segment -> one record's id


@dataclass
class Matrix:
    actors: dict[str, User]
    clients: dict[str, Client]
    cases: dict[str, Case]
    before: dict[str, tuple] = field(default_factory=dict)  # each case's fingerprint
    scoped: dict[str, bool] = field(default_factory=dict)  # _is_case_scoped, memoised
    probes: Path | None = None  # where pytest-xdist workers share what the probes found


def _world() -> World:
    force = PoliceForce.objects.create(name="Matrix Force One")
    other_force = PoliceForce.objects.create(name="Matrix Force Two")
    la_a = LocalAuthority.objects.create(name="Matrix A", police_force=force)
    la_b = LocalAuthority.objects.create(name="Matrix B", police_force=force)
    la_c = LocalAuthority.objects.create(name="Matrix C", police_force=other_force)

    def agency(la, sector):
        return AgencyFactory(local_authority=la, sector=sector)

    return World(
        force=force,
        other_force=other_force,
        la_a=la_a,
        la_b=la_b,
        la_c=la_c,
        school_a=agency(la_a, Sector.EDUCATION),
        police_a=agency(la_a, Sector.POLICE),
        council_a=agency(la_a, Sector.LOCAL_AUTHORITY),
        health_a=agency(la_a, Sector.HEALTH),
        community_a=agency(la_a, Sector.COMMUNITY),
        school_b=agency(la_b, Sector.EDUCATION),
        council_b=agency(la_b, Sector.LOCAL_AUTHORITY),
        school_c=agency(la_c, Sector.EDUCATION),
        police_c=agency(la_c, Sector.POLICE),
        council_c=agency(la_c, Sector.LOCAL_AUTHORITY),
    )


# Every person of the matrix: name -> (their agency, as a World attribute, and their role).
# "police_b" is the police agency of borough B, made here. Each name is a test id dimension.
PEOPLE: dict[str, tuple[str, str]] = {
    "referrer": ("school_a", Role.REFERRER),
    "colleague_referrer": ("school_a", Role.REFERRER),
    "agency_lead": ("school_a", Role.AGENCY_LEAD),
    "officer": ("police_a", Role.PREVENT_OFFICER),
    "chair": ("council_a", Role.CHANNEL_CHAIR),
    "panel_member": ("health_a", Role.PANEL_MEMBER),
    "intervention_provider": ("community_a", Role.INTERVENTION_PROVIDER),
    "borough_lead": ("council_a", Role.BOROUGH_LEAD),
    "prevent_lead": ("council_a", Role.PREVENT_LEAD),
    "system_admin": ("council_a", Role.SYSTEM_ADMIN),
    "referrer_other_la": ("school_b", Role.REFERRER),
    "agency_lead_other_la": ("school_b", Role.AGENCY_LEAD),
    "chair_other_la": ("council_b", Role.CHANNEL_CHAIR),
    "borough_lead_other_la": ("council_b", Role.BOROUGH_LEAD),
    "prevent_lead_other_la": ("council_b", Role.PREVENT_LEAD),
    "officer_other_la": ("police_b", Role.PREVENT_OFFICER),
    "officer_other_force": ("police_c", Role.PREVENT_OFFICER),
    "chair_other_force": ("council_c", Role.CHANNEL_CHAIR),
    "referrer_other_force": ("school_c", Role.REFERRER),
    "inactive_officer": ("police_a", Role.PREVENT_OFFICER),
    "locked_officer": ("police_a", Role.PREVENT_OFFICER),
}


def _people(world: World) -> dict[str, User]:
    police_b = Agency.objects.create(
        name="Matrix B police", sector=Sector.POLICE, local_authority=world.la_b
    )
    agencies = {"police_b": police_b}
    return {
        name: UserFactory(agency=agencies.get(agency) or getattr(world, agency), roles=[role])
        for name, (agency, role) in PEOPLE.items()
    }


def _attach(case: Referral, who: User) -> str:
    upload = SimpleUploadedFile("note.txt", b"matrix attachment", content_type="text/plain")
    return str(services.attachment_add(referral_id=case.pk, actor=who, upload=upload).pk)


# A created record's own URL (a 201's Location, issue 23) names it after its list's segment.
RECORD_PARAMS = ("record_pk", "assessment_pk", "note_pk", "addendum_pk")

# The one write a person without full access may make (issue 15): the referrer adds
# information to their own referral once it is sent, on the page or through the API route
# (both take the matrix's form post and its "text"; the API operation's JSON body is refused
# with 415, as the API takes this upload as multipart only, and so changes nothing).
REFERRER_WRITES = {"referrals:addendum_add", "api:referral-addenda"}
ADDENDA_ROWS = "rows_addenda"


def _records(case: Referral, author: User) -> dict[str, str]:
    """One record of each kind the case has, by its list's segment, to read at its own URL."""
    if case.state != "draft":
        services.note_add(referral_id=case.pk, actor=author, text="Matrix note.", kind="fact")
    found = {
        "assessment": case.assessments.first(),
        "notes": case.notes.first(),
        "vulnerability-assessments": VulnerabilityAssessment.objects.filter(referral=case).first(),
        "consents": Consent.objects.filter(referral=case).first(),
        "reviews": Review.objects.filter(referral=case).first(),
        "addenda": case.addenda.first(),
    }
    return {segment: str(record.pk) for segment, record in found.items() if record}


def _cases(world: World, people: dict[str, User]) -> dict[str, Case]:
    referrer, officer = people["referrer"], people["officer"]
    team = cf.Team(
        chair=people["chair"],
        officer=officer,
        member=people["panel_member"],
        provider=people["intervention_provider"],
    )

    def kw(key: str) -> dict:
        # Names no page could hold by chance: a Faker surname such as "Page" is a word of
        # the "Page not found" answer, which the leak check would rightly flag.
        tag = key.title().replace("_", "")
        subject = {"first_name": f"Qxfirst{tag}", "last_name": f"Qxlast{tag}"}
        return {"referrer": referrer, "subject": subject}

    cases = {
        "draft": Case("draft", rf.draft(world, **kw("draft"))),
        "submitted": Case("submitted", rf.submitted(world, **kw("submitted"))),
        "assessed": Case("assessed", rf.assessed(world, officer=officer, **kw("assessed"))),
        "closed_by_police": Case(
            "closed_by_police",
            rf.closed_by_police(world, officer=officer, **kw("closed_by_police")),
        ),
        "channel_panel": Case(
            "channel_panel", cf.channel_panel(world, team, **kw("channel_panel")), on_agenda=True
        ),
        "support": Case("support", cf.support(world, team, **kw("support")), on_agenda=True),
    }
    panel = panel_create(
        actor=team.chair,
        date=timezone.localdate() + datetime.timedelta(days=7),
        location="Matrix room",
        member_ids=[officer.pk, team.member.pk],
    )
    panel_add_case(
        panel_id=panel.pk, actor=team.chair, referral_id=cases["channel_panel"].referral.pk
    )
    cf.intervention(team, cases["support"].referral)
    for case in cases.values():
        case.referral.refresh_from_db()
        author = referrer if case.key == "draft" else officer
        if case.key != "draft" and case.referral.channel_entered_at:
            author = team.chair if case.referral.state != "police_assessment" else officer
        case.attachment_id = _attach(case.referral, author)
        if case.key != "draft":  # information its referrer added once it was sent
            services.addendum_add(
                referral_id=case.referral.pk, actor=referrer, text="Matrix addendum."
            )
        case.records = _records(case.referral, author)
    return cases


def expected_access(actor: str, case: Case) -> str:
    """DESIGN.md §3, written out independently of ``referrals.selectors``."""
    referral = case.referral
    draft = referral.state == "draft"
    if actor == "referrer":
        return FULL if draft else COARSE
    if actor == "agency_lead":
        return NONE if draft else COARSE
    if actor in ("officer", "officer_other_la"):
        return NONE if draft else FULL
    if actor == "chair":
        return FULL if referral.channel_entered_at else NONE
    if actor == "panel_member":
        return PANEL if case.on_agenda and referral.state != "closed" else NONE
    if actor == "prevent_lead":
        # Their local authority's cases, as coarsely as an agency lead, until Channel.
        return COARSE if not draft and not referral.channel_entered_at else NONE
    return NONE


def _provider_reads(matrix: Matrix, actor: str, case: Case, endpoint: Endpoint) -> bool:
    """The provider has an intervention on this open case, and this is the case's timeline."""
    referral = case.referral
    return (
        actor == "intervention_provider"
        and endpoint.name in PROVIDER_ENDPOINTS
        and referral.state != "closed"
        and referral.interventions.filter(provider=matrix.actors[actor]).exists()
    )


TOKEN = " · token"  # suffix of the actor name of a person's API-token client
REFUSED_TOKENS = {"locked_officer", "inactive_officer"}


def _clients(people: dict[str, User]) -> dict[str, Client]:
    """A browser session and an API token client for every person.

    The locked and inactive officers hold both before they are locked out or made inactive.
    """
    clients: dict[str, Client] = {}
    for actor, user in people.items():
        session = Client()
        if actor in ("locked_officer", "inactive_officer"):
            login = {"username": user.username, "password": PASSWORD}
            assert session.post(reverse("accounts:login"), login).status_code == 302
        else:
            session.force_login(user)
        key = Token.objects.create(user=user).key
        token = Client(headers={"Authorization": f"Token {key}"})
        assert token.get("/api/v1/users/").status_code == 200, actor
        session.person = token.person = actor
        session.token, token.token = False, True
        clients[actor], clients[actor + TOKEN] = session, token
    locked = people["locked_officer"]
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        Client().post(reverse("accounts:login"), {"username": locked.username, "password": "x"})
    login = {"username": locked.username, "password": PASSWORD}
    assert Client().post(reverse("accounts:login"), login).status_code == 429, "not locked"
    people["inactive_officer"].is_active = False
    people["inactive_officer"].save(update_fields=["is_active"])
    return clients


def _relation_counts() -> dict[str, Subquery]:
    """A count of the rows of every relation hanging off a case, as subqueries of one query."""
    counts = {}
    for relation in Referral._meta.related_objects:
        if relation.one_to_one:
            continue
        rows = relation.related_model._default_manager.filter(
            **{relation.field.name: OuterRef("pk")}
        )
        count = rows.order_by().values(relation.field.name).annotate(n=Count("*")).values("n")
        counts[f"rows_{relation.get_accessor_name()}"] = Coalesce(Subquery(count), 0)
    return counts


RELATION_COUNTS = _relation_counts()


class _Compiled:
    """One ``values()`` query compiled to SQL once, then run again for any id.

    Django compiles a queryset anew each time it runs; for the case row with its forty-odd
    counted relations the compiling cost more than PostgreSQL's answering it, and the matrix
    takes a fingerprint after every write it tries (some 20,000). The SQL, its parameters and
    the conversion of what comes back are the ORM's own (its compiler, kept), for a stand-in
    id swapped for the real one: the row is the dict ``values().get()`` gives.
    """

    STAND_IN = uuid.UUID(int=0x5EED)

    def __init__(self, queryset_for):
        self.queryset_for = queryset_for
        self.compiled = None

    def get(self, pk) -> dict:
        if self.compiled is None:
            query = self.queryset_for(self.STAND_IN).query
            compiler = query.get_compiler(using="default")
            sql, params = compiler.as_sql()
            names = [*query.extra_select, *query.values_select, *query.annotation_select]
            assert sum(self._is_stand_in(p) for p in params) == 1, params
            self.compiled = (compiler, sql, list(params), names)
        compiler, sql, params, names = self.compiled
        with connection.cursor() as cursor:
            cursor.execute(sql, [pk if self._is_stand_in(p) else p for p in params])
            rows = list(compiler.results_iter(results=[cursor.fetchall()]))
        assert len(rows) == 1, f"{len(rows)} rows for {pk}"
        return dict(zip(names, rows[0], strict=True))

    def _is_stand_in(self, param) -> bool:
        return param in (self.STAND_IN, self.STAND_IN.hex, str(self.STAND_IN))


_CASE_ROW = _Compiled(
    lambda pk: Referral.objects.filter(pk=pk).annotate(**RELATION_COUNTS).values()
)
_SUBJECT_ROW = _Compiled(lambda pk: Subject.objects.filter(pk=pk).values())


def _fingerprint(referral_id) -> tuple:
    """The case row and a count of every row that hangs off it: any write shows here.

    Two queries (the row with every count as a subquery, and its subject), not one per
    relation, each compiled once (``_Compiled``): the matrix takes a fingerprint after every
    write it tries.
    """
    row = _CASE_ROW.get(referral_id)
    row.pop("updated_at", None)
    counts = tuple((name, row.pop(name)) for name in RELATION_COUNTS)
    subject = _SUBJECT_ROW.get(row["subject_id"])
    return (tuple(sorted(row.items(), key=str)), counts, tuple(sorted(subject.items())))


def _orm_fingerprint(referral_id) -> tuple:
    """``_fingerprint`` through the ORM each time: the matrix checks once that both agree."""
    row = Referral.objects.filter(pk=referral_id).annotate(**RELATION_COUNTS).values().get()
    row.pop("updated_at", None)
    counts = tuple((name, row.pop(name)) for name in RELATION_COUNTS)
    subject = Subject.objects.filter(pk=row["subject_id"]).values().get()
    return (tuple(sorted(row.items(), key=str)), counts, tuple(sorted(subject.items())))


def _with_one_more_addendum(fingerprint: tuple) -> tuple:
    """The fingerprint of the same case with one more addendum and nothing else changed."""
    row, counts, subject = fingerprint
    counts = tuple((name, n + 1 if name == ADDENDA_ROWS else n) for name, n in counts)
    return (row, counts, subject)


def _request(client: Client, endpoint: Endpoint, method: str, url: str):
    if method == "GET":
        return client.get(url)
    if endpoint.api:
        return client.generic(method, url, data=_json(PAYLOAD), content_type="application/json")
    return client.post(url, {**PAYLOAD, **PAGE_DATES})


def _json(data: dict) -> str:
    import json

    return json.dumps({**data, "vulnerabilities": [data["vulnerabilities"]]})


def _urls(
    endpoint: Endpoint,
    case_id: str,
    attachment_id: str,
    every: bool = True,
    records: dict[str, str] | None = None,
) -> list[str]:
    """Every URL of one endpoint for one case: each known value of each slug parameter.

    ``every=False`` takes one value per slug: for someone who may not see the case at all the
    case lookup answers before the slug is read, so one value stands for all of them.
    """
    urls = [{}]
    for name, kind in endpoint.params.items():
        if name in CASE_PARAMS and kind == "uuid":
            values = [case_id]
        elif name == "attachment_id":
            values = [attachment_id]
        elif name in RECORD_PARAMS:
            segment = endpoint.template.split("{" + name + "}")[0].rstrip("/").rsplit("/", 1)[-1]
            values = [(records or {}).get(segment) or str(uuid.uuid4())]
        elif kind == "uuid":
            values = [str(uuid.uuid4())]
        else:
            values = SLUG_VALUES.get(name, ["x"])
            values = values if every else values[:1]
        urls = [{**filled, name: value} for filled in urls for value in values]
    return [endpoint.fill(filled) for filled in urls]


def _candidates() -> dict[str, Endpoint]:
    """Every endpoint that takes a case-like id, by a name unique enough to be a test id.

    Read from the URL conf and the API schema when the module is collected, so each becomes
    its own test ids (``-k channel`` runs one app's); which of them really reach a case is
    found by probing (``_is_case_scoped``), which needs the database.
    """
    found: dict[str, Endpoint] = {}
    for endpoint in url_endpoints() + api_operations():
        if endpoint.name.startswith("admin:") or not any(
            endpoint.params.get(name) == "uuid" for name in CASE_PARAMS
        ):
            continue
        key = f"{'api' if endpoint.api else 'page'}:{endpoint.name}"
        while key in found:  # two patterns under one name: keep both
            key += "+"
        found[key] = endpoint
    return found


CANDIDATES = _candidates()
PROBES = [
    ("officer", "assessed"),
    ("chair", "support"),
    ("referrer", "draft"),
    ("panel_member", "channel_panel"),
]


def _is_case_scoped(matrix: Matrix, key: str) -> bool:
    """Whether the endpoint answers a real case differently from a random id (memoised).

    Under pytest-xdist the answer is shared with the other workers of the run: each builds
    the same matrix from the same code, and ``test_the_matrix_finds_the_case_endpoints``
    probes every endpoint on one worker while the other checks operations it would probe
    again.
    """
    if key in matrix.scoped:
        return matrix.scoped[key]
    shared = matrix.probes / hashlib.sha256(key.encode()).hexdigest() if matrix.probes else None
    if shared and shared.exists():
        matrix.scoped[key] = shared.read_text() == "scoped"
        return matrix.scoped[key]
    endpoint = CANDIDATES[key]
    scoped = False
    for actor, case_key in PROBES:
        case = matrix.cases[case_key]
        client = matrix.clients[actor]
        fake_id = str(uuid.uuid4())
        pairs = zip(
            _urls(endpoint, str(case.referral.pk), case.attachment_id, records=case.records),
            _urls(endpoint, fake_id, case.attachment_id, records=case.records),
            strict=True,
        )
        for (real, fake), method in itertools.product(pairs, endpoint.methods):
            with transaction.atomic():
                a = _request(client, endpoint, method, real).status_code
                transaction.set_rollback(True)
            b = _request(client, endpoint, method, fake).status_code
            if a != b:
                scoped = True
                break
        if scoped:
            break
    matrix.scoped[key] = scoped
    if shared:  # written whole, then renamed: another worker never reads half a file
        partial = shared.with_suffix(f".{os.getpid()}")
        partial.write_text("scoped" if scoped else "not scoped")
        partial.replace(shared)
    return scoped


# The people sign in once, when the matrix is built; on a busy machine the module outlasts the
# 15-minute idle timeout and axes' cool-off. Were a session to lapse, its person would read
# every case as someone signed out, the probes would find fewer case-scoped endpoints, and
# cells would quietly drop out of the count: each lasts a day here.
A_DAY = 24 * 60 * 60
LONG_SESSIONS = {
    "SESSION_IDLE_TIMEOUT": A_DAY,
    "SESSION_COOKIE_AGE": A_DAY,
    "AXES_COOLOFF_TIME": datetime.timedelta(days=1),
}


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module inside a transaction rolled back at the end."""
    with django_db_blocker.unblock(), override_settings(**LONG_SESSIONS):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            ensure_reference_data()
            world = _world()
            people = _people(world)
            cases = _cases(world, people)
            clients = _clients(people)
            for client in clients.values():  # a page may show the person's own name
                person = people[client.person]
                client.user_names = {person.first_name, person.last_name}
            built = Matrix(actors=people, clients=clients, cases=cases)
            if os.environ.get("PYTEST_XDIST_WORKER"):  # one directory for the run's workers
                built.probes = tmp_path_factory.getbasetemp().parent / "matrix-probes"
                built.probes.mkdir(exist_ok=True)
            assert set(people) == set(PEOPLE)
            built.before = {key: _fingerprint(case.referral.pk) for key, case in cases.items()}
            for key, case in cases.items():  # the compiled query reads what the ORM reads
                assert built.before[key] == _orm_fingerprint(case.referral.pk), key
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _leaks(response, referral: Referral, own_names: set[str]) -> list[str]:
    """The case's reference or its subject's names, as whole words, in the answer.

    Whole words: a subject called "Leo" is not leaked by a page greeting its reader "Leon".
    """
    if getattr(response, "streaming", False):
        return []
    body = response.content.decode("utf-8", "replace")
    found = []
    for label, value in (
        ("reference", referral.reference),
        ("last name", referral.subject.last_name),
        ("first name", referral.subject.first_name),
    ):
        if (
            value
            and value not in own_names
            and re.search(rf"(?<!\w){re.escape(value)}(?!\w)", body)
        ):
            found.append(label)
    return found


@pytest.mark.long
def test_the_matrix_finds_the_case_endpoints(matrix):
    endpoints = [CANDIDATES[key] for key in CANDIDATES if _is_case_scoped(matrix, key)]
    names = {e.name for e in endpoints}
    expected = {
        "referrals:detail",
        "referrals:decide",
        "referrals:attachment_download",
        "referrals:access_log",
        "channel:case",
        "channel:decision",
        "referrals:evidence",
        "referrals:addendum_add",
        "referrals:assign",  # issue 17
        "referrals:delete_draft",  # issue 17: drafts to finish or delete
        "persons:unlink",  # issue 18
        "persons:transfer",
        "persons:transfer_accept",
        "persons:identifier",
    }
    assert expected <= names, expected - names
    api_scoped = {(e.methods[0], e.template) for e in endpoints if e.api}
    case_api = {  # issue 23: the case page's work through the API
        ("DELETE", "/api/v1/referrals/{id}/"),
        ("GET", "/api/v1/referrals/{id}/notes/"),
        ("POST", "/api/v1/referrals/{id}/notes/"),
        ("GET", "/api/v1/referrals/{id}/attachments/"),
        ("POST", "/api/v1/referrals/{id}/attachments/"),
        ("GET", "/api/v1/referrals/{id}/attachments/{attachment_id}/"),
        ("GET", "/api/v1/referrals/{id}/support-plan/"),
        # Each created record at its own URL (a 201's Location).
        ("GET", "/api/v1/referrals/{id}/assessment/{assessment_pk}/"),
        ("GET", "/api/v1/referrals/{id}/notes/{note_pk}/"),
        # Issue 15: information a referrer adds once the referral is sent.
        ("GET", "/api/v1/referrals/{id}/addenda/"),
        ("POST", "/api/v1/referrals/{id}/addenda/"),
        ("GET", "/api/v1/referrals/{id}/addenda/{addendum_pk}/"),
        ("GET", "/api/v1/referrals/{id}/vulnerability-assessments/{record_pk}/"),
        ("GET", "/api/v1/referrals/{id}/consents/{record_pk}/"),
        ("GET", "/api/v1/referrals/{id}/reviews/{record_pk}/"),
        ("PATCH", "/api/v1/referrals/{id}/support-plan/"),
        ("POST", "/api/v1/referrals/{id}/assign/"),  # issue 17
        # Issue 18: matches, links and the transfer steps.
        ("GET", "/api/v1/referrals/{id}/matches/"),
        ("POST", "/api/v1/referrals/{id}/link/"),
        ("POST", "/api/v1/referrals/{id}/unlink/"),
        ("POST", "/api/v1/referrals/{id}/transitions/transfer/"),
        ("POST", "/api/v1/referrals/{id}/transitions/accept_transfer/"),
        ("POST", "/api/v1/referrals/{id}/transitions/decline_transfer/"),
        ("POST", "/api/v1/referrals/{id}/identifiers/"),  # a person's NHS number or UPN
    }
    assert case_api <= api_scoped, case_api - api_scoped
    assert any(e.api and "transitions" in e.template for e in endpoints)
    assert any(e.api and e.template.endswith("/access-log/") for e in endpoints)
    record("Matrix case-scoped endpoints", len(endpoints))
    record("Matrix people", len(matrix.actors))
    record("Matrix cases", len(matrix.cases))


# The people of each role (DESIGN.md §3), in PEOPLE's order: a test id is an operation × a
# role, and checks every person holding it (of borough A, of borough B, of another force,
# inactive, locked out). A role's people share one test's set-up instead of paying one each.
ROLES: dict[str, list[str]] = {}
for _name, (_agency, _role) in PEOPLE.items():
    ROLES.setdefault(str(_role), []).append(_name)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    # One operation's roles on one xdist worker (scripts/test.sh: --dist loadgroup), so each
    # worker probes only the operations it checks (``_is_case_scoped`` is memoised per worker).
    "operation",
    [pytest.param(key, marks=pytest.mark.xdist_group(f"matrix {key}")) for key in CANDIDATES],
)
def test_no_unauthorised_read_or_write(matrix, db, settings, operation, role):
    """One operation × one role: each of its people, as a browser session and as an API
    token, against every case.

    The figures summed over every test id are the matrix's whole count of cells.
    """
    # The locked officer was locked out when the matrix was built; the lock must hold, and
    # every session stay signed in, in every cell however long the module runs.
    for name, value in LONG_SESSIONS.items():
        setattr(settings, name, value)
    endpoint = CANDIDATES[operation]
    if not _is_case_scoped(matrix, operation):
        problems = []
        for person in ROLES[role]:
            problems += _reaches_no_case(matrix, operation, endpoint, person)
        assert not problems, "\n".join(problems[:40])
        return
    failures: list[str] = []
    cells = Counter()
    baselines: dict[tuple, tuple[int, str]] = {}
    actors = [actor for person in ROLES[role] for actor in (person, person + TOKEN)]
    for actor in actors:
        client = matrix.clients[actor]
        if client.token and not endpoint.api:
            continue  # a token signs in API calls only; pages ignore it
        for case in matrix.cases.values():
            access = expected_access(client.person, case)
            if access == FULL:
                continue
            if access == NONE and _provider_reads(matrix, client.person, case, endpoint):
                access = PROVIDER
            referral = case.referral
            real_urls = _urls(
                endpoint, str(referral.pk), case.attachment_id, access != NONE, case.records
            )
            for method in endpoint.methods:
                for url in real_urls:
                    cells[access] += 1
                    cells["token"] += client.token
                    failures += _check_cell(
                        client,
                        actor,
                        case,
                        access,
                        endpoint,
                        method,
                        url,
                        baselines,
                        matrix.before[case.key],
                    )
    total = cells[NONE] + cells[COARSE] + cells[PANEL] + cells[PROVIDER]
    add("Matrix cells checked (role × operation × case)", total)
    add("Matrix cells: out of scope", cells[NONE])
    add("Matrix cells: partial access (coarse or panel)", cells[COARSE] + cells[PANEL])
    add("Matrix cells: a provider's own entries", cells[PROVIDER])
    add("Matrix cells: through an API token", cells["token"])
    add("Matrix failures", len(failures))
    assert not failures, f"{len(failures)} of {total} cells failed:\n" + "\n".join(failures[:80])


def _reaches_no_case(matrix: Matrix, operation: str, endpoint: Endpoint, person: str) -> list:
    """A route that names a case but answers its id as a random one (the probes found it):
    for this person it must still show nothing of a case they may not see, and change none.

    One such case per person and route, not each of them: the probes showed the route reads
    the id as no case at all, so what is left to prove is that its answer to this person
    carries nothing of the case named. Which hidden case is named turns with the route and the
    person (a stable hash of both), so across the routes every case is named.
    """
    client = matrix.clients[person]
    problems, checked = [], 0
    hidden = [c for c in matrix.cases.values() if expected_access(client.person, c) == NONE]
    if not hidden:
        return []
    case = hidden[zlib.crc32(f"{operation} {person}".encode()) % len(hidden)]
    referral = case.referral
    before = matrix.before[case.key]
    for method in endpoint.methods:
        for url in _urls(endpoint, str(referral.pk), case.attachment_id, False, case.records):
            response, after = _answer(client, endpoint, method, url, referral.pk, before)
            checked += 1
            label = f"{person} × {case.key} × {method} {endpoint.name} {url}"
            if before != after:
                problems.append(f"{label}: the case changed")
            leaks = _leaks(response, referral, client.user_names)
            if leaks:
                problems.append(f"{label}: answer shows the case's {', '.join(leaks)}")
    add("Matrix checks on routes that reach no case", checked)
    return problems


def _answer(client, endpoint, method, url, referral_id, before) -> tuple:
    """The answer to one cell's request, and the case's fingerprint after it.

    A write is sent inside a savepoint rolled back at once, so every cell starts from the case
    as the matrix built it, and its fingerprint is read before the rollback. A read is not: its
    fingerprint was never taken (it is ``before``), and what it writes of its own, an audit
    event or the session's last activity, is read by no check of a later cell and is rolled
    back with the test's own transaction (``db``). Two round trips fewer in each read cell.
    """
    if method == "GET":
        return _request(client, endpoint, method, url), before
    with transaction.atomic():
        response = _request(client, endpoint, method, url)
        after = _fingerprint(referral_id)
        transaction.set_rollback(True)
    return response, after


def _baseline(client, actor, endpoint, method, url, referral_id, baselines) -> int:
    key = (actor, endpoint.template, method, url.count("/"))
    if key not in baselines:
        fake = url.replace(str(referral_id), str(uuid.uuid4()))
        baselines[key] = _request(client, endpoint, method, fake).status_code
    return baselines[key]


def _check_cell(client, actor, case, access, endpoint, method, url, baselines, before) -> list[str]:
    referral = case.referral
    label = f"{actor} × {case.key} × {method} {endpoint.name} {url}"
    response, after = _answer(client, endpoint, method, url, referral.pk, before)
    status = response.status_code
    problems = []
    if (
        endpoint.name in REFERRER_WRITES
        and method == "POST"
        and client.person == "referrer"
        and referral.state != "draft"
    ):
        if after != _with_one_more_addendum(before):
            problems.append(f"{label}: {status}, but the referrer's addendum was not just added")
        return problems
    if before != after:
        problems.append(f"{label}: the case changed (status {status})")
    if client.token and client.person in REFUSED_TOKENS and status != 401:
        problems.append(f"{label}: {status}, but the token of a {client.person} must get 401")
    if access == NONE:
        if 200 <= status < 300:
            problems.append(f"{label}: {status} for someone who may not see the case")
        expected = _baseline(client, actor, endpoint, method, url, referral.pk, baselines)
        if status != expected:
            problems.append(f"{label}: {status}, but {expected} for a case that does not exist")
        leaks = _leaks(response, referral, client.user_names)
        if leaks:
            problems.append(f"{label}: answer shows the case's {', '.join(leaks)}")
    elif access == PROVIDER:
        body = response.content.decode("utf-8", "replace")
        if method == "GET" and status != 200:
            problems.append(f"{label}: {status}, but the provider reads their entries")
        if RISK_SUMMARY in body or referral.subject.first_name in body:
            problems.append(f"{label}: a provider's timeline shows more than their entries")
        if endpoint.api and method != "GET" and 200 <= status < 300:
            problems.append(f"{label}: write answered {status}")
    elif method == "GET":
        if access == COARSE and RISK_SUMMARY in response.content.decode("utf-8", "replace"):
            problems.append(f"{label}: coarse access shows the police assessment")
    elif endpoint.api and 200 <= status < 300 and referral.state != "draft":
        problems.append(f"{label}: write answered {status}")
    return problems


def test_no_session_or_lockout_lapses_however_slowly_the_matrix_runs(matrix, db):
    """Twenty minutes idle between one person's cells (a busy machine) signs nobody out and
    lets no locked-out officer back in: each session answers as it did a moment ago, so no
    cell is checked as someone signed out, and the locked officer's token stays refused."""
    idle = 20 * 60
    for actor, client in matrix.clients.items():
        if client.token:
            continue
        with transaction.atomic():
            before = client.get("/api/v1/users/").status_code
            key = client.cookies[settings.SESSION_COOKIE_NAME].value
            row = Session.objects.filter(session_key=key).first()
            if row is None:  # signed out already (the inactive officer): nothing to age
                transaction.set_rollback(True)
                continue
            data = row.get_decoded()
            data["last_seen"] = data.get("last_seen", time.time()) - idle
            Session.objects.filter(session_key=key).update(
                session_data=SessionStore().encode(data),
                expire_date=row.expire_date - datetime.timedelta(seconds=idle),
            )
            after = client.get("/api/v1/users/").status_code
            transaction.set_rollback(True)
        assert after == before, f"{actor}: {before} before, {after} after {idle} s idle"
    # The lockout outlasts the same twenty minutes: the locked officer's token stays refused
    # (once axes' cool-off ended, it read every list as a Prevent officer of borough A).
    with transaction.atomic():
        AccessAttempt.objects.update(
            attempt_time=F("attempt_time") - datetime.timedelta(seconds=idle)
        )
        status = matrix.clients["locked_officer" + TOKEN].get("/api/v1/referrals/").status_code
        transaction.set_rollback(True)
    assert status == 401, status


@pytest.mark.long
def test_lists_and_searches_show_only_what_each_reader_may_see(matrix, db):
    """Every list and search of cases (``endpoints.CASE_LISTS``), as every person, searching
    for each case's subject: a case they may not see never appears; on a case they see only
    coarsely the API row's ``state`` is the coarse status."""
    failures: list[str] = []
    reads = 0
    for actor, client in matrix.clients.items():
        for case in matrix.cases.values():
            access = expected_access(client.person, case)
            if access == FULL:
                continue
            referral = case.referral
            for name, (api, read) in CASE_LISTS.items():
                if client.token and not api:
                    continue
                with transaction.atomic():
                    response = read(client, referral.subject.last_name)
                    transaction.set_rollback(True)
                reads += 1
                label = f"{actor} × {case.key} × {name}"
                if response.status_code >= 500:
                    failures.append(f"{label}: {response.status_code}")
                if response.status_code != 200:
                    continue
                body = response.content.decode("utf-8", "replace")
                # The last name is the search term, which a search page echoes back.
                shown = referral.reference in body or referral.subject.first_name in body
                if access == NONE and shown:
                    failures.append(f"{label}: lists a case they may not see")
                if api and access == COARSE:
                    for row in response.json()["results"]:
                        if row["id"] == str(referral.pk) and row["state"] != row["status"]:
                            failures.append(f"{label}: row shows the state {row['state']}")
    record("List and search reads checked (person × case × list)", reads)
    assert not failures, "\n".join(failures[:80])
