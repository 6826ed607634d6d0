"""Celery beat's periodic tasks, declared once per app and installed in one way.

The project runs django-celery-beat's database scheduler, so the schedule lives in its tables
where administrators can change a time in the admin. Each app declares its entries with
``periodic(...)`` in ``AppConfig.ready``; after every ``migrate``, ``beat_schedule_install``
creates each entry that is missing, by name, and never overwrites one that is there (an
administrator's change stands). A fresh install therefore runs every task without anyone
adding it by hand.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask


@dataclass(frozen=True)
class Periodic:
    name: str  # unique: how an installed entry is recognised
    task: str  # the Celery task's dotted name
    crontab: str | None = None  # "minute hour day-of-month month day-of-week", as in cron
    every: datetime.timedelta | None = None


_entries: dict[str, Periodic] = {}


def periodic(
    name: str,
    task: str,
    *,
    crontab: str | None = None,
    every: datetime.timedelta | None = None,
) -> Periodic:
    """Declare that beat runs ``task`` on a ``crontab`` (server time zone) or ``every`` so long."""
    if (crontab is None) == (every is None):
        raise ValueError(f"Periodic task {name!r} needs a crontab or an interval, not both")
    if crontab is not None and len(crontab.split()) != 5:
        raise ValueError(f"Periodic task {name!r}: a crontab has five fields")
    entry = Periodic(name=name, task=task, crontab=crontab, every=every)
    if _entries.get(name, entry) != entry:
        raise ValueError(f"Periodic task {name!r} is declared twice, differently")
    _entries[name] = entry
    return entry


def periodic_entries() -> list[Periodic]:
    return sorted(_entries.values(), key=lambda entry: entry.name)


def beat_schedule_install(sender=None, using: str = "default", **kwargs) -> None:
    """Create every declared entry that is missing; leave the others as they are."""
    tasks = PeriodicTask.objects.using(using)
    for entry in periodic_entries():
        if tasks.filter(name=entry.name).exists():
            continue
        if entry.crontab is not None:
            minute, hour, day_of_month, month_of_year, day_of_week = entry.crontab.split()
            crontab, _created = CrontabSchedule.objects.using(using).get_or_create(
                minute=minute,
                hour=hour,
                day_of_week=day_of_week,
                day_of_month=day_of_month,
                month_of_year=month_of_year,
                timezone=settings.TIME_ZONE,
            )
            tasks.create(name=entry.name, task=entry.task, crontab=crontab)
        else:
            interval, _created = IntervalSchedule.objects.using(using).get_or_create(
                every=int(entry.every.total_seconds()), period=IntervalSchedule.SECONDS
            )
            tasks.create(name=entry.name, task=entry.task, interval=interval)
