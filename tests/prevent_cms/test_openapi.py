"""Every API operation documents the error answers it can give, in the error shape."""

import pytest
from drf_spectacular.generators import SchemaGenerator

ERROR = {"$ref": "#/components/schemas/Error"}
PROBLEM = {"$ref": "#/components/schemas/Problem"}
WRITES = {"post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_every_operation_documents_its_errors_as_json_in_the_error_shape(schema):
    operations = list(_operations(schema))
    assert len(operations) >= 30
    for path, method, operation in operations:
        responses = operation["responses"]
        parameters = operation.get("parameters", [])
        in_path = any(p["in"] == "path" for p in parameters)
        expected = {"401", "403", "406", "503"}
        if method in WRITES:
            expected.add("400")
        if in_path:
            expected.add("404")
        if method in WRITES and in_path:
            expected.add("409")
        if "requestBody" in operation:
            expected |= {"413", "415"}
        label = f"{method.upper()} {path}"
        assert expected <= set(responses), (label, expected - set(responses))
        for status, response in responses.items():
            if status.startswith(("4", "5")):
                assert set(response["content"]) == {
                    "application/json",
                    "application/problem+json",
                }, (label, status)
                assert response["content"]["application/json"]["schema"] == ERROR, (label, status)
                assert response["content"]["application/problem+json"]["schema"] == PROBLEM, (
                    label,
                    status,
                )
                assert response["description"], (label, status)


def test_no_operation_claims_a_status_it_cannot_answer(schema):
    """429 where a view throttles (every one behind a sign-in does, issue 23), saying when
    to try again; 409 never on a plain read."""
    for path, method, operation in _operations(schema):
        signed_in = {} not in operation.get("security", [{}])
        assert ("429" in operation["responses"]) == signed_in, (method, path)
        if signed_in:
            assert "Retry-After" in operation["responses"]["429"]["headers"], (method, path)
        if method == "get":
            assert "409" not in operation["responses"], (method, path)


def test_a_views_own_words_about_an_error_are_kept(schema):
    conflict = schema["paths"]["/api/v1/referrals/{id}/transitions/{name}/"]["post"]["responses"][
        "409"
    ]
    assert conflict["description"] == "Not possible from the case's current state."
    assert "WrongState" in conflict["content"]["application/json"]["examples"]


def test_the_error_shape(schema):
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["code", "detail"]
    assert set(error["properties"]) == {"detail", "code", "errors"}
    listed, nested = error["properties"]["errors"]["additionalProperties"]["anyOf"]
    assert listed["type"] == "array"
    assert set(listed["items"]["required"]) == {"message", "code"}
    assert nested["type"] == "object"
    problem = schema["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail", "code"} <= set(problem["required"])


def _header_parameters(operation) -> set[str]:
    return {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}


def test_retries_and_concurrent_edits_are_documented(schema):
    """Issue 23: Idempotency-Key (422, 409) on creating POSTs; If-Match (412) on the case's
    edits and steps; ETag on the case; Location on 201 and 202."""
    paths = schema["paths"]
    create = paths["/api/v1/referrals/"]["post"]
    assert "Idempotency-Key" in _header_parameters(create)
    assert {"409", "422"} <= set(create["responses"])
    assert "Location" in create["responses"]["201"]["headers"]
    export = paths["/api/v1/reports/exports/"]["post"]
    assert "Idempotency-Key" in _header_parameters(export)
    assert "Location" in export["responses"]["202"]["headers"]
    for method in ("patch",):
        edit = paths["/api/v1/referrals/{id}/"][method]
        assert "If-Match" in _header_parameters(edit)
        assert "412" in edit["responses"]
    step = paths["/api/v1/referrals/{id}/transitions/{name}/"]["post"]
    assert "If-Match" in _header_parameters(step)
    assert "412" in step["responses"]
    assert "Idempotency-Key" not in _header_parameters(step)
    assert "ETag" in paths["/api/v1/referrals/{id}/"]["get"]["responses"]["200"]["headers"]


def test_every_list_documents_page_size_with_its_maximum(schema):
    for path, method, operation in _operations(schema):
        ok = operation["responses"].get("200", {}).get("content", {}).get("application/json")
        if method != "get" or not ok or "Paginated" not in ok["schema"].get("$ref", ""):
            continue
        sizes = [p for p in operation["parameters"] if p["name"] == "page_size"]
        assert sizes, path
        # In the description, not as ``maximum``: a larger page_size is cut to it, not
        # refused, and the schema must not call invalid what the server takes.
        assert "at most 100 (a larger number gets 100)" in sizes[0]["description"], path
        assert "maximum" not in sizes[0]["schema"], path
        assert sizes[0]["schema"]["minimum"] == 1, path


# --- A schema a generator can use (issue 23) --------------------------------------------


def test_every_operation_has_a_description_and_an_example(schema):
    """Each says what it is for; each with a JSON body or a JSON answer shows one."""
    for path, method, operation in _operations(schema):
        label = f"{method.upper()} {path}"
        assert len(operation.get("description", "")) > 20, label
        assert operation["description"] not in DOCSTRINGS_OF_BASES, label
        body = operation.get("requestBody", {}).get("content", {}).get("application/json")
        successes = [
            response["content"]["application/json"]
            for status, response in operation["responses"].items()
            if status.startswith("2") and "application/json" in response.get("content", {})
        ]
        if body is None and not successes:
            continue  # no JSON either way: a 204 or a file
        shown = body is not None and ("examples" in body or "example" in body)
        shown = shown or any("examples" in content for content in successes)
        assert shown, label


DOCSTRINGS_OF_BASES = {
    "Maps service errors to 400/403/404/409 JSON answers.",
    "Base for the paths under one case: finds it in scope or answers 404.",
}


def test_every_entry_of_the_examples_names_an_operation(schema):
    from prevent_cms.openapi_examples import OPERATIONS

    ids = {operation["operationId"] for _p, _m, operation in _operations(schema)}
    assert set(OPERATIONS) <= ids, set(OPERATIONS) - ids


# The operations that take a file: multipart, and only they.
UPLOADS = {
    "/api/v1/training/imports/",
    "/api/v1/referrals/{id}/attachments/",
    "/api/v1/referrals/imports/",
    "/api/v1/referrals/{id}/addenda/",  # text and an optional file (issue 15)
    "/api/v1/partnership/boards/{id}/terms/",  # issue 21: terms of reference
    "/api/v1/partnership/ctlp-briefings/",  # issue 21: a CTLP briefing (PDF)
}


def test_json_operations_take_json_only_and_uploads_multipart(schema):
    for path, method, operation in _operations(schema):
        content = set(operation.get("requestBody", {}).get("content", {}))
        if path in UPLOADS and method == "post":
            assert content == {"multipart/form-data"}, (method, path)
        elif content:
            assert content == {"application/json"}, (method, path, content)


def test_the_case_detail_is_one_of_three_views_told_apart_by_view(schema):
    detail = schema["components"]["schemas"]["ReferralDetailAsSeen"]
    assert "anyOf" not in detail
    assert detail["discriminator"]["propertyName"] == "view"
    assert set(detail["discriminator"]["mapping"]) == {"coarse", "panel", "full"}
    for view, name in (
        ("coarse", "CoarseReferral"),
        ("panel", "PanelReferral"),
        ("full", "FullReferral"),
    ):
        component = schema["components"]["schemas"][name]
        assert "view" in component["required"], name
        # One value each, so a full answer is not also a valid panel or coarse one: the
        # oneOf holds exactly one, as a validator (schemathesis) checks it.
        assert _component(schema, _ref(component["properties"]["view"]).split("/")[-1]) == {
            "enum": [view],
            "type": "string",
            "description": f"* `{view}` - {view}",
        }
    full = schema["components"]["schemas"]["FullReferral"]["properties"]
    assert full["state"] == {"$ref": "#/components/schemas/ReferralStateEnum"}  # no allOf


def _component(schema, name):
    return schema["components"]["schemas"][name]


def _ref(prop: dict) -> str:
    """The component a property names: directly, or alone in an ``allOf`` (OpenAPI 3.0's way
    of giving a reference a description or ``readOnly``)."""
    if "$ref" in prop:
        return prop["$ref"]
    (only,) = prop["allOf"]
    return only["$ref"]


def test_the_servers_rules_are_in_the_schema(schema):
    """uuid formats, enums, required fields and array lengths the server enforces."""
    panel = _component(schema, "PanelCreateRequest")
    assert set(panel["required"]) >= {"date", "location"}
    assert panel["properties"]["members"]["items"]["format"] == "uuid"
    assert _component(schema, "AgendaAddRequest")["properties"]["referral"]["format"] == "uuid"
    assert _component(schema, "HoldRequest")["properties"]["attended"]["minItems"] == 1
    consent = _component(schema, "ConsentInRequest")
    assert set(consent["required"]) >= {"given_by", "date", "decision"}
    assert _ref(consent["properties"]["given_by"]) == "#/components/schemas/GivenByEnum"
    review = _component(schema, "ReviewInRequest")
    assert set(review["required"]) >= {"kind", "date", "risk_change"}
    assert _ref(review["properties"]["risk_change"]) == "#/components/schemas/RiskChangeEnum"
    intervention = _component(schema, "InterventionInRequest")
    assert set(intervention["required"]) >= {"type", "start_date"}
    assert intervention["properties"]["provider"]["format"] == "uuid"
    action = _component(schema, "PanelActionRequest")
    assert "description" in action["required"]
    assert action["properties"]["owner"]["format"] == "uuid"
    ratings = _component(schema, "AssessmentInRequest")["properties"]["ratings"]
    assert len(ratings["required"]) == 22
    assert ratings["additionalProperties"] is False
    concern_types = _component(schema, "ReferralInputRequest")["properties"]["concern_types"]
    assert _ref(concern_types["items"]) == "#/components/schemas/ConcernTypeEnum"
    export = _component(schema, "ExportRequest")
    assert export["required"] == ["format"]
    assert _ref(export["properties"]["format"]) == "#/components/schemas/ExportFormatEnum"
    assert _component(schema, "ExportFormatEnum")["enum"] == ["csv", "xlsx", "pdf"]


def test_406_everywhere_and_415_wherever_there_is_a_body(schema):
    for path, method, operation in _operations(schema):
        assert "406" in operation["responses"], (method, path)
        if "requestBody" in operation:
            assert "415" in operation["responses"], (method, path)


def test_text_says_it_takes_no_nul_byte_and_a_phone_number_its_characters(schema):
    form = _component(schema, "ReferralInputRequest")["properties"]
    assert form["concern_summary"]["pattern"] == "^[^\\u0000]*$"
    assert _component(schema, "SubjectInputRequest")["properties"]["first_name"]["pattern"]
    # A pattern and a blank answer: drf-spectacular says "or empty" with an anyOf.
    assert form["referrer_phone"]["anyOf"][0]["pattern"] == "^[0-9 +()-]*$"
    assert _component(schema, "ConsentInRequest")["properties"]["child_view"]["pattern"]


def test_the_list_filters_say_what_the_server_takes(schema):
    parameters = {
        p["name"]: p["schema"] for p in schema["paths"]["/api/v1/referrals/"]["get"]["parameters"]
    }
    assert {"draft", "police_assessment", "received", "being_assessed"} <= set(
        parameters["state"]["enum"]
    )
    assert parameters["q"]["pattern"].startswith("^\\s*(?:[Pp][Rr][Vv]-")
