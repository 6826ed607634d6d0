"""Every write to a consultation: record, change, link to the referral that followed.

Each is one transaction with its audit event. The audit trail holds codes and ids only: an
edit records which fields changed, never what they said (they are about a person).
"""

from __future__ import annotations

import datetime
import re
from typing import Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.models import LocalAuthority, Sector, User
from prevent_cms.audit import audit_record
from prevent_cms.errors import ActionForbidden, InvalidInput, PreconditionFailed
from referrals import services as referral_services
from referrals.models import Referral

from .models import AGE_BAND_LABELS, Consultation, Outcome, ReferredTo
from .selectors import (
    consultation_linkable_referral,
    consultation_local_authorities_for,
    consultations_visible_to,
    may_work_with_consultations,
)

# What a consultation holds besides its area and links, as the services take it.
FIELDS = (
    "consulted_on",
    "asker_name",
    "asker_organisation",
    "asker_sector",
    "subject_initials",
    "subject_age_band",
    "summary",
    "advice",
    "outcome",
    "referred_to",
)
REQUIRED = ("consulted_on", "asker_name", "asker_sector", "summary", "advice", "outcome")
TEXT_LIMITS = {"asker_name": 200, "asker_organisation": 200, "summary": 5000, "advice": 5000}
INITIALS = re.compile(r"[A-Za-z]{1,3}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MESSAGES = {
    "consulted_on": _lazy("Enter the date of the consultation"),
    "asker_name": _lazy("Enter the name of the person who asked for advice"),
    "asker_sector": _lazy("Select the sector of the person who asked"),
    "summary": _lazy("Enter what they were worried about"),
    "advice": _lazy("Enter the advice given"),
    "outcome": _lazy("Select the outcome"),
}


def _check(data: dict[str, Any]) -> dict[str, list[str]]:
    """Every field's problem at once, as the forms and the API show them."""
    errors: dict[str, list[str]] = {}

    def fail(field: str, message: object) -> None:
        errors.setdefault(field, []).append(str(message))

    for field in REQUIRED:
        if data.get(field) in (None, ""):
            fail(field, MESSAGES[field])
    for field, limit in TEXT_LIMITS.items():
        value = data.get(field) or ""
        if len(value) > limit:
            fail(field, _("This must be %(limit)s characters or fewer") % {"limit": limit})
        if _CONTROL.search(value):
            fail(field, _("Remove the hidden control characters"))
    day = data.get("consulted_on")
    if isinstance(day, datetime.date) and day > timezone.localdate():
        fail("consulted_on", _("The date of the consultation must be today or in the past"))
    if data.get("asker_sector") and data["asker_sector"] not in Sector.values:
        fail("asker_sector", MESSAGES["asker_sector"])
    if data.get("outcome") and data["outcome"] not in Outcome.values:
        fail("outcome", MESSAGES["outcome"])
    initials = data.get("subject_initials") or ""
    if initials and not INITIALS.fullmatch(initials):
        fail("subject_initials", _("Enter up to 3 letters for the initials, never a name"))
    band = data.get("subject_age_band") or ""
    if band and band not in AGE_BAND_LABELS:
        fail("subject_age_band", _("Select an age band from the list"))
    referred_to = data.get("referred_to") or ""
    if data.get("outcome") == Outcome.REFERRED_ELSEWHERE and referred_to not in ReferredTo.values:
        fail("referred_to", _("Select where the concern was referred"))
    return errors


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    cleaned = {field: data.get(field) for field in FIELDS}
    for field in FIELDS:
        value = cleaned[field]
        if isinstance(value, str):
            cleaned[field] = value.strip()
        elif value is None and field != "consulted_on":
            cleaned[field] = ""
    cleaned["subject_initials"] = (cleaned["subject_initials"] or "").upper()
    if cleaned["outcome"] != Outcome.REFERRED_ELSEWHERE:
        cleaned["referred_to"] = ""  # only a referral elsewhere says where
    errors = _check(cleaned)
    if errors:
        raise InvalidInput(errors)
    return cleaned


@transaction.atomic
def consultation_record(
    *, actor: User, local_authority: LocalAuthority, data: dict[str, Any]
) -> Consultation:
    """Record advice given before (or instead of) a referral, for one local authority of
    the actor's area. The force is the local authority's: its officers see it."""
    if not may_work_with_consultations(actor):
        raise ActionForbidden(_("Only Prevent officers may record consultations."))
    if not consultation_local_authorities_for(actor).filter(pk=local_authority.pk).exists():
        raise InvalidInput({"local_authority": [_("Select a local authority of your area")]})
    consultation = Consultation.objects.create(
        police_force_id=local_authority.police_force_id,
        local_authority=local_authority,
        recorded_by=actor,
        **_clean(data),
    )
    audit_record(
        actor=actor,
        action="consultation.recorded",
        obj=consultation,
        detail={"outcome": consultation.outcome},
    )
    return consultation


def _lock(actor: User, consultation_id: UUID | str) -> Consultation:
    return consultations_visible_to(actor).select_for_update().get(pk=consultation_id)


@transaction.atomic
def consultation_update(
    *,
    consultation_id: UUID | str,
    actor: User,
    data: dict[str, Any],
    expected_version: int | None = None,
) -> Consultation:
    """Change what was recorded (a PATCH: fields not in ``data`` keep their values).

    ``expected_version`` (an API client's ``If-Match``, a form's hidden version) is checked
    under the row lock, so of two edits made from the same reading only the first lands.
    """
    consultation = _lock(actor, consultation_id)
    if expected_version is not None and expected_version != consultation.version:
        raise PreconditionFailed
    current = {field: getattr(consultation, field) for field in FIELDS}
    merged = {**current, **{k: v for k, v in data.items() if k in FIELDS}}
    cleaned = _clean(merged)
    changed = sorted(field for field in FIELDS if cleaned[field] != current[field])
    if not changed:
        return consultation
    for field in changed:
        setattr(consultation, field, cleaned[field])
    consultation.version += 1
    consultation.save()
    audit_record(
        actor=actor,
        action="consultation.changed",
        obj=consultation,
        detail={"fields": changed, "outcome": consultation.outcome},
    )
    return consultation


@transaction.atomic
def consultation_link(
    *,
    consultation_id: UUID | str,
    actor: User,
    referral_id: UUID | str | None = None,
    reference: str = "",
) -> Consultation:
    """Link the consultation to the referral that followed it; its outcome becomes
    ``referral_made``. May run twice: linking again to the same referral changes nothing.

    The referral, by id (the API) or reference (the page), must be one the actor sees in
    full; any other answers the same field error as one that does not exist.
    """
    consultation = _lock(actor, consultation_id)
    try:
        referral = consultation_linkable_referral(
            actor, referral_id=referral_id, reference=reference
        )
    except (Referral.DoesNotExist, ValueError) as error:
        raise InvalidInput(
            {"referral": [_("Enter the reference of a referral you can see")]}
        ) from error
    if consultation.referral_id == referral.pk and consultation.outcome == Outcome.REFERRAL_MADE:
        return consultation
    previous = consultation.referral_id
    consultation.referral = referral
    consultation.outcome = Outcome.REFERRAL_MADE
    consultation.referred_to = ""
    consultation.version += 1
    consultation.save()
    audit_record(
        actor=actor,
        action="consultation.linked",
        obj=consultation,
        detail={"referral": str(referral.pk), "previous": str(previous or "")},
    )
    return consultation


def consultation_record_view(*, actor: User, consultation: Consultation, via: str) -> None:
    """Audit a read of one consultation (as ``selectors.consultation_get_visible`` gave it).
    The linked referral's reference, when shown with it, is a read of that case too, so the
    case's access log shows it."""
    audit_record(actor=actor, action="consultation.viewed", obj=consultation, detail={"via": via})
    shown = getattr(consultation, "shown_referral", None)
    if shown is not None:
        referral_services.referral_record_view(
            actor=actor, referral=shown, via=f"consultation_{via}"
        )


def consultation_list_record_view(*, actor: User, consultation_ids: list[str], via: str) -> None:
    """Audit one read of a list of consultations: one event naming the ids it returned."""
    audit_record(
        actor=actor,
        action="consultation.list_viewed",
        object_type=Consultation._meta.label_lower,
        detail={"via": via, "ids": list(consultation_ids), "count": len(consultation_ids)},
    )
