"""Who may link a referral to a person (issue 18).

A Prevent officer of the case's force, for any case past draft; the Channel chair of its
local authority for a case that has reached Channel ("a chair links within their Channel
cases"). Both see the case fully; nobody else links.
"""

from referrals.choices import State
from referrals.permissions import is_chair_for, is_officer_for


def may_link(user, referral) -> bool:
    if not user.is_active or referral.state == State.DRAFT:
        return False
    if is_officer_for(user, referral):
        return True
    return referral.channel_entered_at is not None and is_chair_for(user, referral)
