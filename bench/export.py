"""Measurement 5: an officer's CSV of every case of their force against PostgreSQL's COPY.

The app side is the real feature, end to end: ``referrals.services.referral_export_request``
as the "Download these cases" page calls it, for the busiest force with closed cases
included, its job run by the task (eager, as the test settings run tasks): the job row and
outbox message, the CSV streamed by ``COPY`` into the job's file, one ``referral.exported``
audit event per case plus the export's own, committed. The floor is PostgreSQL's own ``COPY
(hand-written SELECT of the same columns) TO STDOUT`` into a sink; the harness checks the hand
SQL writes exactly the bytes of the app's file. The same run also times the two halves of the
export on their own (the file, the per-case audit rows; each rolled back), so the cost of
auditing every exported case is a figure, not a guess.

Memory: no force holds 1,000,000 cases, so the export's own writer and per-case audit
(``referrals.exports.write_csv`` and ``audit_each_case``, exactly what the task runs on the
officer's queryset) run over the first 100,000 and 1,000,000 submitted referrals of the whole
dataset (a tenth and all of it on smaller datasets), in a transaction that is rolled back.
Two figures each: the peak of Python allocations (tracemalloc) and the growth of the process's
resident memory (peak RSS during the run minus RSS before it).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
import time
import tracemalloc

REASON = "Benchmark: performance return for the whole force."
_AGE_CODES = [
    "10_and_under",
    "11_to_15",
    "16_to_17",
    "18_to_20",
    "21_to_30",
    "31_to_40",
    "41_to_50",
    "51_to_60",
    "61_and_over",
]
_SAFE = "NULLIF(regexp_replace({}, '^[=+@\\t\\r-]', '''\\&'), '')"
HAND_SQL = """SELECT {reference} AS case_reference,
  to_char((r.submitted_at AT TIME ZONE 'Europe/London')::date, 'YYYY-MM-DD')
    AS "received_on (YYYY-MM-DD)",
  r.state AS stage,
  CASE r.state {stages} END AS stage_label,
  CASE WHEN r.urgent THEN 'yes' ELSE 'no' END AS is_urgent,
  {la} AS local_authority_name,
  r.received_via AS route,
  {route_label} AS route_label,
  {sector} AS referrer_sector,
  {sector_label} AS referrer_sector_label,
  {concern} AS concern_type,
  {concern_label} AS concern_type_label,
  {suggested} AS suggested_concern_types,
  {suggested_label} AS suggested_concern_types_label,
  {gender} AS gender,
  {gender_label} AS gender_label,
  {age} AS age_group,
  {age_label} AS age_group_label
FROM referrals_referral r
JOIN referrals_subject s ON s.id = r.subject_id
JOIN accounts_localauthority la ON la.id = r.local_authority_id
JOIN accounts_agency ag ON ag.id = r.referrer_agency_id
LEFT JOIN LATERAL (SELECT p.concern_type_id FROM referrals_policeassessment p
  WHERE p.referral_id = r.id ORDER BY p.created_at DESC, p.id DESC LIMIT 1) pa ON true
WHERE r.police_force_id = %s AND r.state <> 'draft'
ORDER BY r.submitted_at, r.id"""
_AGE = """COALESCE((ARRAY[{ages}])[width_bucket(date_part('year',
    age((r.submitted_at AT TIME ZONE 'Europe/London')::date, s.date_of_birth))::int,
    ARRAY[11, 16, 18, 21, 31, 41, 51, 61]) + 1], 'unknown')"""


def _quoted(text) -> str:
    return "'{}'".format(str(text).replace("'", "''"))


def _labels(expression: str, labels: dict) -> str:
    """The label column beside a code column: its label, or NULL (empty) for no label."""
    whens = " ".join(
        f"WHEN {_quoted(code)} THEN {_quoted(label)}" for code, label in labels.items()
    )
    return f"CASE {expression} {whens} END"


def _suggested_labels(concerns: dict) -> str:
    """The labels of the referrer's suggested concern types, in their order, joined by ``; ``."""
    labels = _labels("elem", concerns)  # the app's own labels, each quoted by _quoted
    elements = "jsonb_array_elements_text(r.concern_types) WITH ORDINALITY AS t(elem, n)"
    return f"array_to_string(ARRAY(SELECT {labels} FROM {elements} ORDER BY n), '; ')"  # nosec B608 - quoted reference data, no input


def hand_sql() -> str:
    from referrals.choices import AGE_GROUP_LABELS, Gender, ReceivedVia, ReferrerSector, State
    from referrals.models import ConcernType

    stages = " ".join(f"WHEN '{code}' THEN '{label}'" for code, label in State.choices)
    sector = "COALESCE(NULLIF(r.contact_sector, ''), ag.sector)"
    concern = "COALESCE(pa.concern_type_id, r.concern_types ->> 0, 'unclear')"
    concerns = {**dict(ConcernType.objects.values_list("code", "label")), "unclear": "Unclear"}
    age = _AGE.format(ages=", ".join(f"'{code}'" for code in _AGE_CODES))
    return HAND_SQL.format(
        reference=_SAFE.format("r.reference"),
        stages=stages,
        la=_SAFE.format("la.name"),
        route_label=_labels("r.received_via", dict(ReceivedVia.choices)),
        sector=_SAFE.format(sector),
        sector_label=_labels(sector, dict(ReferrerSector.choices)),
        concern=_SAFE.format(concern),
        concern_label=_SAFE.format(_labels(concern, concerns)),
        suggested=_SAFE.format(
            "array_to_string(ARRAY(SELECT jsonb_array_elements_text(r.concern_types)), ';')"
        ),
        # Each suggested code's label, in the list's order, a code with none left out.
        suggested_label=_SAFE.format(_suggested_labels(concerns)),
        gender=_SAFE.format("s.gender"),
        gender_label=_labels("s.gender", dict(Gender.choices)),
        age=age,
        age_label=_labels(age, AGE_GROUP_LABELS),
    )


class Sink:
    """Counts bytes instead of keeping them: the floor is producing the CSV, nothing more."""

    def __init__(self, keep: bool = False):
        self.size = 0
        self.parts: list[bytes] | None = [] if keep else None

    def write(self, data) -> int:
        self.size += len(data)
        if self.parts is not None:
            self.parts.append(bytes(data))
        return len(data)


def copy_csv(force_id, keep: bool = False) -> Sink:
    from django.db import connection

    sink = Sink(keep)
    statement = f"COPY ({hand_sql()}) TO STDOUT WITH (FORMAT csv, HEADER)"
    with connection.cursor() as cursor, cursor.cursor.copy(statement, [force_id]) as copy:
        for data in copy:
            sink.write(data)
    return sink


def export_officer(force):
    from accounts.models import User

    return User.objects.filter(
        role_grants__role="prevent_officer",
        agency__local_authority__police_force=force,
        is_active=True,
    ).order_by("username")[0]


@contextlib.contextmanager
def eager_tasks():
    from celery import current_app

    before = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = True
    try:
        yield
    finally:
        current_app.conf.task_always_eager = before


def app_export(officer, jobs: list) -> None:
    """The page's request, the job run by its task, the file and the audit, committed."""
    from prevent_cms.models import Job
    from referrals.services import referral_export_request

    job = referral_export_request(actor=officer, filters={"include_closed": True}, reason=REASON)
    job.refresh_from_db()
    assert job.state == Job.State.DONE, (job.state, job.error)
    jobs.append(job)


@contextlib.contextmanager
def rolled_back():
    from django.db import transaction

    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def export_parts(queryset, officer, which: str) -> None:
    """One half of the export on ``queryset`` (the file, or the per-case audit rows)."""
    from referrals import exports

    with rolled_back():
        if which == "csv":
            with tempfile.TemporaryFile() as out:
                exports.write_csv(queryset, out)
        else:
            exports.audit_each_case(queryset, actor_id=officer.pk, job_id="bench", reason=REASON)


def _rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


class RssPeak:
    """The peak resident memory while the block runs, sampled every millisecond."""

    def __enter__(self):
        self.before = self.peak = _rss()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.001):
            self.peak = max(self.peak, _rss())

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss())

    @property
    def growth(self) -> int:
        return self.peak - self.before


def memory_run(rows: int, officer) -> dict:
    """The export's writer and per-case audit over the first ``rows`` submitted referrals."""
    from referrals import exports
    from referrals.choices import State
    from referrals.models import Referral

    queryset = Referral.objects.exclude(state=State.DRAFT).order_by("submitted_at", "id")[:rows]
    tracemalloc.start()
    try:
        with RssPeak() as rss, rolled_back(), tempfile.TemporaryFile() as out:
            exports.write_csv(queryset, out)
            audited = exports.audit_each_case(
                queryset, actor_id=officer.pk, job_id="bench", reason=REASON
            )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert audited == rows, (audited, rows)
    return {"peak": peak, "rss": rss.growth}


def export_measurements(force, timed, repeat: int) -> dict:
    from referrals.choices import State
    from referrals.models import Referral
    from referrals.selectors import referrals_for_export

    officer = export_officer(force)
    queryset = referrals_for_export(officer)
    out: dict = {"export_force_rows": queryset.count()}

    # The hand SQL must write what the app writes, byte for byte (after the app's BOM).
    jobs: list = []
    with eager_tasks():
        app_export(officer, jobs)
        app_bytes = jobs[-1].result.open("rb").read()
        jobs[-1].result.close()
        floor = b"".join(copy_csv(force.pk, keep=True).parts or [])
        out["export_same_bytes"] = app_bytes == "\ufeff".encode() + floor

        out["export_force"] = timed(lambda: app_export(officer, jobs), repeat, 0)
    out["export_force_copy"] = timed(lambda: copy_csv(force.pk), repeat, 1)
    out["export_force_csv_only"] = timed(lambda: export_parts(queryset, officer, "csv"), repeat, 0)
    out["export_force_audit_only"] = timed(
        lambda: export_parts(queryset, officer, "audit"), repeat, 0
    )
    for job in jobs:  # the files; their audit rows stay (the table is append-only)
        job.result.delete(save=False)

    rows = Referral.objects.exclude(state=State.DRAFT).count()
    small, big = min(100_000, rows // 10), min(1_000_000, rows)
    memory_run(min(small, 2000), officer)  # warm the process (imports, caches, buffers)
    started = time.perf_counter()
    small_run, big_run = memory_run(small, officer), memory_run(big, officer)
    out.update(
        {
            "export_rows_small": small,
            "export_rows_big": big,
            "export_peak_small_bytes": small_run["peak"],
            "export_peak_big_bytes": big_run["peak"],
            "export_rss_small_bytes": small_run["rss"],
            "export_rss_big_bytes": big_run["rss"],
            "export_memory_runs_s": round(time.perf_counter() - started, 1),
        }
    )
    out["export_ratio"] = round(
        out["export_force"]["median_ms"] / out["export_force_copy"]["median_ms"], 2
    )
    # What share of the whole export the per-case audit rows cost.
    out["export_audit_share"] = round(
        out["export_force_audit_only"]["median_ms"] / out["export_force"]["median_ms"], 2
    )
    return out
