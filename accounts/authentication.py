"""Whether a person who already holds a session or an API token may still use it.

django-axes locks a username at the sign-in form, and ``is_active=False`` stops new sign-ins;
neither ends a session or an API token issued before. Both are checked here, on every request,
by the token authentication class and by ``accounts.middleware.AccountStandingMiddleware``.
The lockout is asked of axes' own handler (``AxesProxyHandler.is_locked``, whatever
``AXES_HANDLER`` is configured), so the counting, the cool-off and ``axes_reset`` stay axes'.
An API token also expires ``API_TOKEN_LIFETIME_DAYS`` after it was issued or renewed
(``accounts.services``); a token refused for its account's standing is recorded at most once
per account and window (``TokenRefusalAuditThrottle``).
"""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_credentials
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from prevent_cms.audit import audit_record

from .models import ROLE_CODES, User
from .selectors import user_with_role_codes, users_signing_in
from .services import token_expired

LOCKED = "account_locked"
INACTIVE = "account_inactive"

REFUSAL_MESSAGES = {
    LOCKED: _(
        "There have been too many attempts to sign in with this username. "
        "Wait 15 minutes, then try again."
    ),
    INACTIVE: _("Sign in to use this service."),
}
TOKEN_EXPIRED_MESSAGE = _(
    "This API token has expired. Sign in to the service and issue a new token "
    "(POST /api/v1/auth/token/), or renew a token before it expires "
    "(POST /api/v1/auth/token/renew/)."
)


def account_refusal(*, user, request) -> str:
    """``""`` if ``user`` may go on; otherwise why not (``INACTIVE`` or ``LOCKED``).

    ``request`` is the Django ``HttpRequest`` (axes reads the address and time from it).
    """
    if not user.is_active:
        return INACTIVE
    if getattr(settings, "AXES_ENABLED", True) and AxesProxyHandler.is_locked(
        request, get_credentials(user.get_username())
    ):
        return LOCKED
    return ""


def audit_refusal(*, user_id, reason: str, via: str) -> None:
    """Who was turned away and why, by opaque id and code only (never the username)."""
    audit_record(
        actor=None,
        action="auth.refused",
        object_type="accounts.user",
        object_id=str(user_id),
        reason=reason,
        detail={"via": via},
    )


class TokenRefusalAuditThrottle(SimpleRateThrottle):
    """At most one ``auth.refused`` audit event per account and reason per window.

    A client whose account was locked or deactivated keeps calling with its token, often in
    a loop; one event per call would flood the audit trail and let anyone holding such a
    token write to it at will. Every call is still refused (401); only the record of it is
    rate-limited, with DRF's throttle on the cache, keyed by the account's id.
    The window is ``API_TOKEN_REFUSAL_AUDIT_SECONDS`` (default 900, the lockout's length).
    """

    scope = "token_refusal_audit"

    def __init__(self, *, user_id, reason: str):
        self.user_id, self.reason = user_id, reason
        super().__init__()

    def get_rate(self) -> str:
        return "1/window"

    def parse_rate(self, rate):
        return 1, getattr(settings, "API_TOKEN_REFUSAL_AUDIT_SECONDS", 15 * 60)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": f"{self.user_id}:{self.reason}"}


class AccountTokenAuthentication(TokenAuthentication):
    """DRF token authentication that also refuses expired tokens and inactive and locked-out
    accounts (401)."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user, _token = result
        reason = account_refusal(user=user, request=request._request)
        if reason:
            throttle = TokenRefusalAuditThrottle(user_id=user.pk, reason=reason)
            if throttle.allow_request(request, None):
                audit_refusal(user_id=user.pk, reason=reason, via="token")
            raise exceptions.AuthenticationFailed(REFUSAL_MESSAGES[reason])
        return result

    def authenticate_credentials(self, key):
        """Find the token's user; whether they may use it is decided in ``authenticate``,
        which has the request axes needs (DRF's own check would refuse inactive people
        without an audit event). The user comes with their agency, local authority and roles,
        as the session backend loads them (``accounts.backends``): every scope rule reads them."""
        model = self.get_model()
        token = users_signing_in(model.objects.all(), user_path="user").filter(key=key).first()
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        if token_expired(token=token):
            raise exceptions.AuthenticationFailed(TOKEN_EXPIRED_MESSAGE)
        return (user_with_role_codes(token.user, getattr(token, ROLE_CODES, None)), token)


def signed_in(request: Request) -> User:
    """The person making an API request the view's permissions already required signed in.

    DRF types ``request.user`` as possibly anonymous; services and selectors take a ``User``.
    Anonymous here means a view forgot its permission class: answer 401, never run as nobody.
    """
    user = request.user
    if not isinstance(user, User):
        raise exceptions.NotAuthenticated
    return user
