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
        assert sizes[0]["schema"]["maximum"] == 100, path
