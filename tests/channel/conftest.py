import datetime
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from channel.reference_data import ensure_vaf
from tests.channel.factories import channel_team

_CONCERNS = importlib.import_module("referrals.migrations.0002_concern_types_2024_scheme")


@pytest.fixture
def reference_data(db):
    """Data migrations' rows, again: a transactional test elsewhere may have flushed them."""
    ensure_vaf()
    _CONCERNS.load(apps, None)


@pytest.fixture
def team(world, reference_data):
    return channel_team(world)


def years_ago(years: int, days: int = 0) -> datetime.date:
    today = timezone.localdate()
    try:
        base = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        base = today.replace(year=today.year - years, day=28)
    return base - datetime.timedelta(days=days)


from tests.worker import celery_worker_factory, celery_worker_process  # noqa: E402, F401
