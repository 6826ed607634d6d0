"""Who may link a referral to a person (issue 18).

A Prevent officer of the case's force, for any case past draft; the Channel chair of its
local authority for a case that has reached Channel ("a chair links within their Channel
cases"). Both see the case fully; nobody else links.
"""

from accounts.models import Role
from referrals.choices import CHANNEL_STAGES, State
from referrals.permissions import is_chair_for, is_officer_for


def may_link(user, referral) -> bool:
    if not user.is_active or referral.state == State.DRAFT:
        return False
    if is_officer_for(user, referral):
        return True
    return referral.channel_entered_at is not None and is_chair_for(user, referral)


def may_request_transfer(user, referral) -> bool:
    """The case's Prevent officer (its force's), or its Channel chair for a Channel case,
    while the case is open."""
    if not user.is_active or referral.state in (State.DRAFT, State.CLOSED):
        return False
    if is_officer_for(user, referral):
        return True
    return referral.state in CHANNEL_STAGES and is_chair_for(user, referral)


def may_decide_transfer(user, referral, transfer) -> bool:
    """The receiving force's Prevent officer; for a Channel case, the receiving local
    authority's chair."""
    if not user.is_active:
        return False
    if referral.state in CHANNEL_STAGES:
        return (
            user.has_role(Role.CHANNEL_CHAIR)
            and user.local_authority_id == transfer.to_local_authority_id
        )
    return (
        user.has_role(Role.PREVENT_OFFICER) and user.police_force_id == transfer.to_police_force_id
    )
