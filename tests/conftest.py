"""Fixtures shared by the whole suite: a small world of two forces, three boroughs, people."""

import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import factory
import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.testcases import QuietWSGIRequestHandler
from django.utils import translation
from pytest_django.plugin import blocking_manager_key

from accounts.models import Agency, LocalAuthority, PoliceForce, Role, Sector, User
from prevent_cms.registry import ensure_reference_data
from tests.factories import AgencyFactory, UserFactory


@dataclass
class World:
    """Force 1 holds boroughs A and B; force 2 holds borough C (another force area)."""

    force: PoliceForce
    other_force: PoliceForce
    la_a: LocalAuthority
    la_b: LocalAuthority
    la_c: LocalAuthority
    school_a: Agency
    police_a: Agency
    council_a: Agency
    health_a: Agency
    community_a: Agency
    school_b: Agency
    council_b: Agency
    school_c: Agency
    police_c: Agency
    council_c: Agency

    def user(self, *roles: str, agency: Agency | None = None, **kwargs) -> User:
        return UserFactory(agency=agency or self.school_a, roles=list(roles), **kwargs)


@pytest.fixture
def world(db) -> World:
    force = PoliceForce.objects.create(name="Metropolitan Police Service")
    other_force = PoliceForce.objects.create(name="Thames Valley Police")
    la_a = LocalAuthority.objects.create(name="Northbridge", police_force=force)
    la_b = LocalAuthority.objects.create(name="Southmere", police_force=force)
    la_c = LocalAuthority.objects.create(name="Westford", police_force=other_force)

    def agency(la, sector, name):
        return AgencyFactory(local_authority=la, sector=sector, name=name)

    return World(
        force=force,
        other_force=other_force,
        la_a=la_a,
        la_b=la_b,
        la_c=la_c,
        school_a=agency(la_a, Sector.EDUCATION, "Northbridge Academy"),
        police_a=agency(la_a, Sector.POLICE, "Northbridge Police Prevent"),
        council_a=agency(la_a, Sector.LOCAL_AUTHORITY, "Northbridge Council"),
        health_a=agency(la_a, Sector.HEALTH, "Northbridge Health"),
        community_a=agency(la_a, Sector.COMMUNITY, "Northbridge Youth Network"),
        school_b=agency(la_b, Sector.EDUCATION, "Southmere School"),
        council_b=agency(la_b, Sector.LOCAL_AUTHORITY, "Southmere Council"),
        school_c=agency(la_c, Sector.EDUCATION, "Westford School"),
        police_c=agency(la_c, Sector.POLICE, "Westford Police Prevent"),
        council_c=agency(la_c, Sector.LOCAL_AUTHORITY, "Westford Council"),
    )


# The live server (browser tests, schemathesis, the generated client) answers each request in
# two writes, headers then body. With Nagle's algorithm on, the body waits for the client to
# acknowledge the headers, and the client's kernel delays that acknowledgement by up to 40 ms:
# every request paid it. schemathesis's referrer run took 31 s for 14 s of CPU, 16 s without.
# gunicorn, which serves production and the bench, sets TCP_NODELAY on its sockets itself.
QuietWSGIRequestHandler.disable_nagle_algorithm = True

WORKER_FIXTURES = {"celery_worker_process", "celery_worker_factory"}


def pytest_addoption(parser):
    parser.addoption(
        "--serial",
        choices=("exclude", "only"),
        default=None,
        help="deselect the tests marked serial (exclude) or all the others (only). "
        "scripts/test.sh runs 'pytest -n 2 --serial=exclude' then 'pytest --serial=only', so a "
        "-m or -k given by the caller still applies to both phases.",
    )


def pytest_configure(config):
    """Compile the Welsh catalogue when its .po is newer than its .mo (issue 19).

    ``make test`` compiles it (scripts/install.sh); a run started another way (one file, a
    worktree) would otherwise test Welsh pages against a stale or missing .mo. Only the
    controlling process compiles, before any pytest-xdist worker starts.
    """
    if hasattr(config, "workerinput"):
        return
    for po in Path(__file__).resolve().parent.parent.glob("locale/*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            # Formats are checked by tests/prevent_cms/test_welsh_catalogue.py, which says where.
            subprocess.run(["msgfmt", "-o", str(mo), str(po)], check=True)


def pytest_collection_modifyitems(config, items):
    """Keep the phase --serial asks for; skip, visibly, what needs absent services.

    ``make test`` starts PostgreSQL and Redis, so nothing is skipped there; a quick run on
    in-memory SQLite skips the worker and PostgreSQL-only tests.
    """
    phase = config.getoption("serial")
    if phase:
        keep, dropped = [], []
        for item in items:
            wanted = bool(item.get_closest_marker("serial")) == (phase == "only")
            (keep if wanted else dropped).append(item)
        if dropped:
            config.hook.pytest_deselected(items=dropped)
            items[:] = keep
    # The tests marked long go first (a stable sort keeps pytest-randomly's order otherwise):
    # pytest-xdist hands out work in collection order, and a long test drawn last would run
    # alone on one worker while the other idles.
    items.sort(key=lambda item: item.get_closest_marker("long") is None)
    on_postgres = connection.vendor == "postgresql"
    needs_worker = pytest.mark.skipif(
        not (django_settings.REDIS_URL and on_postgres),
        reason="needs Redis and PostgreSQL (make test starts both)",
    )
    needs_postgres = pytest.mark.skipif(not on_postgres, reason="needs PostgreSQL")
    for item in items:
        if WORKER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(needs_worker)
        if item.get_closest_marker("postgres"):
            item.add_marker(needs_postgres)


_CONSONANTS = "bcdfghjklmnpqrstvwxz"


@pytest.fixture(autouse=True)
def _names_no_page_or_message_can_contain(monkeypatch):
    """Everyone the factories make gets an invented name of eight consonants ("Qbzrtkxw").

    Many tests prove a person's name is not somewhere it must not be (an e-mail, a calendar
    invitation, a URL, a page of someone who may not see the case). Faker's names include
    words those use ("Hall" of "Town Hall", "Read", "Grant", "May"), and twice a run failed on
    one. With these a name found is always a leak. They come from faker's own seeded random,
    so a run stays reproducible; a test that needs a real-looking name passes its own.
    """
    generator = factory.Faker._get_faker()._factories[0]

    def invented() -> str:
        return "".join(generator.random.choice(_CONSONANTS) for _ in range(8)).capitalize()

    monkeypatch.setattr(generator, "first_name", invented)
    monkeypatch.setattr(generator, "last_name", invented)


@pytest.fixture(autouse=True)
def _english_after_each_test():
    """A request from someone who chose Welsh activates it for the thread (as every request
    activates its language) and nothing deactivates it after the response: put the site's
    language back, so the next test starts in English whatever ran before it."""
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _reference_data(request):
    """Put code lists back after a transactional test's flush emptied every table.

    Data migrations load them once; ``flush`` (after live-server, worker and concurrency
    tests) removes them, so each database test makes sure they are there first.
    """
    uses_db = request.node.get_closest_marker("django_db") or {
        "db",
        "transactional_db",
        "live_server",
    } & set(request.fixturenames)
    if uses_db:
        transactional = _is_transactional(request)
        request.node.stash[_FLUSHES] = transactional
        request.getfixturevalue("transactional_db" if transactional else "db")
        ensure_reference_data()


_FLUSHES = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a transactional test's flush, put the code lists back once, committed.

    Otherwise every database test after it on this worker made them again inside its own
    transaction, rolled back at its end: some 220 statements in each test's setup.
    """
    result = yield
    if nextitem is not None and item.stash.get(_FLUSHES, False):
        with item.config.stash[blocking_manager_key].unblock():
            ensure_reference_data()
    return result


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


@pytest.fixture
def on_postgres() -> bool:
    return connection.vendor == "postgresql"


SECURITY_FIGURES: Counter[str] = Counter()


FILE_SECONDS: Counter[str] = Counter()
PHASE_SECONDS: Counter[str] = Counter()


def pytest_runtest_logreport(report):
    """Gather the figures tests/security records (they come from xdist workers as properties),
    and each test file's time (setup, call and teardown), for the summary under --durations."""
    FILE_SECONDS[report.nodeid.split("::")[0]] += report.duration
    PHASE_SECONDS[report.when] += report.duration
    if report.when != "teardown":
        return
    for key, value in report.user_properties:
        if key == "security figure":
            how, name, number = value
            SECURITY_FIGURES[name] = SECURITY_FIGURES[name] + number if how == "add" else number


def pytest_terminal_summary(terminalreporter, config):
    if config.getoption("durations", None) is not None and FILE_SECONDS:
        # Where the suite's time goes, file by file: a file of many quick tests never shows
        # among the slowest steps --durations lists, however much of the run it takes.
        terminalreporter.section("slowest test files (seconds, all workers)")
        total = sum(FILE_SECONDS.values())
        for name, seconds in FILE_SECONDS.most_common(25):
            terminalreporter.write_line(f"{seconds:8.1f}  {seconds / total:5.1%}  {name}")
        terminalreporter.write_line(f"{total:8.1f}  total")
        # Fixtures (setup and teardown: worlds, flushes, servers) against the tests' own work.
        phases = ", ".join(f"{when} {PHASE_SECONDS[when]:.1f} s" for when in PHASE_SECONDS)
        terminalreporter.write_line(f"by phase: {phases}")
    if not SECURITY_FIGURES:
        return
    terminalreporter.section("security figures")
    for name, value in SECURITY_FIGURES.items():
        terminalreporter.write_line(f"{name}: {value}")


__all__ = ["Role", "World"]


# The tests that run this checkout under make run's or production's settings in a child
# process, on a SQLite database of their own (tests/test_make_run_default.py,
# tests/prevent_cms/test_production_cookies.py), share this xdist group and so this fixture.
SQLITE_GROUP = "sqlite_child_process"


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """A SQLite database migrated under make run's settings, once per pytest process.

    Each test copies it and runs ``migrate`` again in its child process, which then finds
    nothing left to do: migrating an empty SQLite database is some 12 s of one core, and two
    tests did it.
    """
    directory = tmp_path_factory.mktemp("sqlite")
    path = directory / "migrated.sqlite3"
    environment = make_run_environment(directory, path)
    done = subprocess.run(  # nosec B603 - this checkout's manage.py, fixed arguments
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=Path(__file__).resolve().parent.parent,
        env=environment,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return path


def make_run_environment(directory: Path, database: Path) -> dict[str, str]:
    """The environment ``make run`` gives the app (its settings on SQLite), for a child process.

    Nothing of this test run leaks in: no ``DATABASE_URL`` for PostgreSQL, no test settings.
    """
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(directory),
        "DJANGO_SETTINGS_MODULE": "prevent_cms.settings.local",
        "DATABASE_URL": f"sqlite:///{database}",
        "MEDIA_ROOT": str(directory / "media"),
        "SECRET_KEY": "make-run-environment",
    }
