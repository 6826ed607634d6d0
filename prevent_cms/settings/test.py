"""Settings for the test suite: fast hashing, in-memory mail, MFA on (as in production)."""

import os
from urllib.parse import urlsplit

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")

from .base import *  # noqa: F403
from .base import BASE_DIR, REDIS_URL, caches_for, env

DATABASES = {
    "default": env.db("DATABASE_URL", default="sqlite:///:memory:"),
}
# Connections kept between requests as production keeps them (docker-compose.yml): the live
# server of the browser and schemathesis tests and the bench's gunicorn otherwise open one per
# request, about 7 ms of waiting each (docs/performance.md, 2026-12-07 (5)). The test client
# never closes its connection, whatever this says.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# scripts/test.sh migrates one database beside the static checks and names it here: each
# pytest-xdist worker's test database (and the serial phase's) is then a PostgreSQL copy of
# it (CREATE DATABASE … TEMPLATE) and only checks that nothing is left to migrate, instead of
# every worker running every migration again.
if TEST_DATABASE_TEMPLATE := env("TEST_DATABASE_TEMPLATE", default=""):
    DATABASES["default"]["TEST"] = {"TEMPLATE": TEST_DATABASE_TEMPLATE}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MFA_REQUIRED = False
# Tasks run in the test process even though make test sets REDIS_URL; tests that need a real
# worker use tests.worker.celery_worker_process, which sends them to Redis instead.
CELERY_TASK_ALWAYS_EAGER = True
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
}
# pytest-xdist runs the suite in several processes at once (PYTEST_XDIST_WORKER is gw0, gw1,
# …): each gets its own media directory and its own Redis database, as pytest-django gives each
# its own test database, so one worker's files, queued tasks or purge never reach another's.
XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
STORAGES["default"]["OPTIONS"]["location"] = str(  # noqa: F405
    BASE_DIR / (f".test-media-{XDIST_WORKER}" if XDIST_WORKER else ".test-media")
)
if REDIS_URL and XDIST_WORKER:
    # Database 0 stays for serial runs; worker gwN uses database N + 1.
    REDIS_URL = urlsplit(REDIS_URL)._replace(path=f"/{int(XDIST_WORKER[2:]) + 1}").geturl()
    CELERY_BROKER_URL = REDIS_URL
CACHES = caches_for(REDIS_URL)
# The suite makes thousands of API calls as a few people; tests of the rate limits set their own.
# Per second, not per minute: DRF's throttle keeps every request of its window in one cached
# list, read and written whole on each call, and the access matrix's tokens make thousands a
# minute; a second's window keeps the list, and the throttle's cost, small.
API_THROTTLE_RATES = {"read": "100000/second", "write": "100000/second", "job": "100000/second"}
MEDIA_ROOT = STORAGES["default"]["OPTIONS"]["location"]  # noqa: F405
