"""schemathesis, as an integrator runs it, against a live server on PostgreSQL (issues 7 and 23).

The schemathesis command line runs with every check (``--checks all``) and the phases of
``API_CHECK_PHASES`` (examples, fuzzing with positive and negative data, and the stateful
phase that follows the schema's links; the coverage phase, every boundary and wrong type of
every field, for the identities of ``API_CHECK_COVERAGE_IDENTITIES`` or for all) for each
of: every role (referrer, agency lead, Prevent officer, Channel chair, panel member,
intervention provider, borough lead, system administrator), an anonymous caller, and a
Channel chair of another local authority. Path parameters name real objects of the first
local authority (``AIMS``): the case pins the ``{id}`` of the case paths, a panel with that
case on its agenda the panel paths, the panel's pack job the job paths, one of the case's
interventions the intervention paths; so requests reach the code behind the 404. The schema
is fetched from the live server, so a new endpoint is fuzzed without editing this. The ten
runs are the command line's own, one after another in one process (``schemathesis_runs``):
one start of Python and schemathesis instead of ten (107 s became 97 s on a quiet machine).

``make test`` runs this with ``API_CHECK_EXAMPLES`` small (at least 1,000 requests in all);
``make api-check`` with it larger (at least 10,000; ``scripts/api_check.sh`` says the
cost). 0 failures means the server's answers match its schema: status codes, content types,
bodies, and valid data accepted, invalid refused. What the run leaves out, and why, is in
``EXCLUDED`` below, each with its reason.

(This one run replaced a second, in-process schemathesis test of every operation as every
role, issue 7's, whose four checks are among the ones run here and whose roles and aims are
above: the suite paid for two runs over the same operations.)
"""

from __future__ import annotations

import json
import os
import subprocess  # nosec B404 - runs the pinned schemathesis of the test's own virtualenv
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from rest_framework.authtoken.models import Token

from accounts.models import Role
from channel.services.agenda import panel_add_case
from channel.services.packs import panel_pack_request
from channel.services.panels import panel_create
from prevent_cms.celery import app as celery_app
from tests.channel import factories as cf
from tests.factories import UserFactory
from tests.referrals import factories as rf

from . import schemathesis_runs

# One example an operation and mode in make test: the referrer's run went from 566 test cases
# in 59 s (two) to 395 in 43 s, still well over MINIMUM_REQUESTS across the ten identities;
# make api-check runs seven (scripts/api_check.sh).
EXAMPLES = int(os.environ.get("API_CHECK_EXAMPLES", "1"))
MINIMUM_REQUESTS = int(os.environ.get("API_CHECK_MINIMUM_REQUESTS", "1000"))
# The coverage phase (every boundary and every kind of wrong value of every field, some
# thousands of requests an identity) is for make api-check; make test runs the others.
PHASES = os.environ.get("API_CHECK_PHASES", "examples,fuzzing,stateful")
# Identities that run the coverage phase too, whatever API_CHECK_PHASES says: it is some
# 10,000 test cases an identity (17 minutes for the referrer on a busy 2-core machine), so
# make api-check runs it for these only; API_CHECK_PHASES with coverage runs it for all.
COVERAGE_IDENTITIES = os.environ.get("API_CHECK_COVERAGE_IDENTITIES", "")
# To look into one identity: API_CHECK_IDENTITIES=referrer,anonymous
IDENTITIES = os.environ.get("API_CHECK_IDENTITIES", "")
# To look into some operations: API_CHECK_OPERATIONS='^v1_referrals_list$' (a regular
# expression of operation ids; with API_CHECK_MINIMUM_REQUESTS=0, as it sends fewer).
OPERATIONS = os.environ.get("API_CHECK_OPERATIONS", "")

# Operations the run leaves out, with the reason. Renewing or revoking the caller's own token
# signs the run out of everything after it (tests/accounts/test_api_tokens.py covers both).
EXCLUDED = [
    ("--exclude-operation-id", "v1_auth_token_destroy"),
    ("--exclude-operation-id", "v1_auth_token_renew_create"),
]


def _identities(world, team) -> dict[str, object]:
    return {
        "referrer": rf.referrer_for(world),
        "agency_lead": UserFactory(agency=world.school_a, roles=[Role.AGENCY_LEAD]),
        "prevent_officer": team.officer,
        "channel_chair": team.chair,
        "panel_member": team.member,
        "intervention_provider": team.provider,
        "borough_lead": UserFactory(agency=world.council_a, roles=[Role.BOROUGH_LEAD]),
        "system_admin": UserFactory(agency=world.council_a, roles=[Role.SYSTEM_ADMIN]),
        "other_authority_chair": UserFactory(agency=world.council_c, roles=[Role.CHANNEL_CHAIR]),
        "anonymous": None,
    }


def _aims(world, team) -> dict[str, dict[str, str]]:
    """Path parameters naming real objects, by the path they pin (a regular expression)."""
    case = cf.support(world, team)
    intervention = cf.intervention(team, case)
    panel = panel_create(
        actor=team.chair,
        date=cf.today(),
        location="Town Hall",
        member_ids=[team.officer.pk, team.member.pk],
    )
    panel_add_case(panel_id=panel.pk, actor=team.chair, referral_id=case.pk)
    job = panel_pack_request(panel_id=panel.pk, actor=team.chair)
    # Regular expressions written into TOML, whose basic strings read "\\" as one backslash.
    return {
        r"^/api/v1/referrals/\\{id\\}/": {"id": str(case.pk)},
        r"^/api/v1/channel/panels/\\{id\\}/": {
            "id": str(panel.pk),
            "referral_pk": str(case.pk),
        },
        r"^/api/v1/channel/interventions/\\{id\\}/": {"id": str(intervention.pk)},
        r"^/api/v1/jobs/\\{id\\}/": {"id": str(job.pk)},
    }


# Operations whose valid bodies or filters the server may still refuse with 400, by rules
# OpenAPI cannot state: dates relative to today or to the case's own dates, ids that must
# name something of yours (a member of your panel, a provider of your local authority, a
# case on the agenda), one field or another, text that is blank once trimmed, the data a
# step needs from the case's state. For these, positive data may also answer 400 (the
# schema documents it); every other check still runs on them.
RULES_BEYOND_THE_SCHEMA = [
    "v1_referrals_create",  # date of birth in the past, within 120 years
    "v1_referrals_partial_update",  # the same
    "v1_referrals_transitions_create",  # what each step needs, by the case's state
    "v1_referrals_assessment_create",  # risk summary not blank once trimmed
    "v1_referrals_search_create",  # a search not blank once trimmed
    "v1_channel_panels_create",  # today or later; members of your local authority
    "v1_channel_panels_actions_create",  # an owner or an owner's name; case on the agenda
    "v1_channel_panels_agency_updates_create",  # a case on the agenda
    "v1_channel_panels_agenda_create",  # a Channel case of your local authority
    "v1_channel_panels_agenda_partial_update",  # the discussion, once the panel is held
    "v1_channel_panels_hold_create",  # quorum; attendees who are members; on or after the date
    "v1_channel_interventions_sessions_create",  # within the case's dates
    "v1_referrals_consents_create",  # the age rule; within the case's dates
    "v1_referrals_reviews_create",  # within the case's dates; one post-exit review of each
    "v1_referrals_support_plan_interventions_create",  # a provider of your local authority
    "v1_referrals_vulnerability_assessments_create",  # within the case's dates
    "v1_reports_statistics_retrieve",  # a period: both dates or neither, from 2000, ...
    "v1_reports_exports_create",  # the same
    "v1_training_records_create",  # a course and agency of yours; completed in the past
    "v1_training_imports_create",  # the file's columns and rows
    "v1_training_imports_confirm_create",  # an import that is ready
    "v1_referrals_list",  # a local authority that exists
    "v1_training_records_list",  # q not blank once trimmed
    "v1_referrals_exports_create",  # a reason not blank once trimmed
    "v1_referrals_subject_access_create",  # the same; a date of birth in the past
    "v1_referrals_break_glass_create",  # a reason not blank once trimmed
    "v1_referrals_notes_create",  # text not blank once trimmed
    "v1_referrals_attachments_create",  # a file of an allowed type, not empty
    "v1_referrals_retention_delete_create",  # a case due for review; confirmed
    "v1_referrals_support_plan_partial_update",  # the consent record or the closing report
    "v1_channel_panels_members_update",  # people of your local authority or its force
    "v1_channel_panels_sign_off_create",  # a held panel
    "v1_referrals_imports_create",  # a file that is the national referral form
    "v1_consultations_create",  # a local authority of yours; not future; text not blank...
    "v1_consultations_partial_update",  # the same; where, when referred elsewhere
    "v1_consultations_link_create",  # a submitted referral you see in full
    "v1_referrals_referrer_contact_partial_update",  # an on-behalf draft; If-Match its version
    # Issue 21, the partnership: ids that must name a record of yours, dates in order.
    "v1_partnership_boards_create",  # local authorities of your force; a name not blank
    "v1_partnership_boards_members_create",  # an agency of your force, or an organisation
    "v1_partnership_boards_terms_create",  # a file of an allowed type, not empty
    "v1_partnership_meetings_create",  # a board of yours; text not blank once trimmed
    "v1_partnership_meetings_hold_create",  # members of the board; on or after the date
    "v1_partnership_meetings_sign_off_create",  # a held meeting with minutes
    "v1_partnership_actions_create",  # a meeting or plan of yours, risks of your assessment
    "v1_partnership_actions_partial_update",  # text not blank once trimmed
    "v1_partnership_risk_assessments_create",  # review after the assessment; a priority
    "v1_partnership_ctlp_briefings_create",  # a PDF; readers of your area or force
    "v1_partnership_plans_create",  # ends after it starts
    "v1_partnership_agreements_create",  # agencies of your force; ends after it starts
    "v1_partnership_agreements_partial_update",  # the same
    "v1_partnership_disclosures_list",  # an agreement of yours
    # Organisations and outreach: dates today or earlier, an organisation of yours.
    "v1_partnership_organisations_create",  # engaged today or earlier; a name not blank
    "v1_partnership_organisations_gap_analyses_create",  # dated today or earlier
    "v1_partnership_organisations_support_create",  # the same; text not blank once trimmed
    "v1_partnership_due_diligence_create",  # an organisation of yours; today or earlier
    "v1_partnership_projects_create",  # an organisation of yours; ends on or after it starts
    # Complaints (make api-check found a closed_on before received_on, and no outcome, 400).
    "v1_partnership_complaints_create",  # closed on or after received, with an outcome
    "v1_partnership_complaints_partial_update",  # the same; a summary without a reference
    "v1_partnership_workshops_create",  # held today or earlier; text not blank
    # Issue 18, the person index: a reason not blank once trimmed; areas that exist.
    "v1_referrals_link_create",  # a person among the case's matches; a reason
    "v1_referrals_unlink_create",  # a reason
    "v1_referrals_transitions_transfer_create",  # a local authority and force that exist
    "v1_referrals_transitions_decline_transfer_create",  # a reason
    "v1_referrals_identifiers_create",  # an NHS number's check digit, a UPN's check letter
    # Issue 17: moving a panel and asking agencies for updates.
    "v1_channel_panels_move_create",  # a day not in the past, for a panel not yet held
    "v1_channel_panels_update_requests_create",  # a case on this agenda, an agency on the panel
]
# If-Match (412) and Idempotency-Key (422) answers to requests the schema allows: a tag that
# names another state, a key first sent with another body. Every operation may answer them.
# Pending other work of issue 23, each named with the area that owns it (remove once merged).
# apiconv (filter validation), valid filters refused: GET /api/v1/referrals/?local_authority=
# <a uuid that names none> and GET /api/v1/training/records/?q=o&course=%0E answer 400.
OWNED_ELSEWHERE_400: list[str] = []
# apiconv (filter validation and pagination), invalid filters accepted (200):
# GET /api/v1/users/?role=AAA, GET /api/v1/referrals/?submitted_before= (empty),
# GET /api/v1/reports/statistics/?to= (empty), and on every paginated list ?page= (empty)
# or repeated (GET /api/v1/channel/panels/?page=junk&page=, GET .../access-log/?page=).
OWNED_ELSEWHERE_200: list[str] = []


def _paginated(schema: dict) -> list[str]:
    """The operation ids of every list that takes ``?page=``."""
    return [
        operation["operationId"]
        for item in schema["paths"].values()
        for operation in item.values()
        if any(p.get("name") == "page" for p in operation.get("parameters", []))
    ]


def _documented_gone(schema: dict) -> list[str]:
    """The operation ids that document 410: a single-use copy (a panel pack's link, a job's
    file) answers it to a valid request once used, withdrawn or expired, as documented."""
    return [
        operation["operationId"]
        for item in schema["paths"].values()
        for operation in item.values()
        if "410" in operation.get("responses", {})
    ]


# errors (format negotiation): a 401/403 to GET /api/v1/reports/statistics/?format=csv sends
# the JSON error body labelled text/csv.
OWNED_ELSEWHERE_CHECKS: list[tuple[str, str]] = []


def _config(
    path: Path, aims: dict[str, dict[str, str]], paginated: list[str], gone: list[str]
) -> None:
    """Each aimed path names its real objects (``_aims``); the rest is generated."""
    statuses = '["2xx", "3xx", "400", "401", "403", "404", "409", "412", "422", "429", "5xx"]'
    lines = []
    for regex, parameters in aims.items():
        named = ", ".join(f'{name} = "{value}"' for name, value in parameters.items())
        lines += [
            "[[operations]]",
            f'include-path-regex = "{regex}"',
            f"parameters = {{ {named} }}",
            "",
        ]
    lines += [
        "[[operations]]",
        "include-operation-id-regex = "
        f'"^({"|".join(RULES_BEYOND_THE_SCHEMA + OWNED_ELSEWHERE_400)})$"',
        f"checks.positive_data_acceptance.expected-statuses = {statuses}",
        "checks.negative_data_rejection.expected-statuses = "
        '["400", "401", "403", "404", "405", "406", "409", "412", "415", "422", "429"]',
        "",
        "[[operations]]",
        f'include-operation-id-regex = "^({"|".join(OWNED_ELSEWHERE_200 + paginated)})$"',
        "checks.negative_data_rejection.expected-statuses = "
        '["2xx", "400", "401", "403", "404", "405", "406", "409", "415", "422", "429"]',
        "",
        "[[operations]]",
        f'include-operation-id-regex = "^({"|".join(gone)})$"',
        "checks.positive_data_acceptance.expected-statuses = "
        '["2xx", "3xx", "401", "403", "404", "409", "410", "429", "5xx"]',
    ]
    for operation_id, check in OWNED_ELSEWHERE_CHECKS:
        lines += [
            "",
            "[[operations]]",
            f'include-operation-id = "{operation_id}"',
            f"checks.{check}.enabled = false",
        ]
    path.write_text("\n".join(lines) + "\n")


def _passes() -> list[list[str]]:
    """The schemathesis runs for one identity: everything but the operations with a check
    owned elsewhere, then each of those with every other check (schemathesis 4 chooses the
    checks for a whole run, not per operation)."""
    passes = [
        [arg for op, _check in OWNED_ELSEWHERE_CHECKS for arg in ("--exclude-operation-id", op)]
    ]
    for op, check in OWNED_ELSEWHERE_CHECKS:
        passes.append(["--include-operation-id", op, "--exclude-checks", check])
    return passes


def _phases(identity: str) -> str:
    phases = PHASES.split(",")
    if identity in COVERAGE_IDENTITIES.split(",") and "coverage" not in phases:
        phases.insert(1, "coverage")
    return ",".join(phases)


def _arguments(
    schema: Path,
    config: Path,
    base_url: str,
    token: str | None,
    report: Path,
    extra: list[str],
    phases: str = PHASES,
) -> list[str]:
    """What one identity's run gives schemathesis's command line."""
    command = [
        "--config-file",
        str(config),
        "run",
        str(schema),
        "--url",
        base_url,
        "--checks",
        "all",
        "--phases",
        phases,
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
        # Answers on a machine busy with the rest of the suite take their time.
        "--request-timeout",
        "60",
        "--report",
        "json",
        "--report-json-path",
        str(report),
        # No example database in the working tree: each run starts from the seed alone.
        "--generation-database",
        "none",
    ]
    for option, value in EXCLUDED:
        command += [option, value]
    command += extra
    if OPERATIONS:
        command += ["--include-operation-id-regex", OPERATIONS]
    if token:
        command += ["--header", f"Authorization: Token {token}"]
    return command


def _run_all(runs: dict[str, list[str]], directory: Path) -> dict[str, str]:
    """Every run in one schemathesis process (``schemathesis_runs``): each run's output.

    Its standard error (each run's time as it ends) goes to the test's, shown as it goes
    with ``-s``.
    """
    runs_file = directory / "runs.json"
    runs_file.write_text(json.dumps(list(runs.items())))
    result = subprocess.run(  # nosec B603 - fixed arguments, no shell
        [sys.executable, str(Path(__file__).with_name("schemathesis_runs.py")), str(runs_file)],
        stdout=subprocess.PIPE,
        text=True,
        check=False,
        timeout=3600,
        cwd=directory,
    )
    assert result.returncode == 0, result.stdout[-20000:]
    outputs = result.stdout.split(schemathesis_runs.MARK)[1:]
    assert len(outputs) == len(runs), result.stdout[-20000:]
    return {output.split("\n", 1)[0]: output for output in outputs}


@pytest.mark.long
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_no_failure_for_any_role(live_server, world, tmp_path):
    team = cf.channel_team(world)
    aims = _aims(world, team)
    people = _identities(world, team)
    tokens = {
        name: (Token.objects.create(user=user).key if user else None)
        for name, user in people.items()
    }
    schema = tmp_path / "schema.json"
    answer = httpx.get(
        f"{live_server.url}/api/schema/?format=json",
        headers={"Authorization": f"Token {tokens['channel_chair']}"},
        timeout=120,  # a loaded machine takes its time to build the schema
    )
    assert answer.status_code == 200
    schema.write_bytes(answer.content)
    config = tmp_path / "schemathesis.toml"
    document = json.loads(answer.content)
    _config(config, aims, _paginated(document), _documented_gone(document))

    runs: dict[str, list[str]] = {}
    reports: dict[str, Path] = {}
    for name, token in tokens.items():
        if IDENTITIES and name not in IDENTITIES.split(","):
            continue
        for number, extra in enumerate(_passes()):
            run = f"{name} (pass {number})"
            reports[run] = tmp_path / f"{name}-{number}.json"
            runs[run] = _arguments(
                schema, config, live_server.url, token, reports[run], extra, _phases(name)
            )
    started = time.monotonic()
    with _jobs_queued_for_a_worker():
        outputs = _run_all(runs, tmp_path)
    totals: dict[str, int] = {}
    failures: dict[str, str] = {}
    for run, report in reports.items():
        sent, found = _summary(json.loads(report.read_text()))
        name = run.split(" (pass ")[0]
        totals[name] = totals.get(name, 0) + sent
        print(f"\n{run}: {sent} test cases, {found} failures")  # noqa: T201
        if found:
            failures[run] = outputs[run][-20000:]
    print(f"\nschemathesis: {time.monotonic() - started:.0f} s for {len(runs)} runs")  # noqa: T201
    print(f"\nschemathesis requests per identity: {totals}, total {sum(totals.values())}")  # noqa: T201
    assert not failures, "\n\n".join(f"== {name}\n{out}" for name, out in failures.items())
    assert sum(totals.values()) >= MINIMUM_REQUESTS, totals


@contextmanager
def _jobs_queued_for_a_worker():
    """The server answers as in production: a job (a pack, an export, a report) is queued for
    a worker and its 202 answered at once, instead of being made inside the request, as the
    suite's eager tasks would (a pack of PDFs took minutes of a busy machine's time). The
    aimed job was made before, so its result is there to be read; the tasks queued by the run
    are dropped at the end (tests/worker.py's workers purge the queue too)."""
    was_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = was_eager
        celery_app.control.purge()


def _summary(report: dict) -> tuple[int, int]:
    """(test cases sent, failures and errors found) from schemathesis's JSON run report.

    Each test case is at least one request (a stateful one is several), so the count is a
    floor. A run that did not finish, or errored on an operation, counts as a failure.
    """
    problems = len(report["failures"]) + len(report["errors"])
    if not report["complete"] or report["operations"]["errored"]:
        problems += 1
    return report["test_cases"]["generated"], problems
