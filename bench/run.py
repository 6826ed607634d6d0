"""``python -m bench.run --scale small|full``: build or restore datasets, measure, compare.

Runs against the PostgreSQL named by ``DATABASE_URL`` (``scripts/bench.sh`` starts one). Each
dataset lives in its own database; a dataset is built once with ``python -m bench.synthetic`` and
cached as ``bench/data/<name>-<referrals>-<seed>-<schema>.dump`` (``pg_dump -Fc``), the schema
key being a hash of every migration and of the generator, so a new migration rebuilds it.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench" / "data"
PG_BIN = os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin")
SCALES = {
    # name: ([(dataset, referrals)], repeats per timing, regions, locust seconds)
    "tiny": ([("realistic", 300), ("stress", 1_200)], 2, 1, 0),  # CI: does it still run?
    "small": ([("realistic", 5_000), ("stress", 20_000)], 30, 11, 15),
    "full": ([("realistic", 70_000), ("stress", 1_000_000)], 100, 11, 60),
}
# Measurement 9, the saturation step (issue 25), on the realistic dataset: (users of each
# step, seconds a step).
SATURATION = {
    "tiny": ((1, 2), 4),
    "small": ((1, 2, 4, 8), 5),
    "full": ((1, 2, 4, 8, 16, 32), 20),
}
# Measurement 10, the queue under report load with and without a replica (issue 20): locust
# seconds of each of its runs (bench/replica.py runs two pairs). 15 s held about 50 queue
# pages, whose p95 is their two or three slowest: 60 s at small scale too.
REPLICA_SECONDS = {"tiny": 0, "small": 60, "full": 60}
BOUNDS = {
    "queue_vs_floor_p95": 2.0,
    "queue_stress_vs_realistic_p95": 1.5,
    "stats_la_vs_sql": 2.0,
    "stats_force_vs_sql": 2.0,
    "stats_force_median_ms": 500,
}


def schema_key() -> str:
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("*/migrations/0*.py")) + [ROOT / "bench" / "synthetic.py"]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def database_url(name: str) -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{name}"))


def run(args: list[str], url: str, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": url}
    env.setdefault("DJANGO_SETTINGS_MODULE", "prevent_cms.settings.test")
    return subprocess.run(args, env=env, cwd=ROOT, check=True, **kwargs)


def psql(sql: str) -> None:
    url = os.environ["DATABASE_URL"]
    run([f"{PG_BIN}/psql", "-qX", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql], url)


_template_ready = False


def migrated_template() -> None:
    """An empty migrated database to copy: migrations run once per bench, not per dataset."""
    global _template_ready
    if not _template_ready:
        psql("DROP DATABASE IF EXISTS bench_template")
        psql("CREATE DATABASE bench_template")
        url = database_url("bench_template")
        run([sys.executable, "manage.py", "migrate", "-v0"], url, stdout=subprocess.DEVNULL)
        _template_ready = True


def settle(url: str) -> None:
    """Bring a fresh database to the steady state autovacuum keeps a live one in: planner
    statistics, and a visibility map so index-only scans (the queue's count) read no heap."""
    run([f"{PG_BIN}/psql", "-qX", "-c", "VACUUM ANALYZE", url], url)


def prepare(dataset: str, referrals: int, seed: int, regions: int, log) -> tuple[str, dict]:
    """A database holding the dataset: restored from the cache, or generated and cached."""
    db = f"bench_{dataset}_{referrals}"
    url = database_url(db)
    dump = DATA / f"{dataset}-{referrals}-{regions}-{seed}-{schema_key()}.dump"
    psql(f"DROP DATABASE IF EXISTS {db}")
    info: dict = {"cache": str(dump.relative_to(ROOT))}
    started = time.monotonic()
    if dump.exists():
        psql(f"CREATE DATABASE {db}")
        run([f"{PG_BIN}/pg_restore", "-j", "2", "--no-owner", "-d", url, str(dump)], url)
        settle(url)
        info["restored_s"] = round(time.monotonic() - started, 1)
        log(f"{dataset}: restored {referrals:,} referrals in {info['restored_s']} s")
        return url, info
    migrated_template()
    psql(f"CREATE DATABASE {db} TEMPLATE bench_template")
    migrated = time.monotonic()
    run(
        [
            sys.executable,
            "-m",
            "bench.synthetic",
            "--referrals",
            str(referrals),
            "--seed",
            str(seed),
            "--regions",
            str(regions),
        ],
        url,
        stdout=subprocess.DEVNULL,
    )
    info["generated_s"] = round(time.monotonic() - migrated, 1)
    settle(url)
    log(f"{dataset}: generated {referrals:,} referrals in {info['generated_s']} s")
    DATA.mkdir(parents=True, exist_ok=True)
    if os.environ.get("BENCH_CACHE", "1") == "1":
        run([f"{PG_BIN}/pg_dump", "-Fc", "-Z", "1", "-f", str(dump), url], url)
    return url, info


def measure(dataset: str, url: str, repeat: int) -> dict:
    env_extra = {"BENCH_REPEAT": str(repeat)}
    os.environ.update(env_extra)
    try:
        done = run(
            [sys.executable, "-m", "bench.measure", dataset],
            url,
            capture_output=True,
            text=True,
        )
    except subprocess.CalledProcessError as error:
        print(error.stderr[-3000:], file=sys.stderr)
        raise
    return json.loads(done.stdout.strip().splitlines()[-1])


def users_file(url: str, path: Path) -> Path:
    """The synthetic accounts locust signs in as, by role (``BENCH_USERS``)."""
    users: dict[str, list[str]] = {}
    for role in ("prevent_officer", "referrer", "channel_chair"):
        done = run(
            [
                f"{PG_BIN}/psql",
                "-qAtX",
                "-d",
                url,
                "-c",
                "SELECT u.username FROM accounts_user u"
                " JOIN accounts_rolegrant g ON g.user_id = u.id"
                f" WHERE g.role = '{role}' ORDER BY 1 LIMIT 200",  # nosec B608 - role is from the literal tuple above
            ],
            url,
            capture_output=True,
            text=True,
        )
        users[role] = done.stdout.split()
    path.write_text(json.dumps(users))
    return path


def on_cpus(argv: list[str], cpus: tuple[int, ...] | None) -> list[str]:
    """``argv`` run on the CPU cores ``cpus`` (``taskset``: the affinity is set before the
    program starts, so whatever it forks, gunicorn's workers, inherits it), or as it is."""
    if not cpus:
        return argv
    return ["taskset", "--cpu-list", ",".join(map(str, cpus)), *argv]


# docker-compose.yml's DATABASE_CONN_MAX_AGE: the bench's gunicorn keeps connections as it does.
PRODUCTION_CONN_MAX_AGE = "60"
# gunicorn's access log for server-side times: when, path, microseconds in the worker.
ACCESS = "%(t)s %(U)s %(D)s"


def server_times(access_log: Path, path: str, after: float) -> dict:
    """p50/p95 of ``path``'s requests in gunicorn's worker (from reading the request to
    writing the response: no time waiting for a worker, none in the client), of those
    logged ``after`` (a Unix time)."""
    import datetime as dt
    import statistics

    times = []
    for line in access_log.read_text().splitlines():
        stamp, _, rest = line.partition("] ")
        fields = rest.split()
        if len(fields) != 2 or fields[0] != path:
            continue
        when = dt.datetime.strptime(stamp.lstrip("["), "%d/%b/%Y:%H:%M:%S %z").timestamp()
        if when >= after:
            times.append(int(fields[1]) / 1000)
    if len(times) < 2:
        return {"p50_ms": 0.0, "p95_ms": 0.0, "n": len(times)}
    cuts = statistics.quantiles(times, n=20)
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(cuts[18], 1),
        "n": len(times),
    }


def gunicorn_server(
    port: int, env: dict, cpus: tuple[int, ...] | None = None, access_log: Path | None = None
) -> subprocess.Popen:
    """gunicorn as production runs it (2 sync workers) on loopback ``port``, returned once a
    worker answers, not when the port opens: gunicorn's master binds at once, and requests
    queued while the workers import Django would be timed as load. The caller terminates it.
    ``cpus``: the cores of the host it stands for (the replica measurement, bench/replica.py);
    ``access_log``: where gunicorn logs each request's time, path and duration (``ACCESS``).
    Connections to PostgreSQL are kept between requests as docker-compose.yml keeps them
    (``DATABASE_CONN_MAX_AGE``, 60 s): opening one per request cost each request about 7 ms
    of waiting and PostgreSQL a backend process to start (docs/performance.md, 2026-12-07 (5)).
    """
    env = {"DATABASE_CONN_MAX_AGE": PRODUCTION_CONN_MAX_AGE, **env}
    server = subprocess.Popen(
        on_cpus(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "prevent_cms.wsgi",
                "-w",
                "2",
                "-b",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                *(
                    ["--access-logfile", str(access_log), "--access-logformat", ACCESS]
                    if access_log
                    else []
                ),
            ],
            cpus,
        ),
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(150):
            try:
                # A fixed http URL on loopback, not user input.
                health = f"http://127.0.0.1:{port}/health/"
                with urllib.request.urlopen(health, timeout=2):  # noqa: S310  # nosec B310
                    return server
            except OSError:
                time.sleep(0.2)
    except BaseException:
        server.kill()
        raise
    return server


def load_test(
    url: str,
    seconds: int,
    log,
    *,
    web_cpus: tuple[int, ...] | None = None,
    client_cpus: tuple[int, ...] | None = None,
    reset_stats: bool = False,
    server_path: str | None = None,
) -> dict:
    """7: locust against gunicorn (2 workers) on loopback, ``seconds`` long, 20 users.

    ``web_cpus`` and ``client_cpus`` pin gunicorn and locust to cores (bench/replica.py's
    hosts); by default both run wherever the kernel puts them. ``reset_stats``: time only
    what follows the ramp-up (locust's ``--reset-stats``: the users' sign-ins and the fresh
    workers' first pages are left out). ``server_path``: also the server-side times of that
    path's requests, from gunicorn's access log (``server_times``), after the ramp-up."""
    import csv
    import socket

    from bench.synthetic import PASSWORD

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    work = Path(tempfile.mkdtemp(prefix="bench-locust-"))
    users_file(url, work / "users.json")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "BENCH_USERS": str(work / "users.json"),
        "BENCH_PASSWORD": PASSWORD,
        "DJANGO_SETTINGS_MODULE": "prevent_cms.settings.test",
    }
    bin_dir = Path(sys.executable).parent
    access_log = work / "access.log" if server_path else None
    server = gunicorn_server(port, env, web_cpus, access_log)
    # Read back while it runs: the cores gunicorn's master and workers really had.
    placed = sorted({cpu for pid in _tree(server.pid) for cpu in _affinity(pid)})
    # locust spawns 20 users at 10 a second: timing starts 2 s in (--reset-stats).
    ramped_up = time.time() + 2
    try:
        log(f"locust: {seconds} s against gunicorn -w 2 on :{port}")
        finished = subprocess.run(
            on_cpus(
                [
                    str(bin_dir / "locust"),
                    "-f",
                    "bench/locustfile.py",
                    "--headless",
                    "-u",
                    "20",
                    "-r",
                    "10",
                    "-t",
                    f"{seconds}s",
                    "--host",
                    f"http://127.0.0.1:{port}",
                    "--csv",
                    str(work / "run"),
                    "--only-summary",
                    *(["--reset-stats"] if reset_stats else []),
                    *MIX,
                ],
                client_cpus,
            ),
            cwd=ROOT,
            env=env,
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    finally:
        server.terminate()
        server.wait(10)
    with open(work / "run_stats.csv") as handle:
        rows = {row["Name"]: row for row in csv.DictReader(handle)}
    total = rows["Aggregated"]
    server_side = (
        {"server": server_times(access_log, server_path, ramped_up)}
        if access_log and server_path
        else {}
    )
    return {
        **server_side,
        "seconds": seconds,
        "requests": int(total["Request Count"]),
        # Errors inside locust itself (a user class that cannot start) are not request
        # failures; its exit status counts them, and a failed run fails the row.
        "failures": int(total["Failure Count"]),
        "exit_code": finished.returncode,
        "web_cpus": placed,
        "rps": round(float(total["Requests/s"]), 1),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "by_name": {
            name: {
                "p50_ms": float(r["50%"]),
                "p95_ms": float(r["95%"]),
                "n": int(r["Request Count"]),
            }
            for name, r in rows.items()
            if name != "Aggregated"
        },
    }


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants' ids (gone ones are left out)."""
    import psutil

    try:
        parent = psutil.Process(pid)
        return [pid, *(child.pid for child in parent.children(recursive=True))]
    except psutil.NoSuchProcess:
        return []


def _affinity(pid: int) -> set[int]:
    try:
        return os.sched_getaffinity(pid)
    except ProcessLookupError:
        return set()


# The locust user classes of the mix (measurement 7 and the saturation step's mix).
MIX = ("Officer", "Referrer", "Chair")


def ratio(a: float, b: float) -> float:
    return round(a / b, 2) if b else float("inf")


def compare(results: dict) -> list[dict]:
    """The rows of the table: each a ratio, its bound and whether it holds."""
    r, s = results["realistic"], results["stress"]
    rows = [
        ("1 queue vs framework floor, p95", ratio(r["queue"]["p95_ms"], r["floor"]["p95_ms"]), 2.0),
        (
            "1 queue vs framework floor, p95 (stress)",
            ratio(s["queue"]["p95_ms"], s["floor"]["p95_ms"]),
            2.0,
        ),
        ("1 queue vs hand SQL, p95", ratio(r["queue"]["p95_ms"], r["raw_sql"]["p95_ms"]), None),
        # Issue 25: at 1,000,000 referrals the page stays within five times its own query.
        (
            "1 queue vs hand SQL, p95 (stress)",
            ratio(s["queue"]["p95_ms"], s["raw_sql"]["p95_ms"]),
            5.0,
        ),
        # Issue 17: the officer's Today page, measured with the queue against the same floor.
        (
            "1 officer's Today page vs framework floor, p95",
            ratio(r["today"]["p95_ms"], r["floor"]["p95_ms"]),
            None,
        ),
        (
            "1 officer's Today page vs framework floor, p95 (stress)",
            ratio(s["today"]["p95_ms"], s["floor"]["p95_ms"]),
            None,
        ),
        (
            "1 officer's Today page stress vs realistic, p95",
            ratio(s["today"]["p95_ms"], r["today"]["p95_ms"]),
            None,
        ),
        (
            "2 queue stress vs realistic, p95",
            ratio(s["queue"]["p95_ms"], r["queue"]["p95_ms"]),
            1.5,
        ),
        (
            "3 case page queries stress/realistic",
            f"{s['case_page_queries']}/{r['case_page_queries']}",
            "equal",
        ),
        (
            "3 officer's Today page reads (SELECTs) stress/realistic",
            f"{s['today_reads']}/{r['today_reads']}",
            "equal",
        ),
        (
            "3 panel agenda queries stress/realistic",
            f"{s['agenda_queries']}/{r['agenda_queries']}",
            "equal",
        ),
        (
            "4 statistics, one LA, vs hand SQL",
            ratio(s["stats_la"]["median_ms"], s["stats_la_sql"]["median_ms"]),
            2.0,
        ),
        (
            "4 statistics, whole force, vs hand SQL",
            ratio(s["stats_force"]["median_ms"], s["stats_force_sql"]["median_ms"]),
            2.0,
        ),
        # Issue 25: a force's year read from the statistics rollup, an interactive page.
        (
            "4 statistics, whole force's year, median ms",
            round(s["stats_force"]["median_ms"], 1),
            500,
        ),
    ]
    if "match" in s:
        # Issue 18: matching a new referral reads the person index through its indexes (date
        # of birth, phonetic name keys, postcode, number), at most CANDIDATE_LIMIT people.
        rows.append(
            (
                f"8 matching a new referral against {s['persons']:,} persons vs one queue page,"
                " median",
                ratio(s["match"]["median_ms"], s["queue"]["median_ms"]),
                1.0,
            )
        )
        rows.append(
            (
                "8 matching queries stress/realistic",
                f"{s['match_queries']}/{r['match_queries']}",
                None,
            )
        )
    if "case_page_read_5000" in r:
        rows.append(
            (
                "3b case page read 5,000 times vs barely read, median",
                ratio(r["case_page_read_5000"]["median_ms"], r["case_page_quiet"]["median_ms"]),
                1.3,
            )
        )
        rows.append(
            (
                "3b case page bytes, read 5,000 times / barely read",
                f"{r['case_page_read_5000_bytes']}/{r['case_page_quiet_bytes']}",
                None,
            )
        )
    if "export_force" in s:
        rows.append(
            (
                "5 force CSV, streamed, vs COPY TO STDOUT",
                ratio(s["export_force"]["median_ms"], s["export_force_copy"]["median_ms"]),
                3.0,
            )
        )
        rows.append(
            (
                f"5 CSV peak memory, {s['export_rows_big']:,} vs {s['export_rows_small']:,} rows",
                ratio(s["export_peak_big_bytes"], s["export_peak_small_bytes"]),
                1.2,
            )
        )
    if "pack" in s:
        rows.append(
            (
                f"6 panel pack ({s['pack_cases']} cases) vs WeasyPrint",
                ratio(s["pack"]["median_ms"], s["weasyprint"]["median_ms"]),
                1.3,
            )
        )
    if "saturation" in r:
        rows.append(saturation_row(r["saturation"]))
    if "locust" in r:
        load = r["locust"]
        rows.append(
            (
                f"7 locust {load['seconds']} s: {load['rps']} req/s, p50 {load['p50_ms']:.0f} ms,"
                f" p95 {load['p95_ms']:.0f} ms, failures",
                load["failures"] + (1 if load.get("exit_code") else 0),
                0,
            )
        )
    return judged(rows)


def saturation_row(sat: dict) -> tuple:
    """Issue 25: the mix's saturation figure against the floor's (home page alone). The one
    row whose bound is a least value: the mix must reach at least 0.75 of the floor."""
    return (
        f"9 saturation, mix {sat['mix']['saturation_rps']} vs floor"
        f" {sat['floor']['saturation_rps']} req/s (p95 <= 500 ms, no failures)",
        ratio(sat["mix"]["saturation_rps"], sat["floor"]["saturation_rps"]),
        AtLeast(0.75),
    )


class AtLeast(float):
    """A bound the value must reach (every other bound is one it must not pass)."""

    def __str__(self) -> str:
        return f">= {float(self)}"


def judged(rows: list[tuple]) -> list[dict]:
    """Each (name, value, bound) as a row of the table, with whether it holds."""
    table = []
    for name, value, bound in rows:
        if bound == "equal":
            a, b = value.split("/")
            ok = a == b
        elif bound is None:
            ok = None
        elif isinstance(bound, AtLeast):
            ok = value >= bound
        else:
            ok = value <= bound
        table.append({"measurement": name, "value": value, "bound": bound, "ok": ok})
    return table


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=sorted(SCALES), default="full")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", default=str(ROOT / "bench" / "results.json"))
    parser.add_argument(
        "--only",
        choices=["replica", "saturation"],
        help="only measurement 10 (bench/replica.py) or 9 (bench/saturation.py), on the"
        " realistic dataset alone",
    )
    parser.add_argument(
        "--replica-seconds",
        type=int,
        help="locust seconds of each run of measurement 10 (default: REPLICA_SECONDS)",
    )
    args = parser.parse_args(argv)
    datasets, repeat, regions, locust_seconds = SCALES[args.scale]
    replica_seconds = args.replica_seconds
    if replica_seconds is None:
        replica_seconds = REPLICA_SECONDS[args.scale]
    started = time.monotonic()

    def log(message: str) -> None:
        print(f"==> {message}", flush=True)

    results: dict = {}
    if args.only:
        datasets = [(name, referrals) for name, referrals in datasets if name == "realistic"]
    if args.only == "replica":
        for dataset, referrals in datasets:
            url, info = prepare(dataset, referrals, args.seed, regions, log)
            results[dataset] = {"referrals": referrals, **info}
    for dataset, referrals in datasets if args.only != "replica" else ():
        url, info = prepare(dataset, referrals, args.seed, regions, log)
        if args.only is None:
            results[dataset] = {**measure(dataset, url, repeat), **info}
            log(f"{dataset}: measured")
        else:
            results[dataset] = {"referrals": referrals, **info}
        if dataset == "realistic" and locust_seconds and args.only is None:
            results[dataset]["locust"] = load_test(url, locust_seconds, log)
        if dataset == "realistic" and args.scale in SATURATION:
            from bench.synthetic import PASSWORD

            from .saturation import saturation

            steps, step_seconds = SATURATION[args.scale]
            work = Path(tempfile.mkdtemp(prefix="bench-saturation-users-"))
            results[dataset]["saturation"] = saturation(
                url, users_file(url, work / "users.json"), PASSWORD, steps, step_seconds, log
            )
    # Issue 20: measurement 10, the queue under report load with and without a read replica
    # (bench/replica.py, which measures and words its rows).
    from bench.replica import replica_rows

    if args.only is None:
        table = compare(results)
    elif args.only == "saturation":
        table = judged([saturation_row(results["realistic"]["saturation"])])
    else:
        table = []
    if args.only != "saturation":
        table += replica_rows(results, dict(datasets), replica_seconds, log)
    report = {
        "scale": args.scale,
        "seed": args.seed,
        "schema": schema_key(),
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0]},
        "seconds": round(time.monotonic() - started, 1),
        "datasets": results,
        "ratios": table,
    }
    Path(args.out).write_text(json.dumps(report, indent=2, default=str) + "\n")
    print(f"\n{'measurement':<70} {'value':>10} {'bound':>8}  ok")
    for row in table:
        ok = {True: "yes", False: "NO", None: "-"}[row["ok"]]
        print(f"{row['measurement']:<70} {row['value']!s:>10} {row['bound']!s:>8}  {ok}")
    for name, data in results.items():
        timings = ", ".join(
            f"{k} {v['median_ms']}/{v['p95_ms']} ms"
            for k, v in data.items()
            if isinstance(v, dict) and "median_ms" in v and "p95_ms" in v
        )
        print(f"{name} ({data['referrals']:,} referrals), median/p95: {timings}")
    if "saturation" in results.get("realistic", {}):
        from .saturation import print_table

        print_table(results["realistic"]["saturation"])
    print(f"wrote {args.out} in {report['seconds']} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
