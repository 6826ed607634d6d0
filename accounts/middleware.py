"""Session lifetime and the multi-factor gate."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse


class SessionLifetimeMiddleware:
    """Sign out after 15 minutes idle or 12 hours in all, whichever comes first.

    The cookie's own age already ends idle sessions in the browser; checking here as well
    means a stolen cookie replayed later is refused too.
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
            session.setdefault("signed_in_at", now)
            session["last_seen"] = now
        return self.get_response(request)


class MultiFactorRequiredMiddleware:
    """Where MFA applies, a signed-in user reaches nothing until they give a one-time code."""

    ALLOWED_URL_NAMES = ("accounts:mfa_verify", "accounts:mfa_setup", "accounts:logout")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.MFA_REQUIRED
            and user is not None
            and user.is_authenticated
            and not user.is_verified()
            and not request.path.startswith(settings.STATIC_URL)
            and request.path not in {reverse(name) for name in self.ALLOWED_URL_NAMES}
        ):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": "Finish signing in with your one-time code."}, status=403
                )
            return redirect("accounts:mfa_verify")
        return self.get_response(request)
