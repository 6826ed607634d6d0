"""gunicorn's configuration hooks (``gunicorn --config=python:prevent_cms.gunicorn_conf``).

With ``PROMETHEUS_MULTIPROC_DIR`` set (prometheus_client's multiprocess mode), each gunicorn
worker writes its metric values to files in that directory and ``/metrics`` sums every
worker's (``prevent_cms.metrics.metrics_registry``), whichever worker answers the scrape.
The directory is emptied when gunicorn starts (counts left by a previous run would be added
again), and a worker that exits is marked dead, so its live gauges stop counting while its
counters' totals stay in the sum (prometheus_client's documented gunicorn set-up).
"""

from __future__ import annotations

import os
from pathlib import Path


def multiproc_dir() -> Path | None:
    value = os.environ.get("PROMETHEUS_MULTIPROC_DIR", "")
    return Path(value) if value else None


def on_starting(server) -> None:
    """Before any worker: an empty metrics directory (made if missing)."""
    directory = multiproc_dir()
    if directory is None:
        return
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()


def child_exit(server, worker) -> None:
    """A worker exited (restarted, timed out or killed): its live gauges no longer count."""
    if multiproc_dir() is None:
        return
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
