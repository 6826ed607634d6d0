"""Every write of the reports app: keyword-only, typed, atomic, audited."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.db import transaction

from accounts.models import LocalAuthority, Role, User
from prevent_cms.audit import audit_record
from prevent_cms.errors import ActionForbidden
from prevent_cms.jobs import job_create
from prevent_cms.models import Job

from .models import ComplianceEntry, PlanAction
from .periods import Period
from .tasks import compliance_export


def _require_borough_lead(actor: User) -> None:
    if not (actor.is_authenticated and actor.has_role(Role.BOROUGH_LEAD) and actor.agency_id):
        raise ActionForbidden


@transaction.atomic
def plan_action_create(*, actor: User, data: dict[str, Any]) -> PlanAction:
    """Record a partnership-plan action for the borough lead's own local authority."""
    _require_borough_lead(actor)
    action = PlanAction.objects.create(
        local_authority_id=actor.local_authority_id, created_by=actor, **data
    )
    audit_record(actor=actor, action="reports.plan_action.created", obj=action)
    return action


@transaction.atomic
def plan_action_update(*, actor: User, action_id: UUID | str, data: dict[str, Any]) -> PlanAction:
    """Change an action of the borough lead's own local authority (history keeps the old)."""
    _require_borough_lead(actor)
    action = PlanAction.objects.select_for_update().get(
        pk=action_id, local_authority_id=actor.local_authority_id
    )
    changed = sorted(name for name, value in data.items() if getattr(action, name) != value)
    for name, value in data.items():
        setattr(action, name, value)
    action.save()
    audit_record(
        actor=actor, action="reports.plan_action.updated", obj=action, detail={"fields": changed}
    )
    return action


@transaction.atomic
def compliance_entry_create(*, actor: User, data: dict[str, Any]) -> ComplianceEntry:
    """Record a dated compliance fact for the borough lead's own local authority."""
    _require_borough_lead(actor)
    entry = ComplianceEntry.objects.create(
        local_authority_id=actor.local_authority_id, created_by=actor, **data
    )
    audit_record(
        actor=actor,
        action="reports.compliance_entry.created",
        obj=entry,
        detail={"section": entry.section},
    )
    return entry


def export_start(*, actor: User, local_authority: LocalAuthority, period: Period, fmt: str) -> Job:
    """Queue a compliance export job; audited by ``job_create`` (who, when, what)."""
    _require_borough_lead(actor)
    return job_create(
        owner=actor,
        kind="reports.compliance_export",
        params={"format": fmt, "local_authority": str(local_authority.pk), **period.as_params()},
        task=compliance_export,
    )
