"""Keyset ("seek") pagination for long case lists, and counts that stop early.

``OFFSET`` pagination reads and throws away every row before the page, and ``Paginator``
counts every matching row first: both grow with the table (SETUP.md §Performance: page
2,001 by ``OFFSET`` 111 ms, by keyset 0.35 ms; ``COUNT(*)`` over a million rows 172 ms). A
keyset page instead asks for the rows *after* the last one shown, in the list's own order,
which an index on that order answers by reading only the page.

Why not a library: django-cursor-pagination orders with ``NULLS LAST`` expressions, which
stops PostgreSQL using a plain ``(… DESC, …)`` index for the ordering (it sorts the whole
scope instead); DRF's ``CursorPagination`` positions on the first ordering field only
(``urgent`` here, a boolean) and falls back to offsets within it. Our orderings are over
NOT NULL columns ending in the primary key, which makes the comparison below exact. A column
may be a related one (``subject__last_name``) or an annotation of the queryset (a list sorted
by a worked-out value, issue 19), as long as it is never NULL.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import json
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL


@dataclass(frozen=True)
class KeysetPage:
    """One page of rows and the cursors to the pages either side (``None`` at an end)."""

    items: list
    next_cursor: str | None
    previous_cursor: str | None
    # How many rows the whole list holds, up to ``count_limit + 1`` (None when not asked).
    total: int | None = None
    # The values of ``carried`` read with the page; empty when the page has no rows.
    carried: dict[str, Any] = field(default_factory=dict)

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def has_other_pages(self) -> bool:
        return bool(self.next_cursor or self.previous_cursor)


def _field(queryset: QuerySet, name: str):
    """The field that reads a cursor's value of ``name``: the annotation's output field, or
    the model's field, following ``__`` across relations."""
    name = name.lstrip("-")
    annotation = queryset.query.annotations.get(name)
    if annotation is not None:
        return annotation.output_field
    model = queryset.model
    *relations, last = name.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
        if model is None:
            raise FieldDoesNotExist(name)
    return model._meta.get_field(last)


def _as_text(value) -> str:
    # Full precision: DjangoJSONEncoder cuts datetimes to the millisecond, and a cursor that
    # is off by a microsecond repeats or skips rows. ``to_python`` reads each form back.
    return value.isoformat() if isinstance(value, datetime.datetime) else str(value)


def _encode(queryset: QuerySet, ordering: tuple[str, ...], row) -> str:
    """The cursor of ``row``: a model instance, or a ``.values()`` dict holding the columns."""
    if isinstance(row, dict):
        values = [_as_text(row[name.lstrip("-")]) for name in ordering]
    else:
        values = [_as_text(getattr(row, _field(queryset, n).attname)) for n in ordering]
    raw = json.dumps(values, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(queryset: QuerySet, ordering: tuple[str, ...], cursor: str) -> list[Any] | None:
    """The ordering values a cursor names, or None for anything that is not a cursor we made
    (a tampered or truncated link shows the first page rather than an error)."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
        if not isinstance(values, list) or len(values) != len(ordering):
            return None
        return [_field(queryset, n).to_python(v) for n, v in zip(ordering, values, strict=True)]
    except (binascii.Error, ValueError, TypeError, ValidationError, FieldDoesNotExist):
        return None


def _beyond(ordering: tuple[str, ...], values: list[Any], *, backwards: bool) -> Q:
    """Rows strictly after ``values`` in ``ordering`` (before them when ``backwards``).

    The row-value comparison spelled out: (a > x) OR (a = x AND b > y) OR …, with each
    column's direction flipping ``>`` to ``<``.
    """
    condition = Q(pk__in=[])
    equal = Q()
    for name, value in zip(ordering, values, strict=True):
        column = name.lstrip("-")
        descending = name.startswith("-") != backwards
        condition |= equal & Q(**{f"{column}__{'lt' if descending else 'gt'}": value})
        equal &= Q(**{column: value})
    return condition


def _reversed(ordering: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(name[1:] if name.startswith("-") else f"-{name}" for name in ordering)


def keyset_page(
    queryset: QuerySet,
    *,
    ordering: tuple[str, ...],
    size: int,
    after: str | None = None,
    before: str | None = None,
    count_limit: int | None = None,
    counted: QuerySet | None = None,
    carried: dict[str, Any] | None = None,
) -> KeysetPage:
    """The page of ``size`` rows after cursor ``after`` (or before ``before``; else the first).

    ``ordering`` must be over NOT NULL fields of the model and end in a unique one, so every
    row has exactly one place. One query of ``size + 1`` rows tells whether more follow.
    With ``count_limit`` (``queryset`` then a ``.values()`` one) the same query also counts
    the whole list as ``count_up_to`` does, in a subquery PostgreSQL runs once: one round
    trip for the page and its count. ``counted`` is the list to count when ``queryset``
    carries joins only its columns need (``.values("subject__name")``): the count then reads
    the index alone. ``carried`` names uncorrelated subqueries the page shows beside its
    rows (the person's saved views of the list): they ride on the same query, read from its
    first row, so a page with rows costs no round trip more; with no rows they are not read.
    """
    values = _decode(queryset, ordering, after) if after else None
    backwards = False
    if values is None and before:
        values = _decode(queryset, ordering, before)
        backwards = values is not None
    scoped = queryset
    if values is not None:
        scoped = scoped.filter(_beyond(ordering, values, backwards=backwards))
    scoped = scoped.order_by(*(_reversed(ordering) if backwards else ordering))
    counted = queryset if counted is None else counted
    if count_limit is not None:
        scoped = scoped.annotate(**{TOTAL: _capped_count(counted, count_limit)})
    carried = carried or {}
    if carried:
        scoped = scoped.annotate(**carried)
    rows = list(scoped[: size + 1])
    carried_values = {name: rows[0].pop(name) for name in carried} if rows else {}
    for row in rows[1:]:
        for name in carried:
            del row[name]
    total = None
    if count_limit is not None:
        # No rows, no count: a page past the end still says how long the list is.
        total = rows[0].pop(TOTAL) if rows else count_up_to(counted, count_limit)
        for row in rows[1:]:
            del row[TOTAL]
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
        has_next, has_previous = True, more
    else:
        has_next, has_previous = more, values is not None
    return KeysetPage(
        items=rows,
        next_cursor=_encode(queryset, ordering, rows[-1]) if rows and has_next else None,
        previous_cursor=_encode(queryset, ordering, rows[0]) if rows and has_previous else None,
        total=total,
        carried=carried_values,
    )


TOTAL = "_keyset_total"


def _capped_count(queryset: QuerySet, limit: int) -> RawSQL:
    """``count_up_to`` as an expression: ``(SELECT COUNT(*) FROM (… LIMIT limit + 1))``."""
    # ``sql`` is what Django compiled for the queryset; every value in it is a parameter.
    sql, params = queryset.order_by().values("pk")[: limit + 1].query.sql_with_params()
    capped = f"SELECT COUNT(*) FROM ({sql}) AS capped"  # noqa: S608  # nosec B608
    return RawSQL(capped, params)  # noqa: S611  # nosec B611


def count_up_to(queryset: QuerySet, limit: int) -> int:
    """How many rows match, counting no further than ``limit + 1``.

    ``COUNT(*)`` over a ``LIMIT`` subquery: its cost is bounded by ``limit`` whatever the
    table holds. A result above ``limit`` means "more than ``limit``".
    """
    return queryset.order_by()[: limit + 1].count()
