"""The referrals endpoints of DESIGN.md §5: bodies, validation, errors, audit."""

import datetime

import pytest
from django.urls import include, path
from django.utils import timezone
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from guardian.shortcuts import assign_perm

from accounts.models import Role
from prevent_cms.api.jobs import JobDetail
from prevent_cms.models import AuditEvent
from referrals.choices import State
from referrals.models import Referral
from tests.referrals import factories as f
from tests.referrals.api.conftest import as_user

LIST = "/api/v1/referrals/"
SEARCH = "/api/v1/referrals/search/"


def body(**overrides) -> dict:
    form = f.complete_form(**overrides)
    dob = form["subject"]["date_of_birth"]
    if isinstance(dob, datetime.date):
        form["subject"]["date_of_birth"] = dob.isoformat()
    return form


# --- What a referrer sees: by field, not by eye ----------------------------------------

SUBMITTED_KEYS = {
    "view",
    "id",
    "reference",
    "state",
    "status",
    "available_transitions",
    "subject",
    "concern_summary",
    "how_concern_arose",
    "online_activity",
    "concern_types",
    "indicators",
    "complex_needs",
    "immediate_risk",
    "subject_aware",
    "discussed_with_lead",
    "action_taken",
    "other_agencies",
    "agencies_consulted",
    "agencies_consulted_details",
    "parental_support",
    "parental_support_details",
    "referrer_phone",
    "referrer_relationship",
    "referrer_agency",
    # How it was received (issue 15); the contact is null unless the reader recorded it.
    "received_via",
    "received_at",
    "referrer_contact",
    "created_at",
    "submitted_at",
}
POLICE_OR_PANEL_KEYS = {
    "assessments",
    "assessment",
    "deconfliction",
    "screening",
    "risk_summary",
    "vulnerabilities",
    "concern_type",
    "decision",
    "closure_reason",
    "signposted_to",
    "reassess_on",
    "closed_at",
    "decided_at",
    "assigned_officer",
    "assessment_started_at",
    "channel_entered_at",
    "adopted_at",
    "exited_at",
    "state_changed_at",
    "updated_at",
    "version",
    "history",
    "notes",
    "panel",
    "panels",
    "consent",
    "support_plan",
    "reviews",
    "urgent",
}

RISK_SUMMARY = "Low-level but persistent interest in extremist material."


def _walk_keys(value, found: set) -> set:
    if isinstance(value, dict):
        for key, inner in value.items():
            found.add(key)
            _walk_keys(inner, found)
    elif isinstance(value, list):
        for inner in value:
            _walk_keys(inner, found)
    return found


def _case_in(world, state: str, referrer, officer):
    if state == "draft":
        return f.draft(world, referrer=referrer)
    if state == "submitted":
        return f.submitted(world, referrer=referrer)
    if state == "police_assessment":
        return f.assessed(world, referrer=referrer, officer=officer)
    if state == "police_led":
        return f.police_led(world, referrer=referrer, officer=officer)
    if state == "channel_panel":
        return f.channel_panel(world, referrer=referrer, officer=officer)
    return f.closed_by_police(world, referrer=referrer, officer=officer)


@pytest.mark.parametrize(
    "state",
    ["draft", "submitted", "police_assessment", "police_led", "channel_panel", "closed"],
)
@pytest.mark.parametrize("role", [Role.REFERRER, Role.AGENCY_LEAD])
def test_referrer_detail_never_contains_police_or_panel_content(api, world, state, role):
    referrer = world.user(Role.REFERRER, agency=world.school_a)
    officer = f.officer_for(world)
    referral = _case_in(world, state, referrer, officer)
    viewer = referrer if role == Role.REFERRER else world.user(role, agency=world.school_a)
    if state == "draft" and role == Role.AGENCY_LEAD:
        assert as_user(api, viewer).get(f"{LIST}{referral.pk}/").status_code == 404
        return
    response = as_user(api, viewer).get(f"{LIST}{referral.pk}/")
    assert response.status_code == 200
    data = response.json()
    assert set(data) == SUBMITTED_KEYS
    assert not _walk_keys(data, set()) & POLICE_OR_PANEL_KEYS
    assert data["state"] == data["status"]
    assert data["state"] in {"draft", "received", "being_assessed", "closed"}
    text = response.content.decode()
    assert RISK_SUMMARY not in text
    assert "no_further_action" not in text
    assert officer.username not in text
    assert str(officer.pk) not in text
    assert data["available_transitions"] == (["submit"] if state == "draft" else [])
    # The list row is coarse too.
    rows = as_user(api, viewer).get(LIST).json()["results"]
    row = next(r for r in rows if r["id"] == str(referral.pk))
    assert row["state"] == row["status"]


def test_officer_sees_the_whole_case(api, world):
    officer = f.officer_for(world)
    referral = f.direct(f.AssessedFactory, world, officer=officer)
    data = as_user(api, officer).get(f"{LIST}{referral.pk}/").json()
    assert data["state"] == "police_assessment"
    assert data["assessments"][0]["risk_summary"] == RISK_SUMMARY
    assert data["assigned_officer"]["id"] == str(officer.pk)
    assert set(data["available_transitions"]) == {
        "refer_to_channel",
        "police_led_partnership",
        "close",
        "transfer",  # issue 18: the person moved
    }


# --- Create and edit drafts -------------------------------------------------------------


def test_referrer_creates_a_draft(api, world):
    referrer = world.user(Role.REFERRER, agency=world.school_a)
    response = as_user(api, referrer).post(LIST, body(), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    referral = Referral.objects.get(pk=data["id"])
    assert (data["state"], data["reference"]) == ("draft", referral.reference)
    assert data["available_transitions"] == ["submit"]
    assert referral.referrer == referrer
    assert referral.referrer_agency == world.school_a
    assert referral.local_authority == world.la_a  # defaults to the agency's borough
    assert data["subject"]["languages"] == ["English"]


def test_create_with_another_local_authority(api, world):
    referrer = world.user(Role.REFERRER, agency=world.school_a)
    form = body(subject={"local_authority": str(world.la_b.pk)})
    data = as_user(api, referrer).post(LIST, form, format="json").json()
    referral = Referral.objects.get(pk=data["id"])
    assert (referral.local_authority, referral.police_force) == (world.la_b, world.force)


def test_a_partial_draft_is_saved(api, world):
    referrer = world.user(Role.REFERRER, agency=world.school_a)
    response = as_user(api, referrer).post(LIST, {"subject": {"first_name": "Sam"}}, format="json")
    assert response.status_code == 201
    assert response.json()["available_transitions"] == []  # not complete yet


def _years_ago(years: int, days: int = 0) -> str:
    today = timezone.localdate()
    return (today.replace(year=today.year - years) - datetime.timedelta(days=days)).isoformat()


# A month ahead, not a day: this is read when the module is collected, and a run
# that crosses midnight must still see it as the future.
TOMORROW = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"subject": {"date_of_birth": TOMORROW}}, "subject", "must be in the past"),
        ({"subject": {"date_of_birth": _years_ago(120, 1)}}, "subject", "120 years"),
        ({"subject": {"date_of_birth": "31/02/2010"}}, "subject", "real date"),
        ({"subject": {"first_name": "Sam\x00"}}, "subject", "hidden control characters"),
        ({"concern_summary": "a\x00b"}, "concern_summary", "hidden control characters"),
        ({"indicators": ["fine", "bad\x00"]}, "indicators", "hidden control characters"),
        ({"concern_summary": "x" * 5001}, "concern_summary", "5,000 characters or fewer"),
        ({"subject": {"postcode": "X" * 11}}, "subject", "10 characters or fewer"),
        (
            {"subject": {"local_authority": "00000000-0000-0000-0000-000000000000"}},
            "subject",
            "Select a local authority from the list",
        ),
        ({"subject": {"local_authority": "nonsense"}}, "subject", "local authority"),
        ({"concern_types": ["made_up"]}, "concern_types", "not recognised: made_up"),
        ({"concern_types": "islamist"}, "concern_types", "as a list"),
        ({"subject": {"gender": "robot"}}, "subject", "Select male, female"),
        ({"immediate_risk": "perhaps"}, "immediate_risk", "Answer yes or no"),
        ({"referrer_phone": "call me"}, "referrer_phone", "Enter a phone number"),
        ({"other_agencies": [{"role": "x"}]}, "other_agencies", "required"),
        ({"indicators": ["x"] * 51}, "indicators", "no more than 50"),
        # JSON of another type than the schema's, which DRF would coerce (issue 23).
        ({"referrer_relationship": 0}, "referrer_relationship", "must be text"),
        ({"immediate_risk": "yes"}, "immediate_risk", "Answer yes or no"),
        ({"subject_aware": 1}, "subject_aware", "Answer yes or no"),
        ({"subject": {"first_name": 7}}, "subject", "must be text"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_saves_nothing(
    api, world, overrides, field, message
):
    referrer = world.user(Role.REFERRER, agency=world.school_a)
    response = as_user(api, referrer).post(LIST, body(**overrides), format="json")
    assert response.status_code == 400
    data = response.json()
    assert field in data["errors"]
    assert message in str(data["errors"][field])
    assert data["detail"]
    assert Referral.objects.count() == 0


def test_dob_exactly_120_years_ago_is_accepted(api, world):
    referrer = world.user(Role.REFERRER, agency=world.school_a)
    form = body(subject={"date_of_birth": _years_ago(120)})
    assert as_user(api, referrer).post(LIST, form, format="json").status_code == 201


@pytest.mark.parametrize(
    "role",
    [Role.PREVENT_OFFICER, Role.CHANNEL_CHAIR, Role.BOROUGH_LEAD, Role.SYSTEM_ADMIN],
)
def test_only_referrers_create(api, world, role):
    user = world.user(role, agency=world.council_a)
    assert as_user(api, user).post(LIST, body(), format="json").status_code == 403
    assert Referral.objects.count() == 0


def test_patch_draft_saves_and_checks_version(api, world):
    referral = f.draft(world, referrer_phone="")
    client = as_user(api, referral.referrer)
    url = f"{LIST}{referral.pk}/"
    response = client.patch(
        url, {"referrer_phone": "01632 960 001", "subject": {"postcode": "nb1 2ab"}}, "json"
    )
    assert response.status_code == 200, response.json()
    referral.refresh_from_db()
    referral.subject.refresh_from_db()
    assert referral.referrer_phone == "01632 960 001"
    assert referral.subject.postcode == "NB1 2AB"
    assert referral.subject.first_name  # untouched by a partial edit
    stale = client.patch(url, {"referrer_phone": "1", "version": 1}, format="json")
    assert stale.status_code == 409
    assert "Someone else saved" in stale.json()["detail"]


def test_patch_refuses_bad_input_and_submitted_cases(api, world):
    referral = f.draft(world)
    client = as_user(api, referral.referrer)
    url = f"{LIST}{referral.pk}/"
    bad = client.patch(url, {"subject": {"date_of_birth": TOMORROW}}, format="json")
    assert bad.status_code == 400
    client.post(f"{url}transitions/submit/", {}, format="json")
    late = client.patch(url, {"concern_summary": "more"}, format="json")
    assert late.status_code == 409
    assert "can no longer change" in late.json()["detail"]


# --- Transitions -------------------------------------------------------------------------


def test_referrer_submits_and_sees_a_coarse_status(api, world):
    referral = f.draft(world)
    response = as_user(api, referral.referrer).post(
        f"{LIST}{referral.pk}/transitions/submit/", {}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["state"], response.json()["status"]) == ("received", "received")
    assert Referral.objects.get(pk=referral.pk).state == State.SUBMITTED


def test_submit_names_the_missing_answers(api, world):
    referral = f.draft(world, referrer_phone="", subject={"postcode": ""})
    response = as_user(api, referral.referrer).post(
        f"{LIST}{referral.pk}/transitions/submit/", {}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"referrer_phone", "postcode"}
    assert "referrer phone" in response.json()["detail"]


def test_officer_triages_through_the_api(api, world):
    officer = f.officer_for(world)
    referral = f.submitted(world)
    client = as_user(api, officer)
    url = f"{LIST}{referral.pk}/"
    started = client.post(url + "transitions/start_assessment/", {}, format="json")
    assert started.status_code == 200
    assert started.json()["state"] == "police_assessment"
    assert "refer_to_channel" not in started.json()["available_transitions"]
    no_assessment = client.post(url + "transitions/refer_to_channel/", {}, format="json")
    assert no_assessment.status_code == 400
    assert set(no_assessment.json()["errors"]) == {"assessment", "rationale"}
    recorded = client.post(
        url + "assessment/",
        {
            "deconfliction": "cleared",
            "concern_type": "islamist",
            "screening": "clear_vulnerability",
            "vulnerabilities": ["Isolation"],
            "risk_summary": "Concerning but no plans.",
        },
        format="json",
    )
    assert recorded.status_code == 201
    assert recorded.json()["concern_type"] == "islamist"
    referred = client.post(
        url + "transitions/refer_to_channel/", {"rationale": "Needs support."}, format="json"
    )
    assert referred.status_code == 200
    assert referred.json()["state"] == "channel_panel"
    history = client.get(url + "history/").json()
    chain = [(h["name"], h["from_state"], h["to_state"]) for h in history["results"]]
    assert chain == [
        ("submit", "draft", "submitted"),
        ("start_assessment", "submitted", "police_assessment"),
        ("refer_to_channel", "police_assessment", "channel_panel"),
    ]
    assert history["results"][-1]["payload"] == {"rationale": "Needs support."}
    assert history["results"][-1]["actor"]["id"] == str(officer.pk)


def test_wrong_state_answers_409_with_a_clear_message(api, world):
    officer = f.officer_for(world)
    referral = f.direct(f.SubmittedFactory, world)
    response = as_user(api, officer).post(
        f"{LIST}{referral.pk}/transitions/refer_to_channel/", {"rationale": "x"}, format="json"
    )
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "A case in “Submitted” cannot take the step “Refer to Channel”."
    )


def test_unknown_step_is_not_found(api, world):
    officer = f.officer_for(world)
    referral = f.direct(f.SubmittedFactory, world)
    response = as_user(api, officer).post(
        f"{LIST}{referral.pk}/transitions/teleport/", {}, format="json"
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("payload", "errors"),
    [
        ({"reason": "signposted", "rationale": "x"}, {"signposted_to"}),
        ({"reason": "consent_declined", "rationale": "x"}, {"reason"}),
        ({"reason": "no_further_action", "rationale": "  "}, {"rationale"}),
        ({"reason": "no_further_action", "rationale": "a\x00"}, {"rationale"}),
        ({"reason": "no_further_action", "rationale": "x", "reassess_on": "soon"}, {"reassess_on"}),
    ],
)
def test_close_names_what_is_wrong(api, world, payload, errors):
    officer = f.officer_for(world)
    referral = f.direct(f.AssessedFactory, world, officer=officer)
    response = as_user(api, officer).post(
        f"{LIST}{referral.pk}/transitions/close/", payload, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()["errors"]) == errors
    assert Referral.objects.get(pk=referral.pk).state == State.POLICE_ASSESSMENT


def test_signposted_close_records_the_service(api, world):
    officer = f.officer_for(world)
    referral = f.direct(f.AssessedFactory, world, officer=officer)
    response = as_user(api, officer).post(
        f"{LIST}{referral.pk}/transitions/close/",
        {"reason": "signposted", "signposted_to": "mental_health", "rationale": "x"},
        format="json",
    )
    assert response.status_code == 200
    data = response.json()
    assert (data["state"], data["closure_reason"], data["signposted_to"]) == (
        "closed",
        "signposted",
        "mental_health",
    )


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"deconfliction": "maybe"}, "deconfliction"),
        ({"concern_type": "made_up"}, "concern_type"),
        ({"screening": None}, "screening"),
        ({"risk_summary": ""}, "risk_summary"),
        ({"risk_summary": "x" * 5001}, "risk_summary"),
        ({"vulnerabilities": "Isolation"}, "vulnerabilities"),
    ],
)
def test_assessment_validates_every_field(api, world, overrides, field):
    officer = f.officer_for(world)
    referral = f.direct(f.InPoliceAssessmentFactory, world, officer=officer)
    data = {
        "deconfliction": "cleared",
        "concern_type": "islamist",
        "screening": "clear_vulnerability",
        "vulnerabilities": [],
        "risk_summary": "Summary.",
        **overrides,
    }
    response = as_user(api, officer).post(f"{LIST}{referral.pk}/assessment/", data, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not referral.assessments.exists()


def test_assessment_before_the_assessment_starts_is_a_conflict(api, world):
    officer = f.officer_for(world)
    referral = f.direct(f.SubmittedFactory, world)
    response = as_user(api, officer).post(
        f"{LIST}{referral.pk}/assessment/",
        {
            "deconfliction": "cleared",
            "concern_type": "islamist",
            "screening": "clear_vulnerability",
            "risk_summary": "Summary.",
        },
        format="json",
    )
    assert response.status_code == 409


# --- Reads are audited ------------------------------------------------------------------


def test_every_detail_read_is_in_the_access_log(api, world):
    officer = f.officer_for(world)
    referral = f.submitted(world)
    as_user(api, referral.referrer).get(f"{LIST}{referral.pk}/")
    as_user(api, officer).get(f"{LIST}{referral.pk}/")
    views = AuditEvent.objects.filter(action="referral.viewed", object_id=str(referral.pk))
    assert views.count() == 2
    assert all(event.detail == {"via": "api"} for event in views)
    log = as_user(api, officer).get(f"{LIST}{referral.pk}/access-log/").json()
    assert set(log) == {"count", "next", "previous", "results"}
    rows = log["results"]
    assert {"id", "at", "actor", "action", "via"} == set(rows[0])
    viewers = {r["actor"]["id"] for r in rows if r["action"] == "referral.viewed"}
    assert viewers == {str(referral.referrer.pk), str(officer.pk)}
    assert {"referral.created", "referral.transition.submit"} <= {r["action"] for r in rows}
    assert rows[0]["at"] >= rows[-1]["at"]  # newest first


def test_access_log_holds_only_this_case(api, world):
    officer = f.officer_for(world)
    one, other = f.submitted(world), f.submitted(world)
    as_user(api, officer).get(f"{LIST}{other.pk}/")
    rows = as_user(api, officer).get(f"{LIST}{one.pk}/access-log/").json()["results"]
    # The one read in this case's log is the reading of the log itself (an audited read).
    viewed = [r["via"] for r in rows if r["action"] == "referral.viewed"]
    assert viewed == ["api_access_log"]


# --- List filters -----------------------------------------------------------------------


def _ids(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_list_filters_for_officers(api, world):
    officer = f.officer_for(world)
    waiting = f.direct(
        f.SubmittedFactory, world, subject={"first_name": "Robin", "last_name": "Marsh"}
    )
    assessing = f.direct(f.InPoliceAssessmentFactory, world, officer=officer)
    in_b = f.submitted(world, subject={"local_authority": world.la_b.pk})
    client = as_user(api, officer)
    assert _ids(client.get(LIST)) == {str(waiting.pk), str(assessing.pk), str(in_b.pk)}
    assert _ids(client.get(LIST, {"state": "police_assessment"})) == {str(assessing.pk)}
    assert _ids(client.get(LIST, {"local_authority": str(world.la_b.pk)})) == {str(in_b.pk)}
    assert _ids(client.post(SEARCH, {"q": "robin marsh"}, format="json")) == {str(waiting.pk)}
    assert _ids(client.get(LIST, {"q": waiting.reference.lower()})) == {str(waiting.pk)}
    assert _ids(client.post(SEARCH, {"q": "nobody"}, format="json")) == set()
    today = timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    assert len(_ids(client.get(LIST, {"submitted_after": today.isoformat()}))) == 3
    assert _ids(client.get(LIST, {"submitted_after": tomorrow.isoformat()})) == set()
    assert (
        _ids(client.get(LIST, {"submitted_before": (today - datetime.timedelta(1)).isoformat()}))
        == set()
    )


@pytest.mark.parametrize(
    "params",
    [
        {"state": "nonsense"},
        {"submitted_after": "yesterday"},
        {"local_authority": "00000000-0000-0000-0000-000000000000"},
    ],
)
def test_bad_filters_answer_400(api, world, params):
    officer = f.officer_for(world)
    response = as_user(api, officer).get(LIST, params)
    assert response.status_code == 400
    assert response.json()["detail"]


def test_referrer_filters_by_coarse_status_and_cannot_search(api, world):
    officer = f.officer_for(world)
    referrer = world.user(Role.REFERRER, agency=world.school_a)
    led = f.direct(f.PoliceLedFactory, world, referrer=referrer, officer=officer)
    channel = f.direct(f.ChannelPanelFactory, world, referrer=referrer, officer=officer)
    client = as_user(api, referrer)
    # Filtering by a police decision must not single it out.
    assert _ids(client.get(LIST, {"state": "police_led"})) == {str(led.pk), str(channel.pk)}
    assert _ids(client.get(LIST, {"state": "being_assessed"})) == {str(led.pk), str(channel.pk)}
    assert _ids(client.get(LIST, {"state": "closed"})) == set()
    # q takes a reference, which each row shows anyway; a name search is for officers only.
    assert _ids(client.get(LIST, {"q": led.reference})) == {str(led.pk)}
    assert client.post(SEARCH, {"q": "zzz"}, format="json").status_code == 403


def test_list_paginates(api, world):
    referrer = world.user(Role.REFERRER, agency=world.school_a)
    for _ in range(27):
        f.direct(f.DraftFactory, world, referrer=referrer)
    first = as_user(api, referrer).get(LIST).json()
    assert first["count"] == 27
    assert len(first["results"]) == 25
    assert first["next"]
    assert first["previous"] is None


def test_referrals_schema_generates_without_warnings_or_errors():
    """Our endpoints (with jobs, whose ``state`` enum shares the name) document cleanly."""
    patterns = [
        path("api/v1/", include("referrals.api.urls")),
        path("api/v1/jobs/<uuid:pk>/", JobDetail.as_view()),
    ]
    GENERATOR_STATS.reset()
    schema = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)
    validate_schema(schema)
    assert not GENERATOR_STATS, (GENERATOR_STATS._warn_cache, GENERATOR_STATS._error_cache)
    paths = schema["paths"]
    assert "/api/v1/referrals/{id}/transitions/{name}/" in paths
    assert "/api/v1/referrals/{id}/access-log/" in paths
    examples = paths["/api/v1/referrals/{id}/transitions/{name}/"]["post"]["requestBody"]
    assert "Refer to Channel" in str(examples)  # examples are documented


@pytest.mark.parametrize("cases", [1, 12])
def test_list_queries_do_not_grow_with_a_panel_member_s_cases(
    api, world, cases, django_assert_max_num_queries
):
    """Who may see the fine-grained state is decided for the whole page at once: a panel
    member's grants are read once, not once a row."""
    member = world.user(Role.PANEL_MEMBER, agency=world.health_a)
    for _ in range(cases):
        assign_perm(
            "referrals.view_case_as_panel_member", member, f.direct(f.ChannelPanelFactory, world)
        )
    client = as_user(api, member)
    with django_assert_max_num_queries(6):
        listed = client.get(LIST).json()
    assert listed["count"] == cases
    assert {row["state"] for row in listed["results"]} == {"channel_panel"}


def test_a_reference_has_ascii_digits_as_the_schema_says():
    """``q``'s schema pattern takes [0-9]; the server must not take other scripts' digits."""
    from referrals.selectors import is_reference

    assert is_reference("PRV-2026-012345")
    assert is_reference(" prv-2026-12 ")
    assert not is_reference("PRV-2026-\u0661\u0662\u0663")
