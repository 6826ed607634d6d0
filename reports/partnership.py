"""Toolkit sections from the partnership records (issue 21), not from what was typed.

Section 1 (multi-agency partnership group): the boards serving the local authority, their
members, meetings held, quorate and signed off, and the boards' actions by RAG. Section 2
(local risk assessment): the current version, whether it is in date, its priorities and the
CTLP briefings received. Section 3 (partnership plan): the plan's actions by RAG, overdue
and answering a risk. Section 4 (referral pathway) gains the information sharing behind it:
agreements current and due for review, and disclosures by agreement. Section 6 (training
programme) gains the local workshops and briefings and their attendance; section 7
(reducing permissive environments) the organisations supported, their safeguarding-policy
gaps and the due diligence done before funding; section 8 (communications and engagement)
the community projects and their funding, and the complaints about the local Prevent
delivery (received, closed by outcome, told of the national route, open). Section 6 also
counts the outreach mailing list: people on it (confirmed only) and reminders sent.

Every figure counts records about organisations, meetings and sessions, never people (an
attendance is a head count of a session): none needs suppression. Free-text entries stay
beside these figures as commentary.
"""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from partnership.models import (
    Action,
    Agreement,
    AgreementStatus,
    Board,
    BoardMember,
    Complaint,
    ComplaintOutcome,
    ContactStatus,
    CtlpBriefing,
    Disclosure,
    DueDiligenceCheck,
    DueDiligenceOutcome,
    FundingRoute,
    GapAnalysis,
    MailingContact,
    MailingSend,
    Meeting,
    Organisation,
    PolicyItem,
    PolicyStatus,
    Project,
    Rag,
    RiskAssessment,
    SessionType,
    Support,
    TermsOfReference,
    Workshop,
)

from .models import ToolkitSection
from .periods import Period

Figures = list[tuple[str, str]]
# Section 6's lines for each kind of session, whole sentences so each language can word them.
HELD = {
    SessionType.WORKSHOP: _lazy("Workshops held in the period"),
    SessionType.BRIEFING: _lazy("Briefings held in the period"),
}
ATTENDANCE = {
    SessionType.WORKSHOP: _lazy("Attendance at workshops"),
    SessionType.BRIEFING: _lazy("Attendance at briefings"),
}


def _date(day: datetime.date | None) -> str:
    return date_format(day, "j F Y") if day else _("none")


def _rag_lines(prefix: str, actions, *, on: datetime.date) -> Figures:
    open_actions = actions.filter(completed_on__isnull=True)
    counts = open_actions.aggregate(
        **{rag: Count("pk", filter=Q(rag=rag)) for rag in Rag.values},
        overdue=Count("pk", filter=Q(due_date__lt=on)),
    )
    labels = dict(Rag.choices)
    lines = [
        (_("%(what)s open: %(rag)s") % {"what": prefix, "rag": labels[rag]}, str(counts[rag]))
        for rag in Rag.values
    ]
    lines.append((_("%(what)s open and overdue") % {"what": prefix}, str(counts["overdue"])))
    return lines


def partnership_group_figures(*, local_authority, period: Period, on: datetime.date) -> Figures:
    boards = Board.objects.filter(local_authorities=local_authority).distinct()
    meetings = Meeting.objects.filter(
        board__in=boards, date__gte=period.start, date__lte=period.end
    ).aggregate(
        scheduled=Count("pk"),
        held=Count("pk", filter=Q(held_at__isnull=False)),
        quorate=Count("pk", filter=Q(held_at__isnull=False, quorum_met=True)),
        signed_off=Count("pk", filter=Q(signed_off_at__isnull=False)),
    )
    members = BoardMember.objects.filter(board__in=boards).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=on)
    )
    figures: Figures = [
        (_("Partnership boards"), ", ".join(b.name for b in boards) or _("none")),
        (_("Board members today"), str(members.count())),
        (
            _("Agencies represented on the boards"),
            str(
                members.exclude(agency__isnull=True).values("agency_id").distinct().count()
                + members.filter(agency__isnull=True).values("organisation_name").distinct().count()
            ),
        ),
        (_("Board meetings in the period"), str(meetings["scheduled"])),
        (_("Board meetings held"), str(meetings["held"])),
        (_("Board meetings held and quorate"), str(meetings["quorate"])),
        (_("Board meetings with minutes signed off"), str(meetings["signed_off"])),
    ]
    for board in boards:
        terms = TermsOfReference.objects.filter(board=board).order_by("-version").first()
        figures.append(
            (
                _("Terms of reference in force: %(board)s") % {"board": board.name},
                _("version %(v)s, approved %(on)s")
                % {"v": terms.version, "on": _date(terms.approved_on)}
                if terms
                else _("none"),
            )
        )
    actions = Action.objects.filter(board__in=boards)
    figures += _rag_lines(_("Board actions"), actions, on=on)
    return figures


def risk_assessment_figures(*, local_authority, period: Period, on: datetime.date) -> Figures:
    current = (
        RiskAssessment.objects.filter(local_authority=local_authority).order_by("-version").first()
    )
    briefings = CtlpBriefing.objects.filter(
        local_authority=local_authority,
        received_on__gte=period.start,
        received_on__lte=period.end,
    ).count()
    if current is None:
        return [
            (_("Risk assessment"), _("none recorded")),
            (_("CTLP briefings received in the period"), str(briefings)),
        ]
    in_date = current.review_by >= on
    return [
        (
            _("Risk assessment"),
            _("version %(v)s, assessed %(on)s")
            % {"v": current.version, "on": _date(current.assessed_on)},
        ),
        (_("Risk assessment review due"), _date(current.review_by)),
        (_("Risk assessment current"), _("yes") if in_date else _("no: review overdue")),
        (_("Priorities in the risk assessment"), str(current.risks.count())),
        (
            _("Priorities answered by a plan action"),
            str(current.risks.filter(actions__isnull=False).distinct().count()),
        ),
        (_("CTLP briefings received in the period"), str(briefings)),
    ]


def plan_figures(*, local_authority, period: Period, on: datetime.date) -> Figures:
    actions = Action.objects.filter(local_authority=local_authority, plan__isnull=False)
    figures = _rag_lines(_("Plan actions"), actions, on=on)
    figures.append(
        (
            _("Plan actions completed in the period"),
            str(
                actions.filter(completed_on__gte=period.start, completed_on__lte=period.end).count()
            ),
        )
    )
    figures.append(
        (
            _("Plan actions answering a risk"),
            str(actions.filter(risks__isnull=False).distinct().count()),
        )
    )
    return figures


def plan_actions_for_report(*, local_authority):
    """The plan's actions (records, for the page's table), soonest due first."""
    return (
        Action.objects.filter(local_authority=local_authority, plan__isnull=False)
        .prefetch_related("risks")
        .order_by("due_date", "pk")
    )


def plan_action_rows(*, local_authority) -> list[list]:
    """The plan's actions as the report lists them: action, owner, due date, RAG label.

    The due date stays a date: the PDF writes it in words, a spreadsheet in ISO 8601."""
    labels = dict(Rag.choices)
    rows = plan_actions_for_report(local_authority=local_authority)
    return [[a.description, a.owner, a.due_date, str(labels[a.rag])] for a in rows]


def information_sharing_figures(*, local_authority, period: Period, on: datetime.date) -> Figures:
    agreements = Agreement.objects.filter(local_authority=local_authority)
    current = agreements.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=on),
        status=AgreementStatus.ACTIVE,
        starts_on__lte=on,
    )
    due = agreements.filter(
        review_on__lte=on, status__in=[AgreementStatus.ACTIVE, AgreementStatus.SUSPENDED]
    )
    disclosures = Disclosure.objects.filter(
        local_authority=local_authority,
        disclosed_at__date__gte=period.start,
        disclosed_at__date__lte=period.end,
    )
    figures: Figures = [
        (_("Data-sharing agreements current"), str(current.count())),
        (_("Data-sharing agreements due for review"), str(due.count())),
        (_("Disclosures of case data in the period"), str(disclosures.count())),
    ]
    by_agreement = (
        disclosures.order_by()
        .values("agreement__title")
        .annotate(n=Count("pk"))
        .order_by("agreement__title")
    )
    for row in by_agreement:
        title = row["agreement__title"]
        name = (
            _("Disclosures under: %(title)s") % {"title": title}
            if title
            else _("Disclosures with no agreement")
        )
        figures.append((name, str(row["n"])))
    return figures


def _pounds(amount) -> str:
    return f"£{amount or 0:,.2f}"


def training_offer_figures(*, local_authority, period: Period, on: datetime.date) -> Figures:
    """Section 6: the local workshops and briefings held in the period, and who came."""
    held = Workshop.objects.filter(
        local_authority=local_authority, date__gte=period.start, date__lte=period.end
    )
    figures: Figures = []
    for code in SessionType.values:
        rows = held.filter(session_type=code).aggregate(n=Count("pk"), people=Sum("attendance"))
        figures.append((HELD[code], str(rows["n"])))
        figures.append((ATTENDANCE[code], str(rows["people"] or 0)))
    contacts = MailingContact.objects.filter(local_authority=local_authority)
    figures += [
        (
            _("People on the outreach mailing list today"),
            str(contacts.filter(status=ContactStatus.CONFIRMED).count()),
        ),
        (
            _("People who joined the mailing list in the period"),
            str(
                contacts.filter(
                    confirmed_at__date__gte=period.start, confirmed_at__date__lte=period.end
                ).count()
            ),
        ),
        (
            _("Reminders sent to the mailing list in the period"),
            str(
                MailingSend.objects.filter(
                    local_authority=local_authority,
                    sent_at__date__gte=period.start,
                    sent_at__date__lte=period.end,
                ).count()
            ),
        ),
    ]
    return figures


def permissive_environment_figures(
    *, local_authority, period: Period, on: datetime.date
) -> Figures:
    """Section 7: organisations supported (gap analyses, support) and due diligence done."""
    organisations = Organisation.objects.filter(local_authority=local_authority)
    in_period = {"date__gte": period.start, "date__lte": period.end}
    support = Support.objects.filter(organisation__in=organisations, **in_period)
    analyses = GapAnalysis.objects.filter(
        organisation__in=organisations,
        assessed_on__gte=period.start,
        assessed_on__lte=period.end,
    )
    # Each organisation's latest analysis: the first of its rows, newest first (in Python, as
    # ``DISTINCT ON`` is PostgreSQL's alone and make run serves on SQLite).
    latest: dict = {}
    for organisation_id, items in (
        GapAnalysis.objects.filter(organisation__in=organisations, assessed_on__lte=on)
        .order_by("-assessed_on", "-created_at")
        .values_list("organisation_id", "items")
    ):
        latest.setdefault(organisation_id, items)
    latest_items = list(latest.values())
    checks = DueDiligenceCheck.objects.filter(
        organisation__in=organisations,
        checked_on__gte=period.start,
        checked_on__lte=period.end,
    )
    funded = organisations.filter(projects__isnull=False).distinct()
    figures: Figures = [
        (_("Organisations on the register"), str(organisations.count())),
        (
            _("Organisations first engaged in the period"),
            str(
                organisations.filter(
                    engaged_on__gte=period.start, engaged_on__lte=period.end
                ).count()
            ),
        ),
        (
            _("Organisations given support in the period"),
            str(support.values("organisation_id").distinct().count()),
        ),
        (_("Support given in the period (entries)"), str(support.count())),
        (_("Safeguarding-policy gap analyses in the period"), str(analyses.count())),
        (_("Organisations with a gap analysis"), str(len(latest_items))),
        (
            _("Organisations whose latest gap analysis has items not fully met"),
            str(sum(1 for items in latest_items if set(items.values()) != {PolicyStatus.MET})),
        ),
    ]
    for code, label in PolicyItem.choices:
        gaps = sum(1 for items in latest_items if items.get(code) != PolicyStatus.MET)
        figures.append(
            (_("Latest gap analysis, not fully met: %(item)s") % {"item": label}, str(gaps))
        )
    figures.append((_("Due-diligence checks in the period"), str(checks.count())))
    routes, outcomes = dict(FundingRoute.choices), dict(DueDiligenceOutcome.choices)
    for code in FundingRoute.values:
        n = checks.filter(route=code).count()
        figures.append(
            (_("Due-diligence checks in the period: %(route)s") % {"route": routes[code]}, str(n))
        )
    for code in DueDiligenceOutcome.values:
        n = checks.filter(outcome=code).count()
        figures.append(
            (_("Due-diligence outcome: %(outcome)s") % {"outcome": outcomes[code]}, str(n))
        )
    figures.append(
        (
            _("Organisations funded for a project with no due diligence recorded"),
            str(funded.filter(due_diligence__isnull=True).count()),
        )
    )
    return figures


def engagement_figures(*, local_authority, period: Period, on: datetime.date) -> Figures:
    """Section 8: the community projects running in the period, their funding and sources."""
    projects = Project.objects.filter(organisation__local_authority=local_authority)
    running = projects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=period.start), starts_on__lte=period.end
    )
    figures: Figures = [
        (_("Community projects running in the period"), str(running.count())),
        (
            _("Community projects started in the period"),
            str(running.filter(starts_on__gte=period.start).count()),
        ),
        (
            _("Organisations delivering them"),
            str(running.values("organisation_id").distinct().count()),
        ),
        (
            _("Funding of the projects running in the period"),
            _pounds(running.aggregate(total=Sum("funding_amount"))["total"]),
        ),
    ]
    by_source = (
        running.order_by()
        .values("funding_source")
        .annotate(total=Sum("funding_amount"), n=Count("pk"))
        .order_by("funding_source")
    )
    for row in by_source:
        figures.append(
            (
                _("Funding from: %(source)s") % {"source": row["funding_source"]},
                f"{_pounds(row['total'])} ({row['n']})",
            )
        )
    return figures + complaint_figures(local_authority=local_authority, period=period, on=on)


def complaint_figures(*, local_authority, period: Period, on: datetime.date) -> Figures:
    """Complaints about the local Prevent delivery: received and closed in the period (by
    outcome), how many complainants were told of the national route, and how many are open."""
    complaints = Complaint.objects.filter(local_authority=local_authority)
    received = complaints.filter(received_on__gte=period.start, received_on__lte=period.end)
    closed = complaints.filter(closed_on__gte=period.start, closed_on__lte=period.end)
    figures: Figures = [
        (_("Complaints received in the period"), str(received.count())),
        (
            _("Complaints received in the period: told of the national complaints route"),
            str(received.filter(signposted=True).count()),
        ),
        (_("Complaints closed in the period"), str(closed.count())),
    ]
    for code, label in ComplaintOutcome.choices:
        figures.append(
            (
                _("Complaints closed in the period: %(outcome)s") % {"outcome": label},
                str(closed.filter(outcome=code).count()),
            )
        )
    figures.append(
        (
            _("Complaints open today"),
            str(complaints.filter(received_on__lte=on, closed_on__isnull=True).count()),
        )
    )
    return figures


def partnership_sections(
    *, local_authority, period: Period, on: datetime.date
) -> dict[str, Figures]:
    """Each toolkit section's figures from the partnership records, by section code."""
    args = {"local_authority": local_authority, "period": period, "on": on}
    return {
        ToolkitSection.PARTNERSHIP_GROUP: partnership_group_figures(**args),
        ToolkitSection.RISK_ASSESSMENT: risk_assessment_figures(**args),
        ToolkitSection.PARTNERSHIP_PLAN: plan_figures(**args),
        ToolkitSection.REFERRAL_PATHWAY: information_sharing_figures(**args),
        ToolkitSection.TRAINING: training_offer_figures(**args),
        ToolkitSection.PERMISSIVE_ENVIRONMENTS: permissive_environment_figures(**args),
        ToolkitSection.COMMUNICATIONS: engagement_figures(**args),
    }
