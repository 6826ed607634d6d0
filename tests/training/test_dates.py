"""Expiry arithmetic: month ends, leap days, and the status boundaries."""

from datetime import date, timedelta

import pytest

from training.dates import Status, add_months, expiring_soon_cutoff, status_for


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2024, 3, 15), 24, date(2026, 3, 15)),
        (date(2024, 3, 15), 12, date(2025, 3, 15)),
        # Month ends clamp to the shorter month's last day.
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2025, 3, 31), 1, date(2025, 4, 30)),
        (date(2025, 8, 31), 24, date(2027, 8, 31)),
        (date(2025, 10, 31), 4, date(2026, 2, 28)),
        # Leap days: a year on is 28 February; four years on is 29 February again.
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2024, 2, 29), 24, date(2026, 2, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2023, 2, 28), 12, date(2024, 2, 28)),
        # Across the year end, and backwards.
        (date(2025, 12, 15), 1, date(2026, 1, 15)),
        (date(2025, 11, 30), 3, date(2026, 2, 28)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 15), -24, date(2024, 1, 15)),
        (date(2025, 6, 10), 0, date(2025, 6, 10)),
    ],
)
def test_add_months(start, months, expected):
    assert add_months(start, months) == expected


def test_add_months_keeps_the_day_whenever_it_exists():
    start = date(2020, 1, 1)
    for months in range(0, 120):
        assert add_months(start, months).day == 1


def test_status_boundaries():
    on = date(2026, 1, 1)
    cutoff = expiring_soon_cutoff(on)
    assert cutoff == on + timedelta(days=60)
    assert status_for(on - timedelta(days=1), on) == Status.EXPIRED
    assert status_for(on, on) == Status.EXPIRED  # runs out on its expiry date
    assert status_for(on + timedelta(days=1), on) == Status.EXPIRING_SOON
    assert status_for(cutoff, on) == Status.EXPIRING_SOON
    assert status_for(cutoff + timedelta(days=1), on) == Status.CURRENT


def test_expiring_soon_window_is_configurable(settings):
    settings.TRAINING_EXPIRING_SOON_DAYS = 30
    on = date(2026, 1, 1)
    assert status_for(on + timedelta(days=45), on) == Status.CURRENT
    assert status_for(on + timedelta(days=30), on) == Status.EXPIRING_SOON
