"""Celery beat's schedule: declared once per app, installed in one way, nothing lost."""

import datetime

import pytest
from django.conf import settings
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from prevent_cms.celery import app
from prevent_cms.schedule import beat_schedule_install, periodic, periodic_entries

from .source_tree import files_containing

# Every task beat ran before the schedule was declared in one place, and when.
BEFORE = {
    "channel.tasks.send_channel_reminders": ("crontab", ("30", "6", "*", "*", "*")),
    "training.tasks.send_monthly_reminders": ("crontab", ("0", "7", "1", "*", "*")),
    "prevent_cms.tasks.relay_outbox": ("interval", 30),
    "prevent_cms.tasks.purge_expired": ("interval", 3600),
}


def installed() -> dict:
    schedule = {}
    for task in PeriodicTask.objects.select_related("crontab", "interval"):
        if task.crontab:
            c = task.crontab
            when = ("crontab", (c.minute, c.hour, c.day_of_month, c.month_of_year, c.day_of_week))
        elif task.interval:
            assert task.interval.period == IntervalSchedule.SECONDS
            when = ("interval", task.interval.every)
        else:
            continue
        schedule[task.task] = when
    return schedule


@pytest.mark.django_db
def test_migrate_installs_every_task_beat_ran_before():
    assert BEFORE.items() <= installed().items()


@pytest.mark.django_db
def test_installing_again_adds_nothing_and_keeps_an_administrators_change():
    PeriodicTask.objects.filter(task="channel.tasks.send_channel_reminders").update(enabled=False)
    count = PeriodicTask.objects.count()
    beat_schedule_install()
    assert PeriodicTask.objects.count() == count
    assert not PeriodicTask.objects.get(task="channel.tasks.send_channel_reminders").enabled


@pytest.mark.django_db
def test_a_deleted_entry_comes_back_on_the_next_migrate():
    PeriodicTask.objects.filter(task="prevent_cms.tasks.relay_outbox").delete()
    beat_schedule_install()
    assert installed()["prevent_cms.tasks.relay_outbox"] == ("interval", 30)


def test_every_declared_task_exists():
    app.loader.import_default_modules()
    assert {entry.task for entry in periodic_entries()} <= set(app.tasks)


def test_a_name_declared_twice_differently_is_refused():
    entry = periodic_entries()[0]
    assert periodic(entry.name, entry.task, crontab=entry.crontab, every=entry.every) == entry
    with pytest.raises(ValueError, match="twice"):
        periodic(entry.name, "prevent_cms.tasks.other", every=datetime.timedelta(minutes=5))
    with pytest.raises(ValueError, match="crontab or an interval"):
        periodic("no schedule", "prevent_cms.tasks.relay_outbox")


def test_the_schedule_is_declared_in_one_way():
    """No list in settings and no app writing beat's tables itself."""
    assert not getattr(settings, "CELERY_BEAT_SCHEDULE", None)
    assert files_containing("django_celery_beat.models") == ["prevent_cms/schedule.py"]
