"""Request-scoped plumbing shared by every app."""

import logging
import sys
import time
import uuid

from django.conf import settings
from django.core.exceptions import BadRequest
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.dispatch import receiver
from django.http import HttpResponse
from django.template import loader
from django.utils.translation import gettext

from .api import error_json_response
from .audit import set_request_id

logger = logging.getLogger(__name__)
request_logger = logging.getLogger("prevent_cms.requests")


class RequestIdMiddleware:
    """Give each request an id, echoed in a header and stamped on its audit events and logs.

    Each request ends with one log line (``prevent_cms.requests``) naming the view, never
    the path or query string (a search carries names): method, view, status and duration.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = uuid.uuid4().hex
        request.request_id = request_id
        set_request_id(request_id)
        started = time.monotonic()
        try:
            response = self.get_response(request)
            match = getattr(request, "resolver_match", None)
            request_logger.info(
                "request",
                extra={
                    "method": request.method,
                    "view": (match.view_name if match else "") or "-",
                    "status": response.status_code,
                    "duration_ms": round((time.monotonic() - started) * 1000, 1),
                },
            )
        finally:
            set_request_id("")
        response["X-Request-ID"] = request_id
        return response


class NulQueryStringMiddleware:
    """A query string holding a NUL character is answered 400 before any view runs.

    PostgreSQL cannot store or compare NUL in text, so such a filter (an admin list filter, a
    search) reached the database and answered 500. Nothing legitimate sends one.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(
            "\x00" in key or any("\x00" in v for v in values) for key, values in request.GET.lists()
        ):
            raise BadRequest("NUL character in the query string")
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Switch off browser features the service never uses (camera, location and so on)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every answer the application makes (issue 13).

    Pages, API answers and downloads carry case content, and no browser, proxy or shared
    cache may keep a copy of them. Placed after WhiteNoise, which answers static files itself
    before this runs, so the stylesheets, scripts and fonts stay cacheable. Every answer
    rather than a list of case pages: a new case page is covered without anyone remembering it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["Cache-Control"] = "no-store"
        response["Pragma"] = "no-cache"
        return response


_DATABASE_ERRORS = (OperationalError, InterfaceError)


class DatabaseUnavailableMiddleware:
    """While PostgreSQL is unreachable, answer a GOV.UK 503 page instead of a stack trace.

    Inner middleware and views turn exceptions into 500 answers before they get here, so the
    ``got_request_exception`` receiver below marks the request when the error was the
    database going away; this middleware (placed early) swaps that answer for the 503 page.
    No connection is kept open across the outage: Django drops a broken connection at the end
    of the request (and ``CONN_HEALTH_CHECKS`` checks a reused one), so the next request after
    PostgreSQL returns connects afresh and the service recovers by itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            response = self.get_response(request)
        except _DATABASE_ERRORS:
            return service_unavailable(request)
        if response.status_code >= 500 and getattr(request, "_database_unavailable", False):
            return service_unavailable(request)
        return response


@receiver(got_request_exception)
def _mark_database_unavailable(sender, request=None, **kwargs):
    error = sys.exc_info()[1]
    if request is not None and isinstance(error, _DATABASE_ERRORS):
        request._database_unavailable = True
        logger.warning("database unavailable: answered 503 (%s)", type(error).__name__)


def service_unavailable(request) -> HttpResponse:
    """Rendered without the request context: the user and session live in the database."""
    if request.path.startswith("/api/"):
        response = error_json_response(
            request,
            503,
            "service_unavailable",
            "The service is unavailable. Try again in a few minutes.",
        )
    else:
        html = loader.get_template("errors/503.html").render(
            {"service_name": gettext(settings.SERVICE_NAME)}
        )
        response = HttpResponse(html, status=503)
    response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response
