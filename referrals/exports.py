"""The officer's case list as CSV: every case of their force (or the queue's filters), streamed.

Rows come from ``selectors.referrals_for_export`` (``referrals_visible_to`` plus the queue's
filters). The columns are what a performance return needs and as little personal data as
that allows: no names, addresses, dates of birth or free text, only codes, a date and an age
group. Each column is one ORM expression, so both ways of writing the file read the same
query:

- on PostgreSQL, ``COPY (<the compiled SQL of the queryset's values_list()>) TO STDOUT WITH
  (FORMAT csv, HEADER)`` through psycopg 3, chunk by chunk into the job's file, with formula
  neutralisation done in SQL (``FormulaSafe``): nothing the size of the file is ever in memory;
- elsewhere (SQLite for ``make run``), ``values_list().iterator()`` into ``csv.writer`` with
  ``prevent_cms.spreadsheet.formula_safe``. Tests prove the two write the same bytes.

Every exported case gets its own ``referral.exported`` audit event (its access log shows who
exported it and why), written in one statement from the same queryset, in the transaction
that marks the job done; on PostgreSQL that transaction is REPEATABLE READ, so the file and
the audit rows name exactly the same cases.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from django.core.files.uploadedfile import TemporaryUploadedFile
from django.db import connection, transaction
from django.db.models import (
    Case,
    CharField,
    F,
    Func,
    OuterRef,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce, TruncDate
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import LocalAuthority, Sector
from partnership.models import DisclosureKind
from prevent_cms.audit import (
    audit_record,
    audit_tally_events,
    audit_tally_select,
    current_request_id,
)
from prevent_cms.errors import DisclosureRefused, GuardFailed
from prevent_cms.jobs import job_fail, job_finish, job_start
from prevent_cms.models import AuditEvent, Job
from prevent_cms.registry import JobPage
from prevent_cms.spreadsheet import FORMULA_SQL_PATTERN, date_header, formula_safe

from .choices import AGE_GROUP_LABELS, AGE_GROUPS, Gender, ReceivedVia, ReferrerSector, State
from .disclosures import disclosures_record
from .models import ConcernType, PoliceAssessment, Referral
from .permissions import may_export_referrals
from .selectors import referrals_for_export, referrals_visible_to, referrer_sector

EXPORT_KIND = "referrals.case_list_export"
REQUESTED = "referrals.export_requested"
EXPORTED = "referrals.exported"  # the one event for the whole export
CASE_EXPORTED = "referral.exported"  # one per exported case, in its access log
UNKNOWN_AGE = "unknown"
UNCLEAR_CONCERN = "unclear"
CODE_SEPARATOR = ";"
LABEL_SEPARATOR = "; "
DATE_COLUMNS = frozenset({"received_on"})
# Columns whose text comes from data (not from this module's constants): neutralised.
TEXT_COLUMNS = frozenset(
    {
        "case_reference",
        "local_authority_name",
        "referrer_sector",
        "concern_type",
        "concern_type_label",
        "suggested_concern_types",
        "suggested_concern_types_label",
        "gender",
    }
)
BOM = "\ufeff".encode()  # so spreadsheet programs read the file as UTF-8 (Welsh names)
_AUDIT_BATCH = 2000


class TextOnPostgres(Func):
    """One argument as text: rewritten in SQL by ``as_postgresql`` (the COPY path), left as
    it is elsewhere, where the Python writer does the same work."""

    arity = 1
    output_field = CharField()

    def as_sql(self, compiler, connection, **extra_context):
        return compiler.compile(self.source_expressions[0])


class FormulaSafe(TextOnPostgres):
    """Text a spreadsheet will not run as a formula, and NULL for empty text, in SQL.

    PostgreSQL only (the COPY path): ``regexp_replace`` puts an apostrophe before a leading
    ``= + - @``, tab or CR — the rule of ``prevent_cms.spreadsheet`` — reading its argument
    once, so a subquery is not run three times. NULL for '' because COPY writes '' as ``""``
    where ``csv.writer`` writes nothing. Elsewhere it is its argument, and the Python writer
    applies ``formula_safe``.
    """

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return (
            f"NULLIF(regexp_replace({sql}, %s, %s), '')",
            (*params, FORMULA_SQL_PATTERN, "'\\&"),
        )


class IsoDate(TextOnPostgres):
    """A date as ``YYYY-MM-DD`` text whatever the server's DateStyle (SQLite's already is)."""

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"to_char({sql}, 'YYYY-MM-DD')", params


class JoinedCodes(Func):
    """The strings of a JSON list joined with ``;`` (the referrer's suggested concern types)."""

    arity = 1
    output_field = CharField()

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        # Only compiled SQL of this module's own expressions and a constant are interpolated.
        array = f"CASE WHEN json_type({sql}) = 'array' THEN"
        joined = f"(SELECT group_concat(value, '{CODE_SEPARATOR}') FROM json_each({sql}))"  # noqa: S608  # nosec B608 - compiled column SQL only
        return f"{array} {joined} END", (*params, *params)

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        return (
            f"array_to_string(ARRAY(SELECT jsonb_array_elements_text(CASE WHEN "
            f"jsonb_typeof({sql}) = 'array' THEN {sql} END)), '{CODE_SEPARATOR}')",
            (*params, *params),
        )


class JoinedLabels(Func):
    """The labels of the codes in a JSON list, in the list's order, joined with ``; `` (the
    referrer's suggested concern types, for the column beside their codes); a code with no
    label is left out, so no code is shown as if it were words."""

    arity = 1
    output_field = CharField()

    def __init__(self, expression, *, labels: dict[str, str], **extra):
        super().__init__(expression, **extra)
        self.labels = labels

    def _case(self, element: str) -> tuple[str, list[str]]:
        """``element`` (a column name of the set-returning function) mapped to its label."""
        whens = " ".join(["WHEN %s THEN %s"] * len(self.labels))
        params = [text for pair in self.labels.items() for text in pair]
        return f"CASE {element} {whens} END", params

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        case, case_params = self._case("value")
        # Only compiled SQL of this module's own expressions and placeholders are interpolated.
        joined = f"(SELECT group_concat({case}, '{LABEL_SEPARATOR}') FROM json_each({sql}))"  # noqa: S608  # nosec B608 - compiled column SQL only
        return f"CASE WHEN json_type({sql}) = 'array' THEN {joined} END", (
            *params,
            *case_params,
            *params,
        )

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        case, case_params = self._case("elem")
        elements = (
            f"jsonb_array_elements_text(CASE WHEN jsonb_typeof({sql}) = 'array' THEN {sql} END)"
        )
        # Only compiled SQL of this module's own expressions and placeholders are interpolated.
        labels = f"SELECT {case} FROM {elements} WITH ORDINALITY AS t(elem, n) ORDER BY n"  # noqa: S608  # nosec B608 - compiled column SQL only
        return (
            f"NULLIF(array_to_string(ARRAY({labels}), '{LABEL_SEPARATOR}'), '')",
            (*case_params, *params, *params),
        )


class AgeGroup(Func):
    """The DOMAIN.md age group of someone born on ``dob`` on ``day``: whole years, birthdays
    counted as ``Subject.age_on`` counts them; ``unknown`` without a date of birth.

    PostgreSQL computes the age once per row (``age`` and ``width_bucket``); other databases
    compare ``YYYYMMDD`` numbers, whose difference divided by 10,000 is the same whole years.
    """

    arity = 2
    output_field = CharField()

    def as_sql(self, compiler, connection, **extra_context):
        (day, day_params), (dob, dob_params) = map(compiler.compile, self.source_expressions)
        years = (
            f"((CAST(REPLACE({day}, '-', '') AS INTEGER)"
            f" - CAST(REPLACE({dob}, '-', '') AS INTEGER)) / 10000)"
        )
        branches, params = [], [*dob_params, *day_params, UNKNOWN_AGE]
        for code, _low, high in AGE_GROUPS[:-1]:
            branches.append(f"WHEN {years} <= %s THEN %s")
            params += [*day_params, *dob_params, high, code]
        sql = f"CASE WHEN {dob} IS NULL OR {day} IS NULL THEN %s {' '.join(branches)} ELSE %s END"
        return sql, (*params, AGE_GROUPS[-1][0])

    def as_postgresql(self, compiler, connection, **extra_context):
        (day, day_params), (dob, dob_params) = map(compiler.compile, self.source_expressions)
        codes = ", ".join(["%s"] * len(AGE_GROUPS))
        bounds = ", ".join(["%s"] * (len(AGE_GROUPS) - 1))
        sql = (
            f"COALESCE((ARRAY[{codes}]::text[])[width_bucket("
            f"date_part('year', age({day}, {dob}))::int, ARRAY[{bounds}]::int[]) + 1], %s)"
        )
        return sql, (
            *[code for code, _low, _high in AGE_GROUPS],
            *day_params,
            *dob_params,
            *[low for _code, low, _high in AGE_GROUPS[1:]],
            UNKNOWN_AGE,
        )


def export_columns(*, formula_safe_in_sql: bool) -> dict[str, Any]:
    """Header → expression, in file order. Labels are read in the active language."""
    safe = FormulaSafe if formula_safe_in_sql else (lambda expression: expression)
    latest_assessment = (
        PoliceAssessment.objects.filter(referral=OuterRef("pk"))
        .order_by("-created_at", "-pk")
        .values("concern_type_id")[:1]
    )
    received = TruncDate("submitted_at")
    concern_type = Coalesce(
        Subquery(latest_assessment),
        KT("concern_types__0"),
        Value(UNCLEAR_CONCERN),
        output_field=CharField(),
    )
    # Stored in English, looked up in the asker's language (ConcernType.__str__).
    concern_labels = {
        **{code: _(label) for code, label in ConcernType.objects.values_list("code", "label")},
        UNCLEAR_CONCERN: _("Unclear"),
    }
    age_group = AgeGroup(received, F("subject__date_of_birth"))
    return {
        "case_reference": safe(F("reference")),
        "received_on": IsoDate(received),
        "stage": F("state"),
        "stage_label": _labelled(F("state"), dict(State.choices)),
        "is_urgent": Case(
            When(urgent=True, then=Value("yes")), default=Value("no"), output_field=CharField()
        ),
        "local_authority_name": safe(F("local_authority__name")),
        "route": F("received_via"),
        "route_label": _labelled(F("received_via"), dict(ReceivedVia.choices)),
        "referrer_sector": safe(referrer_sector()),
        "referrer_sector_label": _labelled(referrer_sector(), dict(ReferrerSector.choices)),
        # As the statistics count it: the police's type of concern from the latest
        # assessment, else the referrer's first suggestion, else "unclear".
        "concern_type": safe(concern_type),
        "concern_type_label": safe(_labelled(concern_type, concern_labels)),
        "suggested_concern_types": safe(JoinedCodes("concern_types")),
        "suggested_concern_types_label": safe(JoinedLabels("concern_types", labels=concern_labels)),
        "gender": safe(F("subject__gender")),
        "gender_label": _labelled(F("subject__gender"), dict(Gender.choices)),
        "age_group": age_group,
        "age_group_label": _labelled(age_group, AGE_GROUP_LABELS),
    }


def _labelled(code, labels: dict) -> Case:
    """The label of the code ``code`` evaluates to, in the active language, for the column
    beside it (issue 19: analysts filter on codes, people read labels); empty for a code with
    no label, so no code is shown as if it were words."""
    return Case(
        *[When(Exact(code, Value(key)), then=Value(str(label))) for key, label in labels.items()],
        default=Value(None),
        output_field=CharField(),
    )


def export_rows(queryset: QuerySet[Referral], *, formula_safe_in_sql: bool) -> QuerySet:
    """``queryset`` as the export's columns (a ``values_list`` queryset, same order)."""
    columns = export_columns(formula_safe_in_sql=formula_safe_in_sql)
    return queryset.annotate(**columns).values_list(*columns)


def export_headers() -> list[str]:
    """The header row: each column's name, a date column's with its pattern
    (``prevent_cms.spreadsheet.date_header``); the same in every language."""
    return [
        date_header(name) if name in DATE_COLUMNS else name
        for name in export_columns(formula_safe_in_sql=False)
    ]


def copy_sql(rows: QuerySet) -> tuple[str, tuple]:
    """The COPY statement streaming ``rows`` (an ``export_rows`` queryset) as CSV, without
    its header (column aliases cannot hold the date pattern: ``write_csv_copy`` writes it)."""
    sql, params = rows.query.sql_with_params()
    return f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", tuple(params)


def write_csv_copy(queryset: QuerySet[Referral], out: IO[bytes]) -> None:
    """PostgreSQL: COPY writes the CSV; each chunk goes straight to ``out``."""
    statement, params = copy_sql(export_rows(queryset, formula_safe_in_sql=True))
    out.write(BOM)
    out.write((",".join(export_headers()) + "\n").encode())
    with connection.cursor() as cursor, cursor.cursor.copy(statement, params) as copy:
        for chunk in copy:
            out.write(chunk)


class _CopyLineEnds:
    r"""Gives ``csv.writer``'s rows COPY's ``\n`` line end.

    The writer quotes a field containing any character of its line terminator, and COPY
    quotes any field with a CR or LF; so the writer ends rows with ``\r\n`` (both characters
    then force quotes, as in COPY) and this swaps that ending for ``\n``. ``writerow`` makes
    exactly one ``write`` call per row.
    """

    def __init__(self, stream: IO[str]):
        self.stream = stream

    def write(self, row: str) -> int:
        return self.stream.write(row[:-2] + "\n")


def write_csv_rows(queryset: QuerySet[Referral], out: IO[bytes]) -> None:
    """Any database: the same columns row by row through ``csv.writer``, 2,000 at a time."""
    columns = list(export_columns(formula_safe_in_sql=False))
    text = [name in TEXT_COLUMNS for name in columns]
    out.write(BOM)
    stream = io.TextIOWrapper(out, encoding="utf-8", newline="")
    try:
        # COPY's CSV: quotes only where needed, NULL and '' both empty, "\n" line ends.
        writer = csv.writer(_CopyLineEnds(stream), lineterminator="\r\n")
        writer.writerow(export_headers())
        rows = export_rows(queryset, formula_safe_in_sql=False).iterator(chunk_size=2000)
        for row in rows:
            writer.writerow(
                [
                    formula_safe(value) if value and is_text else value
                    for value, is_text in zip(row, text, strict=True)
                ]
            )
        stream.flush()
    finally:
        stream.detach()


def write_csv(queryset: QuerySet[Referral], out: IO[bytes]) -> None:
    if connection.vendor == "postgresql":
        write_csv_copy(queryset, out)
    else:
        write_csv_rows(queryset, out)


def audit_each_case(queryset: QuerySet[Referral], *, actor_id, job_id, reason: str, at=None) -> int:
    """One ``referral.exported`` event per case of ``queryset``; returns how many.

    PostgreSQL: a single ``INSERT … SELECT`` from the queryset's own SQL, so no id passes
    through Python. Elsewhere: ``bulk_create`` in batches of 2,000.
    """
    at = at or timezone.now()
    detail = {"via": "export", "job": str(job_id)}
    ids = queryset.values_list("pk")
    if not ids.query.is_sliced:  # a slice needs its order to pick the same rows as the file
        ids = ids.order_by()
    if connection.vendor == "postgresql":
        sql, params = ids.query.sql_with_params()
        quote = connection.ops.quote_name
        fields = ["at", "actor", "action", "object_type", "object_id", "request_id", "reason"]
        columns = [AuditEvent._meta.get_field(name).column for name in [*fields, "detail"]]
        # Interpolated: quoted model table and column names, and the queryset's compiled SQL
        # (its values are parameters). Nothing here comes from a request.
        statement = (
            f"INSERT INTO {quote(AuditEvent._meta.db_table)} "  # noqa: S608  # nosec B608
            f"({', '.join(quote(c) for c in columns)}) "
            f"SELECT %s, %s, %s, %s, ids.id::text, %s, %s, %s::jsonb FROM ({sql}) AS ids(id)"
        )
        with connection.cursor() as cursor:
            cursor.execute(
                statement,
                [
                    at,
                    actor_id,
                    CASE_EXPORTED,
                    Referral._meta.label_lower,
                    current_request_id(),
                    reason,
                    json.dumps(detail),
                    *params,
                ],
            )
            written = cursor.rowcount
        audit_tally_select(
            select=sql,
            params=list(params),
            object_type=Referral._meta.label_lower,
            actor_id=actor_id,
            at=at,
        )
        return written
    written, batch = 0, []
    for (pk,) in ids.iterator(chunk_size=_AUDIT_BATCH):
        batch.append(
            AuditEvent(
                at=at,
                actor_id=actor_id,
                action=CASE_EXPORTED,
                object_type=Referral._meta.label_lower,
                object_id=str(pk),
                request_id=current_request_id(),
                reason=reason,
                detail=detail,
            )
        )
        if len(batch) == _AUDIT_BATCH:
            audit_tally_events(AuditEvent.objects.bulk_create(batch))
            written, batch = written + len(batch), []
    audit_tally_events(AuditEvent.objects.bulk_create(batch))
    return written + len(batch)


# --- The job: its parameters, the request's reason, and the work.

FILTER_DEFAULTS: dict[str, Any] = {
    "state": "",
    "local_authority": "",
    "sector": "",
    "urgent": False,
    "overdue": False,
    "include_closed": True,
}


def export_params(user, filters: dict) -> dict:
    """The filters as codes and ids only (stored on the job and in the audit trail).

    Raises ``GuardFailed`` for a stage, sector or local authority the queue does not offer.
    """
    params = {**FILTER_DEFAULTS}
    state = filters.get("state") or ""
    if state and (state not in State.values or state == State.DRAFT):
        raise GuardFailed({"state": _("Select a stage from the list")})
    sector = filters.get("sector") or ""
    if sector and sector not in Sector.values:
        raise GuardFailed({"sector": _("Select a sector from the list")})
    local_authority = filters.get("local_authority") or ""
    local_authority = str(getattr(local_authority, "pk", local_authority))
    if local_authority and not _force_local_authority(user, local_authority):
        raise GuardFailed({"local_authority": _("Select a local authority from the list")})
    params.update(
        state=state,
        sector=sector,
        local_authority=local_authority,
        urgent=bool(filters.get("urgent")),
        overdue=bool(filters.get("overdue")),
        include_closed=bool(filters.get("include_closed", True)),
    )
    return params


def _force_local_authority(user, local_authority_id: str) -> bool:
    try:
        uuid.UUID(local_authority_id)
    except ValueError:
        return False
    return LocalAuthority.objects.filter(
        pk=local_authority_id, police_force_id=user.police_force_id
    ).exists()


def export_queryset(user, params: dict) -> QuerySet[Referral]:
    """The cases a job with ``params`` exports for ``user``, read now (visibility included)."""
    return referrals_for_export(
        user,
        state=params.get("state") or "",
        local_authority=params.get("local_authority") or None,
        sector=params.get("sector") or "",
        urgent=bool(params.get("urgent")),
        overdue=bool(params.get("overdue")),
        include_closed=bool(params.get("include_closed", True)),
    )


def requested_reason(job: Job) -> str:
    """Why the export was asked for. Kept in the audit trail, not on the job or the broker:
    it is free text and may name someone."""
    reason = (
        AuditEvent.objects.filter(
            action=REQUESTED, object_type=Job._meta.label_lower, object_id=str(job.pk)
        )
        .order_by("id")
        .values_list("reason", flat=True)
        .first()
    )
    return reason or ""


@contextmanager
def one_snapshot() -> Iterator[None]:
    """A transaction whose reads all see the same data, so the file and the per-case audit
    rows name the same cases: REPEATABLE READ on PostgreSQL when this opens the transaction;
    inside a caller's transaction (tests, the bench), that transaction's own."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def referral_export_run(*, job_id) -> int | None:
    """Write the export of job ``job_id``: the CSV file and the audit, once. Returns the rows.

    May run twice (a redelivery after a worker died, with ``acks_late``, or a retry): a job
    already done or failed is left alone, and the job's row is locked for the whole export, so
    a second run waits and then finds it done — on PostgreSQL it gets a serialisation error
    instead, an ``OperationalError`` the task retries, and the retry finds it done. The owner's
    role and scope are read again now, not trusted from when they asked.
    """
    job = job_start(job_id)
    if job is None:
        return None
    owner = job.owner
    if not may_export_referrals(owner):
        job_fail(job, message=_("Only a Prevent officer may download a list of cases."))
        return None
    with one_snapshot():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.state != Job.State.RUNNING:
            return None
        try:
            with transaction.atomic():
                return export_to_job(
                    job,
                    export_queryset(owner, job.params),
                    actor=owner,
                    reason=requested_reason(job),
                )
        except DisclosureRefused as refused:  # no data-sharing agreement allows it (issue 21)
            job_fail(job, message=str(refused.detail))
            return None


def case_list_export_readable_by(user, job: Job) -> bool:
    """May ``user`` read this case list now? Authorised when read, not when it was made.

    Only while they may still export cases (an active Prevent officer with a force), and
    only while every case in the file is still visible to them: the file's cases are those
    its export audited one by one (``referral.exported`` naming the job), so an officer who
    moved force, or a case since deleted under retention, withdraws the file.
    """
    if not may_export_referrals(user):
        return False
    in_file = AuditEvent.objects.filter(
        action=CASE_EXPORTED,
        object_type=Referral._meta.label_lower,
        at__gte=job.created_at,  # bounds the scan by the indexed time column
        detail__job=str(job.pk),
    )
    visible = referrals_visible_to(user).annotate(key=Cast("pk", CharField())).values("key")
    return not in_file.exclude(object_id__in=visible).exists()


def export_to_job(job: Job, queryset: QuerySet[Referral], *, actor, reason: str) -> int:
    """Stream ``queryset`` into the job's file, audit every case and the export, finish the job.

    Call it inside one transaction (``one_snapshot``) holding the job's row lock. The CSV is
    written to a temporary file on disk, which storage then moves into place.
    """
    # Leaving for the officer's agency: in the ledger, or refused before a byte is written.
    disclosures_record(
        actor=actor,
        kind=DisclosureKind.CASE_EXPORT,
        source_id=job.pk,
        referrals=queryset,
        recipient=actor,
    )
    name = f"cases-{timezone.localdate():%Y-%m-%d}.csv"
    with TemporaryUploadedFile(name, "text/csv", 0, "utf-8") as file:
        write_csv(queryset, file)
        file.flush()
        file.size = file.tell()
        rows = audit_each_case(queryset, actor_id=actor.pk, job_id=job.pk, reason=reason)
        file.seek(0)
        job_finish(job, content=file, name=name, content_type="text/csv; charset=utf-8")
    audit_record(
        actor=actor,
        action=EXPORTED,
        obj=job,
        reason=reason,
        detail={**{k: job.params.get(k, v) for k, v in FILTER_DEFAULTS.items()}, "rows": rows},
    )
    return rows


def case_list_export_job_page(job: Job) -> JobPage:
    """A case-list export's job page: the cases of the queue's filters, one row each."""
    return JobPage(
        title=_("List of cases"),
        contains=_(
            "One row for each case the queue's filters chose when you asked, with codes and "
            "their labels. Every case in it records that you exported it."
        ),
        back_url=reverse("referrals:queue"),
        back_label=_("Back to the cases"),
    )
