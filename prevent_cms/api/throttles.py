"""Rate limits on the API: per person and per API token, for reads, writes and job starts.

Each request counts against one scope — ``read`` (GET, HEAD, OPTIONS), ``write`` (any other
method) or ``job`` (a POST to a view that starts a background job, ``starts_job = True``) —
twice: once for the person (whatever they sign in with) and once for the token, when the
request carries one. Past either rate the answer is 429 with ``Retry-After`` (DRF's
``Throttled``). Rates are the ``API_THROTTLE_RATES`` policy setting (README).

The counts live in the ``throttle`` cache: Redis when ``REDIS_URL`` is set, so every web
process counts the same requests. If Redis cannot be reached the request is let through
(and a warning logged): a rate limit protects the service, it must not take it down, as the
outbox keeps Redis outages from failing writes (``prevent_cms.outbox``).
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.cache import caches
from redis.exceptions import RedisError
from rest_framework.authtoken.models import Token
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)

DEFAULT_RATES = {"read": "600/minute", "write": "120/minute", "job": "30/hour"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def throttle_rates() -> dict[str, str]:
    return {**DEFAULT_RATES, **getattr(settings, "API_THROTTLE_RATES", {})}


def throttle_scope(request, view) -> str:
    """``read``, ``write`` or ``job``: which budget this request spends."""
    if request.method in SAFE_METHODS:
        return "read"
    if request.method == "POST" and getattr(view, "starts_job", False):
        return "job"
    return "write"


class _ScopedThrottle(SimpleRateThrottle):
    """One budget per scope and identity; ``ident`` names the identity (None: not counted)."""

    kind = ""

    def __init__(self):
        # The rate depends on the request's scope: set in allow_request, not here.
        pass

    @property
    def cache(self):  # type: ignore[override]  # the shared cache, looked up when first used
        return caches["throttle"]

    def ident(self, request) -> str | None:
        raise NotImplementedError

    def get_cache_key(self, request, view):
        ident = self.ident(request)
        if ident is None:
            return None
        return self.cache_format % {"scope": f"{self.kind}:{self.scope}", "ident": ident}

    def allow_request(self, request, view):
        self.scope = throttle_scope(request, view)
        self.rate = throttle_rates().get(self.scope)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        try:
            return super().allow_request(request, view)
        except RedisError:
            logger.warning("API rate limit not applied: the throttle cache is unreachable")
            return True


class UserRateThrottle(_ScopedThrottle):
    """Per person, across their sessions and token."""

    kind = "user"

    def ident(self, request) -> str | None:
        user = request.user
        return str(user.pk) if user and user.is_authenticated else None


class TokenRateThrottle(_ScopedThrottle):
    """Per API token (a digest of its key, never the key), for token requests only."""

    kind = "token"

    def ident(self, request) -> str | None:
        if not isinstance(request.auth, Token):
            return None
        return hashlib.sha256(request.auth.key.encode()).hexdigest()[:32]
