"""A real Celery worker for tests that must see a task travel through Redis to a worker.

Unit tests run Celery tasks eagerly (``CELERY_TASK_ALWAYS_EAGER`` in the test settings). A test
that asks for ``celery_worker_process`` instead gets a solo-pool worker in its own process,
reading the pytest-django test database and the Redis that ``make test`` started, and this
process sends tasks to the broker while the test runs. Without Redis or PostgreSQL (a quick
SQLite run) such tests are skipped.

The worker reads only committed rows, so these fixtures pull in ``transactional_db``.

Import the fixtures into a conftest (or a test module) to use them::

    from tests.worker import celery_worker_factory, celery_worker_process  # noqa: F401

For fault tests, ``CeleryWorker.kill()`` SIGKILLs the worker (mid-task if you time it so) and
``CeleryWorker.start()`` starts it again. A message a killed worker had received but not
acknowledged is redelivered by a worker that starts after the visibility timeout has passed
(``celery_worker_factory(visibility_timeout=2)`` keeps that short; see SETUP.md).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import connection

from prevent_cms.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent
READY_TIMEOUT = 30.0


def _celery_executable() -> str:
    venv_celery = ROOT / ".venv" / "bin" / "celery"
    if venv_celery.exists():
        return str(venv_celery)
    return str(Path(sys.executable).with_name("celery"))


def worker_database_url() -> str:
    """A DATABASE_URL naming the database pytest-django created for this run."""
    params = connection.settings_dict
    user = quote(params.get("USER") or "", safe="")
    password = quote(params.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = params.get("HOST") or "127.0.0.1"
    port = f":{params['PORT']}" if params.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{quote(params['NAME'], safe='')}"


def wait_until(predicate: Callable[[], object], *, timeout: float = 30.0, interval=0.1):
    """Poll ``predicate`` until it returns something truthy; return that, or fail the test."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"condition not met within {timeout:.0f} s")
        time.sleep(interval)


def wait_until_redeliverable(*, visibility_timeout: float, timeout: float = 30.0) -> None:
    """Wait until Redis would hand back every task delivered but never acknowledged.

    kombu keeps each such message in the ``unacked_index`` sorted set, scored by the time it
    was delivered, and a worker restores those delivered more than its visibility timeout ago
    when it starts (``QoS.restore_visible``). Waiting for exactly that condition replaces a fixed
    sleep "longer than the timeout", which is too short on a busy machine or needlessly long.
    """
    client = redis.Redis.from_url(settings.REDIS_URL)
    try:

        def due() -> bool:
            entries = client.zrange("unacked_index", 0, -1, withscores=True)
            return all(delivered < time.time() - visibility_timeout for _tag, delivered in entries)

        wait_until(due, timeout=timeout, interval=0.05)
    finally:
        client.close()


class CeleryWorker:
    """One ``celery worker -P solo`` process that can be started, stopped and killed."""

    def __init__(
        self,
        *,
        log_path: Path,
        visibility_timeout: int,
        queues: list[str] | None = None,
        extra_env: dict[str, str] | None = None,
    ):
        self.log_path = log_path
        self.queues = queues  # None: every queue (prevent_cms.queues), as without -Q
        self.nodename = f"test-{uuid.uuid4().hex[:8]}@%h"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "prevent_cms.settings.test",
            "DATABASE_URL": worker_database_url(),
            "REDIS_URL": settings.REDIS_URL,
            "CELERY_VISIBILITY_TIMEOUT": str(visibility_timeout),
            "PYTHONUNBUFFERED": "1",
            **(extra_env or {}),
        }
        self.process: subprocess.Popen | None = None
        self._log_offset = 0

    @property
    def command(self) -> list[str]:
        return [
            _celery_executable(),
            "-A",
            "prevent_cms",
            "worker",
            "-P",
            "solo",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-l",
            "INFO",
            "-n",
            self.nodename,
            *(["-Q", ",".join(self.queues)] if self.queues else []),
        ]

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log(self) -> str:
        """Everything the worker has written since it was first started."""
        if not self.log_path.exists():
            return ""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def start(self, *, timeout: float = READY_TIMEOUT) -> CeleryWorker:
        """Start the worker and return once it says it is ready to consume."""
        assert not self.running, "the worker is already running"
        self._log_offset = len(self.log())
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.wait_for_log(" ready.", timeout=timeout)
        return self

    def wait_for_log(self, text: str, *, timeout: float = READY_TIMEOUT) -> str:
        """Wait until ``text`` appears in what this run of the worker has logged."""

        def seen():
            if not self.running:
                pytest.fail(f"the Celery worker exited early:\n{self.log()[-3000:]}")
            return text in self.log()[self._log_offset :]

        wait_until(seen, timeout=timeout, interval=0.05)
        return self.log()[self._log_offset :]

    def kill(self) -> None:
        """SIGKILL the worker: nothing is acknowledged, nothing cleaned up (a crash)."""
        if self.process is None:
            return
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def kill_when(self, predicate: Callable[[], object], *, timeout: float = 30.0) -> None:
        """SIGKILL the worker as soon as ``predicate`` holds (e.g. a job row says running)."""
        wait_until(predicate, timeout=timeout, interval=0.02)
        self.kill()

    def stop(self) -> None:
        """Warm shutdown (SIGTERM), then SIGKILL if it does not exit within 10 s."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.kill()


def _skip_without_services() -> None:
    """Tests using these fixtures are marked skipif at collection (tests/conftest.py)."""
    assert settings.REDIS_URL, "needs Redis: REDIS_URL is not set (make test starts one)"
    assert connection.vendor == "postgresql", "needs PostgreSQL: the worker shares its database"


@pytest.fixture
def celery_worker_factory(transactional_db, tmp_path) -> Iterator[Callable[..., CeleryWorker]]:
    """Start real workers: ``celery_worker_factory(visibility_timeout=2)`` → a ready worker
    (``queues=["email"]``: one consuming only those queues; ``extra_env``: more variables).

    While the fixture is active, this process sends tasks to Redis instead of running them
    eagerly; every worker it started is stopped (or killed) at teardown.
    """
    _skip_without_services()
    workers: list[CeleryWorker] = []
    was_eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    celery_app.control.purge()  # nothing left over from an earlier test reaches this worker

    def start(
        *,
        visibility_timeout: int = 3600,
        queues: list[str] | None = None,
        extra_env: dict[str, str] | None = None,
    ) -> CeleryWorker:
        worker = CeleryWorker(
            log_path=tmp_path / f"celery-worker-{len(workers) + 1}.log",
            visibility_timeout=visibility_timeout,
            queues=queues,
            extra_env=extra_env,
        )
        workers.append(worker)
        return worker.start()

    try:
        yield start
    finally:
        celery_app.conf.task_always_eager = was_eager
        for worker in workers:
            worker.stop()
        celery_app.control.purge()


@pytest.fixture
def celery_worker_process(celery_worker_factory) -> CeleryWorker:
    """A ready solo-pool worker on the test database and Redis (one-hour visibility timeout)."""
    return celery_worker_factory()


__all__ = [
    "CeleryWorker",
    "celery_worker_factory",
    "celery_worker_process",
    "worker_database_url",
    "wait_until",
    "wait_until_redeliverable",
]
