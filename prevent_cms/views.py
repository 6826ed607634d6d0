"""Project-wide pages: home, health check, static content and error pages."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from .api import error_json_response
from .registry import home_panels_for
from .work import work_for, work_record_view, work_sections


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Today: the person's dated work list, most urgent first, each line linking to the page
    where the work is done (``prevent_cms.work``); then each app's summary panel."""
    today = timezone.localdate()
    items = work_for(request.user, today)
    work_record_view(actor=request.user, items=items, via="today")
    return render(
        request,
        "home.html",
        {
            "today": today,
            "items": items,
            "sections": work_sections(items),
            "panels": home_panels_for(request.user),
        },
    )


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness and database readiness for load balancers. Says nothing about data."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/accessibility.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/privacy.html")


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return _error(request, "errors/400.html", 400)


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return _error(request, "errors/403.html", 403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return _error(request, "errors/404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without the request context: the database may be what failed."""
    if request.path.startswith("/api/"):
        return _error(request, "errors/500.html", 500)
    html = loader.get_template("errors/500.html").render(
        {"service_name": gettext(settings.SERVICE_NAME)}
    )
    return HttpResponse(html, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _error(request, "errors/csrf.html", 403)


API_ERRORS = {
    400: ("bad_request", "The request could not be understood."),
    403: ("permission_denied", "You do not have permission to do that."),
    404: ("not_found", "Not found."),
    500: ("server_error", "Something went wrong on our side. Try again later."),
}


def _error(request: HttpRequest, template: str, status: int) -> HttpResponse:
    if request.path.startswith("/api/"):
        code, detail = API_ERRORS.get(status, ("error", "Error."))
        return error_json_response(request, status, code, detail)
    return render(request, template, status=status)
