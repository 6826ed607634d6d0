"""Measurement 5: a CSV of every referral of a force, streamed, against PostgreSQL's COPY.

The app has no force-wide referral export yet, so this measures the pattern such an export
must use (``values_list().iterator()`` into ``csv.writer``, as a streamed response or a job
would) against ``COPY (same query) TO STDOUT``; and its peak Python memory at 100,000 rows
against 1,000,000 (or as many as the dataset has).
"""

from __future__ import annotations

import csv
import tracemalloc

COLUMNS = [
    ("reference", "r.reference"),
    ("state", "r.state"),
    ("submitted_at", "r.submitted_at"),
    ("local_authority__name", "la.name"),
    ("referrer_agency__sector", "ag.sector"),
    ("subject__gender", "s.gender"),
]
COPY_SQL = """COPY (SELECT {columns} FROM referrals_referral r
  JOIN accounts_localauthority la ON la.id = r.local_authority_id
  JOIN accounts_agency ag ON ag.id = r.referrer_agency_id
  JOIN referrals_subject s ON s.id = r.subject_id
  WHERE r.state <> 'draft' {force}
  ORDER BY r.submitted_at, r.id {limit}) TO STDOUT WITH (FORMAT csv)"""


class Sink:
    """Counts bytes instead of keeping them: the cost measured is producing the CSV."""

    def __init__(self):
        self.size = 0

    def write(self, data) -> int:
        self.size += len(data)
        return len(data)


def app_csv(force_id=None, limit: int | None = None) -> int:
    from referrals.models import Referral

    queryset = Referral.objects.exclude(state="draft")
    if force_id is not None:
        queryset = queryset.filter(police_force_id=force_id)
    queryset = queryset.order_by("submitted_at", "id").values_list(*[c for c, _s in COLUMNS])
    if limit:
        queryset = queryset[:limit]
    sink = Sink()
    writer = csv.writer(sink)
    for row in queryset.iterator(chunk_size=2000):
        writer.writerow(row)
    return sink.size


def copy_csv(force_id=None, limit: int | None = None) -> int:
    from django.db import connection

    sql = COPY_SQL.format(
        columns=", ".join(s for _c, s in COLUMNS),
        force="AND r.police_force_id = %s" if force_id is not None else "",
        limit=f"LIMIT {int(limit)}" if limit else "",
    )
    sink = Sink()
    with connection.cursor() as cursor:
        params = [force_id] if force_id is not None else []
        with cursor.cursor.copy(sql, params) as copy:
            for data in copy:
                sink.write(data)
    return sink.size


def peak_memory(fn) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def export_measurements(force, timed, repeat: int) -> dict:
    from referrals.models import Referral

    rows = Referral.objects.exclude(state="draft").count()
    small, big = min(100_000, rows // 10), min(1_000_000, rows)
    return {
        "export_force": timed(lambda: app_csv(force.pk), repeat, 1),
        "export_force_copy": timed(lambda: copy_csv(force.pk), repeat, 1),
        "export_rows_small": small,
        "export_rows_big": big,
        "export_peak_small_bytes": peak_memory(lambda: app_csv(limit=small)),
        "export_peak_big_bytes": peak_memory(lambda: app_csv(limit=big)),
    }
