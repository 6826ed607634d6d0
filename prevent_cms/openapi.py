"""The OpenAPI schema: every operation's error answers, and post-processing hooks."""

from __future__ import annotations

from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse

from .api import PROBLEM_JSON, ErrorSerializer, ProblemSerializer

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
ERROR_DESCRIPTIONS = {
    400: "Missing or invalid data (`errors` names each field), or a step the case's data does "
    "not allow yet.",
    401: "Not signed in: no session or token, a session that has expired, or an account that "
    "is locked out or no longer active.",
    403: "Not yours to do, the one-time code not yet given, or a missing CSRF token.",
    404: "No such object in your scope (or no such page of results, or no such `format`).",
    406: "No answer in a media type the `Accept` header allows.",
    409: "Not possible from the object's current state, or someone else saved it first.",
    413: "The request body is too large.",
    415: "The body is in a media type this operation does not read.",
    429: "Too many requests: wait, then try again.",
    503: "The service is unavailable (its database is unreachable): try again shortly.",
}


class AutoSchema(openapi.AutoSchema):
    """Document, once for every operation, the error answers it can really give.

    The statuses follow from what the operation is, not from a list kept per view:

    - 401 and 403 wherever a sign-in is required (DRF's permission checks, the multi-factor
      gate and CSRF answer them on any path);
    - 400 for a write (validation, or a service's guard) or anything taking query parameters
      other than the page number (filters are validated);
    - 404 where a path or query parameter names something (an object, a page, an authority);
    - 409 for a write to an existing object (its state may have moved on);
    - 413 wherever there is a request body (over ``DATA_UPLOAD_MAX_MEMORY_SIZE``);
    - 429 only where the view has throttles;
    - 503 everywhere (``DatabaseUnavailableMiddleware``).

    - 406 everywhere (an ``Accept`` no renderer matches, once the caller is known);
    - 415 wherever there is a request body (a ``Content-Type`` no parser reads).

    Each uses the project's error body (``ErrorSerializer``) as JSON, whatever the success
    answer's media type, or as RFC 9457 problem details (``ProblemSerializer``) when ``Accept``
    asks for ``application/problem+json``. A status a view documents itself keeps its
    description and examples.
    """

    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
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
        operation["responses"] = dict(sorted(responses.items()))
        return operation

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
        if write and in_path:
            statuses.append(409)
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

    def walk(node):
        if isinstance(node, dict):
            if "oneOf" in node and "discriminator" not in node:
                node["anyOf"] = node.pop("oneOf")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(result.get("components", {}))
    return result
