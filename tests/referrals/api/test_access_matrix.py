"""Role × endpoint × case: every role of DESIGN.md §3, plus people of another local authority
and another force. Out of scope is 404 on every path; visible but forbidden is 403."""

import pytest

from tests.referrals.api.conftest import as_user

ENDPOINTS = ["detail", "patch", "history", "access_log", "assessment", "close", "submit"]

ASSESSMENT = {
    "deconfliction": "cleared",
    "concern_type": "extreme_right_wing",
    "screening": "clear_vulnerability",
    "vulnerabilities": ["Isolation"],
    "risk_summary": "Some interest in extremist material.",
}

HIDDEN = dict.fromkeys(ENDPOINTS, 404)
# What the referrer and their agency lead may do with a submitted case: read it coarsely.
COARSE = {
    "detail": 200,
    "patch": 403,
    "history": 403,
    "access_log": 403,
    "assessment": 403,
    "close": 403,
    "submit": 409,
}
OUTSIDERS = [
    "panel_member",
    "intervention_provider",
    "borough_lead",
    "system_admin",
    "colleague_referrer",
    "referrer_other_la",
    "agency_lead_other_la",
    "chair_other_la",
    "officer_other_force",
    "chair_other_force",
]

EXPECTED = {
    "draft": {
        # A draft is the referrer's alone; a complete draft submits.
        "referrer": {**COARSE, "patch": 200, "submit": 200},
        "agency_lead": HIDDEN,
        "prevent_officer": HIDDEN,
        "channel_chair": HIDDEN,
        **dict.fromkeys(OUTSIDERS, HIDDEN),
    },
    "police": {
        "referrer": {**COARSE, "patch": 409},
        "agency_lead": {**COARSE, "submit": 403},
        "prevent_officer": {
            "detail": 200,
            "patch": 403,
            "history": 200,
            "access_log": 200,
            "assessment": 201,
            "close": 400,  # no reason or rationale given
            "submit": 409,
        },
        "channel_chair": HIDDEN,  # not yet referred to Channel
        **dict.fromkeys(OUTSIDERS, HIDDEN),
    },
    "channel": {
        "referrer": {**COARSE, "patch": 409},
        "agency_lead": {**COARSE, "submit": 403},
        "prevent_officer": {
            "detail": 200,
            "patch": 403,
            "history": 200,
            "access_log": 200,
            "assessment": 409,  # the assessment stage is over
            "close": 403,  # the chair closes Channel-stage cases
            "submit": 409,
        },
        "channel_chair": {
            "detail": 200,
            "patch": 403,
            "history": 200,
            "access_log": 200,
            "assessment": 403,
            "close": 400,
            "submit": 409,
        },
        **dict.fromkeys(OUTSIDERS, HIDDEN),
        "panel_member": {
            "detail": 200,
            "patch": 403,
            "history": 403,
            "access_log": 403,
            "assessment": 403,
            "close": 403,
            "submit": 403,
        },
    },
}


def call(api, endpoint: str, referral) -> int:
    base = f"/api/v1/referrals/{referral.pk}/"
    if endpoint == "detail":
        return api.get(base).status_code
    if endpoint == "patch":
        return api.patch(base, {"referrer_phone": "01632 960 002"}, format="json").status_code
    if endpoint == "history":
        return api.get(base + "history/").status_code
    if endpoint == "access_log":
        return api.get(base + "access-log/").status_code
    if endpoint == "assessment":
        return api.post(base + "assessment/", ASSESSMENT, format="json").status_code
    return api.post(base + f"transitions/{endpoint}/", {}, format="json").status_code


CASES = [(role, case) for case, table in EXPECTED.items() for role in table]


@pytest.mark.parametrize(("role", "case"), CASES, ids=[f"{c}-{r}" for r, c in CASES])
def test_role_endpoint_case(api, cast, role, case):
    as_user(api, cast.people[role])
    referral = cast.cases[case]
    got = {}
    for endpoint in ENDPOINTS:
        if endpoint == "submit" and EXPECTED[case][role]["submit"] == 200:
            continue  # run last: it changes the case
        got[endpoint] = call(api, endpoint, referral)
    if "submit" not in got:
        got["submit"] = call(api, "submit", referral)
    assert got == EXPECTED[case][role]


@pytest.mark.parametrize("role", sorted({r for r, _ in CASES}))
def test_list_shows_exactly_the_visible_cases(api, cast, role):
    as_user(api, cast.people[role])
    body = api.get("/api/v1/referrals/").json()
    assert set(body) == {"count", "next", "previous", "results"}
    listed = {row["id"] for row in body["results"]}
    expected = {
        str(cast.cases[case].pk) for case, table in EXPECTED.items() if table[role]["detail"] == 200
    }
    assert listed == expected


@pytest.mark.parametrize("path", ["", "history/", "access-log/"])
def test_anonymous_callers_are_refused(api, cast, path):
    response = api.get(f"/api/v1/referrals/{cast.cases['police'].pk}/{path}")
    assert response.status_code in (401, 403)
    assert cast.cases["police"].reference not in response.content.decode()
