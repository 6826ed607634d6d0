"""Fixtures for the training tests: eager Celery whatever the environment, and some staff."""

import pytest

from prevent_cms.celery import app as celery_app
from tests.conftest import World  # noqa: F401 - the world fixture's type
from training.models import Course


@pytest.fixture(autouse=True)
def eager_celery():
    """Tasks run in-process here, even where REDIS_URL is set for the whole suite."""
    previous = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = previous


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded certificates and import files go to a throwaway folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def awareness(db) -> Course:
    return Course.objects.get(code="awareness")


@pytest.fixture
def referrals_course(db) -> Course:
    return Course.objects.get(code="referrals")


@pytest.fixture
def refresher(db) -> Course:
    return Course.objects.get(code="refresher")
