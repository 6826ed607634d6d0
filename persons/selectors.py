"""Reads of the person index, scoped to the reader (issue 18).

A person is visible to someone who may link one of its referrals (``may_link``: the officer
of its force, the chair of a Channel case of theirs): they see the person's identity as the
referrals they see fully gave it, and every referral of the person they may see at all, each
as they may see it. Everyone else gets 404, as for a case (its existence is sensitive).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import Q, QuerySet
from django.utils.functional import Promise

from accounts.models import Role
from referrals.choices import CHANNEL_STAGES, CoarseStatus, State, coarse_status
from referrals.models import Referral
from referrals.selectors import Access, referral_accesses, referrals_visible_to

from .models import (
    AreaTransfer,
    Person,
    PersonAddress,
    PersonIdentifier,
    PersonLink,
    PersonName,
    TransferStatus,
)
from .permissions import may_decide_transfer, may_link, may_request_transfer


def _linkable_referrals(user, person_id: Any) -> list[Referral]:
    return [
        referral
        for referral in referrals_visible_to(user).filter(person_id=person_id)
        if may_link(user, referral)
    ]


def person_get_visible(user, pk: UUID | str) -> Person:
    """The person ``pk`` if ``user`` may open one of its referrals fully, else 404."""
    person = Person.objects.filter(pk=pk).first()
    if person is None or not _linkable_referrals(user, person.pk):
        raise Person.DoesNotExist
    return person


@dataclass(frozen=True)
class PersonCase:
    """One referral of the person, as the reader may see it: stage and outcome."""

    referral: Referral
    stage: str | Promise
    outcome: str | Promise
    full: bool


@dataclass(frozen=True)
class PersonView:
    person: Person
    names: list[PersonName]
    addresses: list[PersonAddress]
    identifiers: list[PersonIdentifier]
    cases: list[PersonCase]


def person_view(user, person: Person) -> PersonView:
    """What ``user`` may see of ``person`` (from ``person_get_visible``): identity rows from
    the referrals they see fully, and the referrals they may see, oldest first."""
    referrals = list(
        referrals_visible_to(user)
        .filter(person_id=person.pk)
        .select_related("subject", "local_authority", "police_force")
        .order_by("submitted_at", "id")
    )
    accesses = referral_accesses(user, referrals)
    full_ids = [r.pk for r in referrals if accesses[r.pk] >= Access.FULL]
    cases = []
    for referral in referrals:
        access = accesses[referral.pk]
        fine = access >= Access.PANEL
        stage = referral.state_label if fine else CoarseStatus(coarse_status(referral.state)).label
        outcome = referral.get_closure_reason_display() if fine and referral.closure_reason else ""
        cases.append(PersonCase(referral, stage, outcome, access >= Access.FULL))
    return PersonView(
        person=person,
        names=list(PersonName.objects.filter(person=person, referral_id__in=full_ids)),
        addresses=list(PersonAddress.objects.filter(person=person, referral_id__in=full_ids)),
        identifiers=list(PersonIdentifier.objects.filter(person=person, referral_id__in=full_ids)),
        cases=cases,
    )


def person_links_visible_to(user) -> QuerySet[PersonLink]:
    """Link decisions on the referrals ``user`` may see (the timeline reads them for the
    cases it shows fully)."""
    return PersonLink.objects.filter(referral__in=referrals_visible_to(user))


def transfers_addressed_to(user) -> QuerySet[AreaTransfer]:
    """Pending transfers the receiving side ``user`` may decide: to their force (a Prevent
    officer) or to their local authority (a Channel chair). The case itself stays out of
    their scope until they accept; they see the reference, where from and the reason."""
    if not user.is_authenticated or not user.is_active or not user.agency_id:
        return AreaTransfer.objects.none()
    clauses = Q(pk__in=[])
    if user.has_role(Role.PREVENT_OFFICER):
        clauses |= Q(to_police_force_id=user.police_force_id) & ~Q(
            referral__state__in=list(CHANNEL_STAGES)
        )
    if user.has_role(Role.CHANNEL_CHAIR):
        clauses |= Q(to_local_authority_id=user.local_authority_id) & Q(
            referral__state__in=list(CHANNEL_STAGES)
        )
    return AreaTransfer.objects.filter(clauses, status=TransferStatus.PENDING)


def transfers_visible_to(user) -> QuerySet[AreaTransfer]:
    """Transfers of the cases ``user`` may see, and those waiting for their decision."""
    visible = AreaTransfer.objects.filter(referral__in=referrals_visible_to(user))
    return visible | transfers_addressed_to(user)


TRANSFER_STEPS = ("transfer", "accept_transfer", "decline_transfer")


def referral_transfer_steps(user, referral: Referral) -> list[str]:
    """The transfer steps ``user`` may take on ``referral`` now, by the rules the services
    apply (``persons.services``): ``transfer`` while the case is open and nothing is pending,
    for whoever may request it; with a transfer pending, ``accept_transfer`` for the receiving
    side (the case still open) and ``decline_transfer`` for them or the sending side
    (withdrawing it). The case's ``available_transitions`` lists them with the lifecycle's."""
    if not user.is_authenticated or not user.is_active or referral.state == State.DRAFT:
        return []
    pending = AreaTransfer.objects.filter(
        referral_id=referral.pk, status=TransferStatus.PENDING
    ).first()
    requester = may_request_transfer(user, referral)
    if pending is None:
        return ["transfer"] if requester else []
    decider = may_decide_transfer(user, referral, pending)
    steps = []
    if decider and referral.state != State.CLOSED:
        steps.append("accept_transfer")
    if decider or requester:
        steps.append("decline_transfer")
    return steps
