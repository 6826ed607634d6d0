"""The one family of errors services raise, and the one way they become answers.

Every app's services raise these (never Django's ``ValidationError``/``PermissionDenied``
for a business rule), so the API's exception handler (``prevent_cms.api.exception_handler``)
and the HTML mapping (``run_service``, below) answer each the same way
everywhere. Each error carries a stable machine ``code`` a program may branch on and an HTTP
``status``; field errors carry a code each too. Messages are for people and must hold no
personal data (they may be logged).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext_lazy as _

T = TypeVar("T")
ConflictPage = Callable[[str], HttpResponse]


@dataclass(frozen=True)
class FieldError:
    """One problem with one field: words for people, a ``code`` for programs."""

    message: str
    code: str = "invalid"

    def __str__(self) -> str:
        return str(self.message)


FieldErrors = dict[str, list[FieldError]]


def field_errors(errors: Mapping[str, object] | None) -> FieldErrors:
    """Normalise ``{field: message | FieldError | [either, ...]}`` into lists of FieldError."""
    normalised: FieldErrors = {}
    for field, value in (errors or {}).items():
        items = value if isinstance(value, list | tuple) else [value]
        normalised[str(field)] = [
            item if isinstance(item, FieldError) else FieldError(str(item)) for item in items
        ]
    return normalised


class DomainError(Exception):
    """Base of the family: a business rule said no. ``code`` is stable; ``detail`` is words."""

    status: int = 400
    code: str = "error"
    default_detail = _("That cannot be done.")

    def __init__(self, detail: str | None = None, *, code: str | None = None):
        self.detail = str(detail if detail is not None else self.default_detail)
        if code is not None:
            self.code = code
        super().__init__(self.detail)

    @property
    def message(self) -> str:
        return self.detail

    @property
    def field_errors(self) -> FieldErrors:
        return {}


class InvalidInput(DomainError):
    """What was sent is missing or wrong (400). ``errors`` maps each field to its messages."""

    status = 400
    code = "invalid"
    default_detail = _("Check your answers.")

    def __init__(
        self,
        errors: Mapping[str, object] | None = None,
        *,
        detail: str | None = None,
        code: str | None = None,
    ):
        self.errors = dict(errors or {})
        self._field_errors = field_errors(self.errors)
        if detail is None:
            detail = summarise(self._field_errors)
        super().__init__(detail, code=code)

    @property
    def field_errors(self) -> FieldErrors:
        return self._field_errors

    @classmethod
    def on_field(cls, field: str, error: ValidationError) -> InvalidInput:
        """A validator's ``ValidationError`` as this field's errors, codes kept."""
        return cls(
            {field: [FieldError(str(m), e.code or "invalid") for e in error.error_list for m in e]}
        )


class GuardFailed(InvalidInput):
    """A step's required data is missing or wrong (400), naming each field."""

    code = "guard_failed"


class NotAuthenticated(DomainError):
    """No valid session or token (401)."""

    status = 401
    code = "not_authenticated"
    default_detail = _("Sign in to use this service.")


class ActionForbidden(DomainError, PermissionDenied):
    """The record is visible to the user, but this action is not theirs to take (403).

    Also Django's ``PermissionDenied``, so a page that lets it through shows the 403 page."""

    status = 403
    code = "permission_denied"
    default_detail = _("You do not have permission to do that.")


class DisclosureRefused(ActionForbidden):
    """Case data would leave for an agency no current data-sharing agreement covers, and the
    local authority refuses such disclosures (issue 21): a 403 whose ``detail`` tells the
    practitioner why and whom to ask, which pages show rather than the bare 403 page."""


class NotFound(DomainError, Http404):
    """Nothing the user may see goes by that id (404): hidden and missing look alike.

    Also Django's ``Http404``, so a page that lets it through shows the 404 page."""

    status = 404
    code = "not_found"
    default_detail = _("Not found.")


class Conflict(DomainError):
    """The action is not allowed from the object's current state (409)."""

    status = 409
    code = "conflict"
    default_detail = _("That cannot be done now: the case has moved on.")


class TransitionNotAllowed(Conflict):
    """The transition cannot run from the case's current state (409)."""

    code = "transition_not_allowed"


class StaleEdit(DomainError):
    """Someone else saved the record since this user opened it (409).

    Not a ``Conflict`` for pages: the page that raises it shows both versions instead."""

    status = 409
    code = "stale_edit"
    default_detail = _("Someone else saved this since you opened it. Reload and try again.")

    def __init__(self, current_version: int | None = None, detail: str | None = None):
        super().__init__(detail)
        self.current_version = current_version


class Gone(DomainError):
    """The file existed but will not come back: purged by the retention policy, or withdrawn
    because the caller's scope no longer covers what it holds (410). ``detail`` says which."""

    status = 410
    code = "gone"
    default_detail = _("This file is no longer available.")


class PreconditionFailed(DomainError):
    """``If-Match`` names a version that is no longer current (412)."""

    status = 412
    code = "precondition_failed"
    default_detail = _(
        "Someone else changed this since you read it (If-Match does not match its ETag). "
        "Read it again and decide whether your change still applies."
    )


class PayloadTooLarge(DomainError):
    """The body is over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (Django refuses to read it) (413)."""

    status = 413
    code = "too_large"
    default_detail = _("The request is too large. Send less data, or a smaller file.")


class IdempotencyConflict(DomainError):
    """The ``Idempotency-Key`` was used before with a different body (422)."""

    status = 422
    code = "idempotency_conflict"
    default_detail = _(
        "This Idempotency-Key was first used with a different request body. Use a new key "
        "for a new request."
    )


class IdempotencyKeyInProgress(Conflict):
    """A retry arrived while the first request with its ``Idempotency-Key`` is still being
    handled (409): try again in a moment, the first answer will then be replayed."""

    code = "idempotency_key_in_progress"
    default_detail = _(
        "A request with this Idempotency-Key is still being handled. Try again in a moment."
    )


class PreconditionRequired(DomainError):
    """An update came without the ``If-Match`` it needs (428)."""

    status = 428
    code = "precondition_required"
    default_detail = _("Send If-Match with the ETag you last read.")


def summarise(errors: Mapping[str, Iterable[FieldError]]) -> str:
    """One sentence for people from field errors, built the same way for every answer.

    Only form-wide messages: those words. Otherwise the fields to look at, and when there is a
    single problem its words too, so one-line clients still say what is wrong.
    """
    messages = [str(e) for items in errors.values() for e in items]
    fields = [f.replace("_", " ") for f in errors if f not in NON_FIELD_KEYS]
    if not fields:
        return " ".join(messages) if messages else str(InvalidInput.default_detail)
    summary = _("Check these answers: %s.") % ", ".join(fields)
    if len(messages) == 1:
        return f"{summary} {messages[0]}"
    return str(summary)


NON_FIELD_KEYS = frozenset({"non_field_errors", "__all__"})


def run_service(form, call: Callable[[], T], *, conflict: ConflictPage | None = None, request=None):
    """Call a service for a page, showing the family the way every page shows it.

    - ``InvalidInput`` (``GuardFailed``): each message on its field, or form-wide when the form
      has no such field; returns None, so the view shows the form again with them. A page
      without a form (a button) passes ``form=None`` and its ``request``: the ``detail`` is
      shown as an error message on the page it goes back to.
    - ``Conflict`` (``TransitionNotAllowed`` and the like): the page ``conflict(message)``
      makes when the view has one (returned: the view returns it), else a form-wide message.
    - ``ActionForbidden`` and ``NotFound`` go on to Django's 403 and 404 pages (they are its
      ``PermissionDenied`` and ``Http404``); a model's ``DoesNotExist`` becomes the 404 too.

    Otherwise returns what the service returned.
    """
    try:
        return call()
    except InvalidInput as error:
        if form is None:
            messages.error(request, error.detail)
        for field, items in (error.field_errors if form is not None else {}).items():
            for item in items:
                form.add_error(field if field in form.fields else None, str(item))
    except Conflict as error:
        if conflict is not None:
            return conflict(error.detail)
        if form is None:
            messages.error(request, error.detail)
        else:
            form.add_error(None, error.detail)
    except ObjectDoesNotExist as error:
        raise Http404 from error
    return None
