"""Every read of a consultation, already scoped to the person reading.

``CONSULTATION_AREAS`` is the one place roles meet consultations: each role that works with
them, and the local authorities whose consultations a holder of that role sees, records and
changes (a ``Q`` over ``LocalAuthority``). A Prevent officer works across their force area.
A role joins by one entry here (the local authority's Prevent lead did); the pages, the API, the
services and the navigation all read it, so nothing else changes. Anything outside answers
404, as a case does (DESIGN.md §3).
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from django.db.models import Q, QuerySet

from accounts.models import LocalAuthority, Role, User
from referrals.choices import State
from referrals.models import Referral
from referrals.selectors import Access, any_of, referral_access, referrals_visible_to

from .models import Consultation, Outcome

CONSULTATION_AREAS: dict[str, Callable[[User], Q]] = {
    Role.PREVENT_OFFICER: lambda user: Q(police_force_id=user.police_force_id),
    # A local authority's Prevent lead (issue 15) works with their own authority's.
    Role.PREVENT_LEAD: lambda user: Q(pk=user.local_authority_id),
}


def _area_scope(user) -> Q | None:
    if not user.is_authenticated or not user.is_active or not user.agency_id:
        return None
    return any_of([area(user) for role, area in CONSULTATION_AREAS.items() if role in user.roles])


def may_work_with_consultations(user) -> bool:
    """Whether ``user`` holds a role that sees and records consultations at all (the list
    and the form answer 403 to anyone else; one consultation answers 404 to them)."""
    return _area_scope(user) is not None


def consultation_local_authorities_for(user) -> QuerySet[LocalAuthority]:
    """The local authorities ``user`` may record a consultation for."""
    scope = _area_scope(user)
    if scope is None:
        return LocalAuthority.objects.none()
    return LocalAuthority.objects.filter(scope).order_by("name")


def consultations_visible_to(user) -> QuerySet[Consultation]:
    """The consultations ``user`` may see; anything else answers 404."""
    if _area_scope(user) is None:
        return Consultation.objects.none()
    areas = consultation_local_authorities_for(user).values("pk")
    return Consultation.objects.filter(local_authority_id__in=areas)


def consultations_to_follow_up(user) -> QuerySet[Consultation]:
    """The consultations ``user`` should follow up: a referral was advised and none is linked.

    "Referral advised" is the one outcome that leaves work open: the officer told the person
    who asked to refer, and only finding out whether they did closes it. When the referral
    arrives the officer links it (the outcome becomes "referral made"); when the follow-up
    finds none is needed, or that the concern went to another service, they record that
    outcome. Either clears the line, so none is listed for ever and none drops off unseen
    however old it is. The other outcomes end there: no referral needed, sent elsewhere, or
    made and linked. (A consultation changed back to "referral advised" after its referral was
    linked is followed up already.)
    """
    return consultations_visible_to(user).filter(
        outcome=Outcome.REFERRAL_ADVISED, referral__isnull=True
    )


def consultations_listed(
    user, *, outcome: str = "", follow_up: bool = False
) -> QuerySet[Consultation]:
    """The list's rows, newest first, narrowed to one outcome when given, and to those to
    follow up (``consultations_to_follow_up``) with ``follow_up``."""
    rows = consultations_to_follow_up(user) if follow_up else consultations_visible_to(user)
    rows = rows.select_related("local_authority")
    if outcome:
        rows = rows.filter(outcome=outcome)
    return rows.order_by("-consulted_on", "-created_at", "pk")


def consultation_get_visible(user, consultation_id: UUID | str) -> Consultation:
    """One consultation in ``user``'s scope; ``Consultation.DoesNotExist`` (404) otherwise.

    ``shown_referral`` is the linked referral when ``user`` may see that case too, else None:
    a reader of the consultation who may not see the case (a role added to
    ``CONSULTATION_AREAS`` with a narrower view of cases) is not told its reference.
    """
    consultation = (
        consultations_visible_to(user)
        .select_related("local_authority", "recorded_by", "referral")
        .get(pk=consultation_id)
    )
    referral = consultation.referral
    visible = referral is not None and referrals_visible_to(user).filter(pk=referral.pk).exists()
    consultation.shown_referral = referral if visible else None  # type: ignore[attr-defined]  # set for the reader only
    return consultation


def consultation_linkable_referrals(user) -> QuerySet[Referral]:
    """The referrals ``user`` may link a consultation to: submitted cases they see in full.

    A referral they see only coarsely (as its referrer, say) or not at all is never offered,
    so a link cannot be used to learn that a case exists.
    """
    return referrals_visible_to(user).exclude(state=State.DRAFT)


def consultation_linkable_referral(user, *, referral_id=None, reference: str = "") -> Referral:
    """The referral named by id or reference that ``user`` may link to, or
    ``Referral.DoesNotExist`` whether it is missing or out of sight (no difference shows)."""
    rows = consultation_linkable_referrals(user)
    if referral_id is not None:
        referral = rows.get(pk=referral_id)
    else:
        referral = rows.get(reference__iexact=reference.strip())
    if referral_access(user, referral) < Access.FULL:
        raise Referral.DoesNotExist
    return referral
