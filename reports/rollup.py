"""Keeping the statistics rollup (``ReferralStatistics``, issue 25) up to date.

A force's year at 1,000,000 referrals took about two seconds worked out live (five tables,
three correlated subqueries per referral); read from one narrow row per referral it takes a
few tens of milliseconds. The rows are written here, never by hand: each is
``reports.selectors.statistics_referral_rows`` (the live query's own expressions) for one
referral, so the rollup cannot disagree with the live statistics about a rule.

When a row is rewritten:

- after every lifecycle step, in the step's transaction (``statistics_after_step``, an
  every-step hook of ``referrals.lifecycle``): a case's outcome changes with its state;
- for everything else (a police assessment, a panel held, a corrected date of birth, an
  agency's sector, a transfer...), database triggers put the referral on the stale list in
  the changing transaction and ``statistics_rollup_refresh_stale`` (a periodic task, every
  minute) rewrites it. Until then the statistics read that referral live, so a report never
  shows a stale figure, only a slightly slower query.

These are maintenance writes of a derived table, not business actions: no actor, no audit.
"""

from __future__ import annotations

from collections.abc import Iterable
from uuid import UUID

from django.db import connection, transaction

from .selectors import ROLLUP_FIELDS, statistics_referral_rows

# How many stale referrals one refresh rewrites at a time: one INSERT … SELECT each batch.
BATCH = 5_000
_COLUMNS = ", ".join(ROLLUP_FIELDS)
_INSERT = "INSERT INTO reports_referralstatistics ({columns}) {select}"


def _write_rows(cursor, referral_ids: list[UUID] | None) -> int:
    """Insert the live rows of these referrals (of every submitted referral with ``None``)."""
    rows = statistics_referral_rows()
    if referral_ids is None:
        # A report reads one area's period: written in that order, its rows share pages.
        rows = rows.order_by("police_force_id", "submitted_at")
    else:
        rows = rows.filter(pk__in=referral_ids)
    sql, params = rows.query.sql_with_params()
    cursor.execute(_INSERT.format(columns=_COLUMNS, select=sql), params)
    return cursor.rowcount


@transaction.atomic
def statistics_rollup_refresh(*, referral_ids: Iterable[UUID | str]) -> int:
    """Rewrite the rollup rows of these referrals from the live expressions and take them
    off the stale list; a draft (or a referral deleted since) gets no row. Returns how many
    rows were written.

    The stale rows are deleted first: a writer that marked one and has not committed holds
    its lock (the triggers upsert), so this waits and then reads what it wrote.
    """
    ids = [UUID(str(referral_id)) for referral_id in referral_ids]
    if not ids or connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM reports_statisticsstale WHERE referral_id = ANY(%s)", [ids])
        cursor.execute("DELETE FROM reports_referralstatistics WHERE referral_id = ANY(%s)", [ids])
        return _write_rows(cursor, ids)


def statistics_rollup_refresh_stale(*, batch: int = BATCH) -> int:
    """Rewrite every referral on the stale list, ``batch`` at a time, each batch its own
    transaction (``SKIP LOCKED``: two runs at once share the work). Returns how many."""
    if connection.vendor != "postgresql":
        return 0
    done = 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT referral_id FROM reports_statisticsstale ORDER BY marked_at"
                " LIMIT %s FOR UPDATE SKIP LOCKED",
                [batch],
            )
            ids = [row[0] for row in cursor.fetchall()]
            if not ids:
                return done
            statistics_rollup_refresh(referral_ids=ids)
            done += len(ids)


@transaction.atomic
def statistics_rollup_rebuild() -> int:
    """Write the whole rollup again (after a bulk load that ran without triggers, such as
    ``bench.synthetic``, or to repair it). Returns the number of rows."""
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE reports_referralstatistics, reports_statisticsstale")
        return _write_rows(cursor, None)


def statistics_after_step(referral, *, name: str, from_state: str, actor) -> None:
    """The every-step hook: a case's row is rewritten in the transaction of its step."""
    statistics_rollup_refresh(referral_ids=[referral.pk])
