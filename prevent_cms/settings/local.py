"""Local demo settings used by ``make run``: SQLite and eager Celery unless told otherwise.

Multi-factor sign-in is off by default here so the demo opens on a password sign-in.
"""

import os

os.environ.setdefault("SECRET_KEY", "local-demo-only-not-secret")

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=False)
MFA_REQUIRED = env.bool("MFA_REQUIRED", default=False)
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
WHITENOISE_USE_FINDERS = True
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage",
}
