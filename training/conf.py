"""Training settings with their defaults. Override any of them in Django settings.

Read through these functions (never at import time) so tests and deployments can change them.
"""

from django.conf import settings


def _get(name: str, default):
    return getattr(settings, name, default)


def full_course_months() -> int:
    """How long a full course stays valid when the course names no period of its own."""
    return _get("TRAINING_FULL_COURSE_MONTHS", 24)


def refresher_months() -> int:
    """How long a refresher stays valid when the course names no period of its own."""
    return _get("TRAINING_REFRESHER_MONTHS", 12)


def expiring_soon_days() -> int:
    """Training that runs out within this many days is ``expiring_soon``."""
    return _get("TRAINING_EXPIRING_SOON_DAYS", 60)


def reminder_days() -> int:
    """The monthly reminder lists staff whose training runs out within this many days."""
    return _get("TRAINING_REMINDER_DAYS", 60)


def certificate_max_bytes() -> int:
    return _get("TRAINING_CERTIFICATE_MAX_BYTES", _get("MAX_ATTACHMENT_BYTES", 10 * 1024 * 1024))


def import_max_bytes() -> int:
    """Largest spreadsheet accepted for a bulk import (a 10,000-row CSV is about 1.5 MB)."""
    return _get("TRAINING_IMPORT_MAX_BYTES", 5 * 1024 * 1024)


def import_max_rows() -> int:
    return _get("TRAINING_IMPORT_MAX_ROWS", 10_000)


def import_inline_rows() -> int:
    """Files with more rows than this are checked and imported as background jobs."""
    return _get("TRAINING_IMPORT_INLINE_ROWS", 200)


def earliest_completion_year() -> int:
    """Completion dates before this year are treated as typing mistakes."""
    return _get("TRAINING_EARLIEST_COMPLETION_YEAR", 2000)
