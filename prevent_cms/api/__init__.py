"""Shared API building blocks: the JSON error format every endpoint answers with."""

from django.core.exceptions import PermissionDenied, RequestDataTooBig, ValidationError
from django.http import Http404
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


class Conflict(exceptions.APIException):
    """The action is not allowed from the object's current state."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "That cannot be done now: the case has moved on."
    default_code = "conflict"


class Gone(exceptions.APIException):
    """The file existed but will not come back: purged by the retention policy, or withdrawn
    because the caller's scope no longer covers what it holds. ``detail`` says which."""

    status_code = status.HTTP_410_GONE
    default_detail = "This file is no longer available."
    default_code = "gone"


class PayloadTooLarge(exceptions.APIException):
    """The body is over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (Django refuses to read it)."""

    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request is too large. Send less data, or a smaller file."
    default_code = "too_large"


class ErrorSerializer(serializers.Serializer):
    """The body of every error answer: a message for people, and on a 400 each field that
    needs attention (``prevent_cms.openapi.AutoSchema`` documents it on every operation)."""

    detail = serializers.CharField(help_text="What went wrong, in a sentence for people.")
    errors = serializers.DictField(  # type: ignore[assignment]  # the body's field, not .errors
        required=False,
        help_text="On a 400: each field that needs attention, with its messages.",
    )


def exception_handler(exc, context):
    """Answer every error as JSON with a human ``detail`` message (and field errors if any)."""
    if isinstance(exc, RequestDataTooBig):
        exc = PayloadTooLarge()
    elif isinstance(exc, ValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound("Not found.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied("You do not have permission to do that.")
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        if isinstance(data, list):
            data = {"detail": " ".join(str(m) for m in data), "errors": {"non_field_errors": data}}
        elif "detail" not in data or len(data) > 1:
            data = {"detail": _summarise(data), "errors": data}
        return Response(data, status=response.status_code, headers=_headers(response))
    if isinstance(exc, exceptions.NotAuthenticated):
        data = {"detail": "Sign in to use this service."}
    return Response(data, status=response.status_code, headers=_headers(response))


def _summarise(errors) -> str:
    """One sentence naming the fields that need attention, for clients that show one line."""
    if isinstance(errors, dict):
        fields = ", ".join(str(f).replace("_", " ") for f in errors if f != "non_field_errors")
        if "non_field_errors" in errors:
            first = errors["non_field_errors"]
            return str(first[0]) if isinstance(first, list) and first else str(first)
        if fields:
            return f"Check these answers: {fields}."
    return "Check your answers."


def _headers(response) -> dict:
    return {k: v for k, v in response.items() if k.lower() in {"www-authenticate", "retry-after"}}
