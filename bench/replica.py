"""Measurement 9 (issue 20): the triage queue under report load, with and without a replica.

``bench.run`` calls ``replica_rows`` after the other measurements, on the realistic dataset,
when it has locust seconds (small and full scale) and ``scripts/bench.sh``'s services. It
starts a streaming-replication hot standby of the bench's PostgreSQL (``start_replica`` of
``scripts/services.sh``: ``pg_basebackup -R``), then runs the locust mix (``bench.run``'s
load test: officers on the triage queue, on the primary) twice while one process reads the
whole busiest force's statistics for a year (``reports.selectors.statistics_for``) in a loop:

- without a replica: that process has no ``DATABASE_REPLICA_URL``, so it reads the primary;
- with one: the same code under production settings with ``DATABASE_REPLICA_URL``, so the
  router (``prevent_cms.replica``) sends it to the standby; it checks it really read there
  (``pg_is_in_recovery()`` on the connection it used).

The row is the queue's p95 with the replica over without it. Here both servers share this
machine's cores, so it shows what moving the report reads off the primary's buffers, locks
and connections is worth, not the gain of a second host's CPUs (docs/deployment.md).

``python -m bench.replica SECONDS`` is the report-load loop itself; it prints JSON.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _services(script: str) -> str:
    """Run ``script`` with scripts/services.sh's functions, in the bench's services."""
    done = subprocess.run(
        ["bash", "-c", f"source scripts/services.sh; {script}"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def start_standby(log) -> str:
    """A hot standby of the bench's cluster; its URL (database ``postgres``)."""
    out = _services('start_replica >/dev/null; echo "$REPLICA_PORT"')
    port = out.strip().splitlines()[-1]
    log(f"replica: hot standby on 127.0.0.1:{port}")
    return f"postgres://postgres@127.0.0.1:{port}/postgres"


def stop_standby() -> None:
    _services('REPLICA_DATA="$SERVICES_DIR/pg-replica"; stop_replica')


def _with_database(url: str, name: str) -> str:
    return url.rsplit("/", 1)[0] + f"/{name}"


def report_load(url: str, replica_url: str, seconds: float) -> subprocess.Popen:
    """The statistics loop in its own process, for ``seconds``."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "prevent_cms.settings.production",
        "SECRET_KEY": "bench-only-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": url,
        "DATABASE_REPLICA_URL": replica_url,
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bench.replica", str(seconds)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )


def measure_once(url: str, replica_url: str, seconds: int, log) -> dict:
    from bench.run import load_test

    # gunicorn's start and locust's ramp-up are inside the loop's time too.
    loop = report_load(url, replica_url, seconds + 10)
    try:
        load = load_test(url, seconds, log)
    finally:
        out, _ = loop.communicate(timeout=600)
    reports = json.loads(out.strip().splitlines()[-1])
    queue = load["by_name"].get("officer queue", {"p95_ms": 0.0, "p50_ms": 0.0, "n": 0})
    return {"queue": queue, "failures": load["failures"], "reports": reports}


def replica_rows(results: dict, datasets: dict, seconds: int, log) -> list[dict]:
    """The table rows of measurement 10 (none without locust seconds or the services)."""
    if not seconds or "realistic" not in datasets or not os.environ.get("SERVICES_DIR"):
        return []
    from bench.run import database_url, ratio

    url = database_url(f"bench_realistic_{datasets['realistic']}")
    log("replica: the queue under force statistics, reports on the primary")
    without = measure_once(url, "", seconds, log)
    replica = _with_database(start_standby(log), url.rsplit("/", 1)[1])
    try:
        log("replica: the queue under force statistics, reports on the replica")
        with_replica = measure_once(url, replica, seconds, log)
    finally:
        stop_standby()
    results["realistic"]["replica"] = {"without": without, "with": with_replica}
    value = ratio(with_replica["queue"]["p95_ms"], without["queue"]["p95_ms"])
    read_there = with_replica["reports"]["on_replica"] and not without["reports"]["on_replica"]
    return [
        {
            "measurement": (
                f"10 queue p95 under force statistics, replica / primary"
                f" ({with_replica['queue']['p95_ms']:.0f} / {without['queue']['p95_ms']:.0f} ms"
                f" over {with_replica['queue']['n']} / {without['queue']['n']} pages,"
                f" {with_replica['reports']['runs']} / {without['reports']['runs']} reports)"
            ),
            "value": value,
            "bound": None,
            "ok": None,
        },
        {
            "measurement": "10 statistics read on the replica (pg_is_in_recovery), queue failures",
            "value": f"{read_there}/{without['failures'] + with_replica['failures']}",
            "bound": "True/0",
            "ok": read_there and without["failures"] + with_replica["failures"] == 0,
        },
    ]


def main(seconds: float) -> dict:
    """The report load: the busiest force's statistics for 2024/25, again and again."""
    import django

    django.setup()
    from django.db import connection, connections

    from accounts.models import PoliceForce
    from prevent_cms.replica import read_alias, replica_reads
    from reports.periods import Period
    from reports.selectors import statistics_for

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT police_force_id FROM referrals_referral WHERE state NOT IN"
            " ('draft','closed') GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"
        )
        force = PoliceForce.objects.get(pk=cursor.fetchone()[0])
    period = Period(start=dt.date(2024, 4, 1), end=dt.date(2025, 3, 31))
    with replica_reads():
        alias = read_alias()
    on_replica = False
    if alias != "default":
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT pg_is_in_recovery()")
            on_replica = bool(cursor.fetchone()[0])
    deadline = time.monotonic() + seconds
    runs = 0
    while time.monotonic() < deadline:
        statistics_for(period=period, police_force=force)
        runs += 1
    return {"runs": runs, "alias": alias, "on_replica": on_replica}


if __name__ == "__main__":
    print(json.dumps(main(float(sys.argv[1]))))
