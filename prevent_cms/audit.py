"""The audit service: one function every app calls to record what someone did or saw."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

from django.db import connection, models

from .models import AuditEvent, AuditTally

# Objects whose pages show "who has seen this" from ``AuditTally`` (a case's page).
TALLIED_TYPES = frozenset({"referrals.referral"})

_local = threading.local()


def set_request_id(request_id: str) -> None:
    _local.request_id = request_id


def current_request_id() -> str:
    return getattr(_local, "request_id", "")


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    reason: str = "",
    detail: dict | None = None,
) -> AuditEvent:
    """Write one audit event in the caller's transaction.

    Call it inside the same ``transaction.atomic`` block as the change it records, so the
    event and the change commit or roll back together. ``detail`` holds codes and ids only.
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    actor_id = getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None
    event = AuditEvent.objects.create(
        actor_id=actor_id,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        request_id=current_request_id(),
        reason=reason[:500],
        detail=detail or {},
    )
    _tally([event])
    return event


def audit_record_many(
    *,
    actor: Any,
    action: str,
    targets: Iterable[models.Model | tuple[str, str]],
    reason: str = "",
    detail: dict | None = None,
) -> list[AuditEvent]:
    """Write one event per target in a single INSERT, in the caller's transaction.

    For one act that touches many objects at once — a panel pack holds several cases, and
    each case's access log must show it. A target is a model instance or an
    ``(object_type, object_id)`` pair (when only ids are at hand). ``detail`` holds codes and
    ids only and is the same for every event.
    """
    actor_id = getattr(actor, "pk", None) if getattr(actor, "is_authenticated", False) else None
    request_id = current_request_id()
    events = []
    for target in targets:
        if isinstance(target, models.Model):
            object_type, object_id = target._meta.label_lower, str(target.pk)
        else:
            object_type, object_id = target
        events.append(
            AuditEvent(
                actor_id=actor_id,
                action=action,
                object_type=object_type,
                object_id=str(object_id),
                request_id=request_id,
                reason=reason[:500],
                detail=dict(detail or {}),
            )
        )
    created = AuditEvent.objects.bulk_create(events)
    _tally(created)
    return created


_TALLY_SQL = """
INSERT INTO {table} (object_type, object_id, actor_key, actor_id, events, last_at)
VALUES {rows}
ON CONFLICT (object_type, object_id, actor_key)
DO UPDATE SET events = {table}.events + EXCLUDED.events, last_at = EXCLUDED.last_at
""".strip()


def _tally(events: list[AuditEvent]) -> None:
    """Add ``events`` to ``AuditTally``: one statement, whatever the number of events.

    An upsert, so two requests counting the same person at once both count; keys in sorted
    order, so two multi-row upserts never wait on each other's rows in opposite orders.
    """
    counts: dict[tuple[str, str, str], list] = {}
    for event in events:
        if event.object_type not in TALLIED_TYPES or not event.object_id:
            continue
        actor_key = str(event.actor_id) if event.actor_id else ""
        key = (event.object_type, event.object_id, actor_key)
        entry = counts.setdefault(key, [event.actor_id, 0, event.at])
        entry[1] += 1
        entry[2] = max(entry[2], event.at)
    if not counts:
        return
    actor_field = AuditTally._meta.get_field("actor").target_field
    at_field = AuditTally._meta.get_field("last_at")
    rows, params = [], []
    for key in sorted(counts):
        actor_id, number, last_at = counts[key]
        rows.append("(%s, %s, %s, %s, %s, %s)")
        params += [
            *key,
            actor_field.get_db_prep_value(actor_id, connection),
            number,
            at_field.get_db_prep_value(last_at, connection),
        ]
    table = connection.ops.quote_name(AuditTally._meta.db_table)
    sql = _TALLY_SQL.format(table=table, rows=", ".join(rows))
    with connection.cursor() as cursor:
        # Only placeholders and the model's own table name are formatted into the SQL.
        cursor.execute(sql, params)  # nosec B608


def audit_tally_events(events: list[AuditEvent]) -> None:
    """Count events written without ``audit_record``/``audit_record_many`` (a bulk export)."""
    _tally(events)


_TALLY_SELECT_SQL = """
INSERT INTO {table} (object_type, object_id, actor_key, actor_id, events, last_at)
SELECT %s, ids.id::text, %s, %s, 1, %s FROM ({select}) AS ids(id)
ON CONFLICT (object_type, object_id, actor_key)
DO UPDATE SET events = {table}.events + 1, last_at = GREATEST({table}.last_at, EXCLUDED.last_at)
""".strip()


def audit_tally_select(*, select: str, params: list, object_type: str, actor_id, at) -> None:
    """Count one event per id that ``select`` yields (PostgreSQL), in one statement.

    For an ``INSERT … SELECT`` into the trail (the case-list export writes 200,000 events that
    way, with no id passing through Python): the same ids are counted the same way here, so
    "who has seen this case" names the exporter too. ``select`` is a queryset's compiled SQL
    of one id column; its values stay parameters.
    """
    if object_type not in TALLIED_TYPES:
        return
    table = connection.ops.quote_name(AuditTally._meta.db_table)
    sql = _TALLY_SELECT_SQL.format(table=table, select=select)
    actor_key = str(actor_id) if actor_id else ""
    with connection.cursor() as cursor:
        # Only the model's own table name and a queryset's compiled SQL are formatted in.
        cursor.execute(sql, [object_type, actor_key, actor_id, at, *params])  # nosec B608
