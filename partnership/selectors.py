"""Every read of the partnership records, scoped to the person reading.

Denied by default: only borough leads keep partnership records, each for the local
authorities they serve (their own; a board shared by several authorities is seen by the
borough leads of each). Anyone else gets an empty queryset from the row selectors (so a
record asked for by id is 404) and ``ActionForbidden`` from ``partnership_area_for`` (the
pages' and lists' 403). CTLP briefings are narrower still: only the people named on one.
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet, Sum

from accounts.models import Agency, LocalAuthority, Role, User
from prevent_cms.errors import ActionForbidden

from .models import (
    Action,
    Agreement,
    AgreementStatus,
    Board,
    BoardMember,
    Complaint,
    ContactStatus,
    CtlpBriefing,
    Disclosure,
    DueDiligenceCheck,
    GapAnalysis,
    MailingContact,
    MailingSend,
    Meeting,
    Organisation,
    Plan,
    Project,
    Risk,
    RiskAssessment,
    Support,
    TermsOfReference,
    Workshop,
)

Reader = User | AnonymousUser


def may_keep_partnership(user: Reader) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.has_role(Role.BOROUGH_LEAD)
        and user.local_authority_id
    )


def partnership_area_for(user: Reader) -> LocalAuthority:
    """The local authority whose partnership records the person keeps; 403 for anyone else."""
    area = user.local_authority if isinstance(user, User) and may_keep_partnership(user) else None
    if not isinstance(area, LocalAuthority):
        raise ActionForbidden
    return area


def _area_id(user: Reader):
    return user.local_authority_id if may_keep_partnership(user) else None  # type: ignore[union-attr]


def boards_visible_to(user: Reader) -> QuerySet[Board]:
    area = _area_id(user)
    if area is None:
        return Board.objects.none()
    return Board.objects.filter(local_authorities=area).distinct()


def board_members_visible_to(user: Reader) -> QuerySet[BoardMember]:
    return BoardMember.objects.filter(board__in=boards_visible_to(user)).select_related("agency")


def terms_visible_to(user: Reader) -> QuerySet[TermsOfReference]:
    return TermsOfReference.objects.filter(board__in=boards_visible_to(user))


def meetings_visible_to(user: Reader) -> QuerySet[Meeting]:
    return Meeting.objects.filter(board__in=boards_visible_to(user)).select_related("board")


def actions_visible_to(user: Reader) -> QuerySet[Action]:
    """The authority's own actions, and every action of a board it sits on."""
    area = _area_id(user)
    if area is None:
        return Action.objects.none()
    return Action.objects.filter(
        Q(local_authority_id=area) | Q(board__in=boards_visible_to(user))
    ).distinct()


def risk_assessments_visible_to(user: Reader) -> QuerySet[RiskAssessment]:
    area = _area_id(user)
    if area is None:
        return RiskAssessment.objects.none()
    return RiskAssessment.objects.filter(local_authority_id=area)


def risks_visible_to(user: Reader) -> QuerySet[Risk]:
    return Risk.objects.filter(assessment__in=risk_assessments_visible_to(user))


def risk_assessment_current(user: Reader) -> RiskAssessment | None:
    return risk_assessments_visible_to(user).order_by("-version").first()


def ctlp_briefings_visible_to(user: Reader) -> QuerySet[CtlpBriefing]:
    """Only the briefings that name the person as a reader: a borough lead not named sees
    nothing of them, not even that they exist."""
    if not (user.is_authenticated and user.is_active):
        return CtlpBriefing.objects.none()
    return CtlpBriefing.objects.filter(readers=user)


CTLP_READER_ROLES = (Role.BOROUGH_LEAD, Role.PREVENT_LEAD, Role.CHANNEL_CHAIR)


def ctlp_reader_candidates(user: Reader) -> QuerySet[User]:
    """Whom a borough lead may name as a CTLP reader: the borough leads, Prevent leads and
    Channel chairs of their local authority and the Prevent officers of its force (active)."""
    area = partnership_area_for(user)
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(agency__local_authority=area, role_grants__role__in=CTLP_READER_ROLES)
            | Q(
                agency__local_authority__police_force_id=area.police_force_id,
                role_grants__role=Role.PREVENT_OFFICER,
            )
        )
        .distinct()
        .select_related("agency")
        .order_by("last_name", "first_name", "username")
    )


def plans_visible_to(user: Reader) -> QuerySet[Plan]:
    area = _area_id(user)
    if area is None:
        return Plan.objects.none()
    return Plan.objects.filter(local_authority_id=area)


def agreements_visible_to(user: Reader) -> QuerySet[Agreement]:
    area = _area_id(user)
    if area is None:
        return Agreement.objects.none()
    return Agreement.objects.filter(local_authority_id=area)


def agreement_is_current(agreement: Agreement, *, on: datetime.date) -> bool:
    return (
        agreement.status == AgreementStatus.ACTIVE
        and agreement.starts_on <= on
        and (agreement.ends_on is None or agreement.ends_on >= on)
    )


def agreements_current(*, local_authority_id, on: datetime.date) -> QuerySet[Agreement]:
    """Agreements in force on a day (not scoped to a reader: the disclosure check's own)."""
    return Agreement.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=on),
        local_authority_id=local_authority_id,
        status=AgreementStatus.ACTIVE,
        starts_on__lte=on,
    )


def agreements_due_for_review(user: Reader, *, on: datetime.date) -> QuerySet[Agreement]:
    """Agreements not ended whose review date has come."""
    return agreements_visible_to(user).filter(
        review_on__lte=on, status__in=[AgreementStatus.ACTIVE, AgreementStatus.SUSPENDED]
    )


def agencies_for_agreements(user: Reader) -> QuerySet[Agency]:
    """The agencies a borough lead may name as parties: those of their police force area."""
    area = partnership_area_for(user)
    return Agency.objects.filter(local_authority__police_force_id=area.police_force_id).order_by(
        "name"
    )


def disclosure_counts(
    user: Reader,
    *,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    agreement_id=None,
) -> QuerySet:
    """The ledger as a borough lead sees it: disclosures and cases by party, agreement and
    kind — never which cases."""
    area = partnership_area_for(user)
    rows = Disclosure.objects.filter(local_authority=area)
    if start:
        rows = rows.filter(disclosed_at__date__gte=start)
    if end:
        rows = rows.filter(disclosed_at__date__lte=end)
    if agreement_id:
        rows = rows.filter(agreement_id=agreement_id)
    return (
        rows.order_by()
        .values(
            "recipient_agency_id",
            "recipient_agency__name",
            "agreement_id",
            "agreement__title",
            "kind",
        )
        .annotate(disclosures=Count("pk"), cases=Sum("case_count"))
        .order_by("recipient_agency__name", "agreement__title", "kind")
    )


def organisations_visible_to(user: Reader) -> QuerySet[Organisation]:
    """The register of the borough lead's own local authority."""
    area = _area_id(user)
    if area is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(local_authority_id=area)


def gap_analyses_visible_to(user: Reader) -> QuerySet[GapAnalysis]:
    return GapAnalysis.objects.filter(organisation__in=organisations_visible_to(user))


def support_visible_to(user: Reader) -> QuerySet[Support]:
    return Support.objects.filter(organisation__in=organisations_visible_to(user))


def due_diligence_visible_to(user: Reader) -> QuerySet[DueDiligenceCheck]:
    return DueDiligenceCheck.objects.filter(
        organisation__in=organisations_visible_to(user)
    ).select_related("organisation")


def projects_visible_to(user: Reader) -> QuerySet[Project]:
    return Project.objects.filter(organisation__in=organisations_visible_to(user)).select_related(
        "organisation"
    )


def workshops_visible_to(user: Reader) -> QuerySet[Workshop]:
    area = _area_id(user)
    if area is None:
        return Workshop.objects.none()
    return Workshop.objects.filter(local_authority_id=area)


def complaints_visible_to(user: Reader) -> QuerySet[Complaint]:
    """The complaints log of the borough lead's own local authority."""
    area = _area_id(user)
    if area is None:
        return Complaint.objects.none()
    return Complaint.objects.filter(local_authority_id=area)


def mailing_contacts_visible_to(user: Reader) -> QuerySet[MailingContact]:
    """The mailing list of the borough lead's own local authority, every status."""
    area = _area_id(user)
    if area is None:
        return MailingContact.objects.none()
    return MailingContact.objects.filter(local_authority_id=area)


def mailing_list(*, local_authority_id) -> QuerySet[MailingContact]:
    """Who is on a local authority's list: confirmed contacts only (double opt-in)."""
    return MailingContact.objects.filter(
        local_authority_id=local_authority_id, status=ContactStatus.CONFIRMED
    )


def mailing_sends_visible_to(user: Reader) -> QuerySet[MailingSend]:
    area = _area_id(user)
    if area is None:
        return MailingSend.objects.none()
    return MailingSend.objects.filter(local_authority_id=area)
