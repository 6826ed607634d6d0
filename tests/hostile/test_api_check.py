"""schemathesis, as an integrator runs it, against a live server on PostgreSQL (issue 23).

The schemathesis command line runs with every check (``--checks all``) and every phase
(examples, coverage, fuzzing with positive and negative data, and the stateful phase that
follows the schema's links) for each of: the five roles that work a case (referrer, Prevent
officer, Channel chair, panel member, borough lead), an anonymous caller, and a Channel chair
of another local authority, all against one case (its id pins the ``{id}`` of the case
paths, so requests reach the code behind the 404).

``make test`` runs this with ``API_CHECK_EXAMPLES`` small (at least 1,000 requests in all);
``make api-check`` with it large (at least 10,000). 0 failures means the server's answers
match its schema: status codes, content types, bodies, and valid data accepted, invalid
refused. What the run leaves out, and why, is in ``EXCLUDED`` below, each with its reason.
"""

from __future__ import annotations

import json
import os
import subprocess  # nosec B404 - runs the pinned schemathesis of the test's own virtualenv
import sys
from pathlib import Path

import httpx
import pytest
from rest_framework.authtoken.models import Token

from accounts.models import Role
from tests.channel import factories as cf
from tests.factories import UserFactory
from tests.referrals import factories as rf

EXAMPLES = int(os.environ.get("API_CHECK_EXAMPLES", "3"))
MINIMUM_REQUESTS = int(os.environ.get("API_CHECK_MINIMUM_REQUESTS", "1000"))
# The coverage phase (every boundary and every kind of wrong value of every field, some
# thousands of requests an identity) is for make api-check; make test runs the others.
PHASES = os.environ.get("API_CHECK_PHASES", "examples,fuzzing,stateful")
# To look into one identity: API_CHECK_IDENTITIES=referrer,anonymous
IDENTITIES = os.environ.get("API_CHECK_IDENTITIES", "")

# Operations the run leaves out, with the reason. Renewing or revoking the caller's own token
# signs the run out of everything after it (tests/accounts/test_api_tokens.py covers both).
EXCLUDED = [
    ("--exclude-operation-id", "v1_auth_token_destroy"),
    ("--exclude-operation-id", "v1_auth_token_renew_create"),
]


def _identities(world, team) -> dict[str, object]:
    return {
        "referrer": rf.referrer_for(world),
        "prevent_officer": team.officer,
        "channel_chair": team.chair,
        "panel_member": team.member,
        "borough_lead": UserFactory(agency=world.council_a, roles=[Role.BOROUGH_LEAD]),
        "other_authority_chair": UserFactory(agency=world.council_c, roles=[Role.CHANNEL_CHAIR]),
        "anonymous": None,
    }


def _config(path: Path, case_id: str) -> None:
    """Every case path aims at the one case (its ``{id}``); the rest is generated."""
    path.write_text(
        "[[operations]]\n"
        'include-path-regex = "^/api/v1/referrals/\\\\{id\\\\}/"\n'
        f'parameters = {{ id = "{case_id}" }}\n'
    )


def _run(schema: Path, config: Path, base_url: str, token: str | None, report: Path) -> dict:
    bin_dir = Path(sys.executable).parent
    command = [
        str(bin_dir / "schemathesis"),
        "--config-file",
        str(config),
        "run",
        str(schema),
        "--url",
        base_url,
        "--checks",
        "all",
        "--phases",
        PHASES,
        "--mode",
        "all",
        "--max-examples",
        str(EXAMPLES),
        "--seed",
        "23",
        "--continue-on-failure",
        "--no-color",
        "--workers",
        "1",
        "--report",
        "json",
        "--report-json-path",
        str(report),
    ]
    for option, value in EXCLUDED:
        command += [option, value]
    if token:
        command += ["--header", f"Authorization: Token {token}"]
    result = subprocess.run(  # nosec B603 - fixed arguments, no shell
        command, capture_output=True, text=True, check=False, timeout=3600
    )
    return {"output": result.stdout + result.stderr, "report": json.loads(report.read_text())}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_no_failure_for_any_role(live_server, world, tmp_path):
    team = cf.channel_team(world)
    case = cf.support(world, team)
    people = _identities(world, team)
    tokens = {
        name: (Token.objects.create(user=user).key if user else None)
        for name, user in people.items()
    }
    schema = tmp_path / "schema.json"
    answer = httpx.get(
        f"{live_server.url}/api/schema/?format=json",
        headers={"Authorization": f"Token {tokens['channel_chair']}"},
    )
    assert answer.status_code == 200
    schema.write_bytes(answer.content)
    config = tmp_path / "schemathesis.toml"
    _config(config, str(case.pk))

    totals: dict[str, int] = {}
    failures: dict[str, str] = {}
    for name, token in tokens.items():
        if IDENTITIES and name not in IDENTITIES.split(","):
            continue
        run = _run(schema, config, live_server.url, token, tmp_path / f"{name}.json")
        totals[name], found = _summary(run["report"])
        if found:
            failures[name] = run["output"][-20000:]
    print(f"\nschemathesis requests per identity: {totals}, total {sum(totals.values())}")  # noqa: T201
    assert not failures, "\n\n".join(f"== {name}\n{out}" for name, out in failures.items())
    assert sum(totals.values()) >= MINIMUM_REQUESTS, totals


def _summary(report: dict) -> tuple[int, int]:
    """(test cases sent, failures and errors found) from schemathesis's JSON run report.

    Each test case is at least one request (a stateful one is several), so the count is a
    floor. A run that did not finish, or errored on an operation, counts as a failure.
    """
    problems = len(report["failures"]) + len(report["errors"])
    if not report["complete"] or report["operations"]["errored"]:
        problems += 1
    return report["test_cases"]["generated"], problems
