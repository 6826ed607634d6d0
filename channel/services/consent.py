"""Consent to Channel support: who may give it (the age rule) and its record."""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from prevent_cms.audit import audit_record
from prevent_cms.errors import GuardFailed
from referrals.models import Referral

from ..choices import ConsentDecision, GivenBy
from ..models import Consent, SupportPlan
from .common import SUPPORT_STATES, case_date_error, lock_case, require_case_work


def consenter_errors(
    *,
    referral: Referral,
    given_by: str,
    given_by_name: str,
    relationship: str,
    date: datetime.date | None,
) -> dict[str, str]:
    """The age rule: 18 or over on the consent date consents themselves; else a parent."""
    errors = {}
    if given_by not in GivenBy.values:
        return {"given_by": _("Say who gave or declined consent")}
    age = referral.subject.age_on(date) if date else None
    if age is not None and age >= 18 and given_by != GivenBy.INDIVIDUAL:
        errors["given_by"] = _(
            "The person was %(age)d on the consent date: consent must come from them, "
            "not a parent or guardian"
        ) % {"age": age}
    if age is not None and age < 18 and given_by != GivenBy.PARENT_OR_GUARDIAN:
        errors["given_by"] = _(
            "The person was under 18 on the consent date: consent must come from a parent "
            "or guardian"
        )
    if given_by == GivenBy.PARENT_OR_GUARDIAN:
        if not (given_by_name or "").strip():
            errors["given_by_name"] = _("Enter the name of the parent or guardian")
        if not (relationship or "").strip():
            errors["relationship"] = _("Enter their relationship to the person")
    return errors


@transaction.atomic
def consent_record(*, referral_id: UUID | str, actor: User, data: dict[str, Any]) -> Consent:
    referral = lock_case(actor=actor, referral_id=referral_id)
    require_case_work(actor=actor, referral=referral, states=SUPPORT_STATES, what=_("Consent"))
    date = data.get("date")
    errors = {}
    if not isinstance(date, datetime.date):
        errors["date"] = _("Enter the date consent was given or declined")
    elif wrong_date := case_date_error(referral=referral, day=date, kind="consent"):
        errors["date"] = wrong_date
    # The age rule reads the age on the consent date, and only on a date within the bounds.
    age_date = date if isinstance(date, datetime.date) and "date" not in errors else None
    decision = data.get("decision") or ""
    if decision not in ConsentDecision.values:
        errors["decision"] = _("Say whether consent was given or declined")
    errors.update(
        consenter_errors(
            referral=referral,
            given_by=data.get("given_by") or "",
            given_by_name=data.get("given_by_name") or "",
            relationship=data.get("relationship") or "",
            date=age_date,
        )
    )
    if errors:
        raise GuardFailed(errors)
    name = (data.get("given_by_name") or "").strip()
    if data["given_by"] == GivenBy.INDIVIDUAL and not name:
        name = referral.subject.full_name
    consent = Consent.objects.create(
        referral=referral,
        given_by=data["given_by"],
        given_by_name=name,
        relationship=(data.get("relationship") or "").strip()
        if data["given_by"] == GivenBy.PARENT_OR_GUARDIAN
        else "",
        date=data["date"],
        decision=decision,
        child_view=(data.get("child_view") or "").strip(),
        how_sought=(data.get("how_sought") or "").strip(),
        recorded_by=actor,
    )
    if consent.how_sought:
        plan, _created = SupportPlan.objects.get_or_create(referral=referral)
        plan.consent_sought = consent.how_sought
        plan.save(update_fields=["consent_sought"])
    audit_record(
        actor=actor, action="channel.consent_recorded", obj=referral, detail={"decision": decision}
    )
    return consent
