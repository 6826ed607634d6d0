"""The Celery application.

With ``REDIS_URL`` set, tasks go through Redis to real workers; without it they run eagerly in
the web process, so ``make run`` needs nothing else started.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prevent_cms.settings.local")

app = Celery("prevent_cms")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
