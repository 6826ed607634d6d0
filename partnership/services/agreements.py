"""Data-sharing agreements and the disclosure ledger.

Every disclosure of case data the system makes to a person of another agency is recorded
once in the ledger, against the current agreement that allowed it (``disclosure_record``,
called by the service that lets the data leave: a panel pack download today). When the local
authority has turned on refusal (``DisclosurePolicy``) a disclosure no current agreement
covers is refused, unless the caller gives a reason, which is recorded with it and audited.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import Agency, Sector, User
from prevent_cms.audit import audit_record
from prevent_cms.errors import DisclosureRefused, GuardFailed

from ..common import area_of, lock_in_scope, today
from ..models import (
    Agreement,
    AgreementStatus,
    Disclosure,
    DisclosurePolicy,
    LawfulBasis,
)
from ..selectors import agencies_for_agreements, agreements_current, agreements_visible_to

AGREEMENT_FIELDS = {
    "kind",
    "title",
    "purpose",
    "lawful_basis",
    "starts_on",
    "review_on",
    "ends_on",
    "status",
}


def _check_agreement(data: dict[str, Any], parties: list[Agency] | None) -> None:
    errors = {}
    if "title" in data and not (data["title"] or "").strip():
        errors["title"] = _("Enter the title of the agreement")
    if "purpose" in data and not (data["purpose"] or "").strip():
        errors["purpose"] = _("Enter the purpose of the sharing")
    if "lawful_basis" in data and data["lawful_basis"] not in LawfulBasis.values:
        errors["lawful_basis"] = _("Select the lawful basis for the sharing")
    if "status" in data and data["status"] not in AgreementStatus.values:
        errors["status"] = _("Select the status of the agreement")
    for name, message in (
        ("starts_on", _("Enter the date the agreement starts")),
        ("review_on", _("Enter the date the agreement is due for review")),
    ):
        if name in data and data[name] is None:
            errors[name] = message
    starts, ends = data.get("starts_on"), data.get("ends_on")
    if starts and ends and ends < starts:
        errors["ends_on"] = _("The agreement must end on or after the day it starts")
    if parties is not None and not parties:
        errors["parties"] = _("Select at least one partner agency")
    if errors:
        raise GuardFailed(errors)


def _parties(actor: User, party_ids: Iterable[UUID | str]) -> list[Agency]:
    ids = {str(i) for i in party_ids or []}
    parties = list(agencies_for_agreements(actor).filter(pk__in=ids)) if ids else []
    if len(parties) != len(ids):
        raise GuardFailed({"parties": _("Select agencies of your police force area")})
    return parties


@transaction.atomic
def agreement_create(
    *, actor: User, data: dict[str, Any], party_ids: Iterable[UUID | str]
) -> Agreement:
    """Register an agreement (or DPIA) with partner agencies of the force area."""
    area = area_of(actor)
    unknown = set(data) - AGREEMENT_FIELDS
    if unknown:
        raise GuardFailed({name: _("Unknown field") for name in sorted(unknown)})
    for name in ("title", "purpose", "lawful_basis", "starts_on", "review_on"):
        data.setdefault(name, None)
    parties = _parties(actor, party_ids)
    _check_agreement(data, parties)
    agreement = Agreement.objects.create(
        local_authority=area,
        created_by=actor,
        title=data["title"].strip(),
        purpose=data["purpose"].strip(),
        **{k: v for k, v in data.items() if k not in {"title", "purpose"} and v is not None},
    )
    agreement.parties.set(parties)
    audit_record(
        actor=actor,
        action="partnership.agreement.created",
        obj=agreement,
        detail={"parties": [str(p.pk) for p in parties], "status": agreement.status},
    )
    return agreement


@transaction.atomic
def agreement_update(
    *,
    actor: User,
    agreement_id: UUID | str,
    data: dict[str, Any],
    party_ids: Iterable[UUID | str] | None = None,
) -> Agreement:
    """Review, suspend, end or change an agreement (the audit names the fields changed)."""
    area_of(actor)
    agreement = lock_in_scope(agreements_visible_to(actor), agreement_id)
    unknown = set(data) - AGREEMENT_FIELDS
    if unknown:
        raise GuardFailed({name: _("Unknown field") for name in sorted(unknown)})
    parties = _parties(actor, party_ids) if party_ids is not None else None
    merged = {"starts_on": agreement.starts_on, "ends_on": agreement.ends_on, **data}
    _check_agreement(merged, parties)
    changed = sorted(name for name, value in data.items() if getattr(agreement, name) != value)
    for name in changed:
        setattr(agreement, name, data[name])
    agreement.save()
    if parties is not None:
        agreement.parties.set(parties)
        changed.append("parties")
    audit_record(
        actor=actor,
        action="partnership.agreement.updated",
        obj=agreement,
        detail={"fields": changed, "status": agreement.status},
    )
    return agreement


@transaction.atomic
def disclosure_policy_set(*, actor: User, refuse_without_agreement: bool) -> DisclosurePolicy:
    """Turn refusal of disclosures with no current agreement on (or back off)."""
    area = area_of(actor)
    policy, _created = DisclosurePolicy.objects.select_for_update().get_or_create(
        local_authority=area,
        defaults={"changed_by": actor, "refuse_without_agreement": refuse_without_agreement},
    )
    policy.refuse_without_agreement = refuse_without_agreement
    policy.changed_by = actor
    policy.save()
    audit_record(
        actor=actor,
        action="partnership.disclosure_policy.set",
        obj=area,
        detail={"refuse_without_agreement": refuse_without_agreement},
    )
    return policy


def _is_internal(agency: Agency, local_authority_id) -> bool:
    """The disclosing council's own staff: data that stays with the controller."""
    return (
        agency.local_authority_id == local_authority_id and agency.sector == Sector.LOCAL_AUTHORITY
    )


@transaction.atomic
def disclosure_record(
    *,
    actor: User,
    kind: str,
    local_authority_id: UUID,
    source_id: UUID | str,
    case_count: int,
    recipient: User | None,
    party: Agency | None = None,
    reason: str = "",
) -> Disclosure | None:
    """Record a disclosure of case data to ``recipient`` (their agency is the party) in the
    ledger, against the current agreement covering that agency; None when the recipient is
    the disclosing council's own staff (nothing leaves the controller). A disclosure to an
    address with no account here (the MASH copy) names its ``party`` instead, no recipient.

    With no current agreement: refused (``DisclosureRefused``, a 403) if the local authority refuses
    such disclosures and no ``reason`` is given; otherwise recorded with no agreement and the
    reason, and audited as such. May run twice for one source and party (a second download
    of the same copy): it is the same disclosure, recorded once.
    """
    agency = party if party is not None else (recipient.agency if recipient else None)
    if agency is None or _is_internal(agency, local_authority_id):
        return None
    on = today()
    agreement = (
        agreements_current(local_authority_id=local_authority_id, on=on)
        .filter(parties=agency)
        .order_by("review_on", "pk")
        .first()
    )
    reason = (reason or "").strip()
    if agreement is None and not reason:
        refuses = DisclosurePolicy.objects.filter(
            local_authority_id=local_authority_id, refuse_without_agreement=True
        ).exists()
        if refuses:
            raise DisclosureRefused(
                _(
                    "No current data-sharing agreement covers sharing this with your "
                    "organisation. Ask the borough’s Prevent lead."
                )
            )
    same = {
        "kind": kind,
        "source_id": str(source_id),
        "recipient_agency": agency,
        "local_authority_id": local_authority_id,
    }
    existing = Disclosure.objects.filter(**same).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            disclosure = Disclosure.objects.create(
                local_authority_id=local_authority_id,
                kind=kind,
                agreement=agreement,
                recipient_agency=agency,
                recipient=recipient,
                source_id=str(source_id),
                case_count=case_count,
                reason=reason[:500] if agreement is None else "",
                recorded_by=actor,
            )
    except IntegrityError:  # recorded at the same moment by a second download
        return Disclosure.objects.get(**same)
    audit_record(
        actor=actor,
        action="partnership.disclosure.recorded",
        obj=disclosure,
        reason=disclosure.reason,
        detail={
            "kind": kind,
            "agreement": str(agreement.pk) if agreement else None,
            "party": str(agency.pk),
            "cases": case_count,
        },
    )
    return disclosure
