"""Shared helpers for Channel pages: turning service errors into form errors."""

from __future__ import annotations

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404, HttpResponse

from prevent_cms.errors import ActionForbidden, GuardFailed, TransitionNotAllowed


def run_service(form, call):
    """Call a service; on a domain error put its messages on ``form`` and return None."""
    try:
        return call()
    except GuardFailed as error:
        for field, message in error.errors.items():
            form.add_error(field if field in form.fields else None, message)
    except TransitionNotAllowed as error:
        form.add_error(None, error.message)
    except ActionForbidden as error:
        raise PermissionDenied from error
    except ObjectDoesNotExist as error:
        raise Http404 from error
    return None


def bad_request(response: HttpResponse) -> HttpResponse:
    response.status_code = 400
    return response
