"""Measurement 10 (issue 20): the triage queue under report load, with and without a replica.

``bench.run`` calls ``replica_rows`` after the other measurements, on the realistic dataset,
when it has locust seconds for it (``REPLICA_SECONDS``: 60 at small and full scale) and
``scripts/bench.sh``'s services; ``SCALE=small scripts/bench.sh --only replica`` runs this
measurement alone (``--replica-seconds N``, ``BENCH_REPLICA_ROUNDS``). It starts a
streaming-replication hot standby of the bench's PostgreSQL (``start_replica`` of
``scripts/services.sh``: ``pg_basebackup -R``), then runs the locust mix (``bench.run``'s load
test: officers on the triage queue, referrers, a chair; on the primary) while one process reads
the whole busiest force's statistics for a year (``reports.selectors.statistics_for``) in a
loop:

- without a replica: that process has no ``DATABASE_REPLICA_URL``, so it reads the primary;
- with one: the same code under production settings with ``DATABASE_REPLICA_URL``, so the
  router (``prevent_cms.replica``) sends it to the standby; it checks it really read there
  (``pg_is_in_recovery()`` on the connection it used).

It runs ``ROUNDS`` pairs (default 2) in ABBA order (without, with; with, without), so a
machine getting busier or quieter falls on both sides, and the standby runs through all of
them (idle, replaying WAL, when the reports read the primary): the runs differ only in where
the report queries go. Each run times the queue after locust's ramp-up (``--reset-stats``:
the sign-ins and the fresh gunicorn workers' first pages are left out). The row is the median
queue p95 with the replica over the median without it; a second gives the same pages' p95
inside gunicorn's worker (its access log: no time waiting for a free worker, none in locust).

**Two hosts on one machine.** In production the primary and the standby are separate hosts,
so what a replica buys is the primary's CPU. Both servers on one machine would share its
cores, and the reports would take the same CPU from the triage queue wherever they ran. So
the bench gives each "host" its own CPU cores with CPU affinity (``HostCores``;
``sched_setaffinity``, what ``taskset`` sets):

- the *primary host*: the primary PostgreSQL's postmaster (its PID read from
  ``postmaster.pid``) and every process it has already forked (backends, checkpointer, WAL
  writer, autovacuum, the WAL sender feeding the standby) re-pinned, new backends inheriting
  the postmaster's affinity; and gunicorn, its master and its two sync workers (started
  under ``taskset``);
- the *replica host*: the standby's postmaster and its processes the same way (the startup
  process replaying WAL, the WAL receiver, the reports' backend);
- the *load generators*, which in production are other machines (the officers' browsers,
  the report readers' web or worker processes, Redis): locust, the report-loop process and
  Redis (idle here: the bench's gunicorn has no replica configured, so nothing of it uses
  Redis, and its default cache is in memory). A 2-core machine has no third core, so they
  share the replica host's core, in both runs alike. They never take the primary host's
  CPU, as in production; in the run with a replica they compete with the standby's report
  queries, which can only slow locust's own timing of the queue's pages (a bias against the
  replica: an improvement measured is, in this respect, a lower bound). With three cores or
  more the load generators get cores of their own (``host_cores``).

Without a replica the report queries run on the primary host's core beside the web workers
and the triage queries; with one they run on the replica host's core. Every affinity changed
is put back afterwards (the postmasters, their children and Redis get the mask the process
had before; gunicorn, locust and the report loop have ended).

What this does not model: the network between hosts (everything is on loopback: no round
trip costs a real network's 0.2–1 ms, WAL shipping costs nothing); each host's own memory,
page cache and disk (the servers share the machine's RAM, page cache and disk; only their
shared buffers are their own); separate hardware (the two vCPUs share an L3 cache and memory
bus, and may be two threads of one physical core under the hypervisor, which the guest cannot
see); production-sized hosts (one core of a shared virtual machine
each); and the rest of the machine's work (other people's test runs are not pinned: they run
on both cores, and the kernel moves them towards whichever is less busy, which also works
against the replica; ``uptime`` at the time belongs with every figure). The results give,
per run, each core's busy share (``cpu_busy``: every process on it), the reports' own CPU
(``backend_cpu_s`` on the server, ``loop_cpu_s`` in the loop) and the cores read back from
the postmasters, gunicorn and the reports' backend.

``python -m bench.replica SECONDS`` is the report-load loop itself; it prints JSON.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The p95 ratio's bound (with a replica / without), held when the ratio is below it (the
# replica improves the queue), judged at full scale (``BOUND_FROM_REFERRALS``) on separate
# cores. On a quiet machine at 70,000 referrals (2026-12-07, docs/performance.md "2026-12-07
# (4)") two bench runs of two pairs of 60-s runs gave 0.52 and 0.42 (the queue's time inside
# gunicorn's worker 0.79 and 0.66). At 5,000 (small) one force's statistics take 7-12 % of
# the primary's core, too little to matter: six runs there, on a machine shared with other
# test runs, gave 0.68 to 2.54, so smaller scales are reported, not judged.
P95_RATIO_BOUND: float | None = 1.0
BOUND_FROM_REFERRALS = 70_000
# Pairs of runs (without, with), in ABBA order: the second pair runs with the replica first,
# so a machine getting busier or quieter falls on both sides (``BENCH_REPLICA_ROUNDS``).
ROUNDS = int(os.environ.get("BENCH_REPLICA_ROUNDS", "2"))


@dataclass(frozen=True)
class HostCores:
    """Which of the machine's cores stand for which host (``None`` from ``host_cores``
    with a single core: nothing to split, and the row says so)."""

    primary: tuple[int, ...]
    replica: tuple[int, ...]
    clients: tuple[int, ...]

    def describe(self) -> str:
        def cores(cpus: tuple[int, ...]) -> str:
            return ",".join(map(str, cpus))

        return (
            f"primary host core {cores(self.primary)}, replica host core {cores(self.replica)},"
            f" load generators core {cores(self.clients)}"
        )


def host_cores(available: set[int] | None = None) -> HostCores | None:
    """Split the cores this process may use: two cores give one to each host, the load
    generators sharing the replica host's; three or more give the load generators the last
    and the rest half to each host."""
    cpus = sorted(os.sched_getaffinity(0) if available is None else available)
    if len(cpus) < 2:
        return None
    if len(cpus) == 2:
        return HostCores(primary=(cpus[0],), replica=(cpus[1],), clients=(cpus[1],))
    half = (len(cpus) - 1) // 2
    return HostCores(
        primary=tuple(cpus[:half]),
        replica=tuple(cpus[half : 2 * half]),
        clients=tuple(cpus[2 * half :]),
    )


def _processes_of(pid: int) -> list:
    """A process and everything it has forked, as psutil processes."""
    import psutil

    parent = psutil.Process(pid)
    return [parent, *parent.children(recursive=True)]


def _set_affinity(pid: int, cpus) -> None:
    """Pin ``pid`` and its descendants to ``cpus``; ones that exit meanwhile are skipped."""
    import psutil

    for process in _processes_of(pid):
        with contextlib.suppress(psutil.NoSuchProcess, psutil.ZombieProcess):
            for thread in process.threads():
                with contextlib.suppress(ProcessLookupError):
                    os.sched_setaffinity(thread.id, cpus)


def postmaster_pid(data_dir: str | Path) -> int:
    """The postmaster's process id: the first line of ``postmaster.pid``."""
    return int((Path(data_dir) / "postmaster.pid").read_text().splitlines()[0])


@contextlib.contextmanager
def pinned(pid: int, cpus) -> Iterator[None]:
    """``pid`` (a postmaster, Redis) and everything it has forked run on ``cpus`` inside;
    what it forks meanwhile inherits that. Afterwards the process and all its children get
    back the affinity the process had before."""
    before = os.sched_getaffinity(pid)
    _set_affinity(pid, set(cpus))
    try:
        yield
    finally:
        with contextlib.suppress(ProcessLookupError):
            _set_affinity(pid, before)


def affinity_of(pid: int) -> list[int]:
    return sorted(os.sched_getaffinity(pid))


def _cpu_seconds(pid: int) -> float:
    """CPU seconds of ``pid`` and its living descendants (one that ended meanwhile is lost)."""
    import psutil

    total = 0.0
    with contextlib.suppress(psutil.NoSuchProcess):
        for process in _processes_of(pid):
            with contextlib.suppress(psutil.NoSuchProcess, psutil.ZombieProcess):
                times = process.cpu_times()
                total += times.user + times.system
    return total


def _cpu_ticks() -> dict[int, tuple[int, int]]:
    """Per core, (busy, total) jiffies since boot, from ``/proc/stat``."""
    ticks = {}
    for line in Path("/proc/stat").read_text().splitlines():
        name, *fields = line.split()
        if name.startswith("cpu") and name != "cpu":
            values = [int(v) for v in fields[:8]]
            idle = values[3] + values[4]  # idle, iowait
            ticks[int(name[3:])] = (sum(values) - idle, sum(values))
    return ticks


def _busy_between(before: dict, after: dict) -> dict[str, float]:
    """Each core's busy share between two ``_cpu_ticks`` readings (every process on it)."""
    return {
        str(cpu): round(
            (after[cpu][0] - before[cpu][0]) / max(1, after[cpu][1] - before[cpu][1]), 2
        )
        for cpu in after
        if cpu in before
    }


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


def standby_data() -> Path:
    return Path(os.environ["SERVICES_DIR"]) / "pg-replica"


def stop_standby() -> None:
    _services('REPLICA_DATA="$SERVICES_DIR/pg-replica"; stop_replica')


def _with_database(url: str, name: str) -> str:
    return url.rsplit("/", 1)[0] + f"/{name}"


def report_load(
    url: str, replica_url: str, seconds: float, cpus: tuple[int, ...] | None = None
) -> subprocess.Popen:
    """The statistics loop in its own process, for ``seconds``, on ``cpus`` if given."""
    from bench.run import on_cpus

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
        on_cpus([sys.executable, "-m", "bench.replica", str(seconds)], cpus),
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )


def measure_once(
    url: str, replica_url: str, seconds: int, log, hosts: HostCores | None = None
) -> dict:
    from bench.run import load_test

    clients = hosts.clients if hosts else None
    servers = {
        name: postmaster_pid(data)
        for name, data in (("primary", os.environ["PG_DATA"]), ("standby", standby_data()))
    }
    cpu_before = {name: _cpu_seconds(pid) for name, pid in servers.items()}
    # gunicorn's start and locust's ramp-up are inside the loop's time too.
    loop = report_load(url, replica_url, seconds + 10, clients)
    ticks = _cpu_ticks()
    try:
        load = load_test(
            url,
            seconds,
            log,
            web_cpus=hosts.primary if hosts else None,
            client_cpus=clients,
            reset_stats=True,
            server_path="/referrals/queue/",
        )
    finally:
        out, _ = loop.communicate(timeout=600)
    busy = _busy_between(ticks, _cpu_ticks())
    # The servers' processes still running (the report's backend has ended with the loop,
    # which reports its CPU itself; locust's sessions' backends, which end with gunicorn,
    # are not counted).
    servers_cpu = {
        name: round(_cpu_seconds(pid) - cpu_before[name], 1) for name, pid in servers.items()
    }
    reports = json.loads(out.strip().splitlines()[-1])
    queue = load["by_name"].get("officer queue", {"p95_ms": 0.0, "p50_ms": 0.0, "n": 0})
    return {
        "queue": queue,
        "server_queue": load.get("server", {}),
        "failures": load["failures"] + (1 if load.get("exit_code") else 0),
        "reports": reports,
        "cpu_busy": busy,
        "servers_cpu_s": servers_cpu,
        "web_cpus": load.get("web_cpus"),
    }


@contextlib.contextmanager
def hosts_pinned(hosts: HostCores | None, log) -> Iterator[dict]:
    """The primary, the standby and Redis on their hosts' cores, restored afterwards; yields
    the affinity read back from each, for the results."""
    if hosts is None:
        log("replica: one core only, the hosts are not separated")
        yield {}
        return
    primary = postmaster_pid(os.environ["PG_DATA"])
    standby = postmaster_pid(standby_data())
    redis_pidfile = Path(os.environ.get("REDIS_PIDFILE", "/nonexistent"))
    with contextlib.ExitStack() as stack:
        stack.enter_context(pinned(primary, hosts.primary))
        stack.enter_context(pinned(standby, hosts.replica))
        if redis_pidfile.exists():
            redis = int(redis_pidfile.read_text().split()[0])
            stack.enter_context(pinned(redis, hosts.clients))
        log(f"replica: {hosts.describe()}")
        yield {
            "hosts": {
                "primary": list(hosts.primary),
                "replica": list(hosts.replica),
                "clients": list(hosts.clients),
            },
            "primary_postmaster": affinity_of(primary),
            "standby_postmaster": affinity_of(standby),
        }


def p95_bound(hosts: HostCores | None, referrals: int) -> float | None:
    """The queue's p95 ratio bound: judged only on separate hosts' cores (one core has no
    second) and at full scale, where the reports weigh enough to show (``P95_RATIO_BOUND``)."""
    if hosts is None or referrals < BOUND_FROM_REFERRALS:
        return None
    return P95_RATIO_BOUND


def replica_rows(results: dict, datasets: dict, seconds: int, log) -> list[dict]:
    """The table rows of measurement 10 (none without locust seconds or the services)."""
    if not seconds or "realistic" not in datasets or not os.environ.get("SERVICES_DIR"):
        return []
    import statistics

    from bench.run import database_url, ratio

    url = database_url(f"bench_realistic_{datasets['realistic']}")
    hosts = host_cores()
    replica = _with_database(start_standby(log), url.rsplit("/", 1)[1])
    runs: dict[str, list[dict]] = {"without": [], "with": []}
    try:
        with hosts_pinned(hosts, log) as placed:
            for round_ in range(ROUNDS):
                order = ("without", "with") if round_ % 2 == 0 else ("with", "without")
                for side in order:
                    where = "the replica" if side == "with" else "the primary"
                    log(f"replica: round {round_ + 1}, the queue with force statistics on {where}")
                    runs[side].append(
                        measure_once(url, replica if side == "with" else "", seconds, log, hosts)
                    )
    finally:
        stop_standby()
    without, with_replica = runs["without"], runs["with"]
    results["realistic"]["replica"] = {
        "without": without,
        "with": with_replica,
        "seconds": seconds,
        "rounds": ROUNDS,
        "ratios": [
            ratio(w["queue"]["p95_ms"], wo["queue"]["p95_ms"])
            for w, wo in zip(with_replica, without, strict=True)
        ],
        **placed,
    }

    def p95(side: list[dict]) -> float:
        return statistics.median(run["queue"]["p95_ms"] for run in side)

    def total(side: list[dict], key: str) -> int:
        return sum(run["queue"]["n"] if key == "n" else run["reports"]["runs"] for run in side)

    def server_p95(side: list[dict]) -> float:
        return statistics.median(run["server_queue"].get("p95_ms", 0.0) for run in side)

    value = ratio(p95(with_replica), p95(without))
    read_there = all(run["reports"]["on_replica"] for run in with_replica) and not any(
        run["reports"]["on_replica"] for run in without
    )
    failures = sum(run["failures"] for run in without + with_replica)
    # Where the report queries ran: the backend's cores, read by the loop itself.
    cores = [
        ",".join(sorted({run["reports"].get("backend_cpus") or "?" for run in side}))
        for side in (without, with_replica)
    ]
    bound = p95_bound(hosts, datasets["realistic"])
    return [
        {
            "measurement": (
                f"10 queue p95 under force statistics, replica / primary"
                f" (median of {ROUNDS} runs each of {seconds} s: {p95(with_replica):.0f} /"
                f" {p95(without):.0f} ms; {total(with_replica, 'n')} / {total(without, 'n')}"
                f" pages, {total(with_replica, 'runs')} / {total(without, 'runs')} reports;"
                f" reports on core {cores[1]} / {cores[0]})"
            ),
            "value": value,
            "bound": f"< {bound}" if bound is not None else None,
            "ok": value < bound if bound is not None else None,
        },
        {
            # The same pages' time inside gunicorn's worker (its access log): no time waiting
            # for a free worker, none in locust, so none of locust's waiting behind the
            # standby's reports on the core they share.
            "measurement": (
                f"10 queue p95 in gunicorn's worker, replica / primary"
                f" ({server_p95(with_replica):.0f} / {server_p95(without):.0f} ms)"
            ),
            "value": ratio(server_p95(with_replica), server_p95(without)),
            "bound": None,
            "ok": None,
        },
        {
            "measurement": "10 statistics read on the replica (pg_is_in_recovery), queue failures",
            "value": f"{read_there}/{failures}",
            "bound": "True/0",
            "ok": read_there and failures == 0,
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
    deadline = time.monotonic() + seconds
    runs = 0
    while time.monotonic() < deadline:
        statistics_for(period=period, police_force=force)
        runs += 1
    # Asked on the connection the reports used, while its backend lives.
    with connections[alias].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), pg_backend_pid()")
        in_recovery, backend = cursor.fetchone()
    return {
        "runs": runs,
        "alias": alias,
        "on_replica": alias != "default" and bool(in_recovery),
        # The cores the backend answering the reports may run on (it is on this machine),
        # and the CPU the reports cost the server and this process.
        "backend_cpus": ",".join(map(str, affinity_of(backend))),
        "backend_cpu_s": round(_cpu_seconds(backend), 1),
        "loop_cpu_s": round(time.process_time(), 1),
    }


if __name__ == "__main__":
    print(json.dumps(main(float(sys.argv[1]))))
