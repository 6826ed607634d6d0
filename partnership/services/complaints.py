"""The complaints log: complaints about how Prevent is delivered locally, with their outcome
and the national route (the Prevent Standards and Compliance Unit) the complainant is told
of. The borough lead's own local authority's; each write audited with codes only (the
summary is free text, so it stays out of the audit trail)."""

from __future__ import annotations

import datetime
import re
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from prevent_cms.audit import audit_record
from prevent_cms.errors import GuardFailed

from ..common import area_of, lock_in_scope, today
from ..models import Complaint, ComplaintChannel, ComplaintOutcome
from ..selectors import complaints_visible_to

COMPLAINT_FIELDS = {"received_on", "channel", "summary", "outcome", "closed_on", "signposted"}
# A case reference (PRV-2026-000123) in the summary ties the log to a person's case.
CASE_REFERENCE = re.compile(r"\bPRV-\d{4}-\d+\b", re.IGNORECASE)


def _check(data: dict[str, Any], *, on: datetime.date) -> None:
    errors: dict[str, str] = {}
    received = data.get("received_on")
    if received is None:
        errors["received_on"] = _("Enter the date the complaint was received")
    elif received > on:
        errors["received_on"] = _("The date received must be today or in the past")
    if data.get("channel") not in ComplaintChannel.values:
        errors["channel"] = _("Select how the complaint was received")
    summary = (data.get("summary") or "").strip()
    if not summary:
        errors["summary"] = _("Enter what the complaint is about")
    elif CASE_REFERENCE.search(summary):
        errors["summary"] = _(
            "Do not put a case reference in the summary: say what the complaint is about"
        )
    outcome, closed = data.get("outcome") or "", data.get("closed_on")
    if outcome and outcome not in ComplaintOutcome.values:
        errors["outcome"] = _("Select the outcome")
    if closed is not None:
        if not outcome:
            errors["outcome"] = _("Select the outcome of a closed complaint")
        if closed > on:
            errors["closed_on"] = _("The date closed must be today or in the past")
        elif received is not None and closed < received:
            errors["closed_on"] = _("The date closed must be on or after the date received")
    elif outcome:
        errors["closed_on"] = _("Enter the date the complaint was closed")
    if errors:
        raise GuardFailed(errors)


def _audit(actor: User, action: str, complaint: Complaint, fields: list[str]) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=complaint,
        detail={
            "fields": fields,
            "channel": complaint.channel,
            "outcome": complaint.outcome,
            "closed": complaint.closed_on is not None,
        },
    )


@transaction.atomic
def complaint_create(*, actor: User, data: dict[str, Any]) -> Complaint:
    """Log a complaint about the local Prevent delivery (open, or already closed)."""
    area = area_of(actor)
    unknown = set(data) - COMPLAINT_FIELDS
    if unknown:
        raise GuardFailed({name: _("Unknown field") for name in sorted(unknown)})
    _check(data, on=today())
    complaint = Complaint.objects.create(
        local_authority=area,
        received_on=data["received_on"],
        channel=data["channel"],
        summary=data["summary"].strip()[:300],
        outcome=data.get("outcome") or "",
        closed_on=data.get("closed_on"),
        signposted=bool(data.get("signposted")),
        created_by=actor,
    )
    _audit(actor, "partnership.complaint.recorded", complaint, sorted(data))
    return complaint


@transaction.atomic
def complaint_update(*, actor: User, complaint_id: UUID | str, data: dict[str, Any]) -> Complaint:
    """Record the outcome and close a complaint, or correct it (the audit names the fields)."""
    area_of(actor)
    complaint = lock_in_scope(complaints_visible_to(actor), complaint_id)
    unknown = set(data) - COMPLAINT_FIELDS
    if unknown:
        raise GuardFailed({name: _("Unknown field") for name in sorted(unknown)})
    merged = {name: getattr(complaint, name) for name in COMPLAINT_FIELDS} | data
    _check(merged, on=today())
    changed = sorted(name for name, value in data.items() if getattr(complaint, name) != value)
    for name in changed:
        value = data[name]
        if name == "summary":
            value = value.strip()[:300]
        elif name == "outcome":
            value = value or ""
        setattr(complaint, name, value)
    complaint.save()
    _audit(actor, "partnership.complaint.updated", complaint, changed)
    return complaint
