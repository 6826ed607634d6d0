"""Settings for the test suite: fast hashing, in-memory mail, MFA on (as in production)."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-not-secret")

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DATABASES = {
    "default": env.db("DATABASE_URL", default="sqlite:///:memory:"),
}
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
STORAGES["default"]["OPTIONS"]["location"] = str(BASE_DIR / ".test-media")  # noqa: F405
MEDIA_ROOT = STORAGES["default"]["OPTIONS"]["location"]  # noqa: F405
