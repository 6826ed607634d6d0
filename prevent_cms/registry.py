"""Where apps plug into shared pages without the project importing them.

Each app registers, in its ``AppConfig.ready``, the navigation links and home-page panels it
offers for which roles. ``prevent_cms`` then renders them without knowing the apps exist,
which keeps the import direction of DESIGN.md §2.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.urls import get_script_prefix, get_urlconf, reverse


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]
    order: int = 100
    # ``count(user)``: the QuerySet of what waits behind the link; how many is shown beside
    # it when not 0, counted with the page's other navigation counts (``NavigationCounts``).
    count: Callable | None = None
    # Other pages the link stands for: the link is marked current on them too.
    also: tuple[str, ...] = ()


@dataclass(frozen=True)
class HomePanel:
    """A block on the home page: ``build(user)`` returns template context or None to hide."""

    template: str
    roles: frozenset[str]
    build: Callable
    order: int = 100


_nav: list[NavItem] = []
_panels: list[HomePanel] = []
_seeders: list[tuple[int, Callable]] = []


def register_nav(
    label: str,
    url_name: str,
    *,
    roles,
    order: int = 100,
    count: Callable | None = None,
    also: tuple[str, ...] = (),
) -> None:
    """A link in the service navigation for people holding any of ``roles``. ``count(user)``,
    if given, returns the QuerySet of what waits for ``user`` (never a loop over cases): it is
    counted on every page, in the one query of ``NavigationCounts``. ``also`` names the pages a
    section page leads to, so the link stays current on them (the navigation keeps to one row
    at desktop width by grouping rarer pages behind one link)."""
    _nav.append(NavItem(label, url_name, frozenset(roles), order, count, tuple(also)))


def register_home_panel(template: str, build: Callable, *, roles, order: int = 100) -> None:
    _panels.append(HomePanel(template, frozenset(roles), build, order))


class NavigationCounts:
    """The navigation's counts of one request, all in one query, made when the page first
    shows one of them (the template calls it) and only then.

    Each count was a ``SELECT COUNT(*)`` round trip of its own on every page (transfers
    waiting, unread notifications); here each QuerySet becomes a scalar subquery of one
    ``SELECT (SELECT COUNT(*) FROM (…)), (…)``. Nothing is kept beyond the request, so a count
    is never stale and never another person's (measured against a cache per person in
    docs/performance.md, 2026-12-07 (2)).
    """

    def __init__(self) -> None:
        self._querysets: dict[str, QuerySet] = {}
        self._counts: dict[str, int] | None = None

    def add(self, name: str, queryset: QuerySet) -> Callable[[], int]:
        """Count ``queryset`` with the others; returns what the template calls for it."""
        self._querysets[name] = queryset
        return lambda: self.counts()[name]

    def counts(self) -> dict[str, int]:
        if self._counts is None:
            self._counts = counts_in_one_query(self._querysets)
        return self._counts


def counts_in_one_query(querysets: dict[str, QuerySet]) -> dict[str, int]:
    """``{name: queryset.count()}`` in one round trip per database (one in practice)."""
    counts: dict[str, int] = {}
    by_database: dict[str, list[tuple[str, str, tuple]]] = {}
    for name, queryset in querysets.items():
        try:
            sql, params = queryset.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:  # ``none()``, or a filter that can match nothing
            counts[name] = 0
            continue
        by_database.setdefault(queryset.db, []).append((name, sql, params))
    for database, parts in by_database.items():
        # Each part is a QuerySet's own compiled SQL, its values passed as parameters.
        columns = ", ".join(
            f"(SELECT COUNT(*) FROM ({sql}) AS counted_{i})"  # noqa: S608  # nosec B608
            for i, (_n, sql, _p) in enumerate(parts)
        )
        with connections[database].cursor() as cursor:
            cursor.execute(f"SELECT {columns}", [p for _n, _s, params in parts for p in params])
            row = cursor.fetchone()
        counts.update((name, int(value)) for (name, _s, _p), value in zip(parts, row, strict=True))
    return counts


def _nav_path(url_name: str) -> str:
    """``reverse(url_name)`` of a navigation link, worked out once per URL conf and prefix.

    The navigation is on every page and its links take no arguments; each ``reverse`` costs
    tens of microseconds (the resolver reads the language and prefix from thread-locals), and
    a Prevent officer's navigation made about ten of them on every request.
    """
    return _reverse_once(url_name, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())


@functools.cache
def _reverse_once(url_name: str, _urlconf: str, _prefix: str) -> str:
    return reverse(url_name)


def navigation_for(user, current_path: str, counts: NavigationCounts | None = None) -> list[dict]:
    """The links ``user`` sees; their counts join ``counts`` (one query for the page)."""
    counts = NavigationCounts() if counts is None else counts
    items = []
    for item in sorted(_nav, key=lambda i: i.order):
        if user.roles & item.roles:
            url = _nav_path(item.url_name)
            paths = [url, *(_nav_path(name) for name in item.also)]
            items.append(
                {
                    "label": item.label,
                    "url": url,
                    "active": any(current_path.startswith(path) for path in paths),
                    "count": counts.add(item.url_name, item.count(user)) if item.count else None,
                }
            )
    return items


def home_panels_for(user) -> list[dict]:
    panels = []
    for panel in sorted(_panels, key=lambda p: p.order):
        if user.roles & panel.roles:
            context = panel.build(user)
            if context is not None:
                panels.append({"template": panel.template, "context": context})
    return panels


@dataclass(frozen=True)
class WorkBuilder:
    """``build(user, today)`` returns the ``work.WorkItem``s of one app for one person."""

    build: Callable
    roles: frozenset[str]
    order: int = 100


_work: list[WorkBuilder] = []


def register_work(build: Callable, *, roles, order: int = 100) -> None:
    """Add an app's lines to the Today list of people holding any of ``roles``."""
    _work.append(WorkBuilder(build, frozenset(roles), order))


_work_readers: list[Callable] = []


def register_work_reader(record: Callable) -> None:
    """``record(actor=..., references=[...], via=...)`` audits a Today list's read of the
    cases it names (the app owning cases knows which references are cases')."""
    _work_readers.append(record)


def work_readers() -> list[Callable]:
    return list(_work_readers)


def work_builders_for(user) -> list[Callable]:
    return [b.build for b in sorted(_work, key=lambda b: b.order) if user.roles & b.roles]


_forecasts: list[WorkBuilder] = []


def register_forecast(build: Callable, *, roles, order: int = 100) -> None:
    """``build(user, today=..., until=..., mine=...)`` returns the rows of one app's clocks
    (``prevent_cms.clocks.clock_forecast``) that people holding any of ``roles`` may see."""
    _forecasts.append(WorkBuilder(build, frozenset(roles), order))


def forecast_builders_for(user) -> list[Callable]:
    return [b.build for b in sorted(_forecasts, key=lambda b: b.order) if user.roles & b.roles]


def register_seeder(seed: Callable, *, order: int = 100) -> None:
    """``seed(people)`` adds an app's demo data; ``people`` maps demo usernames to users."""
    _seeders.append((order, seed))


def seeders() -> list[Callable]:
    return [seed for _order, seed in sorted(_seeders, key=lambda pair: pair[0])]


_reference_loaders: list[Callable] = []


def register_reference_data(ensure: Callable) -> None:
    """``ensure()`` puts an app's reference data (code lists, frameworks) in place if missing.

    Data migrations load it on ``migrate``; a database emptied by a test flush or restored
    from a bare schema calls these to get it back.
    """
    _reference_loaders.append(ensure)


def ensure_reference_data() -> None:
    for ensure in _reference_loaders:
        ensure()


_job_result_openers: dict[str, Callable] = {}


def register_job_result_opener(kind: str, open_result: Callable) -> None:
    """``open_result(job=..., actor=...)`` opens the file a download of a ``kind`` job's
    result serves, for a kind whose job keeps no file of its own: a panel pack's job points
    at its owner's single-use copy, so that no second copy is stored or handed out (issue
    16). It audits what the file discloses (the pack's cases) and raises ``Gone`` once the
    copy is spent."""
    _job_result_openers[kind] = open_result


def job_result_opener(kind: str) -> Callable | None:
    return _job_result_openers.get(kind)


@dataclass(frozen=True)
class JobReader:
    """How a kind of job's result is authorised when read, and what a refused reader is told."""

    may_read: Callable  # (user, job) -> bool, asked at every download
    withdrawn_message: object = ""  # a lazy translation; "" for the generic words
    purged_message: object = ""  # a lazy translation; "" for the job retention's words


_job_readers: dict[str, JobReader] = {}


def register_job_reader(
    kind: str, may_read: Callable, *, withdrawn_message="", purged_message=""
) -> None:
    """``may_read(user, job)`` says whether ``user`` may read a ``kind`` job's result NOW.

    A result is authorised when it is read, not when it was made: the app that makes a kind
    of file knows what it holds (a pack's cases, an export's force) and re-checks the
    reader's current scope. A kind with no reader is never readable (fail closed).
    ``withdrawn_message`` and ``purged_message`` (lazy translations) tell the reader why the
    answer is 410 where the kind has its own words (a pack goes 72 hours after its panel).
    """
    _job_readers[kind] = JobReader(may_read, withdrawn_message, purged_message)


def job_reader(kind: str) -> JobReader | None:
    return _job_readers.get(kind)


def job_reader_kinds() -> frozenset[str]:
    return frozenset(_job_readers)


@dataclass(frozen=True)
class JobPage:
    """What a job's page tells the person waiting for its file (issue 19): which file it is,
    what it holds, until when it is kept, and the way back to where they asked for it."""

    title: str
    contains: str
    back_url: str
    back_label: str
    # When the file is deleted, for a kind that keeps it on its own terms (a panel's pack
    # copies follow the panel's date); None: the job results' retention from the request.
    deleted_after: datetime.datetime | None = None


_job_pages: dict[str, Callable] = {}


def register_job_page(kind: str, describe: Callable) -> None:
    """``describe(job)`` returns the ``JobPage`` of a ``kind`` job: every kind that has a
    reader has one (``tests/prevent_cms/test_job_page.py``), so no job page is mute."""
    _job_pages[kind] = describe


def job_page(job) -> JobPage | None:
    describe = _job_pages.get(job.kind)
    return describe(job) if describe else None


def job_page_kinds() -> frozenset[str]:
    return frozenset(_job_pages)


_purgers: dict[str, Callable] = {}


def register_purge(name: str, purge: Callable) -> None:
    """``purge(now=...)`` deletes what an app keeps only for a while and returns how many.

    Run by ``prevent_cms.purge.retention_purge`` (Celery beat); must be idempotent and
    must not fail when a file is already gone. ``name`` is the count's key in the audit.
    """
    _purgers[name] = purge


def purgers() -> dict[str, Callable]:
    return dict(_purgers)
