"""Every read of training data, already scoped to the caller.

One visibility rule per model, used by pages, API and exports alike:
- an agency lead sees their own agency;
- a borough lead sees every agency of their local authority;
- anyone else sees nothing.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, Max, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from accounts.models import Agency, Role, Sector, User
from prevent_cms.clocks import TRAINING_EXPIRY, forecast_row

from .dates import Status, expiring_soon_cutoff, today
from .models import (
    Course,
    ImportBatch,
    StaffMember,
    StaffRole,
    TrainingRecord,
)


def training_agencies_visible_to(user: User | AnonymousUser) -> QuerySet[Agency]:
    """The agencies whose training the caller may see."""
    if not user.is_authenticated or not user.agency_id:
        return Agency.objects.none()
    scope = Q()
    if user.has_role(Role.BOROUGH_LEAD):
        scope |= Q(local_authority_id=user.local_authority_id)
    if user.has_role(Role.AGENCY_LEAD):
        scope |= Q(pk=user.agency_id)
    if not scope:
        return Agency.objects.none()
    return Agency.objects.filter(scope).order_by("name")


def courses_visible_to(
    user: User | AnonymousUser, *, include_inactive: bool = False
) -> QuerySet[Course]:
    """Courses are not sensitive: anyone signed in may list them."""
    if not user.is_authenticated:
        return Course.objects.none()
    queryset = Course.objects.select_related("requires").prefetch_related("validities")
    if not include_inactive:
        queryset = queryset.filter(is_active=True)
    return queryset.order_by("order", "title")


def staff_visible_to(user: User | AnonymousUser) -> QuerySet[StaffMember]:
    agencies = training_agencies_visible_to(user)
    return StaffMember.objects.filter(agency__in=agencies.values("pk")).select_related("agency")


def records_visible_to(user: User | AnonymousUser) -> QuerySet[TrainingRecord]:
    agencies = training_agencies_visible_to(user)
    return TrainingRecord.objects.filter(staff__agency__in=agencies.values("pk")).select_related(
        "staff", "staff__agency", "course"
    )


def import_batches_visible_to(user: User | AnonymousUser) -> QuerySet[ImportBatch]:
    """An import is its uploader's alone, and only while they still lead that agency."""
    if not user.is_authenticated or not user.agency_id or not user.has_role(Role.AGENCY_LEAD):
        return ImportBatch.objects.none()
    return ImportBatch.objects.filter(created_by=user, agency_id=user.agency_id)


def import_job_readable_by(user: User, job) -> bool:
    """An import job's report (row outcomes) is read under its import's rule, checked now."""
    return import_batches_visible_to(user).filter(pk=job.params.get("batch")).exists()


def status_filter(status: str, *, field_name: str = "expires_on", on: date | None = None) -> Q:
    """A filter on an expiry column meaning "has this status on ``on``"."""
    on = on or today()
    cutoff = expiring_soon_cutoff(on)
    expired_by = TRAINING_EXPIRY.latest_start_breached(on)  # the one expiry clock's rule
    if status == Status.EXPIRED:
        return Q(**{f"{field_name}__lte": expired_by})
    if status == Status.EXPIRING_SOON:
        return Q(**{f"{field_name}__gt": expired_by, f"{field_name}__lte": cutoff})
    if status == Status.CURRENT:
        return Q(**{f"{field_name}__gt": cutoff})
    raise ValueError(status)


def records_filtered(
    queryset: QuerySet[TrainingRecord],
    *,
    agency: str = "",
    course: str = "",
    status: str = "",
    q: str = "",
) -> QuerySet[TrainingRecord]:
    """Narrow a visible queryset by the list filters (the same ones for pages, API, export)."""
    if agency:
        try:
            queryset = queryset.filter(staff__agency_id=uuid.UUID(str(agency)))
        except ValueError:
            return queryset.none()
    if course:
        queryset = queryset.filter(course__code=course)
    if status in Status.values:
        queryset = queryset.filter(status_filter(status))
    if q:
        queryset = queryset.filter(Q(staff__name__icontains=q) | Q(staff__email__icontains=q))
    return queryset


def staff_with_latest_expiry(user: User | AnonymousUser) -> QuerySet[StaffMember]:
    """Visible staff, each with the expiry of their most lasting Prevent training.

    ``latest_expiry`` is null for someone whose only records are of courses that do not count
    towards coverage. ``latest_course`` names the course behind that expiry.
    """
    counting = TrainingRecord.objects.filter(
        staff=OuterRef("pk"), course__counts_for_compliance=True
    ).order_by("-expires_on")
    return staff_visible_to(user).annotate(
        latest_record=Subquery(counting.values("pk")[:1]),
        latest_expiry=Max(
            "records__expires_on", filter=Q(records__course__counts_for_compliance=True)
        ),
        latest_course=Subquery(counting.values("course__title")[:1]),
    )


def staff_due(user: User, status: str, *, on: date | None = None) -> QuerySet[StaffMember]:
    """Staff whose Prevent training is ``expired`` or ``expiring_soon``, soonest first."""
    return (
        staff_with_latest_expiry(user)
        .filter(status_filter(status, field_name="latest_expiry", on=on))  # type: ignore[misc]  # annotated by staff_with_latest_expiry
        .order_by("latest_expiry", "name")
    )


def has_earlier_completion(*, staff: StaffMember, course: Course, before: date) -> bool:
    return TrainingRecord.objects.filter(
        staff=staff, course=course, completed_on__lte=before
    ).exists()


@dataclass
class CoverageRow:
    """One line of a coverage table: how many known staff are in date."""

    key: str
    label: str
    sector: str = ""
    staff: int = 0
    current: int = 0
    expiring_soon: int = 0
    expired: int = 0
    untrained: int = 0

    @property
    def in_date(self) -> int:
        """Trained and still in date today (current or expiring soon)."""
        return self.current + self.expiring_soon

    @property
    def percent_in_date(self) -> float | None:
        if not self.staff:
            return None
        return round(100 * self.in_date / self.staff, 1)

    def add(self, status: str | None) -> None:
        self.staff += 1
        if status is None:
            self.untrained += 1
        else:
            setattr(self, status, getattr(self, status) + 1)


@dataclass
class Coverage:
    """Coverage of the caller's visible staff, overall and by each breakdown."""

    on: date
    total: CoverageRow
    by_agency: list[CoverageRow] = field(default_factory=list)
    by_sector: list[CoverageRow] = field(default_factory=list)
    by_role: list[CoverageRow] = field(default_factory=list)
    by_frontline: list[CoverageRow] = field(default_factory=list)
    by_contractor: list[CoverageRow] = field(default_factory=list)
    by_elected_member: list[CoverageRow] = field(default_factory=list)

    def breakdowns(self) -> list[tuple[str, list[CoverageRow]]]:
        return [
            ("agency", self.by_agency),
            ("sector", self.by_sector),
            ("role", self.by_role),
            ("frontline", self.by_frontline),
            ("contractor", self.by_contractor),
            ("elected_member", self.by_elected_member),
        ]


def coverage_for(user: User | AnonymousUser, *, on: date | None = None) -> Coverage:
    """Training coverage of every agency the caller may see, in two queries.

    A person counts once, by the most lasting record of a course that counts for compliance.
    Agencies with no staff recorded still appear, with no percentage.
    """
    on = on or today()
    cutoff = expiring_soon_cutoff(on)
    agencies = list(training_agencies_visible_to(user))
    by_agency = {str(a.pk): CoverageRow(str(a.pk), a.name, sector=a.sector) for a in agencies}
    sector_of = {str(a.pk): a.sector for a in agencies}
    by_sector: dict[str, CoverageRow] = {}
    by_role = {code: CoverageRow(code, str(label)) for code, label in StaffRole.choices}

    def flags(label_yes: str, label_no: str) -> dict[bool, CoverageRow]:
        return {True: CoverageRow("yes", label_yes), False: CoverageRow("no", label_no)}

    by_frontline = flags(_("Frontline staff"), _("Not frontline"))
    by_contractor = flags(_("Contractors"), _("Employees and others"))
    by_elected = flags(_("Elected members"), _("Not elected members"))
    total = CoverageRow("all", _("All staff"))
    rows = staff_with_latest_expiry(user).values_list(
        "agency_id", "role", "frontline", "contractor", "elected_member", "latest_expiry"
    )  # type: ignore[misc]  # latest_expiry is annotated by staff_with_latest_expiry
    sector_labels = dict(Sector.choices)
    for agency_id, role, frontline, contractor, elected, latest in rows.order_by():
        status = None if latest is None else _status(latest, on, cutoff)
        agency_key = str(agency_id)
        sector = sector_of.get(agency_key, "other")
        if sector not in by_sector:
            by_sector[sector] = CoverageRow(sector, str(sector_labels.get(sector, sector)))
        for row in (
            total,
            by_agency[agency_key],
            by_sector[sector],
            by_role.setdefault(role, CoverageRow(role, role)),
            by_frontline[frontline],
            by_contractor[contractor],
            by_elected[elected],
        ):
            row.add(status)
    sector_order = [code for code, _label in Sector.choices]
    return Coverage(
        on=on,
        total=total,
        by_agency=list(by_agency.values()),
        by_sector=sorted(by_sector.values(), key=lambda r: sector_order.index(r.key)),
        by_role=[row for row in by_role.values() if row.staff],
        by_frontline=[by_frontline[True], by_frontline[False]],
        by_contractor=[by_contractor[True], by_contractor[False]],
        by_elected_member=[by_elected[True], by_elected[False]],
    )


def _status(expires_on: date, on: date, cutoff: date) -> str:
    if expires_on <= on:
        return Status.EXPIRED.value
    if expires_on <= cutoff:
        return Status.EXPIRING_SOON.value
    return Status.CURRENT.value


def agency_leads_to_remind() -> QuerySet[User]:
    """Active agency leads with an e-mail address, across every agency."""
    return (
        User.objects.filter(
            is_active=True, role_grants__role=Role.AGENCY_LEAD, agency__isnull=False
        )
        .exclude(email="")
        .filter(Exists(StaffMember.objects.filter(agency=OuterRef("agency"))))
        .select_related("agency")
        .distinct()
        .order_by("pk")
    )


def records_due_for_reminder(*, agency: Agency, on: date, until: date) -> QuerySet[TrainingRecord]:
    """The records behind an agency's reminder: each person's most lasting Prevent training,
    when it runs out between ``on`` (exclusive) and ``until`` (inclusive), or has run out.

    Used only by the reminder task, for the agency's own lead.
    """
    latest = (
        TrainingRecord.objects.filter(staff=OuterRef("staff"), course__counts_for_compliance=True)
        .order_by("-expires_on", "-completed_on")
        .values("pk")[:1]
    )
    return (
        TrainingRecord.objects.filter(
            staff__agency=agency, course__counts_for_compliance=True, expires_on__lte=until
        )
        .filter(pk=Subquery(latest))
        .select_related("staff", "course")
        .order_by("expires_on", "staff__name")
    )


def training_clock_forecast(user: User, *, today: date, until: date, mine: bool = False) -> list:
    """A borough lead's forecast: how many people's Prevent training expires on each day
    after ``today`` and by ``until`` (counts, never names; ``mine`` has no meaning here)."""
    expiring = Counter(
        staff_with_latest_expiry(user)
        .filter(latest_expiry__gt=today, latest_expiry__lte=until)  # type: ignore[misc]  # annotated by staff_with_latest_expiry
        .values_list("latest_expiry", flat=True)
    )
    return [
        forecast_row(clock=TRAINING_EXPIRY, breaches_on=TRAINING_EXPIRY.due(day), count=people)
        for day, people in sorted(expiring.items())
    ]
