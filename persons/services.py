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
from django.utils.translation import gettext as _

from accounts.models import User
from prevent_cms.audit import audit_record
from prevent_cms.errors import ActionForbidden, Conflict, GuardFailed
from referrals.models import Referral
from referrals.selectors import referral_lock, referrals_visible_to

from .index import person_for_referral, person_records_add, person_records_move
from .models import LinkAction, Person, PersonLink
from .permissions import may_link


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise GuardFailed({"reason": _("Give the reason for this decision")})
    return reason


def _locked_case(actor: User, referral_id: UUID | str) -> Referral:
    referral = referral_lock(referrals_visible_to(actor), referral_id=referral_id)
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
    referral.person = person
    Referral.objects.filter(pk=referral.pk).update(person=person)
    _record(
        referral=referral,
        actor=actor,
        action=LinkAction.LINKED,
        person=person,
        previous=previous,
        reason=reason,
    )
    return referral


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
    referral.person = person
    Referral.objects.filter(pk=referral.pk).update(person=person)
    _record(
        referral=referral,
        actor=actor,
        action=LinkAction.UNLINKED,
        person=person,
        previous=previous,
        reason=reason,
    )
    return referral


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
