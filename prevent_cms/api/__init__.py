"""Shared API building blocks: the one exception handler, and the error body it answers with.

Every error, whichever layer raised it (a service's ``prevent_cms.errors`` family, Django's own
errors, DRF's), is answered here and nowhere else: ``{"detail", "code", "errors"}`` as JSON, or
RFC 9457 ``application/problem+json`` when the client's ``Accept`` asks for it. Views never map
errors themselves (``tests/prevent_cms/test_errors.py`` keeps it so).
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.core.exceptions import (
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    ValidationError,
)
from django.http import Http404, JsonResponse
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import set_rollback

from prevent_cms import errors

PROBLEM_JSON = "application/problem+json"
PROBLEM_TYPE = "urn:prevent-cms:error:"


class ProblemJSONRenderer(JSONRenderer):
    """RFC 9457 problem details: JSON, labelled as such."""

    media_type = PROBLEM_JSON
    format = "problem+json"


FIELD_ERROR_SCHEMA = {
    "type": "object",
    "properties": {
        "message": {"type": "string", "description": "What is wrong, for people."},
        "code": {
            "type": "string",
            "description": "Stable machine code, e.g. `required`, `invalid`, `blank`, "
            "`max_length`.",
        },
    },
    "required": ["message", "code"],
}


@extend_schema_field(
    {
        "oneOf": [
            {"type": "array", "items": FIELD_ERROR_SCHEMA},
            {
                "type": "object",
                "description": "A nested object's fields, or a list's items by position "
                '(`"0"`, `"1"`...), each the same way.',
                "additionalProperties": True,
            },
        ]
    }
)
class FieldErrorsField(serializers.JSONField):
    """One field's errors: always a list of ``{message, code}``; a nested object's fields
    nest the same way."""


class ErrorSerializer(serializers.Serializer):
    """The body of every error answer: a message for people, a stable ``code`` for programs,
    and on a 400 each field that needs attention (``prevent_cms.openapi.AutoSchema``
    documents it on every operation)."""

    detail = serializers.CharField(help_text="What went wrong, in a sentence for people.")
    code = serializers.CharField(
        help_text="Stable machine code to branch on, e.g. `invalid`, `guard_failed`, "
        "`not_authenticated`, `permission_denied`, `not_found`, `transition_not_allowed`, "
        "`stale_edit`, `gone`, `too_large`, `throttled`."
    )
    errors = serializers.DictField(  # type: ignore[assignment]  # the body's field, not .errors
        child=FieldErrorsField(),
        required=False,
        help_text="On a 400: each field that needs attention, with a list of its errors "
        "(always a list; a nested object's fields are nested the same way).",
    )


class ProblemSerializer(ErrorSerializer):
    """The same error as RFC 9457 problem details, when ``Accept`` names
    ``application/problem+json``."""

    type = serializers.CharField(help_text="`urn:prevent-cms:error:` followed by `code`.")
    title = serializers.CharField(help_text="The HTTP status's reason phrase.")
    status = serializers.IntegerField(help_text="The HTTP status code.")


def exception_handler(exc, context):
    """Answer every error in the one shape; None (a 500) for anything that is not an error
    a client can act on."""
    request = context.get("request")
    exc = _as_known_error(exc)
    if exc is None:
        return None
    if isinstance(exc, errors.DomainError):
        status, code, detail, field_errors = (
            exc.status,
            exc.code,
            exc.detail,
            {f: [_field_error(e) for e in items] for f, items in exc.field_errors.items()},
        )
    elif isinstance(exc, exceptions.ValidationError):
        status, code = exc.status_code, "invalid"
        field_errors = _validation_details(exc.get_full_details())
        detail = errors.summarise(_leaves(field_errors))
    else:
        status, code, detail, field_errors = (
            exc.status_code,
            _api_code(exc),
            str(exc.detail),
            {},
        )
        if isinstance(exc, exceptions.NotAuthenticated):
            detail = str(errors.NotAuthenticated.default_detail)
    body = error_body(status, code, detail, field_errors)
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    if request is not None and wants_problem(request):
        body = as_problem(body, status)
        _render_with(request, ProblemJSONRenderer())
    elif request is not None and not isinstance(
        getattr(request, "accepted_renderer", None), JSONRenderer | BrowsableAPIRenderer
    ):
        # A CSV, XLSX or PDF was asked for, but this answer is JSON and must say so.
        _render_with(request, JSONRenderer())
    set_rollback()
    return Response(body, status=status, headers=headers)


def _as_known_error(exc):
    """Django's own errors as their family member; DRF's and the family's as they are."""
    if isinstance(exc, errors.DomainError | exceptions.APIException):
        return exc
    if isinstance(exc, RequestDataTooBig):
        return errors.PayloadTooLarge()
    if isinstance(exc, ValidationError):
        return errors.InvalidInput(_django_validation_errors(exc))
    if isinstance(exc, Http404 | ObjectDoesNotExist):
        return errors.NotFound()
    if isinstance(exc, PermissionDenied):
        return errors.ActionForbidden()
    return None


def _django_validation_errors(exc: ValidationError) -> dict:
    if hasattr(exc, "error_dict"):
        return {
            field: [errors.FieldError(str(m), e.code or "invalid") for e in es for m in e]
            for field, es in exc.error_dict.items()
        }
    return {
        "non_field_errors": [
            errors.FieldError(str(m), e.code or "invalid") for e in exc.error_list for m in e
        ]
    }


def _validation_details(details):
    """DRF's full details with every leaf in a list of ``{message, code}`` (a view's
    ``ValidationError({"field": "words"})`` has a bare one); a bare list at the top is the
    form-wide ``non_field_errors``."""
    if isinstance(details, list):
        details = {"non_field_errors": details}
    return _as_lists(details)


def _is_leaf(node) -> bool:
    return isinstance(node, dict) and set(node) == {"message", "code"}


def _as_lists(node):
    if _is_leaf(node):
        return [node]
    if isinstance(node, dict):
        return {str(key): _as_lists(value) for key, value in node.items()}
    if isinstance(node, list) and all(_is_leaf(item) for item in node):
        return node
    if isinstance(node, list):
        # A list of objects' errors (``many=True``): keyed by position, as DRF keys a
        # ListField's, so a list in ``errors`` is only ever a list of errors.
        return {str(i): _as_lists(item) for i, item in enumerate(node) if item}
    return node


def _leaves(details, prefix="") -> dict[str, list[errors.FieldError]]:
    """Field path → its errors, for the one-line summary."""
    out: dict[str, list[errors.FieldError]] = {}
    if isinstance(details, dict) and set(details) == {"message", "code"}:
        out.setdefault(prefix, []).append(errors.FieldError(str(details["message"])))
    elif isinstance(details, dict):
        for key, value in details.items():
            name = str(key) if not prefix or key in errors.NON_FIELD_KEYS else prefix
            for field, items in _leaves(value, name).items():
                out.setdefault(field, []).extend(items)
    elif isinstance(details, list):
        for item in details:
            for field, items in _leaves(item, prefix).items():
                out.setdefault(field, []).extend(items)
    return out


def _field_error(error: errors.FieldError) -> dict:
    return {"message": str(error.message), "code": error.code}


def _api_code(exc: exceptions.APIException) -> str:
    code = getattr(exc.detail, "code", None)
    return code or exc.default_code


def error_body(status: int, code: str, detail: str, field_errors: dict | None = None) -> dict:
    """The one error body: ``detail`` for people, ``code`` for programs, ``errors`` by field."""
    body: dict[str, Any] = {"detail": str(detail), "code": code}
    if field_errors:
        body["errors"] = field_errors
    return body


def as_problem(body: dict, status: int) -> dict:
    """The same body as RFC 9457 problem details."""
    return {
        "type": PROBLEM_TYPE + body["code"],
        "title": HTTPStatus(status).phrase,
        "status": status,
        **body,
    }


def wants_problem(request) -> bool:
    return PROBLEM_JSON in request.META.get("HTTP_ACCEPT", "")


def error_json_response(request, status: int, code: str, detail: str) -> JsonResponse:
    """The error body for answers made outside DRF (Django's 400/403/404/500 handlers, the
    503 page, the query-string guard) on API paths: the same shape and the same choice of
    ``application/json`` or ``application/problem+json``."""
    body = error_body(status, code, detail)
    if wants_problem(request):
        return JsonResponse(as_problem(body, status), status=status, content_type=PROBLEM_JSON)
    return JsonResponse(body, status=status)


def _render_with(request, renderer) -> None:
    """``finalize_response`` renders with the request's renderer: make it this one."""
    request.accepted_renderer = renderer
    request.accepted_media_type = renderer.media_type
