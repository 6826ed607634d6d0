"""Report reads from a real PostgreSQL hot standby (issue 20, prevent_cms.replica).

A session fixture starts a standby of the test PostgreSQL with ``pg_basebackup -R``
(``start_replica`` in scripts/services.sh) on a free loopback port; each test points the
``replica`` alias at the standby's copy of this test database. The tests commit their data
(``transactional_db``) and wait until the standby has replayed it.
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import Role
from prevent_cms.metrics import metrics_text
from prevent_cms.replica import REPLICA, replica_status_forget
from tests.referrals import factories as rf

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.xdist_group("replica"),
    # Committed data (the standby replays only what commits); the replica alias may be used.
    pytest.mark.django_db(transaction=True, databases=["default", REPLICA]),
]

ROOT = Path(__file__).resolve().parents[2]
STATISTICS = "/api/v1/reports/statistics/"


@dataclass
class Standby:
    port: int
    directory: str
    env: dict

    def _services(self, command: str) -> None:
        done = subprocess.run(
            ["bash", "-c", f"source scripts/services.sh && {command}"],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        log = Path(self.directory, "pg-replica.log")
        assert done.returncode == 0, (
            done.stdout + done.stderr + (log.read_text()[-2000:] if log.exists() else "")
        )

    def stop(self) -> None:
        self._services("stop_replica")

    def start(self) -> None:
        self._services(f"REPLICA_PORT={self.port} run_replica")


@pytest.fixture(scope="session")
def standby(django_db_setup, django_db_blocker) -> Standby:
    """A hot standby of the test PostgreSQL, for this pytest process's replica tests."""
    primary = connections["default"].settings_dict
    directory = tempfile.mkdtemp(prefix="prevent-cms-replica.")
    if os.getuid() == 0:
        shutil.chown(directory, "postgres", "postgres")
    env = {
        **os.environ,
        "SERVICES_DIR": directory,
        "PG_PORT": str(primary["PORT"]),
        "REPLICA_DATA": f"{directory}/pg-replica",
    }
    started = subprocess.run(
        ["bash", "-c", "source scripts/services.sh && start_replica && echo port=$REPLICA_PORT"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert started.returncode == 0, started.stdout + started.stderr
    port = int(re.search(r"^port=(\d+)$", started.stdout, flags=re.MULTILINE).group(1))
    node = Standby(port=port, directory=directory, env=env)
    yield node
    node.stop()
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="module", autouse=True)
def replica_alias(standby):
    """The ``replica`` alias on the standby's copy of this test database, for this module.

    Module-scoped so that it exists before each test's database fixture checks the aliases
    the test may use. ``MIRROR`` tells Django's test case it is a copy of ``default``: it
    flushes the primary only (the standby replays the flush).
    """
    primary = connections["default"].settings_dict
    django_settings.DATABASES[REPLICA] = {
        **primary,
        "HOST": "127.0.0.1",
        "PORT": str(standby.port),
        "OPTIONS": {**primary.get("OPTIONS", {}), "connect_timeout": 3},
        "TEST": {**primary.get("TEST", {}), "MIRROR": "default"},
    }
    try:
        yield
    finally:
        connections[REPLICA].close()
        del connections[REPLICA]
        del django_settings.DATABASES[REPLICA]
        replica_status_forget()


@pytest.fixture
def replica(standby):
    """The standby, with this process's memory of its state forgotten."""
    replica_status_forget()
    yield standby
    replica_status_forget()


def wait_until_replayed(stalled_after: float = 60, at_most: float = 300) -> None:
    """Until the standby has replayed everything the primary has written so far.

    The standby replays the whole cluster, so the other xdist worker's writes (a test database
    made from its template, a bench dataset) are in its way: on a busy machine that can take
    longer than any fixed wait. So the wait fails when replay stops moving for
    ``stalled_after`` seconds (longer than the 30 s a standby waits on a conflicting query
    before cancelling it: a standby that is stuck), or after ``at_most`` in all.
    """
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        (target,) = cursor.fetchone()
    started = last_moved = time.monotonic()
    last = None
    while True:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(
                "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn, pg_last_wal_replay_lsn(), "
                "pg_last_wal_receive_lsn(), pg_is_wal_replay_paused()",
                [target],
            )
            done, replayed, received, paused = cursor.fetchone()
        if done:
            return
        now = time.monotonic()
        if replayed != last:
            last, last_moved = replayed, now
        state = f"target {target}, received {received}, replayed {replayed}, paused {paused}"
        assert now - last_moved < stalled_after, f"the standby stopped replaying: {state}"
        assert now - started < at_most, f"the standby did not catch up: {state}"
        time.sleep(0.05)


def in_recovery(alias: str) -> bool:
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        return cursor.fetchone()[0]


def statistics_queries(captured) -> list[str]:
    """The statistics' own grouped queries over referrals among ``captured``."""
    return [
        q["sql"]
        for q in captured.captured_queries
        if "referrals_referral" in q["sql"] and "GROUP BY" in q["sql"]
    ]


def metric(name: str, **labels) -> float:
    """One sample of what /metrics would answer now (0 when absent)."""
    text = metrics_text().decode()
    for line in text.splitlines():
        if line.startswith(name) and all(f'{k}="{v}"' in line for k, v in labels.items()):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


@pytest.fixture
def officer_api(world):
    officer = world.user(Role.PREVENT_OFFICER, agency=world.police_a)
    client = APIClient()
    client.force_authenticate(user=officer)
    return client


def submit_cases(world) -> None:
    """Two cases in force 1 (Northbridge, Southmere), three in force 2 (Westford)."""
    rf.SubmittedFactory(referrer=rf.referrer_for(world, world.school_a))
    rf.SubmittedFactory(referrer=rf.referrer_for(world, world.school_b))
    for _ in range(3):
        rf.SubmittedFactory(referrer=rf.referrer_for(world, world.school_c))


def force_statistics(client, world, expect: int = 200) -> dict:
    response = client.get(STATISTICS, {"police_force": str(world.force.pk)})
    assert response.status_code == expect, response.content
    return response.json()


def test_statistics_are_read_on_the_standby(replica, world, officer_api):
    submit_cases(world)
    wait_until_replayed()
    with (
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        stats = force_statistics(officer_api, world)
    assert stats["total_referrals"] == 2
    assert statistics_queries(on_replica), "the statistics ran on the replica"
    assert not statistics_queries(on_primary)
    assert in_recovery(REPLICA) is True, "the connection used is a hot standby's"
    assert in_recovery("default") is False
    # The audit of who looked is a write: on the primary.
    assert any("INSERT" in q["sql"] for q in on_primary.captured_queries)


def test_a_report_on_the_standby_never_shows_a_case_the_reader_may_not_see(
    replica, world, officer_api
):
    submit_cases(world)
    wait_until_replayed()
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        mine = force_statistics(officer_api, world)
        borough = officer_api.get(STATISTICS, {"local_authority": str(world.la_a.pk)}).json()
        other_force = officer_api.get(STATISTICS, {"police_force": str(world.other_force.pk)})
        other_borough = officer_api.get(STATISTICS, {"local_authority": str(world.la_c.pk)})
    assert statistics_queries(on_replica)
    assert mine["total_referrals"] == 2, "force 2's three cases are not counted"
    assert borough["total_referrals"] == 1
    assert other_force.status_code == 404
    assert other_borough.status_code == 404


def test_reports_fall_back_to_the_primary_when_the_standby_is_stopped(
    replica, world, officer_api, client
):
    submit_cases(world)
    wait_until_replayed()
    before = metric("prevent_replica_fallbacks_total", reason="unreachable")
    replica.stop()
    try:
        replica_status_forget()
        with CaptureQueriesContext(connections["default"]) as on_primary:
            stats = force_statistics(officer_api, world)
        assert stats["total_referrals"] == 2
        assert statistics_queries(on_primary), "the statistics ran on the primary"
        after = metric("prevent_replica_fallbacks_total", reason="unreachable")
        assert after > before
        ready = client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["down"] == ["replica"]
        assert f":{replica.port}" not in ready.content.decode()
    finally:
        connections[REPLICA].close()
        replica.start()
    replica_status_forget()
    assert client.get("/readyz").status_code == 200


def test_reports_fall_back_to_the_primary_while_the_standby_lags_beyond_the_policy(
    replica, world, officer_api, settings
):
    submit_cases(world)
    wait_until_replayed()
    with connections[REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        rf.SubmittedFactory(referrer=rf.referrer_for(world, world.school_a))  # not replayed

        def received_not_replayed() -> bool:
            with connections[REPLICA].cursor() as cursor:
                cursor.execute("SELECT pg_last_wal_receive_lsn() > pg_last_wal_replay_lsn()")
                return cursor.fetchone()[0]

        deadline = time.monotonic() + 30
        while not received_not_replayed():
            assert time.monotonic() < deadline
            time.sleep(0.05)
        time.sleep(0.3)
        # Within the policy the standby answers, a little behind: the new case is not there.
        settings.REPLICA_MAX_LAG = datetime.timedelta(seconds=60)
        replica_status_forget()
        assert force_statistics(officer_api, world)["total_referrals"] == 2
        # Beyond it, the primary answers, with the new case; the metrics say why.
        settings.REPLICA_MAX_LAG = datetime.timedelta(milliseconds=100)
        replica_status_forget()
        before = metric("prevent_replica_fallbacks_total", reason="lagging")
        with CaptureQueriesContext(connections["default"]) as on_primary:
            assert force_statistics(officer_api, world)["total_referrals"] == 3
        assert statistics_queries(on_primary)
        assert metric("prevent_replica_fallbacks_total", reason="lagging") > before
        assert metric("prevent_replica_usable") == 0
        assert metric("prevent_replica_lag_seconds") > 0.1
    finally:
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")


def test_someone_who_has_just_written_reads_reports_from_the_primary(replica, world, officer_api):
    submit_cases(world)
    wait_until_replayed()
    written = officer_api.put(
        "/api/v1/me/notification-preferences/", {"new_referral": "digest"}, format="json"
    )
    assert written.status_code == 200, written.content
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        assert force_statistics(officer_api, world)["total_referrals"] == 2
    assert not statistics_queries(on_replica)


def test_an_audited_case_read_uses_the_primary_only(replica, world, client):
    referral = rf.channel_panel(world)
    officer = world.user(Role.PREVENT_OFFICER, agency=world.police_a)
    wait_until_replayed()
    client.force_login(officer)
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        response = client.get(reverse("referrals:detail", args=[referral.pk]))
    assert response.status_code == 200
    assert on_replica.captured_queries == []


def test_the_bench_report_load_reads_the_replica_only_when_given_one(world, replica):
    """make bench's measurement 10 (bench/replica.py): its report loop, under production
    settings, reads the force's statistics on the standby through the router when given
    DATABASE_REPLICA_URL, and on the primary without it; the row is meaningless otherwise."""
    import json

    from bench.replica import report_load
    from tests.worker import worker_database_url

    rf.submitted(world)
    wait_until_replayed()
    url = worker_database_url()
    on_standby = re.sub(r":\d+/", f":{replica.port}/", url, count=1)
    for given, expected in (("", False), (on_standby, True)):
        loop = report_load(url, given, 0.5)
        out, _ = loop.communicate(timeout=120)
        assert loop.returncode == 0
        result = json.loads(out.strip().splitlines()[-1])
        assert result["on_replica"] is expected, result
        assert result["alias"] == ("replica" if expected else "default")
        assert result["runs"] >= 1
