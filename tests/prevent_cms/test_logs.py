"""JSON logs with request ids and no personal data (issue 20).

The log is captured from the console handler settings.LOGGING configures (the one a
deployment writes), not from a test handler of its own.
"""

import io
import json
import logging

import pytest
from rest_framework.test import APIClient

from prevent_cms.logs import RequestIdFilter
from referrals import services
from referrals.choices import Screening
from tests.referrals import factories as f

FIRST, LAST = "Zebulon", "Quillfeather-Oduya"
LIST = "/api/v1/referrals/"


@pytest.fixture
def console_log():
    """What the configured console handler writes while the test runs."""
    handler = next(
        h
        for h in logging.getLogger().handlers
        if any(isinstance(flt, RequestIdFilter) for flt in h.filters)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    try:
        yield stream
    finally:
        handler.setStream(previous)


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user=user)
    return client


def test_a_referral_journey_logs_json_lines_with_request_ids_and_no_names(world, console_log):
    referrer = f.referrer_for(world)
    officer = f.officer_for(world)
    form = f.complete_form(subject={"first_name": FIRST, "last_name": LAST})
    form["subject"]["date_of_birth"] = form["subject"]["date_of_birth"].isoformat()
    as_referrer, as_officer = client_for(referrer), client_for(officer)

    created = as_referrer.post(LIST, form, format="json")
    assert created.status_code == 201, created.content
    case = created.json()["id"]
    submitted = as_referrer.post(f"{LIST}{case}/transitions/submit/", {}, format="json")
    assert submitted.status_code == 200, submitted.content
    request_ids = {created["X-Request-ID"], submitted["X-Request-ID"]}
    found = as_officer.post(f"{LIST}search/", {"q": f"{FIRST} {LAST}"}, format="json")
    assert [row["id"] for row in found.json()["results"]] == [case]
    assert as_officer.get(f"{LIST}{case}/").status_code == 200
    assert as_officer.get(f"{LIST}?q={LAST}").status_code in (200, 400)
    started = as_officer.post(f"{LIST}{case}/transitions/start_assessment/", {}, format="json")
    assert started.status_code == 200, started.content
    services.assessment_record(
        referral_id=case,
        actor=officer,
        data={
            "deconfliction": "cleared",
            "concern_type": "extreme_right_wing",
            "screening": Screening.CLEAR_VULNERABILITY,
            "vulnerabilities": ["Isolation"],
            "risk_summary": "Low-level interest.",
        },
    )
    referred = as_officer.post(
        f"{LIST}{case}/transitions/refer_to_channel/",
        {"rationale": "Multi-agency support needed."},
        format="json",
    )
    assert referred.status_code == 200, referred.content
    as_officer.get(f"/referrals/{case}/?name={FIRST}")

    lines = [line for line in console_log.getvalue().splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    assert len(records) >= 7
    requests = [r for r in records if r["logger"] == "prevent_cms.requests"]
    assert request_ids <= {r["request_id"] for r in requests}
    assert all(r["request_id"] and r["view"] and r["status"] for r in requests)
    assert {"time", "level", "message"} <= set(records[0])
    text = console_log.getvalue()
    for name in (FIRST, LAST, LAST.split("-")[0]):
        assert name not in text
