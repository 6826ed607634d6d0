"""Account standing, session lifetime and the multi-factor gate."""

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY, logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

from .authentication import INACTIVE, REFUSAL_MESSAGES, account_refusal, audit_refusal


class AccountStandingMiddleware:
    """End the session of someone locked out by django-axes or made inactive since signing in.

    Django's ``get_user`` already treats an inactive person's session as anonymous, but leaves
    the session in place and says nothing; a locked-out person's session would go on working
    for its full 12 hours. Here either is signed out on its next request, audited (ids and a
    code only), and told why: the API answers 401 in its JSON shape, pages go back to sign-in
    with the GOV.UK message. Placed straight after ``AuthenticationMiddleware``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not hasattr(request, "session"):
            return self.get_response(request)
        if user.is_authenticated:
            user_id, reason = user.pk, account_refusal(user=user, request=request)
        elif request.session.get(SESSION_KEY):
            # A session whose person may no longer sign in (inactive or gone).
            user_id, reason = request.session[SESSION_KEY], INACTIVE
        else:
            return self.get_response(request)
        if not reason:
            return self.get_response(request)
        audit_refusal(user_id=user_id, reason=reason, via="session")
        request.sign_out_reason = reason
        logout(request)
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": str(REFUSAL_MESSAGES[reason])}, status=401)
            response["WWW-Authenticate"] = "Token"
            return response
        return redirect(f"{reverse('accounts:login')}?signed_out={reason}")


def session_activity_record_seconds() -> int:
    """How stale the recorded activity may be before a request writes it (policy)."""
    return getattr(settings, "SESSION_ACTIVITY_RECORD_SECONDS", 60)


def session_activity_record(session, now: float | None = None) -> None:
    """Write ``now`` as the session's last activity (the keep-alive does this every time)."""
    now = time.time() if now is None else now
    session.setdefault("signed_in_at", now)
    session["last_seen"] = now


def session_idle_seconds_left(session, now: float | None = None) -> int:
    """Seconds before the idle time-out by the activity last written, which can be up to
    ``SESSION_ACTIVITY_RECORD_SECONDS`` behind the latest request: the page's warning counts
    down from this, so it never promises more time than the server will give."""
    now = time.time() if now is None else now
    last_seen = session.get("last_seen", now)
    return max(int(settings.SESSION_IDLE_TIMEOUT - (now - last_seen)), 0)


class SessionLifetimeMiddleware:
    """Sign out after 15 minutes idle or 12 hours in all, whichever comes first.

    The cookie's own age already ends idle sessions in the browser; checking here as well
    means a stolen cookie replayed later is refused too.

    The last activity is written only when the one recorded is older than
    ``SESSION_ACTIVITY_RECORD_SECONDS`` (60): writing it on every request cost every page a
    session UPDATE and its commit, two of the page's round trips. A session is untouched
    otherwise, and Django saves only a changed one (``SESSION_SAVE_EVERY_REQUEST`` is off),
    so the session row's expiry moves with the same writes. The idle time-out then ends a
    session between ``SESSION_IDLE_TIMEOUT - SESSION_ACTIVITY_RECORD_SECONDS`` and
    ``SESSION_IDLE_TIMEOUT`` after the last request: never later, at most a minute earlier.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            session = request.session
            started = session.get("signed_in_at", now)
            last_seen = session.get("last_seen", now)
            if (
                now - started > settings.SESSION_ABSOLUTE_TIMEOUT
                or now - last_seen > settings.SESSION_IDLE_TIMEOUT
            ):
                request.sign_out_reason = "session_expired"
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse(
                        {"detail": "Your session has expired. Sign in again."}, status=401
                    )
                return redirect(f"{reverse('accounts:login')}?timeout=1")
            if "last_seen" not in session or (now - last_seen >= session_activity_record_seconds()):
                session_activity_record(session, now)
        return self.get_response(request)


def mfa_satisfied(request) -> bool:
    """A one-time code given here, or MFA claimed by the organisation's provider at a single
    sign-on whose entry requires it (``accounts.sso``)."""
    from .sso import SESSION_MFA_BY_PROVIDER

    return request.user.is_verified() or bool(request.session.get(SESSION_MFA_BY_PROVIDER))


class MultiFactorRequiredMiddleware:
    """Where MFA applies, a signed-in user reaches nothing until they give a one-time code."""

    # The language toggle (issue 19) is on the code page too; it sets a cookie, nothing more.
    ALLOWED_URL_NAMES = (
        "accounts:mfa_verify",
        "accounts:mfa_setup",
        "accounts:logout",
        "set_language",
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.MFA_REQUIRED
            and user is not None
            and user.is_authenticated
            and not mfa_satisfied(request)
            and not request.path.startswith(settings.STATIC_URL)
            and request.path not in {reverse(name) for name in self.ALLOWED_URL_NAMES}
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": "Finish signing in with your one-time code."}, status=403
                )
            return redirect("accounts:mfa_verify")
        return self.get_response(request)


class PersonLanguageMiddleware:
    """The language a signed-in person chose (``User.language``) wins over their browser's
    cookie and header, and is written into the cookie, so the choice made on one device holds
    on every other (issue 19). Placed after ``AuthenticationMiddleware``; ``LocaleMiddleware``
    has chosen from the request before this runs and labels the response after it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user and user.is_authenticated else ""
        if not language or language == translation.get_language():
            return self.get_response(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
        return response
