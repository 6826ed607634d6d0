"""Date arithmetic for training expiry. Pure functions: no database, easy to test.

A course completed on 31 January and valid for one month runs out on the last day of
February (28th or 29th); one completed on 29 February 2024 and valid for 12 months runs out on
28 February 2025. The record is in date up to the day before ``expires_on``; on ``expires_on``
itself it is expired, so "next due" and "expires" are the same date.
"""

import calendar
from datetime import date, timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prevent_cms.clocks import TRAINING_EXPIRY

from . import conf


class Status(models.TextChoices):
    CURRENT = "current", _("Current")
    EXPIRING_SOON = "expiring_soon", _("Expiring soon")
    EXPIRED = "expired", _("Expired")


def today() -> date:
    """Today in the service's time zone."""
    return timezone.localdate()


def add_months(start: date, months: int) -> date:
    """``start`` plus whole calendar months, clamped to the end of a shorter month."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last_day))


def expiring_soon_cutoff(on: date | None = None) -> date:
    """The last ``expires_on`` that still counts as expiring soon (rather than current)."""
    return (on or today()) + timedelta(days=conf.expiring_soon_days())


def status_for(expires_on: date, on: date | None = None) -> str:
    on = on or today()
    if TRAINING_EXPIRY.breached(expires_on, on):
        return Status.EXPIRED
    if expires_on <= expiring_soon_cutoff(on):
        return Status.EXPIRING_SOON
    return Status.CURRENT


def month_start(on: date | None = None) -> date:
    return (on or today()).replace(day=1)
