"""The compliance report's content, section by section, as plain rows (no personal data).

Channel and training figures come from functions named for what they count, reading the
Channel models and ``training.selectors``. Everything in the exported report is suppressed
(small counts and the differences that would reveal them): the report leaves the
organisation. The compliance page shows the exact figures to the borough lead.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from channel.choices import PackAttestation
from channel.models import (
    AgendaItem,
    Consent,
    Panel,
    PanelPack,
    Review,
    SupportPlan,
    VulnerabilityAssessment,
)
from consultations.models import Outcome as ConsultationOutcome
from prevent_cms.replica import replica_reads
from referrals.choices import ClosureReason, State
from referrals.models import Referral
from training.selectors import coverage_for

from .models import ToolkitSection
from .partnership import partnership_sections, plan_action_rows
from .periods import Period, today
from .presentation import statistics_tables
from .selectors import (
    compliance_entries_visible_to,
    consultation_counts_for,
    plan_actions_visible_to,
    statistics_for,
)
from .suppression import display, is_small, suppress_statistics, suppress_table, suppress_total
from .timeliness import reviews_for

OPEN_CHANNEL_STATES = (State.AWAITING_CONSENT, State.SUPPORT, State.POST_EXIT_REVIEW)
CASE_FIGURE_LABELS = {
    "discussed": _lazy("Cases discussed at a held panel in the period"),
    "adopted": _lazy("Cases adopted in the period"),
    "closed": _lazy("Channel cases closed in the period"),
    "open": _lazy("Channel cases open today"),
    "open_with_plan": _lazy("Open cases with a support plan"),
    "open_with_assessment": _lazy("Open cases with a current vulnerability assessment"),
    "open_with_plan_and_assessment": _lazy("Open cases with both a plan and a current assessment"),
    "consent_given": _lazy("Cases where consent was given in the period"),
    "consent_declined": _lazy("Cases where consent was declined in the period"),
    "consent_withdrawn": _lazy("Cases closed on consent withdrawn in the period"),
    "overdue_reviews": _lazy("Reviews overdue today: support, consent reassessment and post-exit"),
    "overdue_support_reviews": _lazy("Support reviews overdue today (due monthly from adoption)"),
    "overdue_consent_reassessments": _lazy("Consent reassessments overdue today"),
    "post_exit_6_months_due": _lazy("6-month post-exit reviews due in the period"),
    "post_exit_6_months_done": _lazy("6-month post-exit reviews due in the period and done"),
    "post_exit_6_months_overdue": _lazy("6-month post-exit reviews overdue today"),
    "post_exit_12_months_due": _lazy("12-month post-exit reviews due in the period"),
    "post_exit_12_months_done": _lazy("12-month post-exit reviews due in the period and done"),
    "post_exit_12_months_overdue": _lazy("12-month post-exit reviews overdue today"),
    "post_exit_6_months_early": _lazy(
        "6-month post-exit reviews recorded early, with a reason, in the period"
    ),
    "post_exit_12_months_early": _lazy(
        "12-month post-exit reviews recorded early, with a reason, in the period"
    ),
}


def _bounds(period: Period) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        period.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return start, end


def assessment_current_days() -> int:
    """An assessment is current if dated within this many days (default: six months)."""
    return int(getattr(settings, "REPORTS_ASSESSMENT_CURRENT_DAYS", 182))


def channel_case_figures(
    *, local_authority, period: Period, today: datetime.date | None = None
) -> dict[str, int]:
    """Channel case figures for the compliance report, exact (suppress before sharing).

    "In the period" figures count cases by the date of the event; "today" figures are a
    snapshot of the open caseload (awaiting consent, in support, in post-exit review).
    """
    today = today or timezone.localdate()
    start, end = _bounds(period)
    cases = Referral.objects.filter(local_authority=local_authority)
    held_in_period = AgendaItem.objects.filter(
        panel__held_at__isnull=False, panel__date__gte=period.start, panel__date__lte=period.end
    ).values("referral_id")
    current_since = today - datetime.timedelta(days=assessment_current_days())
    with_plan = Q(pk__in=SupportPlan.objects.values("referral_id"))
    with_assessment = Q(
        pk__in=VulnerabilityAssessment.objects.filter(date__gte=current_since).values("referral_id")
    )
    open_cases = Q(state__in=OPEN_CHANNEL_STATES)
    closed_in_period = Q(closed_at__gte=start, closed_at__lt=end)
    figures = cases.aggregate(
        discussed=Count("pk", filter=Q(pk__in=held_in_period)),
        adopted=Count("pk", filter=Q(adopted_at__gte=start, adopted_at__lt=end)),
        closed=Count("pk", filter=Q(adopted_at__isnull=False) & closed_in_period),
        open=Count("pk", filter=open_cases),
        open_with_plan=Count("pk", filter=open_cases & with_plan),
        open_with_assessment=Count("pk", filter=open_cases & with_assessment),
        open_with_plan_and_assessment=Count("pk", filter=open_cases & with_plan & with_assessment),
        consent_withdrawn=Count(
            "pk", filter=closed_in_period & Q(closure_reason=ClosureReason.CONSENT_WITHDRAWN)
        ),
    )
    consents = (
        Consent.objects.filter(
            referral__local_authority=local_authority,
            date__gte=period.start,
            date__lte=period.end,
        )
        .order_by()
        .values("decision")
        .annotate(n=Count("referral_id", distinct=True))
    )
    by_decision = {row["decision"]: row["n"] for row in consents}
    figures["consent_given"] = by_decision.get("given", 0)
    figures["consent_declined"] = by_decision.get("declined", 0)
    figures.update(reviews_for(local_authority=local_authority, period=period, today=today))
    # Post-exit reviews recorded before their window opened (moved away, died, ...): done,
    # but not at 6 or 12 months, so the report shows them apart.
    early = (
        Review.objects.filter(
            referral__local_authority=local_authority,
            date__gte=period.start,
            date__lte=period.end,
        )
        .exclude(early_reason="")
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"))
    )
    by_kind = {row["kind"]: row["n"] for row in early}
    figures["post_exit_6_months_early"] = by_kind.get("post_exit_6_months", 0)
    figures["post_exit_12_months_early"] = by_kind.get("post_exit_12_months", 0)
    return {key: figures[key] for key in CASE_FIGURE_LABELS}


# (whole, part): a part whose difference from the whole is small would reveal that group.
CASE_FIGURE_PARTS = [
    ("open", "open_with_plan"),
    ("open", "open_with_assessment"),
    ("open", "open_with_plan_and_assessment"),
    ("post_exit_6_months_due", "post_exit_6_months_done"),
    ("post_exit_12_months_due", "post_exit_12_months_done"),
]


def suppress_case_figures(figures: dict[str, int]) -> dict[str, int | None]:
    """Counts from 1 to 4 hidden, and any part that leaves 1 to 4 outside it."""
    shared: dict[str, int | None] = {key: suppress_total(value) for key, value in figures.items()}
    for whole, part in CASE_FIGURE_PARTS:
        if is_small(figures[whole] - figures[part]):
            shared[part] = None
    return shared


def training_figures(*, user) -> list[tuple[str, str]]:
    """Training coverage of the local authority's agencies (training.selectors), as lines."""
    coverage = coverage_for(user)

    def line(row) -> str:
        percent = (
            _("no staff recorded") if row.percent_in_date is None else f"{row.percent_in_date}%"
        )
        return _("%(in_date)s of %(staff)s staff in date (%(percent)s)") % {
            "in_date": row.in_date,
            "staff": row.staff,
            "percent": percent,
        }

    on = date_format(coverage.on, "j F Y")
    figures = [(_("All staff on %(day)s") % {"day": on}, line(coverage.total))]
    figures.append((_("Expired"), str(coverage.total.expired)))
    figures.append((_("Never trained"), str(coverage.total.untrained)))
    for name, rows in ((_("Role"), coverage.by_role), (_("Sector"), coverage.by_sector)):
        figures += [(f"{name}: {row.label}", line(row)) for row in rows if row.staff]
    for row in coverage.by_frontline + coverage.by_contractor:
        if row.staff:
            figures.append((str(row.label), line(row)))
    return figures


def channel_panel_figures(*, local_authority, period: Period) -> dict:
    """Panels scheduled, held, and held with quorum in the period."""
    panels = Panel.objects.filter(
        local_authority=local_authority, date__gte=period.start, date__lte=period.end
    )
    # Each recipient's latest copy of each pack of a panel that has met: what became of it.
    # No later copy of the same panel's pack for the same recipient (``DISTINCT ON`` would
    # say it shorter, but only on PostgreSQL; make run serves on SQLite).
    later = PanelPack.objects.filter(
        panel_id=OuterRef("panel_id"), recipient_id=OuterRef("recipient_id")
    ).filter(
        Q(created_at__gt=OuterRef("created_at"))
        | Q(created_at=OuterRef("created_at"), pk__gt=OuterRef("pk"))
    )
    latest = PanelPack.objects.filter(panel__in=panels, panel__date__lte=today()).filter(
        ~Exists(later)
    )
    copies = latest.aggregate(
        total=Count("pk"),
        destroyed=Count("pk", filter=Q(attestation=PackAttestation.DESTROYED)),
        retained=Count("pk", filter=Q(attestation=PackAttestation.RETAINED)),
    )
    return {
        "panels_scheduled": panels.count(),
        "panels_held": panels.filter(held_at__isnull=False).count(),
        "panels_quorate": panels.filter(held_at__isnull=False, quorum_met=True).count(),
        "pack_copies": copies["total"],
        "pack_copies_destroyed": copies["destroyed"],
        "pack_copies_retained": copies["retained"],
        "pack_copies_unattested": copies["total"] - copies["destroyed"] - copies["retained"],
    }


def consultation_figures(*, local_authority, period: Period) -> list[tuple[str, str]]:
    """The referral pathway's consultations (advice before a referral, issue 15) for the
    compliance page: the total and each outcome, suppressed as the exports are."""
    counts = consultation_counts_for(period=period, local_authority=local_authority)
    total = counts["total_consultations"]
    outcomes = suppress_table(counts["consultations_by_outcome"], total)
    labels = dict(ConsultationOutcome.choices)
    return [(_("Consultations before a referral"), display(suppress_total(total)))] + [
        (_("Consultations: %(outcome)s") % {"outcome": labels[code]}, display(value))
        for code, value in outcomes.items()
    ]


@replica_reads()
def compliance_report(*, user, local_authority, period: Period) -> dict:
    """Everything the exports write: sections with figures, actions and entries. Read from
    the replica when there is one fit to answer (``prevent_cms.replica``)."""
    stats = suppress_statistics(statistics_for(local_authority=local_authority, period=period))
    tables = statistics_tables(stats)
    panels = channel_panel_figures(local_authority=local_authority, period=period)
    cases = channel_case_figures(local_authority=local_authority, period=period)
    from_records = partnership_sections(
        local_authority=local_authority, period=period, on=timezone.localdate()
    )
    sections = []
    for code, label in ToolkitSection.choices:
        section = {"code": code, "label": str(label), "figures": [], "tables": []}
        if code == ToolkitSection.REFERRAL_PATHWAY:
            section["figures"].append((_("Total referrals"), display(stats["total_referrals"])))
            section["figures"].append(
                (_("Consultations before a referral"), display(stats["total_consultations"]))
            )
            section["tables"] = [t for t in tables if t["key"] != "journey"]
        if code == ToolkitSection.CHANNEL_PANEL:
            section["tables"] = [t for t in tables if t["key"] == "journey"]
            section["figures"] += [
                (_("Panels scheduled"), str(panels["panels_scheduled"])),
                (_("Panels held"), str(panels["panels_held"])),
                (_("Panels held with quorum"), str(panels["panels_quorate"])),
                (_("Panel pack copies sent"), str(panels["pack_copies"])),
                (_("Pack copies attested destroyed"), str(panels["pack_copies_destroyed"])),
                (_("Pack copies retained under policy"), str(panels["pack_copies_retained"])),
                (_("Pack copies not yet attested"), str(panels["pack_copies_unattested"])),
            ]
            # The report leaves the organisation: small case counts are suppressed.
            shared = suppress_case_figures(cases)
            section["figures"] += [
                (str(label), display(shared[key])) for key, label in CASE_FIGURE_LABELS.items()
            ]
        if code == ToolkitSection.TRAINING:
            section["figures"] += training_figures(user=user)
        section["figures"] += from_records.get(code, [])
        sections.append(section)
    by_code = {s["code"]: s for s in sections}
    by_code[ToolkitSection.PARTNERSHIP_PLAN]["actions"] = plan_action_rows(
        local_authority=local_authority
    )
    for action in plan_actions_visible_to(user).iterator():
        # Recorded on the compliance page before the partnership plan (issue 21): kept.
        by_code[action.section].setdefault("actions", []).append(
            [action.description, action.owner, action.due_date, action.get_rag_display()]
        )
    for entry in compliance_entries_visible_to(user).iterator():
        by_code[entry.section].setdefault("entries", []).append(
            [entry.date, entry.title, entry.notes]
        )
    return {
        "local_authority": local_authority.name,
        "period": period.label,
        "sections": sections,
    }


def report_rows(report: dict):
    """The report as spreadsheet rows: section, item, detail columns."""
    yield [_("Prevent duty compliance report"), report["local_authority"], report["period"]]
    yield [
        _("Counts from 1 to 4, and counts that would reveal them, are shown as %(mark)s.")
        % {"mark": "[c]"}
    ]
    for section in report["sections"]:
        yield []
        yield [section["label"]]
        for name, value in section["figures"]:
            yield ["", name, value]
        for table in section["tables"]:
            yield ["", table["title"]]
            for row in table["rows"]:
                yield ["", row["label"], row["shown"]]
        for action in section.get("actions", []):
            yield ["", _("Action"), *action]
        for entry in section.get("entries", []):
            yield ["", _("Entry"), *entry]
