"""Endpoints for load balancers and monitoring (issue 20): /healthz, /readyz, /metrics.

None needs a sign-in and none says anything about cases or people: /healthz only that the
process answers, /readyz which dependency is down (by name, never a host, address or
credential), /metrics counts and timings, and only to a monitoring network or token (403 to
anyone else, and with neither configured, to everyone).
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os

import prometheus_client
import redis
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from .metrics import metrics_text
from .replica import PRIMARY, replica_configured, replica_status

logger = logging.getLogger(__name__)


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. Touches nothing else, so a database outage does not
    make an orchestrator restart every healthy web process."""
    return JsonResponse({"status": "ok"})


def _database_ok() -> bool:
    with connections[PRIMARY].cursor() as cursor:
        cursor.execute("SELECT 1")
    return True


def _replica_ok() -> bool:
    return replica_status(fresh=True).usable


def _redis_ok() -> bool:
    client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2)
    try:
        return bool(client.ping())
    finally:
        client.close()


def _storage_ok() -> bool:
    if isinstance(default_storage, FileSystemStorage):
        location = default_storage.location
        os.makedirs(location, exist_ok=True)  # as the first upload would
        return os.access(location, os.W_OK)
    # An S3-compatible bucket (django-storages): the bucket answers. Raises when it cannot.
    default_storage.connection.meta.client.head_bucket(Bucket=default_storage.bucket_name)
    return True


def readiness_checks() -> dict[str, object]:
    """What this process needs to serve, by name: the checks that apply to this deployment."""
    checks: dict[str, object] = {"database": _database_ok}
    if replica_configured():
        checks["replica"] = _replica_ok
    if settings.REDIS_URL:
        checks["redis"] = _redis_ok
    checks["storage"] = _storage_ok
    return checks


@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: 200 while every dependency answers, else 503 naming those that do not."""
    results = {}
    for name, check in readiness_checks().items():
        try:
            results[name] = "ok" if check() else "down"
        except Exception as error:
            logger.warning("readyz: %s down (%s)", name, type(error).__name__)
            results[name] = "down"
    down = sorted(name for name, result in results.items() if result != "ok")
    body = {"status": "down" if down else "ok", "checks": results}
    if down:
        body["down"] = down
    return JsonResponse(body, status=503 if down else 200)


def metrics_allowed(request: HttpRequest) -> bool:
    """From an address in METRICS_ALLOWED_NETWORKS, or with ``Authorization: Bearer`` and
    METRICS_TOKEN. Neither configured: nobody."""
    token = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    offered = header.removeprefix("Bearer ").encode() if header.startswith("Bearer ") else b""
    if token and offered and hmac.compare_digest(offered, token.encode()):
        return True
    networks = settings.METRICS_ALLOWED_NETWORKS
    if networks:
        try:
            address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
        except ValueError:
            return False
        return any(address in ipaddress.ip_network(net, strict=False) for net in networks)
    return False


@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus text format, for the monitoring network or token only (403 otherwise)."""
    if not metrics_allowed(request):
        raise PermissionDenied
    return HttpResponse(metrics_text(), content_type=prometheus_client.CONTENT_TYPE_LATEST)
