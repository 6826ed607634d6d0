"""Support: the plan, its interventions and the sessions providers record."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.selectors import users_visible_to
from prevent_cms.audit import audit_record
from prevent_cms.errors import ActionForbidden, GuardFailed, TransitionNotAllowed
from prevent_cms.outbox import outbox_enqueue
from referrals.choices import State
from referrals.permissions import is_chair_for

from .. import tasks
from ..choices import InterventionStatus, InterventionType
from ..models import Intervention, InterventionSession, SupportPlan
from ..selectors import interventions_visible_to
from .common import SUPPORT_STATES, case_date_error, lock_case, parse_uuids, require_case_work


@transaction.atomic
def intervention_add(*, referral_id: UUID | str, actor: User, data: dict[str, Any]) -> Intervention:
    referral = lock_case(actor=actor, referral_id=referral_id)
    require_case_work(
        actor=actor, referral=referral, states=SUPPORT_STATES, what=_("An intervention")
    )
    errors = {}
    kind = data.get("type") or ""
    if kind not in InterventionType.values:
        errors["type"] = _("Select the type of support")
    provider = None
    provider_id = data.get("provider")
    provider_name = (data.get("provider_name") or "").strip()
    if provider_id:
        provider = (
            users_visible_to(actor, role=Role.INTERVENTION_PROVIDER)
            .filter(pk__in=parse_uuids(values=[provider_id], field="provider"))
            .first()
        )
        if provider is None:
            errors["provider"] = _("Select an intervention provider of your local authority")
    elif not provider_name:
        errors["provider"] = _("Select the provider or enter the provider’s name")
    start = data.get("start_date")
    if not isinstance(start, datetime.date):
        errors["start_date"] = _("Enter the start date")
    try:
        hours = Decimal(str(data.get("hours") if data.get("hours") is not None else 0))
        if hours < 0 or hours > 9999:
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["hours"] = _("Enter the planned hours as a number")
        hours = Decimal(0)
    status = data.get("status") or InterventionStatus.PLANNED
    if status not in InterventionStatus.values:
        errors["status"] = _("Select the status")
    brief = _brief(data, errors)
    if errors:
        raise GuardFailed(errors)
    plan, _created = SupportPlan.objects.get_or_create(referral=referral)
    intervention = Intervention.objects.create(
        plan=plan,
        referral=referral,
        type=kind,
        provider=provider,
        provider_name=provider_name if provider is None else provider.display_name,
        start_date=data["start_date"],
        hours=hours,
        status=status,
        **brief,
    )
    audit_record(
        actor=actor, action="channel.intervention_added", obj=referral, detail={"type": kind}
    )
    if provider is not None:
        outbox_enqueue(tasks.send_intervention_allocated, str(intervention.pk))
    return intervention


MAX_SESSIONS_PLANNED = 999


def _brief(data: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    """The provider's brief from ``data`` (each part optional); problems go into ``errors``."""
    brief: dict[str, Any] = {
        "contact_route": (data.get("contact_route") or "").strip(),
        "goals": (data.get("goals") or "").strip(),
        "sessions_planned": None,
    }
    if len(brief["contact_route"]) > 500:
        errors["contact_route"] = _("The contact route must be 500 characters or fewer")
    if len(brief["goals"]) > 2000:
        errors["goals"] = _("The goals must be 2000 characters or fewer")
    planned = data.get("sessions_planned")
    if planned not in (None, ""):
        try:
            brief["sessions_planned"] = int(planned)
        except (TypeError, ValueError):
            brief["sessions_planned"] = -1
        if not 0 <= brief["sessions_planned"] <= MAX_SESSIONS_PLANNED:
            errors["sessions_planned"] = _("Enter the sessions planned as a whole number")
    return brief


@transaction.atomic
def intervention_set_brief(
    *, intervention_id: UUID | str, actor: User, data: dict[str, Any]
) -> Intervention:
    """The chair decides what the provider is told: how to contact the person, the plan's
    goals for this intervention and the sessions planned. Replaces all three."""
    intervention = interventions_visible_to(actor).filter(pk=intervention_id).first()
    if intervention is None:
        raise Intervention.DoesNotExist
    referral = lock_case(actor=actor, referral_id=intervention.referral_id)
    require_case_work(actor=actor, referral=referral, what=_("An intervention"))
    errors: dict[str, str] = {}
    brief = _brief(data, errors)
    if errors:
        raise GuardFailed(errors)
    for name, value in brief.items():
        setattr(intervention, name, value)
    intervention.save(update_fields=list(brief))
    audit_record(actor=actor, action="channel.intervention_brief_updated", obj=referral)
    return intervention


@transaction.atomic
def intervention_set_status(
    *, intervention_id: UUID | str, actor: User, status: str
) -> Intervention:
    intervention = interventions_visible_to(actor).filter(pk=intervention_id).first()
    if intervention is None:
        raise Intervention.DoesNotExist
    referral = lock_case(actor=actor, referral_id=intervention.referral_id)
    require_case_work(actor=actor, referral=referral, what=_("An intervention"))
    if status not in InterventionStatus.values:
        raise GuardFailed({"status": _("Select the status")})
    intervention.status = status
    intervention.save(update_fields=["status"])
    audit_record(actor=actor, action="channel.intervention_updated", obj=referral)
    return intervention


@transaction.atomic
def intervention_session_record(
    *,
    intervention_id: UUID | str,
    actor: User,
    date: datetime.date,
    hours: Decimal | int = 1,
    notes: str = "",
) -> InterventionSession:
    """The allocated provider (or the chair) records a session."""
    intervention = (
        interventions_visible_to(actor)
        .select_for_update(of=("self",))
        .select_related("referral")
        .filter(pk=intervention_id)
        .first()
    )
    if intervention is None:
        raise Intervention.DoesNotExist
    if intervention.provider_id != actor.pk and not is_chair_for(actor, intervention.referral):
        raise ActionForbidden
    if intervention.referral.state not in SUPPORT_STATES:
        raise TransitionNotAllowed(_("Sessions can only be recorded while support is open"))
    errors = {}
    if not isinstance(date, datetime.date):
        errors["date"] = _("Enter the date of the session")
    elif wrong_date := case_date_error(referral=intervention.referral, day=date, kind="session"):
        errors["date"] = wrong_date
    if errors:
        raise GuardFailed(errors)
    session = InterventionSession.objects.create(
        intervention=intervention, date=date, hours=hours or 1, notes=notes, recorded_by=actor
    )
    if intervention.status == InterventionStatus.PLANNED:
        intervention.status = InterventionStatus.ACTIVE
        intervention.save(update_fields=["status"])
    audit_record(actor=actor, action="channel.session_recorded", obj=intervention)
    return session


@transaction.atomic
def support_plan_update(
    *,
    referral_id: UUID | str,
    actor: User,
    consent_sought: str | None = None,
    closing_report: str | None = None,
) -> SupportPlan:
    referral = lock_case(actor=actor, referral_id=referral_id)
    require_case_work(actor=actor, referral=referral, what=_("The support plan"))
    if closing_report is not None:
        if referral.state not in (State.SUPPORT, State.POST_EXIT_REVIEW):
            raise TransitionNotAllowed(
                _("The closing report is written when the person exits Channel support")
            )
        if not closing_report.strip():
            raise GuardFailed(
                {"closing_report": _("Enter the closing report: how support went and why it ended")}
            )
        closing_report = closing_report.strip()
    plan, _created = SupportPlan.objects.get_or_create(referral=referral)
    if consent_sought is not None:
        plan.consent_sought = consent_sought
    if closing_report is not None:
        plan.closing_report = closing_report
    plan.save()
    audit_record(actor=actor, action="channel.support_plan_updated", obj=referral)
    return plan
