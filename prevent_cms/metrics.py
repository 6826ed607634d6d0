"""Prometheus metrics beyond django-prometheus's requests and latency (issue 20).

- ``prevent_celery_tasks_total{task, state}``: tasks started, succeeded, failed and retried,
  counted where they run (a worker serves its own on ``CELERY_METRICS_PORT``; eager tasks
  count in the web process).
- ``prevent_outbox_pending`` and ``prevent_outbox_oldest_pending_seconds``: tasks recorded
  but not yet handed to Redis (prevent_cms.outbox), read from the database at each scrape.
- ``prevent_replica_lag_seconds``, ``prevent_replica_usable`` and
  ``prevent_replica_fallbacks_total{reason}`` (prevent_cms.replica).

Under gunicorn or a prefork worker set ``PROMETHEUS_MULTIPROC_DIR`` (prometheus_client's
multiprocess mode, docs/deployment.md) so one scrape sums every process.
"""

from __future__ import annotations

import logging
import os

import prometheus_client
from celery.signals import (
    task_failure,
    task_prerun,
    task_retry,
    task_success,
    worker_init,
    worker_process_shutdown,
)
from django.db import DatabaseError
from django.utils import timezone
from prometheus_client import multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)

CELERY_TASKS = prometheus_client.Counter(
    "prevent_celery_tasks",
    "Celery tasks by name and what became of them (started, succeeded, failed, retried).",
    ["task", "state"],
)
REPLICA_FALLBACKS = prometheus_client.Counter(
    "prevent_replica_fallbacks",
    "Report reads sent to the primary because the replica lagged or could not be reached.",
    ["reason"],
)


def _task_name(sender) -> str:
    return getattr(sender, "name", None) or str(sender)


@task_prerun.connect(weak=False)
def _task_started(sender=None, **kwargs) -> None:
    CELERY_TASKS.labels(task=_task_name(sender), state="started").inc()


@task_success.connect(weak=False)
def _task_succeeded(sender=None, **kwargs) -> None:
    CELERY_TASKS.labels(task=_task_name(sender), state="succeeded").inc()


@task_failure.connect(weak=False)
def _task_failed(sender=None, **kwargs) -> None:
    CELERY_TASKS.labels(task=_task_name(sender), state="failed").inc()


@task_retry.connect(weak=False)
def _task_retried(sender=None, **kwargs) -> None:
    CELERY_TASKS.labels(task=_task_name(sender), state="retried").inc()


class OperationsCollector(Collector):
    """Gauges read at scrape time: the outbox backlog and the replica's lag."""

    def collect(self):
        from .models import OutboxMessage
        from .replica import replica_configured, replica_status

        try:
            pending = OutboxMessage.objects.filter(sent_at__isnull=True)
            count = pending.count()
            oldest = pending.order_by("created_at").values_list("created_at", flat=True).first()
        except DatabaseError:
            logger.warning("metrics: the outbox could not be read")
        else:
            yield GaugeMetricFamily(
                "prevent_outbox_pending", "Tasks recorded but not yet sent to Redis.", value=count
            )
            age = (timezone.now() - oldest).total_seconds() if oldest else 0.0
            yield GaugeMetricFamily(
                "prevent_outbox_oldest_pending_seconds",
                "Age of the oldest task not yet sent to Redis (0 when none waits).",
                value=age,
            )
        if replica_configured():
            status = replica_status()
            yield GaugeMetricFamily(
                "prevent_replica_usable",
                "1 while report reads go to the replica, 0 while they fall back to the primary.",
                value=1 if status.usable else 0,
            )
            if status.lag_seconds is not None:
                yield GaugeMetricFamily(
                    "prevent_replica_lag_seconds",
                    "How far the replica's replay is behind the primary.",
                    value=status.lag_seconds,
                )


class _ProcessMetrics(Collector):
    """This process's registered metrics (single-process mode)."""

    def collect(self):
        return prometheus_client.REGISTRY.collect()


def metrics_registry() -> prometheus_client.CollectorRegistry:
    """Every process's metrics (multiprocess mode) or this one's, plus the scrape-time gauges."""
    registry = prometheus_client.CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ProcessMetrics())
    registry.register(OperationsCollector())
    return registry


def metrics_text() -> bytes:
    return prometheus_client.generate_latest(metrics_registry())


@worker_init.connect(weak=False)
def _serve_worker_metrics(sender=None, **kwargs) -> None:
    """A Celery worker serves its task counts on CELERY_METRICS_PORT (its own network only)."""
    from django.conf import settings

    port = getattr(settings, "CELERY_METRICS_PORT", 0)
    if not port:
        return
    registry = prometheus_client.CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_ProcessMetrics())
    prometheus_client.start_http_server(port, registry=registry)
    logger.info("metrics served on port %s", port)


@worker_process_shutdown.connect(weak=False)
def _worker_process_dead(pid=None, **kwargs) -> None:
    """A prefork child is ending: in multiprocess mode its live gauges stop counting (the
    worker's side of what gunicorn's ``child_exit`` hook does, prevent_cms.gunicorn_conf)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(pid or os.getpid())
