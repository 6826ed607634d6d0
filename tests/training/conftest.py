"""Fixtures for the training tests: eager Celery whatever the environment, and some staff."""

import pytest

from prevent_cms.celery import app as celery_app
from tests.conftest import World  # noqa: F401 - the world fixture's type
from training.courses import ensure_standard_courses
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


@pytest.fixture(autouse=True)
def _restore_standard_courses(request) -> None:
    """The migration's courses, put back if a transactional test emptied the database."""
    for name in ("transactional_db", "db"):
        if name in request.fixturenames:
            request.getfixturevalue(name)
            ensure_standard_courses()
            return


@pytest.fixture
def standard_courses(db) -> dict[str, Course]:
    return ensure_standard_courses()


@pytest.fixture
def awareness(standard_courses) -> Course:
    return standard_courses["awareness"]


@pytest.fixture
def referrals_course(standard_courses) -> Course:
    return standard_courses["referrals"]


@pytest.fixture
def refresher(standard_courses) -> Course:
    return standard_courses["refresher"]
