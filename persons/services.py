"""Linking referrals to people (issue 18): link, unlink, and "not the same person".

Each decision is a ``PersonLink`` row (the link history, shown in the timeline) and an audit
event, written in one transaction with the move of the referral's index rows. The referral
is locked within the actor's scope (404 outside it), so two officers linking the same case at
once apply one after the other. Every decision can be undone: a link by an unlink, an unlink
or a "not the same person" by a link.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum import exceptions as number_errors
from stdnum.gb import nhs, upn

from accounts.models import LocalAuthority, User
from partnership.models import DisclosureKind
from prevent_cms.audit import audit_record
from prevent_cms.errors import ActionForbidden, Conflict, GuardFailed, TransitionNotAllowed
from prevent_cms.outbox import outbox_enqueue
from referrals.choices import State
from referrals.disclosures import disclosures_record
from referrals.models import Referral, ReferralUserObjectPermission, Subject
from referrals.selectors import referral_lock, referrals_visible_to

from . import tasks
from .index import person_for_referral, person_records_add, person_records_move
from .models import (
    AreaTransfer,
    IdentifierKind,
    LinkAction,
    Person,
    PersonIdentifier,
    PersonLink,
    TransferStatus,
)
from .permissions import may_decide_transfer, may_link, may_request_transfer
from .selectors import transfers_addressed_to


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise GuardFailed({"reason": _("Give the reason for this decision")})
    return reason


def _locked_case(actor: User, referral_id: UUID | str) -> Referral:
    referral = referral_lock(referrals_visible_to(actor, by_id=True), referral_id=referral_id)
    if not may_link(actor, referral):
        raise ActionForbidden
    return referral


def _target(actor: User, person_id: UUID | str) -> Person:
    """The person ``person_id``, locked, if the actor may link one of its referrals; a
    person they cannot see is one that does not exist (404)."""
    try:
        person = Person.objects.select_for_update().filter(pk=person_id).first()
    except (ValueError, ValidationError) as error:
        raise GuardFailed({"person": _("Select a person from the matches")}) from error
    if person is None:
        raise Person.DoesNotExist
    linkable = [
        referral
        for referral in referrals_visible_to(actor).filter(person_id=person.pk)
        if may_link(actor, referral)
    ]
    if not linkable:
        raise Person.DoesNotExist
    return person


def _record(
    *, referral: Referral, actor: User, action: str, person: Any, previous: Any, reason: str
) -> PersonLink:
    link = PersonLink.objects.create(
        referral=referral,
        person=person,
        previous_person=previous,
        action=action,
        reason=reason,
        actor=actor,
    )
    audit_record(
        actor=actor,
        action=f"referral.person_{action}",
        obj=referral,
        detail={
            "person": str(person.pk) if person else "",
            "previous_person": str(previous.pk) if previous else "",
        },
    )
    return link


def _belong_to(
    referral: Referral, person: Person, *, actor: User, action: str, previous: Any, reason: str
) -> Referral:
    """The case now belongs to ``person`` (its records already moved), recorded in its
    history of links and audited, as linking and unlinking both end."""
    referral.person = person
    Referral.objects.filter(pk=referral.pk).update(person=person)
    _record(
        referral=referral,
        actor=actor,
        action=action,
        person=person,
        previous=previous,
        reason=reason,
    )
    return referral


@transaction.atomic
def referral_link_person(
    *, referral_id: UUID | str, actor: User, person_id: UUID | str, reason: str
) -> Referral:
    """Confirm that the case's person is ``person_id`` (a proposed match): the case joins that
    person, with the names, addresses and numbers it gave, so later referrals match them all.

    Linking to the person it already belongs to changes nothing (a double-click is harmless).
    """
    reason = _reason(reason)
    referral = _locked_case(actor, referral_id)
    person = _target(actor, person_id)
    if referral.person_id == person.pk:
        return referral
    previous = Person.objects.filter(pk=referral.person_id).first() if referral.person_id else None
    if previous is None:
        person_records_add(person=person, referral=referral)
    else:
        person_records_move(referral=referral, to_person=person)
    return _belong_to(
        referral, person, actor=actor, action=LinkAction.LINKED, previous=previous, reason=reason
    )


@transaction.atomic
def referral_unlink_person(*, referral_id: UUID | str, actor: User, reason: str) -> Referral:
    """Undo a link (mistakes happen): the case leaves its person for a person of its own,
    taking back the names, addresses and numbers it gave. 409 if it is not linked to anyone
    else (it is already on its own)."""
    reason = _reason(reason)
    referral = _locked_case(actor, referral_id)
    previous = (
        Person.objects.select_for_update().filter(pk=referral.person_id).first()
        if referral.person_id
        else None
    )
    others = Referral.objects.filter(person=previous).exclude(pk=referral.pk)
    if previous is None or not others.exists():
        raise Conflict(_("This referral is not linked to another referral’s person."))
    person = Person.objects.create()
    person_records_move(referral=referral, to_person=person)
    return _belong_to(
        referral, person, actor=actor, action=LinkAction.UNLINKED, previous=previous, reason=reason
    )


@transaction.atomic
def referral_reject_match(
    *, referral_id: UUID | str, actor: User, person_id: UUID | str, reason: str
) -> PersonLink:
    """Record that a proposed person is not the case's person. The match stays listed,
    marked, and a later link undoes the decision."""
    reason = _reason(reason)
    referral = _locked_case(actor, referral_id)
    person = _target(actor, person_id)
    if referral.person_id == person.pk:
        raise Conflict(_("This referral is linked to that person: unlink it instead."))
    if referral.person_id is None:
        person_for_referral(referral)
    return _record(
        referral=referral,
        actor=actor,
        action=LinkAction.REJECTED,
        person=person,
        previous=None,
        reason=reason,
    )


# --- Identifiers: NHS number, UPN ---------------------------------------------------------


def _identifier(kind: str, value: str) -> tuple[str, dict[str, str]]:
    """The number as stored (no spaces, upper case), or what is wrong with it in plain words.
    The check digit (NHS number, modulus 11) and check letter (UPN) are python-stdnum's."""
    if kind not in IdentifierKind.values:
        return "", {"kind": _("Select whether it is an NHS number or a unique pupil number")}
    if not (value or "").strip():
        if kind == IdentifierKind.NHS_NUMBER:
            return "", {"value": _("Enter the NHS number")}
        return "", {"value": _("Enter the unique pupil number")}
    if kind == IdentifierKind.NHS_NUMBER:
        try:
            return nhs.validate(value), {}
        except number_errors.InvalidChecksum:
            return "", {
                "value": _(
                    "The last digit of this NHS number does not match the other nine (it is a "
                    "check digit worked out from them), so a digit is probably wrong: check the "
                    "number and enter it again"
                )
            }
        except number_errors.ValidationError:
            return "", {"value": _("Enter an NHS number of 10 digits, like 943 476 5919")}
    try:
        return upn.validate(value), {}
    except number_errors.InvalidChecksum:
        return "", {
            "value": _(
                "The first letter of this unique pupil number does not match the rest (it is a "
                "check letter worked out from them), so a character is probably wrong: check "
                "the number and enter it again"
            )
        }
    except number_errors.ValidationError:
        return "", {
            "value": _(
                "Enter a unique pupil number of 13 characters: a letter then 12 digits, like "
                "B801200005001"
            )
        }


@transaction.atomic
def person_identifier_record(
    *, referral_id: UUID | str, actor: User, kind: str, value: str
) -> PersonIdentifier:
    """Record a number that identifies the case's person (an NHS number, a UPN), given by
    this case: later referrals giving the same number match it above everything else, and
    unlinking the case takes the number with it. For whoever may link the case (its officer;
    its chair for a Channel case); 404 outside their scope. 409 when the person already has
    that number. Audited without the number."""
    referral = _locked_case(actor, referral_id)
    number, errors = _identifier(kind, value)
    if errors:
        raise GuardFailed(errors)
    person = (
        Person.objects.filter(pk=referral.person_id).first() if referral.person_id else None
    ) or person_for_referral(referral)
    if PersonIdentifier.objects.filter(person=person, kind=kind, value=number).exists():
        raise Conflict(_("The person already has this number recorded."))
    identifier = PersonIdentifier.objects.create(
        person=person, referral=referral, kind=kind, value=number
    )
    audit_record(
        actor=actor,
        action="referral.person_identifier_recorded",
        obj=referral,
        detail={"person": str(person.pk), "kind": kind, "identifier": identifier.pk},
    )
    return identifier


# --- Transfers between areas (the person moved) ---------------------------------------------


def _transfer_target(
    to_local_authority_id: Any, to_police_force_id: Any
) -> tuple[LocalAuthority | None, dict[str, str]]:
    """The receiving local authority (its force follows from it), or what is wrong. A force
    alone is not enough: a case lives in a local authority; a force that does not cover the
    local authority named is a contradiction (400)."""
    if not to_local_authority_id:
        return None, {"to_local_authority": _("Select the local authority the person moved to")}
    try:
        local_authority = LocalAuthority.objects.filter(pk=to_local_authority_id).first()
    except (ValueError, ValidationError):
        local_authority = None
    if local_authority is None:
        return None, {"to_local_authority": _("Select a local authority from the list")}
    if to_police_force_id and str(to_police_force_id) != str(local_authority.police_force_id):
        return None, {
            "to_police_force": _("That police force does not cover the local authority selected")
        }
    return local_authority, {}


@transaction.atomic
def referral_transfer(
    *,
    referral_id: UUID | str,
    actor: User,
    to_local_authority_id: Any,
    reason: str,
    to_police_force_id: Any = None,
) -> AreaTransfer:
    """Ask another area to take the case over (the person moved). The case keeps its state and
    its area until the receiving side accepts; meanwhile this is the pending transfer, and a
    second request is 409. The sending and receiving teams are told after commit."""
    referral = referral_lock(referrals_visible_to(actor, by_id=True), referral_id=referral_id)
    if referral.state in (State.DRAFT, State.CLOSED):
        raise TransitionNotAllowed(
            _("A case in “%(state)s” cannot be transferred.") % {"state": referral.state_label}
        )
    if not may_request_transfer(actor, referral):
        raise ActionForbidden
    if AreaTransfer.objects.filter(referral=referral, status=TransferStatus.PENDING).exists():
        raise Conflict(_("A transfer of this case is already waiting for the receiving area."))
    local_authority, errors = _transfer_target(to_local_authority_id, to_police_force_id)
    if not (reason or "").strip():
        errors["reason"] = _("Give the reason for the transfer")
    if local_authority is not None and local_authority.pk == referral.local_authority_id:
        errors["to_local_authority"] = _("The case is already in that local authority")
    if errors or local_authority is None:
        raise GuardFailed(errors)
    transfer = AreaTransfer.objects.create(
        referral=referral,
        state_at_request=referral.state,
        from_local_authority_id=referral.local_authority_id,
        from_police_force_id=referral.police_force_id,
        to_local_authority=local_authority,
        to_police_force_id=local_authority.police_force_id,
        reason=reason.strip(),
        requested_by=actor,
    )
    _transfer_audit(transfer, actor=actor, action="referral.transfer_requested")
    outbox_enqueue(tasks.send_transfer_email, str(transfer.pk), "requested")
    return transfer


def _transfer_audit(transfer: AreaTransfer, *, actor: User, action: str) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type=Referral._meta.label_lower,
        object_id=str(transfer.referral_id),
        detail={
            "transfer": str(transfer.pk),
            "from_local_authority": str(transfer.from_local_authority_id),
            "to_local_authority": str(transfer.to_local_authority_id),
            "from_police_force": str(transfer.from_police_force_id),
            "to_police_force": str(transfer.to_police_force_id),
        },
    )


def _lock_for_decision(actor: User, referral_id: UUID | str) -> tuple[Referral, AreaTransfer]:
    """The case and its pending transfer, both locked, for someone deciding it.

    The receiving side cannot see the case yet: it is found through the transfer addressed
    to them. Someone who sees the case but may not decide gets 403 (409 if nothing waits);
    anyone else 404, as for any case outside their scope.
    """
    addressed = transfers_addressed_to(actor).filter(referral_id=referral_id)
    try:
        ours = addressed.exists() or referrals_visible_to(actor).filter(pk=referral_id).exists()
    except (ValueError, ValidationError) as error:
        raise Referral.DoesNotExist from error
    if not ours:
        raise Referral.DoesNotExist
    referral = referral_lock(Referral.objects.all(), referral_id=referral_id)
    transfer = (
        AreaTransfer.objects.select_for_update()
        .filter(referral=referral, status=TransferStatus.PENDING)
        .first()
    )
    if transfer is None:
        raise Conflict(_("No transfer of this case is waiting for a decision."))
    return referral, transfer


@transaction.atomic
def referral_accept_transfer(*, referral_id: UUID | str, actor: User) -> Referral:
    """The receiving side takes the case over: it continues in the new area at the same
    stage, with its history. Who may see it follows at this moment: the sending area keeps
    the record of what it did (audit, history) but no new reads; panel grants of the
    sending area's panels go; the officer and case lead are the new area's to name.
    Raced against a transition or a second decision, one wins: both lock the case row."""
    referral, transfer = _lock_for_decision(actor, referral_id)
    if referral.state in (State.DRAFT, State.CLOSED):
        raise TransitionNotAllowed(_("The case was closed before the transfer was accepted."))
    if not may_decide_transfer(actor, referral, transfer):
        raise ActionForbidden
    # The sending area's case goes to the receiving side's agency: in the ledger against the
    # sending council's agreement, or refused (403) where none allows it (issue 21).
    disclosures_record(
        actor=actor,
        kind=DisclosureKind.TRANSFER,
        source_id=transfer.pk,
        referrals=[referral],
        recipient=actor,
    )
    moved_force = referral.police_force_id != transfer.to_police_force_id
    referral.local_authority_id = transfer.to_local_authority_id
    referral.police_force_id = transfer.to_police_force_id
    if moved_force:
        referral.assigned_officer = None
    referral.case_lead = None
    referral.version += 1
    referral.save()
    Subject.objects.filter(pk=referral.subject_id).update(
        local_authority_id=transfer.to_local_authority_id
    )
    ReferralUserObjectPermission.objects.filter(content_object=referral).delete()
    transfer.status = TransferStatus.ACCEPTED
    transfer.decided_by = actor
    transfer.decided_at = timezone.now()
    transfer.save(update_fields=["status", "decided_by", "decided_at"])
    _transfer_audit(transfer, actor=actor, action="referral.transfer_accepted")
    outbox_enqueue(tasks.send_transfer_email, str(transfer.pk), "accepted")
    return referral


@transaction.atomic
def referral_decline_transfer(*, referral_id: UUID | str, actor: User, reason: str) -> AreaTransfer:
    """End a pending transfer with a reason: the receiving side declines it, or the sending
    side withdraws it. The case stays where it is."""
    referral, transfer = _lock_for_decision(actor, referral_id)
    if not (
        may_decide_transfer(actor, referral, transfer) or may_request_transfer(actor, referral)
    ):
        raise ActionForbidden
    if not (reason or "").strip():
        raise GuardFailed({"reason": _("Give the reason for declining the transfer")})
    transfer.status = TransferStatus.DECLINED
    transfer.decided_by = actor
    transfer.decided_at = timezone.now()
    transfer.decline_reason = reason.strip()
    transfer.save(update_fields=["status", "decided_by", "decided_at", "decline_reason"])
    _transfer_audit(transfer, actor=actor, action="referral.transfer_declined")
    outbox_enqueue(tasks.send_transfer_email, str(transfer.pk), "declined")
    return transfer
