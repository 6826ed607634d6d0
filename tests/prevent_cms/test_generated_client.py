"""A partner's generated client drives the whole journey against a live server (issue 23).

The client is generated with openapi-python-client from the schema the live server
publishes, exactly as an integrator would, and every step uses the generated functions and
models only: a schema a generator cannot use (form bodies, an ``anyOf`` of the case views,
untyped fields) shows here as a warning from the generator, a body the server refuses, or a
case detail parsed as the wrong type.
"""

from __future__ import annotations

import datetime
import importlib
import os
import subprocess  # nosec B404 - runs the pinned generator from the test's own virtualenv
import sys
import time
from pathlib import Path

import httpx
import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import Role
from tests.channel import factories as cf
from tests.factories import UserFactory
from tests.referrals import factories as rf

PACKAGE = "prevent_partner_client"
# The one thing the generator cannot type: a PDF download's body (it still returns the bytes).
ALLOWED_WARNING = "Unsupported content_type application/pdf"


def generate_client(schema: bytes, into: Path) -> tuple[object, str]:
    """Generate the client package from ``schema``; answer (a module importer, the output)."""
    (into / "schema.json").write_bytes(schema)
    bin_dir = Path(sys.executable).parent
    result = subprocess.run(  # nosec B603 - fixed arguments, no shell
        [
            str(bin_dir / "openapi-python-client"),
            "generate",
            "--path",
            str(into / "schema.json"),
            "--output-path",
            str(into / PACKAGE),
            "--meta",
            "none",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"},
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    sys.path.insert(0, str(into))
    return (lambda name: importlib.import_module(f"{PACKAGE}.{name}")), output


def generator_warnings(output: str) -> list[str]:
    """Everything the generator warned about, other than the PDF body it cannot type."""
    blocks = [block.strip() for block in output.split("WARNING")[1:]]
    unexpected = [block for block in blocks if ALLOWED_WARNING not in block]
    # Its post-generation hooks (ruff) must run too: a skipped one is a warning as well.
    return unexpected + [line for line in output.splitlines() if "Skipping Integration" in line]


@pytest.fixture
def client_package(tmp_path):
    yield tmp_path
    sys.path[:] = [p for p in sys.path if p != str(tmp_path)]
    for name in [m for m in sys.modules if m == PACKAGE or m.startswith(f"{PACKAGE}.")]:
        del sys.modules[name]


def _token(user) -> str:
    return Token.objects.create(user=user).key


@pytest.mark.django_db(transaction=True)
def test_a_generated_client_drives_the_whole_journey(live_server, world, client_package):
    team = cf.channel_team(world)
    referrer = rf.referrer_for(world)
    borough_lead = UserFactory(agency=world.council_a, roles=[Role.BOROUGH_LEAD])
    tokens = {
        "referrer": _token(referrer),
        "officer": _token(team.officer),
        "chair": _token(team.chair),
        "lead": _token(borough_lead),
    }
    schema = httpx.get(
        f"{live_server.url}/api/schema/?format=json",
        headers={"Authorization": f"Token {tokens['chair']}"},
        timeout=120,  # a loaded machine takes its time to build the schema
    )
    assert schema.status_code == 200
    load, output = generate_client(schema.content, client_package)
    assert generator_warnings(output) == [], output
    assert ALLOWED_WARNING in output  # the one warning there is, is the PDF's

    client_module = load("client")
    models = load("models")
    referrals = "api.referrals."
    channel = "api.channel."

    def as_(who: str):
        return client_module.AuthenticatedClient(
            base_url=live_server.url,
            token=tokens[who],
            prefix="Token",
            raise_on_unexpected_status=True,
            timeout=httpx.Timeout(120),
        )

    def ok(response, status: int):
        assert response.status_code == status, (response.status_code, response.content[:500])
        return response.parsed

    today = timezone.localdate()

    # --- The referrer: a draft, then submitted -------------------------------------------
    form = rf.complete_form()
    form["subject"]["date_of_birth"] = datetime.date(today.year - 15, 3, 1).isoformat()
    draft = ok(
        load(referrals + "v1_referrals_create").sync_detailed(
            client=as_("referrer"), body=models.ReferralInputRequest.from_dict(form)
        ),
        201,
    )
    assert isinstance(draft, models.CoarseReferral)
    assert draft.state == models.CoarseStatusEnum.DRAFT
    case_id = draft.id
    transition = load(referrals + "v1_referrals_transitions_create")
    names = models.V1ReferralsTransitionsCreateName

    def step(who: str, name: str, **body):
        return ok(
            transition.sync_detailed(
                id=case_id,
                name=names(name),
                client=as_(who),
                body=models.TransitionInputRequest.from_dict(body),
            ),
            200,
        )

    submitted = step("referrer", "submit")
    assert isinstance(submitted, models.CoarseReferral)
    assert submitted.status == models.CoarseStatusEnum.RECEIVED

    # --- The Prevent officer: the gateway assessment and the decision --------------------
    started = step("officer", "start_assessment")
    assert isinstance(started, models.FullReferral)
    assert started.state == models.ReferralStateEnum.POLICE_ASSESSMENT
    assessment = ok(
        load(referrals + "v1_referrals_assessment_create").sync_detailed(
            id=case_id,
            client=as_("officer"),
            body=models.AssessmentInputRequest(
                deconfliction=models.DeconflictionEnum.CLEARED,
                concern_type=models.ConcernTypeEnum.EXTREME_RIGHT_WING,
                screening=models.ScreeningEnum.CLEAR_VULNERABILITY,
                risk_summary="Persistent interest in extremist material; no plans found.",
                vulnerabilities=["Isolation"],
            ),
        ),
        201,
    )
    assert assessment.officer.id == str(team.officer.pk)
    referred = step(
        "officer", "refer_to_channel", rationale="Clear vulnerability; multi-agency support."
    )
    assert isinstance(referred, models.FullReferral)
    assert referred.state == models.ReferralStateEnum.CHANNEL_PANEL

    # --- The Channel chair: panel, assessment, adoption, consent, plan, review, exit -----
    chair_view = ok(
        load(referrals + "v1_referrals_retrieve").sync_detailed(id=case_id, client=as_("chair")),
        200,
    )
    assert isinstance(chair_view, models.FullReferral)
    assert chair_view.assessments[0].risk_summary.startswith("Persistent")
    frameworks = ok(
        load(channel + "v1_channel_assessment_frameworks_list").sync_detailed(client=as_("chair")),
        200,
    )
    vaf = frameworks.results[0]  # every list answers the page envelope
    assert len(vaf.factors) == 22
    panel = ok(
        load(channel + "v1_channel_panels_create").sync_detailed(
            client=as_("chair"),
            body=models.PanelCreateRequest(
                date=today, location="Civic Centre", members=[team.officer.pk, team.member.pk]
            ),
        ),
        201,
    )
    ok(
        load(channel + "v1_channel_panels_agenda_create").sync_detailed(
            id=panel.id, client=as_("chair"), body=models.AgendaAddRequest(referral=case_id)
        ),
        201,
    )
    ratings = models.AssessmentInRequestRatings.from_dict(
        {factor.code: vaf.ratings[1] for factor in vaf.factors}
    )
    ok(
        load(channel + "v1_referrals_vulnerability_assessments_create").sync_detailed(
            id=case_id,
            client=as_("chair"),
            body=models.AssessmentInRequest(
                ratings=ratings, summary="Engaged.", management_plan="Mentor weekly.", date=today
            ),
        ),
        201,
    )
    held = ok(
        load(channel + "v1_channel_panels_hold_create").sync_detailed(
            id=panel.id,
            client=as_("chair"),
            body=models.HoldRequest(
                attended=[team.chair.pk, team.officer.pk], minutes="Agreed to adopt."
            ),
        ),
        200,
    )
    assert held.held is True
    adopted = step("chair", "adopt", rationale="Vulnerability clear; support needed.")
    assert adopted.state == models.ReferralStateEnum.AWAITING_CONSENT
    ok(
        load(channel + "v1_referrals_consents_create").sync_detailed(
            id=case_id,
            client=as_("chair"),
            body=models.ConsentInRequest(
                given_by=models.GivenByEnum.PARENT_OR_GUARDIAN,
                given_by_name="Jo Parent",
                relationship="Mother",
                date=today,
                decision=models.ConsentDecisionEnum.GIVEN,
                child_view="Wants help with college.",
            ),
        ),
        201,
    )
    assert step("chair", "consent_given").state == models.ReferralStateEnum.SUPPORT
    ok(
        load(channel + "v1_referrals_support_plan_interventions_create").sync_detailed(
            id=case_id,
            client=as_("chair"),
            body=models.InterventionInRequest(
                type_=models.TypeEnum.IDEOLOGICAL_MENTORING,
                provider=team.provider.pk,
                start_date=today,
                hours="10.0",
            ),
        ),
        201,
    )
    ok(
        load(channel + "v1_referrals_reviews_create").sync_detailed(
            id=case_id,
            client=as_("chair"),
            body=models.ReviewInRequest(
                kind=models.ReviewKindEnum.PANEL,
                date=today,
                risk_change=models.RiskChangeEnum.REDUCED,
                recommend_exit=True,
            ),
        ),
        201,
    )
    exited = step("chair", "exit_channel", rationale="Risk reduced; support complete.")
    assert isinstance(exited, models.FullReferral)
    assert exited.state == models.ReferralStateEnum.POST_EXIT_REVIEW
    officer_view = ok(
        load(referrals + "v1_referrals_retrieve").sync_detailed(id=case_id, client=as_("officer")),
        200,
    )
    assert isinstance(officer_view, models.FullReferral)
    assert officer_view.view == "full"

    # --- The borough lead: statistics, and an export job followed to its file ------------
    start = today.replace(day=1) - datetime.timedelta(days=1)
    period = {"from_": start.replace(day=1), "to": today}
    statistics = ok(
        load("api.reports.v1_reports_statistics_retrieve").sync_detailed(
            client=as_("lead"), **period
        ),
        200,
    )
    assert statistics.suppressed is True
    started_job = ok(
        load("api.reports.v1_reports_exports_create").sync_detailed(
            client=as_("lead"),
            body=models.ExportRequest(format_=models.ExportFormatEnum.CSV, **period),
        ),
        202,
    )
    job_detail = load("api.jobs.v1_jobs_retrieve")
    for _ in range(50):
        job = ok(job_detail.sync_detailed(id=started_job.id, client=as_("lead")), 200)
        if job.state in (models.JobStateEnum.DONE, models.JobStateEnum.FAILED):
            break
        time.sleep(0.1)
    assert job.state == models.JobStateEnum.DONE
    result = load("api.jobs.v1_jobs_result_retrieve").sync_detailed(
        id=started_job.id, client=as_("lead")
    )
    assert result.status_code == 200
    assert result.parsed.payload.read() == result.content
    assert result.content.decode("utf-8-sig").splitlines()
