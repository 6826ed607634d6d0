import datetime

import pytest

from tests.channel.factories import channel_team


@pytest.fixture
def team(world):
    return channel_team(world)


def years_ago(years: int, days: int = 0) -> datetime.date:
    today = datetime.date.today()
    try:
        base = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        base = today.replace(year=today.year - years, day=28)
    return base - datetime.timedelta(days=days)
