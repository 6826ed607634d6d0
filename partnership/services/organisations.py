"""Organisations and projects, and the training offer and outreach: the register of
voluntary, charity and faith organisations engaged, their safeguarding-policy gap analyses
and the support given, commissioning and grant due diligence, community projects, and
workshops and briefings. Each is the borough lead's own local authority's; each write is
audited with codes and ids only (an organisation's name is not personal data, but the audit
detail keeps to codes all the same)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from uuid import UUID

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from prevent_cms.audit import audit_record
from prevent_cms.errors import GuardFailed

from ..common import area_of, lock_in_scope, today
from ..models import (
    DueDiligenceCheck,
    DueDiligenceItem,
    DueDiligenceOutcome,
    FundingRoute,
    GapAnalysis,
    Organisation,
    OrganisationType,
    PolicyItem,
    PolicyStatus,
    Project,
    SessionType,
    Support,
    Workshop,
)
from ..selectors import organisations_visible_to


def _text(value: str | None) -> str:
    return (value or "").strip()


def _not_future(errors: dict, name: str, day: datetime.date | None, message: str) -> None:
    if day is not None and day > today():
        errors[name] = message


def _organisation(actor: User, organisation_id: UUID | str) -> Organisation:
    """The actor's own organisation, locked; another authority's is ``DoesNotExist`` (404)."""
    return lock_in_scope(organisations_visible_to(actor), organisation_id)


@transaction.atomic
def organisation_create(
    *,
    actor: User,
    name: str,
    organisation_type: str,
    engaged_on: datetime.date,
    charity_number: str = "",
) -> Organisation:
    """Add a voluntary, charity or faith organisation to the authority's register."""
    area = area_of(actor)
    errors: dict[str, str] = {}
    if not _text(name):
        errors["name"] = _("Enter the name of the organisation")
    if organisation_type not in OrganisationType.values:
        errors["organisation_type"] = _("Select the type of organisation")
    if engaged_on is None:
        errors["engaged_on"] = _("Enter the date the organisation was first engaged")
    _not_future(errors, "engaged_on", engaged_on, _("The date engaged must be today or earlier"))
    if errors:
        raise GuardFailed(errors)
    organisation = Organisation.objects.create(
        local_authority=area,
        name=_text(name)[:200],
        organisation_type=organisation_type,
        charity_number=_text(charity_number)[:20],
        engaged_on=engaged_on,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="partnership.organisation.created",
        obj=organisation,
        detail={"type": organisation_type},
    )
    return organisation


@transaction.atomic
def gap_analysis_record(
    *,
    actor: User,
    organisation_id: UUID | str,
    assessed_on: datetime.date,
    items: Mapping[str, str],
) -> GapAnalysis:
    """Record a dated safeguarding-policy gap analysis: every checklist item met, partly met
    or not met. A new analysis is added beside the old, so progress shows over time."""
    area_of(actor)
    organisation = _organisation(actor, organisation_id)
    errors: dict[str, str] = {}
    if assessed_on is None:
        errors["assessed_on"] = _("Enter the date of the analysis")
    _not_future(errors, "assessed_on", assessed_on, _("The date must be today or earlier"))
    items = dict(items or {})
    unknown = set(items) - set(PolicyItem.values)
    if unknown:
        errors["items"] = _("Unknown checklist items: %(items)s") % {
            "items": ", ".join(sorted(unknown))
        }
    for code, label in PolicyItem.choices:
        if items.get(code) not in PolicyStatus.values:
            errors.setdefault(
                f"item_{code}",
                _("Select whether “%(item)s” is met, partly met or not met") % {"item": label},
            )
    if errors:
        raise GuardFailed(errors)
    analysis = GapAnalysis.objects.create(
        organisation=organisation,
        assessed_on=assessed_on,
        items={code: items[code] for code in PolicyItem.values},
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="partnership.gap_analysis.recorded",
        obj=organisation,
        detail={"gap_analysis": str(analysis.pk), "gaps": analysis.gaps},
    )
    return analysis


@transaction.atomic
def support_record(
    *, actor: User, organisation_id: UUID | str, date: datetime.date, description: str
) -> Support:
    """Record support given to an organisation on a day."""
    area_of(actor)
    organisation = _organisation(actor, organisation_id)
    errors: dict[str, str] = {}
    if date is None:
        errors["date"] = _("Enter the date the support was given")
    _not_future(errors, "date", date, _("The date must be today or earlier"))
    if not _text(description):
        errors["description"] = _("Describe the support given")
    if errors:
        raise GuardFailed(errors)
    support = Support.objects.create(
        organisation=organisation,
        date=date,
        description=_text(description)[:500],
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="partnership.support.recorded",
        obj=organisation,
        detail={"support": str(support.pk)},
    )
    return support


@transaction.atomic
def due_diligence_record(
    *,
    actor: User,
    organisation_id: UUID | str,
    route: str,
    checked_on: datetime.date,
    checks: Iterable[str],
    outcome: str,
    checked_by: str,
) -> DueDiligenceCheck:
    """Record commissioning or grant due diligence on an organisation to be funded: which
    checks were done, the outcome and who checked (named, since the check is theirs)."""
    area_of(actor)
    organisation = _organisation(actor, organisation_id)
    checks = list(dict.fromkeys(checks or []))
    errors: dict[str, str] = {}
    if route not in FundingRoute.values:
        errors["route"] = _("Select commissioning or grant")
    if checked_on is None:
        errors["checked_on"] = _("Enter the date of the checks")
    _not_future(errors, "checked_on", checked_on, _("The date must be today or earlier"))
    if not checks:
        errors["checks"] = _("Select the checks done")
    elif set(checks) - set(DueDiligenceItem.values):
        errors["checks"] = _("Select checks from the list")
    if outcome not in DueDiligenceOutcome.values:
        errors["outcome"] = _("Select the outcome of the checks")
    if not _text(checked_by):
        errors["checked_by"] = _("Enter who did the checks")
    if errors:
        raise GuardFailed(errors)
    check = DueDiligenceCheck.objects.create(
        organisation=organisation,
        route=route,
        checked_on=checked_on,
        checks=[c for c in DueDiligenceItem.values if c in checks],
        outcome=outcome,
        checked_by=_text(checked_by)[:200],
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="partnership.due_diligence.recorded",
        obj=check,
        detail={"organisation": str(organisation.pk), "route": route, "outcome": outcome},
    )
    return check


@transaction.atomic
def project_create(
    *,
    actor: User,
    organisation_id: UUID | str,
    title: str,
    funding_amount: Decimal,
    funding_source: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
    outputs: str = "",
) -> Project:
    """Record a community project an organisation of the register delivers."""
    area_of(actor)
    organisation = _organisation(actor, organisation_id)
    errors: dict[str, str] = {}
    if not _text(title):
        errors["title"] = _("Enter the title of the project")
    if funding_amount is None or funding_amount < 0:
        errors["funding_amount"] = _("Enter the funding in pounds, 0 or more")
    if not _text(funding_source):
        errors["funding_source"] = _("Enter the source of the funding")
    if starts_on is None:
        errors["starts_on"] = _("Enter the date the project starts")
    elif ends_on is not None and ends_on < starts_on:
        errors["ends_on"] = _("The project must end on or after the day it starts")
    if errors:
        raise GuardFailed(errors)
    project = Project.objects.create(
        organisation=organisation,
        title=_text(title)[:200],
        funding_amount=funding_amount,
        funding_source=_text(funding_source)[:200],
        starts_on=starts_on,
        ends_on=ends_on,
        outputs=_text(outputs),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="partnership.project.created",
        obj=project,
        detail={"organisation": str(organisation.pk)},
    )
    return project


@transaction.atomic
def workshop_record(
    *,
    actor: User,
    date: datetime.date,
    title: str,
    session_type: str,
    audience: str,
    attendance: int,
) -> Workshop:
    """Record a workshop or briefing of the training offer: held, so dated today or earlier,
    with how many attended (the training section counts them)."""
    area = area_of(actor)
    errors: dict[str, str] = {}
    if date is None:
        errors["date"] = _("Enter the date of the workshop or briefing")
    _not_future(errors, "date", date, _("Record a workshop or briefing once it has happened"))
    if not _text(title):
        errors["title"] = _("Enter the title")
    if session_type not in SessionType.values:
        errors["session_type"] = _("Select workshop or briefing")
    if not _text(audience):
        errors["audience"] = _("Enter who the audience was")
    if attendance is None or attendance < 0:
        errors["attendance"] = _("Enter how many attended, 0 or more")
    if errors:
        raise GuardFailed(errors)
    workshop = Workshop.objects.create(
        local_authority=area,
        date=date,
        title=_text(title)[:200],
        session_type=session_type,
        audience=_text(audience)[:200],
        attendance=attendance,
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="partnership.workshop.recorded",
        obj=workshop,
        detail={"type": session_type, "attendance": attendance},
    )
    return workshop
