"""Every read the reports make, already scoped to the caller.

Statistics are aggregate queries (GROUP BY in the database), never a Python loop over cases,
so they cost the same for 100 or 100,000 referrals. Nothing here returns a row about a person:
a borough lead sees counts only (DESIGN.md §3).

Reports read from every app (referrals, Channel, training) and nothing imports reports
(DESIGN.md §2).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear
from django.db.models.lookups import Exact, GreaterThan, GreaterThanOrEqual, LessThanOrEqual
from django.http import Http404
from django.utils import timezone

from accounts.models import LocalAuthority, Role, Sector
from channel.models import AgendaItem
from referrals.choices import ClosureReason, Gender, State
from referrals.models import ConcernType, PoliceAssessment, Referral, ReferralTransition

from .models import ComplianceEntry, PlanAction
from .periods import Period
from .timeliness import timeliness_for

REPORTING_ROLES = frozenset({Role.BOROUGH_LEAD, Role.PREVENT_OFFICER})

AGE_GROUPS: list[tuple[str, int | None, int | None]] = [
    ("10_and_under", None, 10),
    ("11_to_15", 11, 15),
    ("16_to_17", 16, 17),
    ("18_to_20", 18, 20),
    ("21_to_30", 21, 30),
    ("31_to_40", 31, 40),
    ("41_to_50", 41, 50),
    ("51_to_60", 51, 60),
    ("61_and_over", 61, None),
]
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
TABLES = ["by_sector", "by_concern_type", "by_age_group", "by_gender", "outcomes"]


# --- Scope -------------------------------------------------------------------------------


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


def statistics_local_authority_get(user, local_authority_id=None) -> LocalAuthority:
    """The local authority to report on: 403 for a role with no reports, 404 out of scope.

    With no id, the caller's own local authority (or the first of their force).
    """
    if not can_see_statistics(user):
        raise PermissionDenied
    visible = statistics_local_authorities_for(user)
    if not local_authority_id:
        own = visible.filter(pk=user.local_authority_id).first()
        if own is not None:
            return own
        first = visible.first()
        if first is None:
            raise Http404
        return first
    try:
        return visible.get(pk=local_authority_id)
    except (LocalAuthority.DoesNotExist, ValidationError, ValueError, TypeError) as exc:
        # A malformed id is as unknown as someone else's: 404 either way.
        raise Http404 from exc


# --- Channel ------------------------------------------------------------------------


def discussed_at_panel_expression() -> Q:
    """True where the referral is an agenda item of a held panel (``Panel.held_at`` set).

    An uncorrelated ``IN (SELECT …)``: PostgreSQL hashes the agenda once (a hashed SubPlan)
    instead of probing it once per referral.
    """
    held = AgendaItem.objects.filter(panel__held_at__isnull=False).values("referral_id")
    return Q(pk__in=held)


# --- The statistics ----------------------------------------------------------------------


def referrals_in_period(*, local_authority: LocalAuthority, period: Period) -> QuerySet[Referral]:
    """Referrals received in the period: submitted (not drafts) between the dates inclusive.

    The referral date is the local date of ``submitted_at``; the local authority is where
    the person lives (``Referral.local_authority``).
    """
    # Local midnight bounds (not ``__date``) so the (local_authority, state, submitted_at)
    # index serves the range and no per-row date conversion runs.
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        period.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return Referral.objects.filter(
        local_authority=local_authority, submitted_at__gte=start, submitted_at__lt=end
    ).exclude(state=State.DRAFT)


def _years_before(day: datetime.date, years: int) -> datetime.date:
    """The latest date of birth of someone ``years`` old on ``day`` (29 Feb → 28 Feb)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _exact_age() -> Case:
    """Whole years between date of birth and the local referral date, as Subject.age_on
    counts them. Converts dates per row: only reached for the few referrals whose group
    the period alone does not settle (see ``_age_group``)."""
    sub_y, sub_m, sub_d = (
        ExtractYear("submitted_at"),
        ExtractMonth("submitted_at"),
        ExtractDay("submitted_at"),
    )
    dob_y, dob_m, dob_d = (
        ExtractYear("subject__date_of_birth"),
        ExtractMonth("subject__date_of_birth"),
        ExtractDay("subject__date_of_birth"),
    )
    return ExpressionWrapper(
        sub_y
        - dob_y
        - Case(
            When(
                Q(GreaterThan(dob_m, sub_m)) | Q(Exact(dob_m, sub_m), GreaterThan(dob_d, sub_d)),
                then=1,
            ),
            default=0,
        ),
        output_field=IntegerField(),
    )


def _age_group(period: Period) -> Case:
    """The age group at referral, decided by comparing the date of birth with constants.

    Someone born on or before ``_years_before(period.start, low)`` is at least ``low`` on
    every day of the period, and someone born after ``_years_before(period.end, high + 1)``
    is at most ``high``: for them the group is a plain comparison on ``date_of_birth``. Only
    those whose birthday crosses a boundary during the period fall through to the exact,
    per-row age.
    """
    dob = "subject__date_of_birth"
    whens = [When(**{f"{dob}__isnull": True}, then=Value("unknown"))]
    for code, low, high in AGE_GROUPS:
        clear = Q()
        if low is not None:
            clear &= Q(**{f"{dob}__lte": _years_before(period.start, low)})
        if high is not None:
            clear &= Q(**{f"{dob}__gt": _years_before(period.end, high + 1)})
        whens.append(When(clear, then=Value(code)))
    exact = _exact_age()
    for code, low, high in AGE_GROUPS:
        condition = Q()
        if low is not None:
            condition &= Q(GreaterThanOrEqual(exact, low))
        if high is not None:
            condition &= Q(LessThanOrEqual(exact, high))
        whens.append(When(condition, then=Value(code)))
    return Case(*whens, default=Value("unknown"), output_field=CharField())


def _concern_counts(base: QuerySet) -> dict[str, int]:
    """Referrals by the police-assigned type of their latest assessment, else the referrer's
    first suggestion, else ``unclear``.

    Two grouped queries instead of a subquery per referral: the latest assessments are
    those with no later one for the same referral (an anti-join, NOT EXISTS), and the
    referrals with no assessment at all are a hashed ``NOT IN``.
    """
    later = PoliceAssessment.objects.filter(referral_id=OuterRef("referral_id")).filter(
        Q(created_at__gt=OuterRef("created_at"))
        | Q(created_at=OuterRef("created_at"), pk__gt=OuterRef("pk"))
    )
    latest = (
        PoliceAssessment.objects.filter(referral__in=base.order_by().values("pk"))
        .exclude(Exists(later))
        .order_by()
        .values("concern_type_id")
        .annotate(n=Count("pk"))
    )
    counts: dict[str, int] = {}
    for row in latest:
        counts[row["concern_type_id"]] = counts.get(row["concern_type_id"], 0) + row["n"]
    assessed = PoliceAssessment.objects.values("referral_id")
    suggested = (
        base.exclude(pk__in=assessed)
        .annotate(
            _concern=Coalesce(KT("concern_types__0"), Value(UNCLEAR), output_field=CharField())
        )
        .order_by()
        .values("_concern")
        .annotate(n=Count("pk"))
    )
    for row in suggested:
        counts[row["_concern"]] = counts.get(row["_concern"], 0) + row["n"]
    return counts


def _outcome(discussed) -> Case:
    """Where each referral of the period ended up: exactly one code per referral.

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
    """
    ever_police_led = Q(
        pk__in=ReferralTransition.objects.filter(to_state=State.POLICE_LED).values("referral_id")
    )
    return Case(
        When(exited_at__isnull=False, then=Value("exited")),
        When(closure_reason=ClosureReason.CONSENT_DECLINED, then=Value("consent_declined")),
        When(adopted_at__isnull=False, then=Value("adopted")),
        When(closure_reason=ClosureReason.NOT_ADOPTED, then=Value("not_adopted")),
        When(discussed, then=Value("discussed_at_panel")),
        When(Q(state=State.POLICE_LED) | ever_police_led, then=Value("police_led")),
        When(
            state=State.CLOSED,
            closure_reason=ClosureReason.SIGNPOSTED,
            then=Value("signposted"),
        ),
        When(state=State.CLOSED, then=Value("no_further_action")),
        default=Value("open"),
        output_field=CharField(),
    )


def _grouped(queryset: QuerySet, field: str) -> dict[str, int]:
    """Counts per value of ``field``. Every join here is to-one, so ``COUNT(*)`` is exact
    (no ``DISTINCT``, which would make PostgreSQL sort each group)."""
    return {
        row[field]: row["n"] for row in queryset.order_by().values(field).annotate(n=Count("pk"))
    }


def _zero_filled(codes: Iterable[str], counts: dict, fallback: str | None = None) -> dict:
    table = dict.fromkeys(codes, 0)
    for code, n in counts.items():
        key = code if code in table else fallback
        if key is None:
            continue
        table[key] += n
    return table


def concern_type_codes() -> list[str]:
    """The active scheme's codes, in display order, with ``unclear`` always present."""
    codes = list(ConcernType.objects.filter(active=True).values_list("code", flat=True))
    if UNCLEAR not in codes:
        codes.append(UNCLEAR)
    return codes


def statistics_for(*, local_authority: LocalAuthority, period: Period) -> dict:
    """The Home Office table shapes (DOMAIN.md §Statistics) for one local authority.

    Returns exact counts; apply ``reports.suppression.suppress_statistics`` before anything
    leaves the organisation. Each table is a mapping of category code to count and sums to
    ``total_referrals``; ``journey`` is cumulative (referrals ⊇ discussed ⊇ adopted).
    """
    base = referrals_in_period(local_authority=local_authority, period=period)
    discussed = discussed_at_panel_expression()
    total = base.count()

    # A blank gender is "not known" (the form allows leaving it out).
    by_gender = _zero_filled(
        GENDER_CODES, _grouped(base, "subject__gender"), fallback=Gender.NOT_KNOWN
    )

    return {
        "local_authority": {"id": str(local_authority.pk), "name": local_authority.name},
        "period": period.as_params(),
        "total_referrals": total,
        "by_sector": _zero_filled(
            SECTOR_CODES, _grouped(base, "referrer_agency__sector"), fallback=Sector.OTHER
        ),
        "by_concern_type": _zero_filled(
            concern_type_codes(),
            _concern_counts(base),
            fallback=UNCLEAR,
        ),
        "by_age_group": _zero_filled(
            AGE_GROUP_CODES, _grouped(base.annotate(_group=_age_group(period)), "_group"), "unknown"
        ),
        "by_gender": by_gender,
        "outcomes": _zero_filled(
            OUTCOME_CODES,
            _grouped(base.annotate(_outcome=_outcome(discussed)), "_outcome"),
            fallback="open",
        ),
        "journey": _journey(base, discussed, total),
        "timeliness": timeliness_for(base=base, local_authority=local_authority, period=period),
    }


def _journey(base: QuerySet, discussed, total: int) -> dict[str, int]:
    row = base.aggregate(
        discussed=Count("pk", filter=discussed),
        adopted=Count("pk", filter=Q(adopted_at__isnull=False)),
    )
    return {
        "referrals": total,
        "discussed_at_panel": row["discussed"] or 0,
        "adopted": row["adopted"] or 0,
    }


# --- Compliance records ------------------------------------------------------------------


def compliance_local_authority_for(user) -> LocalAuthority:
    """Compliance records are kept by borough leads, for their own local authority only."""
    if not (can_see_statistics(user) and user.has_role(Role.BOROUGH_LEAD)):
        raise PermissionDenied
    return user.local_authority


def plan_actions_visible_to(user):
    return PlanAction.objects.filter(local_authority_id=compliance_local_authority_for(user).pk)


def compliance_entries_visible_to(user):
    return ComplianceEntry.objects.filter(
        local_authority_id=compliance_local_authority_for(user).pk
    )
