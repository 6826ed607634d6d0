"""Measurement 9 (issue 25): the saturation step. ``bench.run`` calls ``saturation``.

gunicorn as production runs it (2 sync workers, the settings of the dataset run), locust
closed-loop (no think time) stepping the users (1, 2, 4 … 32 at full scale), once for the mix
of measurement 7 and once for the floor (the signed-in home page alone). Each step prints
requests a second, p50/p95/p99, failures and the CPU each kind of process used (cores: the
gunicorn workers, PostgreSQL's processes for this server, locust); the **saturation figure**
of a run is the highest rate of a step with p95 ≤ 500 ms and no failures, and the mix's
against the floor's is the row ``bench.run`` bounds.
"""

from __future__ import annotations

import csv
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
P95_LIMIT_MS = 500.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _cpu_seconds(processes: list[psutil.Process]) -> float:
    total = 0.0
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.Error:  # a process that ended since: its time is lost, not an error
            continue
        total += times.user + times.system
    return total


def _cpu_by_process(parent: psutil.Process | None) -> dict[int, float]:
    """CPU seconds so far of ``parent`` and each of its children, by process id."""
    if parent is None:
        return {}
    seconds = {}
    for process in [parent, *parent.children()]:
        try:
            times = process.cpu_times()
        except psutil.Error:  # ended since
            continue
        seconds[process.pid] = times.user + times.system
    return seconds


def _cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds between two readings, counting in full a process started between them (a
    database backend a gunicorn worker opened during the step); a process that ended between
    them is lost."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def _postmaster(url: str) -> psutil.Process | None:
    """The postmaster of the PostgreSQL server serving ``url``, whose children are its
    backends: read at each step, since the web workers' connections open after it starts."""
    import psycopg

    with psycopg.connect(url) as connection:
        backend = connection.execute("SELECT pg_backend_pid()").fetchone()[0]
        # Asked while the backend lives: it exits with the connection.
        return psutil.Process(backend).parent()


def _step(host: str, env: dict, classes: tuple[str, ...], users: int, seconds: int, work: Path):
    """One locust run of ``users`` closed-loop users; its aggregated row of the CSV."""
    prefix = work / f"{classes[0]}-{users}"
    locust = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "locust"),
            "-f",
            "bench/locustfile.py",
            "--headless",
            "-u",
            str(users),
            "-r",
            str(users),
            "-t",
            f"{seconds}s",
            "--host",
            host,
            "--csv",
            str(prefix),
            "--only-summary",
            *classes,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return locust, prefix


def _ms(value: str) -> float | None:
    """A percentile of locust's CSV: ``N/A`` when no request finished in the step."""
    return None if value in ("", "N/A") else float(value)


def _aggregated(prefix: Path) -> dict:
    with open(f"{prefix}_stats.csv") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    total = rows["Aggregated"]
    return {
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "rps": round(float(total["Requests/s"]), 1),
        "p50_ms": _ms(total["50%"]),
        "p95_ms": _ms(total["95%"]),
        "p99_ms": _ms(total["99%"]),
    }


def saturation_figure(steps: list[dict]) -> float:
    """The highest rate of a step with p95 ≤ 500 ms and no failures (0: none qualifies)."""
    return max(
        (
            step["rps"]
            for step in steps
            if step["requests"]
            and step["p95_ms"] is not None
            and step["p95_ms"] <= P95_LIMIT_MS
            and step["failures"] == 0
        ),
        default=0.0,
    )


def saturation(url: str, users_file: Path, password: str, steps, seconds: int, log) -> dict:
    """The stepped runs of the mix and the floor against one gunicorn; see the module."""
    from bench.run import MIX, gunicorn_server

    port = _free_port()
    work = Path(tempfile.mkdtemp(prefix="bench-saturation-"))
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "BENCH_USERS": str(users_file),
        "BENCH_PASSWORD": password,
        "BENCH_CLOSED_LOOP": "1",
        "DJANGO_SETTINGS_MODULE": os.environ.get(
            "DJANGO_SETTINGS_MODULE", "prevent_cms.settings.test"
        ),
    }
    server = gunicorn_server(port, env)
    host = f"http://127.0.0.1:{port}"
    out: dict = {"steps_users": list(steps), "step_seconds": seconds}
    try:
        gunicorn = psutil.Process(server.pid)
        postmaster = _postmaster(url)
        for name, classes in (("mix", MIX), ("floor", ("Floor",))):
            rows = []
            for users in steps:
                log(f"saturation: {name}, {users} users, {seconds} s")
                before = {
                    "gunicorn": _cpu_by_process(gunicorn),
                    "postgres": _cpu_by_process(postmaster),
                }
                started = time.monotonic()
                locust, prefix = _step(host, env, classes, users, seconds, work)
                load = psutil.Process(locust.pid)
                locust_cpu = 0.0
                while locust.poll() is None:  # its time is read while it still runs
                    locust_cpu = _cpu_seconds([load])
                    time.sleep(0.2)
                elapsed = time.monotonic() - started
                row = {"users": users, **_aggregated(prefix), "exit_code": locust.returncode}
                row["cpu_cores"] = {
                    "gunicorn": round(
                        _cpu_used(before["gunicorn"], _cpu_by_process(gunicorn)) / elapsed, 2
                    ),
                    "postgres": round(
                        _cpu_used(before["postgres"], _cpu_by_process(postmaster)) / elapsed, 2
                    ),
                    "locust": round(locust_cpu / elapsed, 2),
                }
                rows.append(row)
            out[name] = {"steps": rows, "saturation_rps": saturation_figure(rows)}
    finally:
        server.terminate()
        server.wait(10)
    out["load_average"] = [round(value, 2) for value in os.getloadavg()]
    return out


def print_table(result: dict) -> None:
    """The saturation table, one line a step, then the figures and their ratio."""
    print(
        f"\n{'saturation':<10} {'users':>5} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6}"
        f" {'fail':>5}  cpu cores (gunicorn / postgres / locust)"
    )
    for name in ("mix", "floor"):
        for step in result[name]["steps"]:
            cpu = step["cpu_cores"]
            p50, p95, p99 = (
                "-" if step[key] is None else f"{step[key]:.0f}"
                for key in ("p50_ms", "p95_ms", "p99_ms")
            )
            print(
                f"{name:<10} {step['users']:>5} {step['rps']:>7} {p50:>6} {p95:>6} {p99:>6}"
                f" {step['failures']:>5}  {cpu['gunicorn']} / {cpu['postgres']} / {cpu['locust']}"
            )
    mix, floor = result["mix"]["saturation_rps"], result["floor"]["saturation_rps"]
    print(f"saturation (p95 <= 500 ms, no failures): mix {mix} req/s, floor {floor} req/s")
