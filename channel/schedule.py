"""The Celery beat entry for the daily Channel reminders, in django-celery-beat's tables.

Created after every ``migrate`` if missing; administrators may change its time in the
admin and it is never overwritten.
"""

from django.conf import settings
from django_celery_beat.models import CrontabSchedule, PeriodicTask

TASK_NAME = "channel: daily reminders (reviews, consent reassessments, panels, post-exit)"
TASK = "channel.tasks.send_channel_reminders"


def ensure_reminder_schedule(sender=None, using="default", **kwargs) -> None:
    if PeriodicTask.objects.using(using).filter(name=TASK_NAME).exists():
        return
    crontab, _created = CrontabSchedule.objects.using(using).get_or_create(
        minute="30",
        hour="6",
        day_of_week="*",
        day_of_month="*",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    PeriodicTask.objects.using(using).create(name=TASK_NAME, task=TASK, crontab=crontab)
