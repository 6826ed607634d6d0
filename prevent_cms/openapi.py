"""The OpenAPI schema: every operation's error answers, and post-processing hooks."""

from __future__ import annotations

import inspect

from django.core.validators import ProhibitNullCharactersValidator
from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse

from .api import PROBLEM_JSON, ErrorSerializer, ProblemSerializer
from .api.idempotency import MAX_KEY_LENGTH as IDEMPOTENCY_KEY_MAX_LENGTH
from .api.idempotency import IdempotentPost
from .openapi_examples import OPERATIONS

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
ERROR_DESCRIPTIONS = {
    400: "Missing or invalid data (`errors` names each field), or a step the case's data does "
    "not allow yet.",
    401: "Not signed in: no session or token, a session that has expired, or an account that "
    "is locked out or no longer active.",
    403: "Not yours to do, the one-time code not yet given, or a missing CSRF token.",
    404: "No such object in your scope (or no such page of results, or no such `format`).",
    406: "The `Accept` header asks for a media type this operation cannot answer in.",
    409: "Not possible from the object's current state, or someone else saved it first.",
    412: "`If-Match` names a version the case no longer has: someone else changed it since "
    "you read it. Nothing was changed; read it again.",
    413: "The request body is too large.",
    415: "The body is not JSON (`Content-Type: application/json`); only the uploads (training "
    "import, case attachments) take `multipart/form-data`.",
    422: "This `Idempotency-Key` was first used with a different request body.",
    429: "Too many requests: wait the seconds `Retry-After` gives, then try again.",
    503: "The service is unavailable (its database is unreachable): try again shortly.",
}


# Any text without a NUL byte (ECMA and Python regex alike).
NO_NUL_PATTERN = "^[^\\u0000]*$"


def _forbids_nul(validator) -> bool:
    """Django's own validator, or the project's (which says it with ``forbids_nul``)."""
    return isinstance(validator, ProhibitNullCharactersValidator) or getattr(
        validator, "forbids_nul", False
    )


class AutoSchema(openapi.AutoSchema):
    """Document, once for every operation, the error answers it can really give.

    The statuses follow from what the operation is, not from a list kept per view:

    - 401 and 403 wherever a sign-in is required (DRF's permission checks, the multi-factor
      gate and CSRF answer them on any path);
    - 400 for a write (validation, or a service's guard) or anything taking query parameters
      other than the page number (filters are validated);
    - 404 where a path or query parameter names something (an object, a page, an authority);
    - 409 for a write to an existing object (its state may have moved on);
    - 406 everywhere (content negotiation on ``Accept``);
    - 413 and 415 wherever there is a request body (too large; not a media type it parses);
    - 412 where the view takes ``If-Match`` (``if_match_methods``), 422 and 409 where it
      takes ``Idempotency-Key`` (``IdempotentPost``), each header documented as a parameter;
    - 429 only where the view has throttles, with ``Retry-After``;
    - 503 everywhere (``DatabaseUnavailableMiddleware``).

    - 406 everywhere (an ``Accept`` no renderer matches, once the caller is known);
    - 415 wherever there is a request body (a ``Content-Type`` no parser reads).
    ``Location`` is documented on every 201 and 202, and ``ETag`` on the 200 of views with
    ``etag_methods``.

    Each uses the project's error body (``ErrorSerializer``) as JSON, whatever the success
    answer's media type, or as RFC 9457 problem details (``ProblemSerializer``) when ``Accept``
    asks for ``application/problem+json``. A status a view documents itself keeps its
    description and examples.
    """

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        self._add_header_parameters(operation)
        responses = operation.setdefault("responses", {})
        documented_errors = {int(s) for s in responses if s[:1] in {"4", "5"}}
        for status in sorted(documented_errors | set(self._error_statuses(operation))):
            documented = responses.get(str(status), {})
            response = self._get_response_for_code(
                OpenApiResponse(
                    ErrorSerializer,
                    description=documented.get("description") or ERROR_DESCRIPTIONS.get(status, ""),
                ),
                str(status),
                media_types=["application/json"],
            )
            examples = documented.get("content", {}).get("application/json", {}).get("examples")
            if examples:
                response["content"]["application/json"]["examples"] = examples
            response["content"].update(
                self._get_response_for_code(
                    OpenApiResponse(ProblemSerializer), str(status), media_types=[PROBLEM_JSON]
                )["content"]
            )
            responses[str(status)] = response
        self._add_response_headers(responses)
        operation["responses"] = dict(sorted(responses.items()))
        self._describe(operation)
        return operation

    def _idempotent(self) -> bool:
        return self.method == "POST" and isinstance(self.view, IdempotentPost)

    def _conditional(self) -> bool:
        return self.method in getattr(self.view, "if_match_methods", ())

    def _add_header_parameters(self, operation: dict) -> None:
        parameters = operation.setdefault("parameters", [])
        if self._idempotent():
            parameters.append(
                {
                    "in": "header",
                    "name": "Idempotency-Key",
                    "required": False,
                    "schema": {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": IDEMPOTENCY_KEY_MAX_LENGTH,
                        "pattern": "^[ -~]+$",  # printable ASCII, as the server checks
                    },
                    "description": "Any unique string (a UUID is good). A retry with the same "
                    "key and body is answered with the first answer (`Idempotent-Replayed: "
                    "true`) and makes nothing twice; kept 24 hours.",
                }
            )
        if self._conditional():
            parameters.append(
                {
                    "in": "header",
                    "name": "If-Match",
                    "required": False,
                    "schema": {"type": "string"},
                    "example": '"7"',
                    "description": "The `ETag` you read. The change is made only if the case "
                    "still has it; otherwise 412 and nothing changes. Optional.",
                }
            )
        if not parameters:
            del operation["parameters"]

    def _add_response_headers(self, responses: dict) -> None:
        headers = {
            "Location": "Where the created object (201) or the started job (202) is.",
            "Retry-After": "Seconds to wait before trying again.",
            "ETag": "The case's version, for `If-Match`.",
        }
        for code, response in responses.items():
            wanted = []
            if code in {"201", "202"}:
                wanted.append("Location")
            if code == "429":
                wanted.append("Retry-After")
            if code == "200" and self.method in getattr(self.view, "etag_methods", ()):
                wanted.append("ETag")
            for name in wanted:
                response.setdefault("headers", {})[name] = {
                    "schema": {"type": "string" if name != "Retry-After" else "integer"},
                    "description": headers[name],
                }

    def _insert_field_validators(self, field, schema):
        """Text the server refuses with a NUL byte in it says so (a pattern), so a client (or
        schemathesis) knows such a value is invalid rather than learning it from a 400."""
        super()._insert_field_validators(field, schema)
        if (
            schema.get("type") == "string"
            and not {"pattern", "format", "enum"} & set(schema)
            and not field.read_only
            and any(_forbids_nul(v) for v in field.validators)
        ):
            schema["pattern"] = NO_NUL_PATTERN

    def _describe(self, operation: dict) -> None:
        """The description and examples of ``openapi_examples`` where the view has none.

        A view's docstring (or a base view's: how it maps errors, say) describes the class,
        not the operation, so an entry there replaces it too.
        """
        extra = OPERATIONS.get(operation["operationId"], {})
        description = operation.get("description", "")
        if extra.get("description") and (
            not description or description in self._class_docstrings()
        ):
            operation["description"] = extra["description"]
        body = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if body is not None and "request" in extra and "examples" not in body:
            body["examples"] = {"Example": {"value": extra["request"]}}
        if extra.get("response") is not None:
            for status, response in operation["responses"].items():
                content = response.get("content", {}).get("application/json")
                if status.startswith("2") and content is not None and "examples" not in content:
                    content["examples"] = {"Example": {"value": extra["response"]}}
                    break

    def _class_docstrings(self) -> set[str]:
        return {
            inspect.cleandoc(base.__doc__)
            for base in self.view.__class__.__mro__
            if base.__dict__.get("__doc__")
        }

    def _error_statuses(self, operation: dict) -> list[int]:
        parameters = operation.get("parameters", [])
        in_path = any(p.get("in") == "path" for p in parameters)
        in_query = any(p.get("in") == "query" for p in parameters)
        filtered = any(p.get("in") == "query" and p.get("name") != "page" for p in parameters)
        write = self.method in WRITES
        statuses = [406, 503]
        if {} not in operation.get("security", [{}]):
            statuses += [401, 403]
        if write or filtered:
            statuses.append(400)
        if in_path or in_query:
            statuses.append(404)
        if (write and in_path) or self._idempotent():
            statuses.append(409)
        if self._conditional():
            statuses.append(412)
        if self._idempotent():
            statuses.append(422)
        if "requestBody" in operation:
            statuses += [413, 415]
        if self.view.get_throttles():
            statuses.append(429)
        return sorted(statuses)


def overlapping_one_of_as_any_of(result, generator, request, public):
    """``oneOf`` without a discriminator becomes ``anyOf``.

    A case's detail is answered in one of several nested shapes (coarse ⊂ panel ⊂ full, by
    what the caller may see). A full answer also satisfies the smaller shapes, which breaks
    ``oneOf`` ("exactly one") though it is exactly what the API means: "one of these views".
    """

    for node in _dicts(result.get("components", {})):
        if "oneOf" in node and "discriminator" not in node:
            node["anyOf"] = node.pop("oneOf")
    return result


def read_only_references_unwrapped(result, generator, request, public):
    """``{"allOf": [{"$ref": X}], "readOnly": true}`` becomes ``{"$ref": X}``.

    drf-spectacular wraps a read-only enum (a case's ``state``) that way; with request and
    response components split (``COMPONENT_SPLIT_REQUEST``) ``readOnly`` says nothing more,
    and generators read a plain reference as the enum type itself.
    """

    for node in _dicts(result.get("components", {})):
        for key, value in list(node.items()):
            if (
                isinstance(value, dict)
                and set(value) == {"allOf", "readOnly"}
                and len(value["allOf"]) == 1
                and set(value["allOf"][0]) == {"$ref"}
            ):
                node[key] = value["allOf"][0]
    return result


def _dicts(node):
    """Every object of a JSON tree, each before what it holds: a caller that rewrites an
    object's values as it is yielded has the new values walked."""
    if isinstance(node, dict):
        yield node
        for value in list(node.values()):
            yield from _dicts(value)
    elif isinstance(node, list):
        for value in node:
            yield from _dicts(value)
