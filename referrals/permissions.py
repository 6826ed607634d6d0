"""Who may do what to a referral: role predicates and the transition permission table.

Scoping by area is a queryset rule in ``selectors``; these predicates answer the same
question for one case already loaded, so a visible case with a forbidden action gets 403.
"""

from accounts.models import Role

from . import lifecycle
from .choices import CHANNEL_STAGES, POLICE_STAGES, State


def is_officer_for(user, referral) -> bool:
    """A Prevent officer of the force area where the person lives."""
    return user.has_role(Role.PREVENT_OFFICER) and user.police_force_id == referral.police_force_id


def is_chair_for(user, referral) -> bool:
    """The Channel chair of the local authority where the person lives."""
    return (
        user.has_role(Role.CHANNEL_CHAIR) and user.local_authority_id == referral.local_authority_id
    )


def is_referrer_of(user, referral) -> bool:
    return referral.referrer_id == user.pk


def _close(referral, user) -> bool:
    if referral.state in POLICE_STAGES:
        return is_officer_for(user, referral)
    if referral.state in CHANNEL_STAGES:
        return is_chair_for(user, referral)
    return False


def _police_led(referral, user) -> bool:
    if referral.state == State.POLICE_ASSESSMENT:
        return is_officer_for(user, referral)
    return is_officer_for(user, referral) or is_chair_for(user, referral)


TRANSITION_PERMISSIONS = {
    "submit": lambda referral, user: is_referrer_of(user, referral),
    "start_assessment": lambda referral, user: is_officer_for(user, referral),
    "refer_to_channel": lambda referral, user: is_officer_for(user, referral),
    "police_led_partnership": _police_led,
    "close": _close,
    "adopt": lambda referral, user: is_chair_for(user, referral),
    "consent_given": lambda referral, user: is_chair_for(user, referral),
    "exit_channel": lambda referral, user: is_chair_for(user, referral),
    "escalate_to_police": lambda referral, user: is_chair_for(user, referral),
    "readopt": lambda referral, user: is_chair_for(user, referral),
    "reopen": lambda referral, user: is_chair_for(user, referral),
}

for _name, _permission in TRANSITION_PERMISSIONS.items():
    lifecycle.register_permission(_name, _permission)


ON_BEHALF_ROLES = (Role.PREVENT_OFFICER, Role.PREVENT_LEAD)


def may_record_on_behalf(user) -> bool:
    """Who may record a referral received by phone, e-mail, form, letter, in person or after
    a consultation, for a referrer who may have no account (issue 15): an active Prevent
    officer or a local authority's Prevent lead who belongs to an agency."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.agency_id
        and user.has_role(*ON_BEHALF_ROLES)
    )


def may_edit_draft(user, referral) -> bool:
    return referral.state == State.DRAFT and is_referrer_of(user, referral)


def may_assess(user, referral) -> bool:
    return referral.state == State.POLICE_ASSESSMENT and is_officer_for(user, referral)


def may_add_note(user, referral) -> bool:
    return referral.state != State.DRAFT and (
        is_officer_for(user, referral) or is_chair_for(user, referral)
    )


def may_break_glass(user, referral) -> bool:
    """Who may open a case outside their normal scope by giving a reason (break-glass).

    Decided for issue 7: a Prevent officer, for a submitted case of their own force area (today
    officers already see all of those, so for them it only matters if their scope narrows); a
    Channel chair, for any case of their force area that has reached Channel, in whatever local
    authority. Never a draft, never another force's case, never anyone inactive.
    """
    if not user.is_active or referral.state == State.DRAFT:
        return False
    if user.police_force_id is None or user.police_force_id != referral.police_force_id:
        return False
    if user.has_role(Role.PREVENT_OFFICER):
        return True
    return user.has_role(Role.CHANNEL_CHAIR) and referral.channel_entered_at is not None


def may_add_attachment(user, referral) -> bool:
    return may_edit_draft(user, referral) or may_add_note(user, referral)


def may_add_addendum(user, referral) -> bool:
    """Who may add information to a referral after sending it: its referrer, at any stage.

    What was submitted never changes; an addendum is dated information beside it.
    """
    return referral.state != State.DRAFT and is_referrer_of(user, referral)


def may_export_referrals(user) -> bool:
    """Who may download a case list (CSV) of their force: an active Prevent officer.

    Chairs, borough leads and everyone else get statistics, never a list of cases; the
    export's rows still come from ``selectors.referrals_visible_to``.
    """
    return bool(
        user.is_authenticated
        and user.is_active
        and user.has_role(Role.PREVENT_OFFICER)
        and user.police_force_id
    )


def may_assign(user, referral, role: str) -> bool:
    """Who may (re)assign a case (issue 17): an officer of the force names the officer while
    the police hold it; the chair of the local authority names the case lead in Channel."""
    if role == "officer":
        return referral.state in (State.SUBMITTED, *POLICE_STAGES) and is_officer_for(
            user, referral
        )
    if role == "case_lead":
        return referral.state in CHANNEL_STAGES and is_chair_for(user, referral)
    return False
