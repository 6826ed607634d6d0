"""The Celery beat entry for the monthly reminders, kept in django-celery-beat's tables.

Created after every ``migrate`` if missing (the project uses the database scheduler), so a
fresh install sends reminders without anyone adding it by hand. Administrators may change
its time in the admin; it is never overwritten.
"""

from django.conf import settings
from django_celery_beat.models import CrontabSchedule, PeriodicTask

TASK_NAME = "training: monthly expiry reminders to agency leads"
TASK = "training.tasks.send_monthly_reminders"


def ensure_reminder_schedule(sender=None, using="default", **kwargs) -> None:
    if PeriodicTask.objects.using(using).filter(name=TASK_NAME).exists():
        return
    crontab, _created = CrontabSchedule.objects.using(using).get_or_create(
        minute="0",
        hour="7",
        day_of_week="*",
        day_of_month="1",
        month_of_year="*",
        timezone=settings.TIME_ZONE,
    )
    PeriodicTask.objects.using(using).create(name=TASK_NAME, task=TASK, crontab=crontab)
