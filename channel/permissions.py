"""Who may do what in Channel, and the per-case guardian grants for panel members."""

from __future__ import annotations

from django.contrib.auth.models import Permission

from accounts.models import Role, Sector
from referrals.choices import CHANNEL_STAGES, State
from referrals.models import ReferralUserObjectPermission
from referrals.permissions import is_chair_for
from referrals.selectors import PANEL_PERMISSION

from .models import Panel


def is_chair_of_panel(user, panel) -> bool:
    return user.has_role(Role.CHANNEL_CHAIR) and user.local_authority_id == panel.local_authority_id


def may_work_on_case(user, referral) -> bool:
    """Record assessments, consent, support and reviews: the chair, while in Channel."""
    return referral.state in CHANNEL_STAGES and is_chair_for(user, referral)


def is_local_authority_person(user) -> bool:
    """Counts towards quorum for the local authority: its chair, or anyone of a council agency."""
    return user.has_role(Role.CHANNEL_CHAIR) or (
        bool(user.agency_id) and user.agency.sector == Sector.LOCAL_AUTHORITY
    )


def is_police_person(user) -> bool:
    return user.has_role(Role.PREVENT_OFFICER) or (
        bool(user.agency_id) and user.agency.sector == Sector.POLICE
    )


def _panel_permission() -> Permission:
    return Permission.objects.get(codename=PANEL_PERMISSION, content_type__app_label="referrals")


def sync_case_grants(referral) -> None:
    """Make the guardian grants on ``referral`` match the panels whose agenda holds it.

    Every member of such a panel holds ``view_case_as_panel_member`` while the case is
    open; a closed case, or one on no agenda, holds none.
    """
    permission = _panel_permission()
    if referral.state == State.CLOSED:
        wanted: set = set()
    else:
        wanted = set(
            Panel.members.through.objects.filter(panel__agenda__referral=referral).values_list(
                "user_id", flat=True
            )
        )
    existing = ReferralUserObjectPermission.objects.filter(
        content_object=referral, permission=permission
    )
    existing.exclude(user_id__in=wanted).delete()
    have = set(existing.values_list("user_id", flat=True))
    ReferralUserObjectPermission.objects.bulk_create(
        [
            ReferralUserObjectPermission(
                content_object=referral, permission=permission, user_id=user_id
            )
            for user_id in wanted - have
        ]
    )
