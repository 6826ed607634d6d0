"""Every read the reports make, already scoped to the caller.

Statistics are aggregate queries (GROUP BY in the database), never a Python loop over cases:
Python sees one row per combination of categories, so a report costs about the same for 100
or 100,000 referrals. Nothing here returns a row about a person: a borough lead sees counts
only (DESIGN.md §3).

Reports read from every app (referrals, Channel, training) and nothing imports reports
(DESIGN.md §2).
"""

from __future__ import annotations

import datetime
import functools
from collections import Counter
from collections.abc import Iterable
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import LocalAuthority, PoliceForce, Role, Sector
from channel.models import AgendaItem
from consultations.models import Consultation
from consultations.models import Outcome as ConsultationOutcome
from partnership.models import Meeting, Plan, RiskAssessment
from prevent_cms.errors import ActionForbidden, InvalidInput, NotFound
from prevent_cms.replica import replica_reads
from referrals.choices import AGE_GROUPS, ClosureReason, Gender, ReceivedVia, State
from referrals.models import ConcernType, PoliceAssessment, Referral, ReferralTransition
from referrals.selectors import referrer_sector

from .models import (
    ComplianceEntry,
    PlanAction,
    ReferralStatistics,
    StatisticsStale,
    ToolkitSection,
)
from .periods import Period, financial_year_containing, period_from_params
from .timeliness import timeliness_for

REPORTING_ROLES = frozenset({Role.BOROUGH_LEAD, Role.PREVENT_OFFICER})
# Roles that see every referral a report counts (police outcomes included), so exact counts
# tell them nothing their case lists do not. A chair sees cases only from the panel onward.
EXACT_COUNT_ROLES = frozenset({Role.PREVENT_OFFICER})

AGE_GROUP_CODES = [code for code, _lo, _hi in AGE_GROUPS] + ["unknown"]
SECTOR_CODES = list(Sector.values)
GENDER_CODES = list(Gender.values)
UNCLEAR = "unclear"

OUTCOME_CODES = [
    "no_further_action",
    "signposted",
    "police_led",
    "discussed_at_panel",
    "adopted",
    "not_adopted",
    "consent_declined",
    "exited",
    "open",
]
# Outcome cells that lie on the Channel side of the journey (used by linked suppression).
CHANNEL_OUTCOMES = ("discussed_at_panel", "adopted", "not_adopted", "consent_declined", "exited")
ADOPTED_OUTCOMES = ("adopted", "consent_declined", "exited")
JOURNEY_CODES = ["referrals", "discussed_at_panel", "adopted"]
TABLES = ["by_sector", "by_route", "by_concern_type", "by_age_group", "by_gender", "outcomes"]
ROUTE_CODES = list(ReceivedVia.values)
# The page's "All local authorities in <force>" choice: the caller's own police force.
ALL_LOCAL_AUTHORITIES = "all"


# --- Scope -------------------------------------------------------------------------------


class StatisticsScope(NamedTuple):
    """What a statistics report covers: one local authority, or every local authority of a
    police force area. Exactly one of the two is set."""

    local_authority: LocalAuthority | None = None
    police_force: PoliceForce | None = None

    @property
    def area(self) -> LocalAuthority | PoliceForce:
        area = self.local_authority or self.police_force
        if area is None:
            raise TypeError("Report on one local authority or one police force")
        return area

    @property
    def kind(self) -> str:
        return "local_authority" if self.local_authority is not None else "police_force"


def _scope_filter(local_authority: LocalAuthority | None, police_force: PoliceForce | None) -> Q:
    """The referrals of one local authority or of one police force (the indexed column)."""
    if local_authority is not None and police_force is None:
        return Q(local_authority_id=local_authority.pk)
    if police_force is not None and local_authority is None:
        return Q(police_force_id=police_force.pk)
    raise TypeError("Report on one local authority or one police force")


def can_see_statistics(user) -> bool:
    return bool(
        user.is_authenticated and user.is_active and user.agency_id and user.roles & REPORTING_ROLES
    )


def statistics_local_authorities_for(user) -> QuerySet[LocalAuthority]:
    """The local authorities whose statistics ``user`` may see.

    A borough lead sees their own local authority; a Prevent officer any local authority of
    their force area; anyone else none.
    """
    if not can_see_statistics(user):
        return LocalAuthority.objects.none()
    scope = Q(pk__in=[])
    if user.has_role(Role.BOROUGH_LEAD):
        scope |= Q(pk=user.local_authority_id)
    if user.has_role(Role.PREVENT_OFFICER):
        scope |= Q(police_force_id=user.police_force_id)
    return LocalAuthority.objects.filter(scope).select_related("police_force")


def statistics_police_forces_for(user) -> QuerySet[PoliceForce]:
    """The police forces whose force-wide statistics ``user`` may see: a Prevent officer's
    own force; nobody else's (a borough lead reports on their local authority only)."""
    if not (can_see_statistics(user) and user.has_role(Role.PREVENT_OFFICER)):
        return PoliceForce.objects.none()
    return PoliceForce.objects.filter(pk=user.police_force_id)


def statistics_local_authority_get(user, local_authority_id=None) -> LocalAuthority:
    """The local authority to report on: 403 for a role with no reports, 404 out of scope.

    With no id, the caller's own local authority (or the first of their force).
    """
    if not can_see_statistics(user):
        raise ActionForbidden
    visible = statistics_local_authorities_for(user)
    if not local_authority_id:
        own = visible.filter(pk=user.local_authority_id).first()
        if own is not None:
            return own
        first = visible.first()
        if first is None:
            raise NotFound
        return first
    try:
        return visible.get(pk=local_authority_id)
    except (LocalAuthority.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        # A malformed id is as unknown as someone else's: 404 either way.
        raise NotFound from exc


def statistics_police_force_get(user, police_force_id) -> PoliceForce:
    """The police force to report on as a whole: 403 for a role with no reports, 404 for
    another force, and 404 for a borough lead (their scope is one local authority)."""
    if not can_see_statistics(user):
        raise ActionForbidden
    try:
        return statistics_police_forces_for(user).get(pk=police_force_id)
    except (PoliceForce.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        raise NotFound from exc


def statistics_scope_get(user, *, local_authority_id=None, police_force_id=None) -> StatisticsScope:
    """The scope a statistics request asks for, checked against what ``user`` may see.

    ``police_force_id`` asks for the whole force; ``local_authority_id`` for one local
    authority, where ``ALL_LOCAL_AUTHORITIES`` (the page's "All local authorities in …"
    choice) means the caller's own force. Neither: the caller's local authority, as before.
    """
    if police_force_id and local_authority_id:
        raise InvalidInput(detail=_("Choose a local authority or a police force, not both"))
    if local_authority_id == ALL_LOCAL_AUTHORITIES:
        police_force_id = user.police_force_id or "-"  # no force: nothing to find, 404
        local_authority_id = None
    if police_force_id:
        return StatisticsScope(police_force=statistics_police_force_get(user, police_force_id))
    return StatisticsScope(local_authority=statistics_local_authority_get(user, local_authority_id))


def statistics_exact_allowed(user) -> bool:
    """May ``user`` see exact counts? Only a role that may see the cases behind them.

    A borough lead sees no case: a count of one over a short period would be one referral
    and its police outcome, so for them suppression is always on, whatever is asked.
    """
    return bool(user.roles & EXACT_COUNT_ROLES)


def statistics_suppressed_for(user, *, requested: bool) -> bool:
    """Whether figures shown to ``user`` are suppressed: as asked, or always if exact counts
    are not theirs to see (the page, the API and the downloads all ask here)."""
    return requested or not statistics_exact_allowed(user)


def statistics_period_get(user, *, start: str | None, end: str | None) -> Period:
    """The reporting period ``user`` asked for (``from``/``to``), or ``PeriodError``.

    The one place a report's period is read, for the page, the API and every download: a
    reader without exact counts must choose at least a calendar month, since suppression
    alone cannot hide a referral in a period that holds only it.
    """
    return period_from_params(start, end, at_least_a_month=not statistics_exact_allowed(user))


# --- The statistics ----------------------------------------------------------------------


def _period_filter(period: Period) -> Q:
    """Submitted between the period's dates inclusive, by local date.

    Local midnight bounds (not ``__date``) so the (local_authority, state, submitted_at) and
    (police_force, state, …) indexes serve the range and no per-row date conversion runs.
    """
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        period.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return Q(submitted_at__gte=start, submitted_at__lt=end)


def referrals_in_period(
    *,
    period: Period,
    local_authority: LocalAuthority | None = None,
    police_force: PoliceForce | None = None,
) -> QuerySet[Referral]:
    """Referrals received in the period, of one local authority or of a whole police force.

    The referral date is the local date of ``submitted_at``; the local authority is where
    the person lives (``Referral.local_authority``), and its force the referral's force.
    """
    return Referral.objects.filter(
        _scope_filter(local_authority, police_force), _period_filter(period)
    ).exclude(state=State.DRAFT)


class YearsBetween(Func):
    """Whole years from the second date to the first, as ``Subject.age_on`` counts them
    (someone born on 29 February turns a year older on 1 March in other years)."""

    arity = 2
    output_field = IntegerField()

    def as_postgresql(self, compiler, connection, **extra_context):
        template = "EXTRACT(YEAR FROM AGE(%(expressions)s::timestamp))::integer"
        return self.as_sql(
            compiler, connection, template=template, arg_joiner="::timestamp, ", **extra_context
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        day, born = self.get_source_expressions()
        (day, day_params), (born, born_params) = compiler.compile(day), compiler.compile(born)
        sql = (
            f"(CAST(strftime('%%Y', {day}) AS INTEGER) - CAST(strftime('%%Y', {born}) AS INTEGER)"
            f" - (strftime('%%m-%%d', {day}) < strftime('%%m-%%d', {born})))"
        )
        return sql, (*day_params, *born_params, *day_params, *born_params)


def age_at_referral() -> YearsBetween:
    """Age in whole years on the local referral date (NULL without a date of birth)."""
    return YearsBetween(TruncDate("submitted_at"), F("subject__date_of_birth"))


def age_group(age: int | None) -> str:
    """The Home Office age band of an age at referral."""
    if age is None:
        return "unknown"
    for code, low, high in AGE_GROUPS:
        if (low is None or age >= low) and (high is None or age <= high):
            return code
    return "unknown"


def outcome_of(
    *,
    state: str,
    closure_reason: str,
    exited: bool,
    adopted: bool,
    discussed: bool,
    ever_police_led: bool,
) -> str:
    """Where a referral of the period ended up: exactly one code per referral.

    The first rule that matches wins:

    - ``exited``: left Channel after support (``exited_at`` is set), whatever happened after.
    - ``consent_declined``: adopted, then closed because consent was declined.
    - ``adopted``: adopted as a Channel case (``adopted_at`` is set) and neither of the
      above: awaiting consent, in support, or closed later (consent withdrawn, moved area…).
    - ``not_adopted``: closed by the panel as not adopted.
    - ``discussed_at_panel``: on the agenda of a held Channel panel, not (yet) adopted and
      not closed as not adopted — awaiting the decision or left the panel another way.
    - ``police_led``: at some point managed as a police-led partnership (now or in the
      case history) and never discussed at a panel.
    - ``signposted``: closed at the police stage as signposted to another service.
    - ``no_further_action``: any other closed case: no further action, managed under
      Pursue, moved area, in custody, deceased, before any panel discussion.
    - ``open``: still open and none of the above (received, in police assessment, or
      referred to Channel but not yet discussed at a held panel).

    Decided in Python from the few columns the statistics query groups by (see
    ``_statistics_rows``), once per combination of them rather than once per referral.
    """
    if exited:
        return "exited"
    if closure_reason == ClosureReason.CONSENT_DECLINED:
        return "consent_declined"
    if adopted:
        return "adopted"
    if closure_reason == ClosureReason.NOT_ADOPTED:
        return "not_adopted"
    if discussed:
        return "discussed_at_panel"
    if state == State.POLICE_LED or ever_police_led:
        return "police_led"
    if state == State.CLOSED:
        return "signposted" if closure_reason == ClosureReason.SIGNPOSTED else "no_further_action"
    return "open"


ROW_FIELDS = (
    "sector",
    "route",
    "concern",
    "age",
    "gender",
    "state",
    "closure_reason",
    "exited",
    "adopted",
    "ever_police_led",
)


def _statistics_columns() -> dict:
    """Each referral's statistics columns as expressions, per referral (``ROW_FIELDS``, then
    ``discussed_at_panel``): the one definition the live query and the rollup share.

    - ``concern``: the police-assigned type of the latest assessment (latest ``created_at``,
      then highest id), else the referrer's first suggestion, else ``unclear``;
    - ``age``: whole years on the local referral date (banded in Python, ``age_group``);
    - ``state``, ``closure_reason``, ``exited``, ``adopted``, ``ever_police_led``: with
      being discussed, what ``outcome_of`` needs;
    - ``discussed_at_panel``: on the agenda of a held panel (``Panel.held_at`` set).

    The subqueries are correlated on indexed ``referral_id`` columns: PostgreSQL probes them
    per referral or hashes them once, whichever its costs favour for the scope.
    """
    latest_assessed = (
        PoliceAssessment.objects.filter(referral_id=OuterRef("pk"))
        .order_by("-created_at", "-pk")
        .values("concern_type_id")[:1]
    )
    police_led = ReferralTransition.objects.filter(
        referral_id=OuterRef("pk"), to_state=State.POLICE_LED
    )
    return {
        "sector": referrer_sector(),
        "route": F("received_via"),
        "concern": Coalesce(
            Subquery(latest_assessed),
            KT("concern_types__0"),
            Value(UNCLEAR),
            output_field=CharField(),
        ),
        "age": age_at_referral(),
        "gender": F("subject__gender"),
        "exited": ExpressionWrapper(Q(exited_at__isnull=False), output_field=BooleanField()),
        "adopted": ExpressionWrapper(Q(adopted_at__isnull=False), output_field=BooleanField()),
        "ever_police_led": Exists(police_led),
        "discussed_at_panel": Exists(_held_agenda_items()),
    }


def _held_agenda_items() -> QuerySet:
    return AgendaItem.objects.filter(referral_id=OuterRef("pk"), panel__held_at__isnull=False)


@functools.cache
def _statistics_rows() -> QuerySet:
    """Every submitted referral's statistics columns (``_statistics_columns``), grouped,
    worked out live: one tuple per combination of ``ROW_FIELDS``, then how many referrals
    and how many of them were discussed at a panel (counted rather than grouped on, so its
    subquery is written, and run, once).

    Built once per process and only ever cloned by ``.filter()``: building these expressions
    costs more than running the query for one borough's year.
    """
    columns = _statistics_columns()
    del columns["discussed_at_panel"]
    return (
        Referral.objects.exclude(state=State.DRAFT)
        .order_by()
        .annotate(**columns)
        .values(*ROW_FIELDS)
        .annotate(n=Count("pk"), discussed=Count("pk", filter=Exists(_held_agenda_items())))
        .values_list(*ROW_FIELDS, "n", "discussed")
    )


ROLLUP_FIELDS = (
    "referral_id",
    "local_authority_id",
    "police_force_id",
    "submitted_at",
    *ROW_FIELDS,
    "discussed_at_panel",
)


def statistics_referral_rows() -> QuerySet:
    """Each submitted referral's row of the statistics rollup (``ROLLUP_FIELDS``), worked
    out live: what ``reports.rollup`` writes into ``ReferralStatistics``."""
    return (
        Referral.objects.exclude(state=State.DRAFT)
        .order_by()
        .annotate(referral_id=F("pk"), **_statistics_columns())
        .values_list(*ROLLUP_FIELDS)
    )


@functools.cache
def _rollup_rows() -> QuerySet:
    """``_statistics_rows`` read from the rollup: the same tuples, from one narrow row per
    referral, for the referrals that are not stale (those are read live)."""
    stale = StatisticsStale.objects.filter(referral_id=OuterRef("referral_id"))
    return (
        ReferralStatistics.objects.filter(~Exists(stale))
        .order_by()
        .values(*ROW_FIELDS)
        .annotate(n=Count("pk"), discussed=Count("pk", filter=Q(discussed_at_panel=True)))
        .values_list(*ROW_FIELDS, "n", "discussed")
    )


@functools.cache
def _stale_rows() -> QuerySet:
    """``_statistics_rows`` of the stale referrals only (changed since the rollup last
    looked), found from the stale list: usually none, and never the whole period."""
    return _statistics_rows().filter(pk__in=StatisticsStale.objects.values("referral_id"))


def _rows_for(
    local_authority: LocalAuthority | None, police_force: PoliceForce | None, period: Period
) -> QuerySet:
    """The grouped statistics rows of a scope and period, in ONE query: from the rollup,
    with the stale referrals worked out live (``UNION ALL``; the caller adds up alike rows).
    Where the database keeps no rollup (SQLite has no triggers), all live."""
    where = (_scope_filter(local_authority, police_force), _period_filter(period))
    if connection.vendor != "postgresql":
        return _statistics_rows().filter(*where)
    return _rollup_rows().filter(*where).union(_stale_rows().filter(*where), all=True)


def _zero_filled(codes: Iterable[str], counts: Counter, fallback: str) -> dict[str, int]:
    table = dict.fromkeys(codes, 0)
    for code, n in counts.items():
        table[code if code in table else fallback] += n
    return table


def concern_type_codes() -> list[str]:
    """The active scheme's codes, in display order, with ``unclear`` always present."""
    codes = list(ConcernType.objects.filter(active=True).values_list("code", flat=True))
    if UNCLEAR not in codes:
        codes.append(UNCLEAR)
    return codes


def statistics_counts_for(
    *,
    period: Period,
    local_authority: LocalAuthority | None = None,
    police_force: PoliceForce | None = None,
) -> dict:
    """The five tables and the journey of one local authority or a whole police force, in
    ONE query.

    One grouped query over the period's referrals (``_rows_for``: the statistics rollup, with
    any referral changed since it was written worked out live), folded here into the tables:
    Python sees one row per combination of the columns, bounded by the
    categories, not by the referrals. The fixed tables come zero-filled; the concern table
    holds the codes found (``statistics_tables_for`` lays it out by the active scheme). A
    force's tables are the sums of its local authorities' tables.
    """
    rows = _rows_for(local_authority, police_force, period)
    counts: dict[str, Counter] = {table: Counter() for table in TABLES}
    total = discussed = adopted = 0
    for row in rows:
        (sector, route, concern, age, gender, state, reason, exited, is_adopted, led) = row[:10]
        n, n_discussed = row[10:]
        total += n
        counts["by_sector"][sector] += n
        counts["by_route"][route] += n
        counts["by_concern_type"][concern] += n
        counts["by_age_group"][age_group(age)] += n
        counts["by_gender"][gender] += n
        for was_discussed, how_many in ((True, n_discussed), (False, n - n_discussed)):
            outcome = outcome_of(
                state=state,
                closure_reason=reason,
                exited=exited,
                adopted=is_adopted,
                discussed=was_discussed,
                ever_police_led=led,
            )
            counts["outcomes"][outcome] += how_many
        discussed += n_discussed
        adopted += n if is_adopted else 0
    return {
        "total_referrals": total,
        # A member of the public is ``other`` in the Home Office's sector table.
        "by_sector": _zero_filled(SECTOR_CODES, counts["by_sector"], Sector.OTHER),
        "by_route": _zero_filled(ROUTE_CODES, counts["by_route"], ReceivedVia.ONLINE),
        "by_concern_type": dict(counts["by_concern_type"]),
        "by_age_group": _zero_filled(AGE_GROUP_CODES, counts["by_age_group"], "unknown"),
        # A blank gender is "not known" (the form allows leaving it out).
        "by_gender": _zero_filled(GENDER_CODES, counts["by_gender"], Gender.NOT_KNOWN),
        "outcomes": _zero_filled(OUTCOME_CODES, counts["outcomes"], "open"),
        "journey": {"referrals": total, "discussed_at_panel": discussed, "adopted": adopted},
    }


def statistics_tables_for(
    *,
    period: Period,
    local_authority: LocalAuthority | None = None,
    police_force: PoliceForce | None = None,
) -> dict:
    """``statistics_counts_for`` with the concern table laid out by the active scheme: every
    active code in display order, anything else (a retired code) counted as ``unclear``."""
    tables = statistics_counts_for(
        period=period, local_authority=local_authority, police_force=police_force
    )
    tables["by_concern_type"] = _zero_filled(
        concern_type_codes(), tables["by_concern_type"], UNCLEAR
    )
    return tables


CONSULTATION_OUTCOME_CODES = list(ConsultationOutcome.values)
CONSULTATION_TABLES = ("consultations_by_sector", "consultations_by_outcome")


def consultation_counts_for(
    *,
    period: Period,
    local_authority: LocalAuthority | None = None,
    police_force: PoliceForce | None = None,
) -> dict:
    """Consultations (advice given before or instead of a referral, issue 15) held in the
    period, by the asker's sector and by outcome, in one grouped query. Each table sums to
    ``total_consultations``; exact, like the referral tables (suppress before sharing)."""
    rows = (
        Consultation.objects.filter(
            _scope_filter(local_authority, police_force),
            consulted_on__gte=period.start,
            consulted_on__lte=period.end,
        )
        .order_by()
        .values_list("asker_sector", "outcome")
        .annotate(n=Count("pk"))
    )
    by_sector: Counter = Counter()
    by_outcome: Counter = Counter()
    for sector, outcome, n in rows:
        by_sector[sector] += n
        by_outcome[outcome] += n
    return {
        "total_consultations": sum(by_sector.values()),
        "consultations_by_sector": _zero_filled(SECTOR_CODES, by_sector, Sector.OTHER),
        "consultations_by_outcome": _zero_filled(
            CONSULTATION_OUTCOME_CODES, by_outcome, ConsultationOutcome.REFERRAL_ADVISED
        ),
    }


@replica_reads()
def statistics_for(
    *,
    period: Period,
    local_authority: LocalAuthority | None = None,
    police_force: PoliceForce | None = None,
) -> dict:
    """The Home Office table shapes (DOMAIN.md §Statistics) for one local authority or for
    every local authority of a police force.

    Returns exact counts; apply ``reports.suppression.suppress_statistics`` before anything
    leaves the organisation. Each table is a mapping of category code to count and sums to
    ``total_referrals``; ``journey`` is cumulative (referrals ⊇ discussed ⊇ adopted).
    Read from the replica when there is one fit to answer (``prevent_cms.replica``): counts,
    not case reads, and a few seconds old is fine.
    """
    base = referrals_in_period(
        period=period, local_authority=local_authority, police_force=police_force
    )
    scope = StatisticsScope(local_authority, police_force)
    area = {"id": str(scope.area.pk), "name": scope.area.name}
    return {
        "scope": scope.kind,
        "local_authority": area if local_authority is not None else None,
        "police_force": area if police_force is not None else None,
        "period": period.as_params(),
        **statistics_tables_for(
            period=period, local_authority=local_authority, police_force=police_force
        ),
        "timeliness": timeliness_for(
            base=base, period=period, local_authority=local_authority, police_force=police_force
        ),
        **consultation_counts_for(
            period=period, local_authority=local_authority, police_force=police_force
        ),
    }


# --- Compliance records ------------------------------------------------------------------


def compliance_local_authority_for(user) -> LocalAuthority:
    """Compliance records are kept by borough leads, for their own local authority only."""
    if not (can_see_statistics(user) and user.has_role(Role.BOROUGH_LEAD)):
        raise ActionForbidden
    return user.local_authority


def plan_actions_visible_to(user):
    return PlanAction.objects.filter(local_authority_id=compliance_local_authority_for(user).pk)


def compliance_entries_visible_to(user):
    return ComplianceEntry.objects.filter(
        local_authority_id=compliance_local_authority_for(user).pk
    )


# The toolkit sections the system counts from its own records (referrals and consultations,
# Channel panels and cases, training): never due from the borough lead.
COUNTED_SECTIONS = frozenset(
    {ToolkitSection.REFERRAL_PATHWAY, ToolkitSection.CHANNEL_PANEL, ToolkitSection.TRAINING}
)


def compliance_sections_due(user, *, today: datetime.date) -> list[tuple[str, str]]:
    """The toolkit sections (code, label) that nothing evidences yet for the financial year
    holding ``today``: the compliance report would go to the board with them empty.

    Sections 4 to 6 are counted by the system and never due. The others are evidenced by a
    compliance entry dated in the year, or by the partnership records that section reads:
    (1) a board serving the local authority met in the year; (2) its risk assessment is in
    date (the latest version's review is not overdue); (3) a partnership plan covers today,
    or a plan action of the compliance page falls due in the year. Sections 7 and 8 have
    only entries. A fixed number of queries, whatever the number of records.
    """
    local_authority = compliance_local_authority_for(user)
    year = financial_year_containing(today)
    entered = set(
        compliance_entries_visible_to(user)
        .filter(date__gte=year.start, date__lte=year.end)
        .order_by()
        .values_list("section", flat=True)
        .distinct()
    )
    met = Meeting.objects.filter(
        board__local_authorities=local_authority,
        held_at__isnull=False,
        date__gte=year.start,
        date__lte=year.end,
    )
    if ToolkitSection.PARTNERSHIP_GROUP not in entered and met.exists():
        entered.add(ToolkitSection.PARTNERSHIP_GROUP)
    if ToolkitSection.RISK_ASSESSMENT not in entered:
        latest = (
            RiskAssessment.objects.filter(local_authority=local_authority)
            .order_by("-version")
            .values_list("review_by", flat=True)
            .first()
        )
        if latest is not None and latest >= today:
            entered.add(ToolkitSection.RISK_ASSESSMENT)
    if ToolkitSection.PARTNERSHIP_PLAN not in entered:
        plan = Plan.objects.filter(
            local_authority=local_authority, starts_on__lte=today, ends_on__gte=today
        ).exists() or (
            plan_actions_visible_to(user)
            .filter(section=ToolkitSection.PARTNERSHIP_PLAN)
            .filter(due_date__gte=year.start, due_date__lte=year.end)
            .exists()
        )
        if plan:
            entered.add(ToolkitSection.PARTNERSHIP_PLAN)
    return [
        (code, str(label))
        for code, label in ToolkitSection.choices
        if code not in COUNTED_SECTIONS and code not in entered
    ]
