"""Fault tests stop and start the real PostgreSQL and Redis that ``make test`` started.

``scripts/services.sh`` exports where they live (PG_DATA, PG_PORT, PG_OPTIONS, PG_BIN,
REDIS_PORT, REDIS_PIDFILE, SERVICES_DIR); without them (a quick SQLite run) these tests skip.
"""

from __future__ import annotations

import os
import socket
import subprocess

import pytest
from django.conf import settings
from django.db import connection, connections

from tests.worker import celery_worker_factory, celery_worker_process, wait_until  # noqa: F401

SERVICES = ("PG_DATA", "PG_OPTIONS", "REDIS_PORT", "REDIS_PIDFILE", "SERVICES_DIR")
# scripts/services.sh sets PG_BIN without exporting it.
PG_BIN = os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin")

needs_real_services = pytest.mark.skipif(
    not os.environ.get("REDIS_URL")
    or connection.vendor != "postgresql"
    or not all(os.environ.get(name) for name in SERVICES),
    reason="needs the real PostgreSQL and Redis of scripts/services.sh (make test)",
)


def _as_postgres(*command: str) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else list(command)


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


class Redis:
    """The Redis of scripts/services.sh, stopped and started with the same options."""

    port = int(os.environ.get("REDIS_PORT") or 0)

    def stop(self) -> None:
        subprocess.run(
            ["redis-cli", "-p", str(self.port), "shutdown", "nosave"], capture_output=True
        )
        wait_until(lambda: not _port_open(self.port), interval=0.05)  # Redis stopped

    def start(self) -> None:
        if self.running():
            return
        services = os.environ["SERVICES_DIR"]
        subprocess.run(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "yes",
                "--pidfile",
                os.environ["REDIS_PIDFILE"],
                "--dir",
                services,
                "--logfile",
                f"{services}/redis.log",
            ],
            check=True,
        )
        wait_until(self.running, interval=0.05)  # Redis answers again

    def running(self) -> bool:
        done = subprocess.run(["redis-cli", "-p", str(self.port), "ping"], capture_output=True)
        return done.returncode == 0 and b"PONG" in done.stdout

    def llen(self, key: str) -> int:
        done = subprocess.run(
            ["redis-cli", "-p", str(self.port), "llen", key], capture_output=True, check=True
        )
        return int(done.stdout.strip())


class PostgreSQL:
    """The PostgreSQL of scripts/services.sh, stopped (fast) and started with its options."""

    def _pg_ctl(self, *args: str) -> None:
        command = _as_postgres(f"{PG_BIN}/pg_ctl", "-D", os.environ["PG_DATA"])
        subprocess.run([*command, *args], check=True, capture_output=True)

    def stop(self) -> None:
        self._pg_ctl("-m", "fast", "stop")

    def start(self) -> None:
        if self.running():
            return
        log = f"{os.environ['SERVICES_DIR']}/pg.log"
        self._pg_ctl("-o", os.environ["PG_OPTIONS"], "-l", log, "-w", "start")

    def running(self) -> bool:
        return _port_open(int(settings.DATABASES["default"].get("PORT") or 5432))


@pytest.fixture
def redis_service():
    """Redis, started again at teardown whatever the test did to it."""
    redis = Redis()
    try:
        yield redis
    finally:
        redis.start()


@pytest.fixture
def postgres_service():
    """PostgreSQL, started again (and stale connections dropped) at teardown."""
    postgres = PostgreSQL()
    try:
        yield postgres
    finally:
        postgres.start()
        connections.close_all()
