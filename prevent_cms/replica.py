"""Report reads from a PostgreSQL hot standby, when there is one (issue 20).

With ``DATABASE_REPLICA_URL`` set, the ``replica`` database is a streaming-replication
standby of ``default``. Work that only reads and may be a few seconds old (statistics, the
compliance report, exports, the bench's report measurements) runs inside
``replica_reads()``; ``ReplicaRouter`` then sends its reads there. Everything else reads and
writes the primary, and so does report work:

- inside a transaction on the primary (it may read its own uncommitted writes);
- for a person who wrote something less than ``REPLICA_MAX_LAG`` ago (``ReadYourWrites``:
  a replica behind by less than that already holds what they wrote);
- while the replica is unreachable, is not a standby, or lags by more than
  ``REPLICA_MAX_LAG`` (``prevent_replica_fallbacks_total{reason}`` counts each fallback).

Case reads that are audited never run inside ``replica_reads()``: an audit record names
what a person saw, and that is what the primary holds.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import logging
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connections

logger = logging.getLogger(__name__)

PRIMARY = "default"
REPLICA = "replica"
# How long a replica's state is trusted before it is asked again (per process).
CHECK_EVERY_SECONDS = 2.0


class _ReportReads:
    """One ``replica_reads()`` block: whether it has already counted a fallback."""

    fell_back = False


_report_reads: contextvars.ContextVar[_ReportReads | None] = contextvars.ContextVar(
    "replica_report_reads", default=None
)
_pinned_to_primary: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "replica_pinned_to_primary", default=False
)
_request: contextvars.ContextVar = contextvars.ContextVar("replica_request", default=None)


def replica_max_lag() -> datetime.timedelta:
    """How far behind the replica may be and still answer reports (policy)."""
    return getattr(settings, "REPLICA_MAX_LAG", datetime.timedelta(seconds=30))


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@dataclass(frozen=True)
class ReplicaStatus:
    usable: bool
    lag_seconds: float | None = None
    reason: str = ""  # why not usable: unreachable, lagging, not_a_standby


_LAG_SQL = """
SELECT pg_is_in_recovery(),
       CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn()
            THEN 0
            ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
       END
"""

_lock = threading.Lock()
_last: tuple[float, ReplicaStatus] | None = None


def replica_status(*, fresh: bool = False) -> ReplicaStatus:
    """Is the replica reachable, a standby, and less than ``REPLICA_MAX_LAG`` behind?

    Asked at most every ``CHECK_EVERY_SECONDS`` per process (``fresh`` asks now). Lag is the
    age of the last transaction replayed while WAL received is still waiting to be replayed,
    and 0 when everything received has been replayed.
    """
    global _last
    with _lock:
        if not fresh and _last and time.monotonic() - _last[0] < CHECK_EVERY_SECONDS:
            return _last[1]
        status = _ask_replica()
        _last = (time.monotonic(), status)
    return status


def replica_status_forget() -> None:
    """Ask the replica again at the next read (tests; after changing REPLICA_MAX_LAG)."""
    global _last
    with _lock:
        _last = None


def _ask_replica() -> ReplicaStatus:
    connection = connections[REPLICA]
    try:
        with connection.cursor() as cursor:
            cursor.execute(_LAG_SQL)
            in_recovery, lag = cursor.fetchone()
    except DatabaseError as error:
        logger.warning("replica unreachable (%s): reports read the primary", type(error).__name__)
        with contextlib.suppress(DatabaseError):
            connection.close()
        return ReplicaStatus(usable=False, reason="unreachable")
    if not in_recovery:
        logger.warning("replica is not a standby: reports read the primary")
        return ReplicaStatus(usable=False, reason="not_a_standby")
    lag = float(lag)
    if lag > replica_max_lag().total_seconds():
        return ReplicaStatus(usable=False, lag_seconds=lag, reason="lagging")
    return ReplicaStatus(usable=True, lag_seconds=lag)


@contextlib.contextmanager
def replica_reads():
    """Reads inside go to the replica when one is configured and fit to answer."""
    token = _report_reads.set(_report_reads.get() or _ReportReads())
    try:
        yield
    finally:
        _report_reads.reset(token)


@contextlib.contextmanager
def primary_only():
    """Reads inside go to the primary, even inside ``replica_reads()``."""
    token = _pinned_to_primary.set(True)
    try:
        yield
    finally:
        _pinned_to_primary.reset(token)


def read_alias() -> str:
    """Where a read issued now goes: ``replica`` or ``default``."""
    block = _report_reads.get()
    if block is None or _pinned_to_primary.get() or not replica_configured():
        return PRIMARY
    if connections[PRIMARY].in_atomic_block or _written_recently():
        return PRIMARY
    status = replica_status()
    if not status.usable:
        if not block.fell_back:  # counted once per report, not once per query
            from .metrics import REPLICA_FALLBACKS

            REPLICA_FALLBACKS.labels(reason=status.reason).inc()
            block.fell_back = True
        return PRIMARY
    return REPLICA


class ReplicaRouter:
    """Django's database router: reads by ``read_alias()``, every write to the primary."""

    def db_for_read(self, model, **hints) -> str:
        return read_alias()

    def db_for_write(self, model, **hints) -> str:
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # one database, two copies of it

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db == PRIMARY  # the standby replays the primary's migrations


class ReadYourWrites:
    """Middleware: a person who wrote less than ``REPLICA_MAX_LAG`` ago reads the primary.

    A write is any request that is not GET, HEAD or OPTIONS. Its time is kept per person in
    the ``throttle`` cache (Redis, shared by every web process): a replica within
    ``REPLICA_MAX_LAG`` of the primary holds every write older than that. Who the person is
    is read when the first report query runs, after the API has authenticated its token.
    """

    SAFE = frozenset({"GET", "HEAD", "OPTIONS"})

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        token = _request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _request.reset(token)
        user = getattr(request, "user", None)
        if request.method not in self.SAFE and user is not None and user.is_authenticated:
            _written_cache().set(
                _written_key(user.pk), time.time(), timeout=replica_max_lag().total_seconds()
            )
        return response


def _written_cache():
    return caches["throttle"]


def _written_key(user_id) -> str:
    return f"replica-written:{user_id}"


def _written_recently() -> bool:
    request = _request.get()
    user = getattr(request, "user", None) if request is not None else None
    if user is None or not user.is_authenticated:
        return False
    written_at = _written_cache().get(_written_key(user.pk))
    return written_at is not None and time.time() - written_at < replica_max_lag().total_seconds()
