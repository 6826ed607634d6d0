"""What every Channel service shares: row locks in the caller's scope, the case-work rule,
the date bounds of a case's records, and the people a chair may name.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from uuid import UUID

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.selectors import users_visible_to
from prevent_cms.errors import ActionForbidden, GuardFailed, TransitionNotAllowed
from referrals.choices import CHANNEL_STAGES, State
from referrals.models import Referral
from referrals.permissions import is_chair_for
from referrals.selectors import referral_lock

from ..models import Panel
from ..permissions import is_chair_of_panel, may_work_on_case
from ..selectors import channel_cases_visible_to, panels_visible_to

SUPPORT_STATES = (State.AWAITING_CONSENT, State.SUPPORT)


def today() -> datetime.date:
    return timezone.localdate()


CASE_DATE_MESSAGES = {
    "consent": (
        gettext_lazy(
            "The consent date must be on or after the day the referral was submitted (%(day)s)"
        ),
        gettext_lazy("The consent date cannot be in the future"),
    ),
    "review": (
        gettext_lazy(
            "The review date must be on or after the day the referral was submitted (%(day)s)"
        ),
        gettext_lazy("The review date cannot be in the future"),
    ),
    "session": (
        gettext_lazy(
            "The session date must be on or after the day the referral was submitted (%(day)s)"
        ),
        gettext_lazy("The session date cannot be in the future"),
    ),
    "assessment": (
        gettext_lazy(
            "The assessment date must be on or after the day the referral was submitted (%(day)s)"
        ),
        gettext_lazy("The assessment date cannot be in the future"),
    ),
}


def case_date_error(*, referral: Referral, day: datetime.date, kind: str) -> str | None:
    """Why ``day`` cannot be the date of a ``kind`` record on ``referral``, or None.

    Nothing about a case happens before it was referred or after today: a record dated
    outside those bounds (a consent "given" in 2010 by a parent for someone now 26) would
    put the case into a state its real history does not support.
    """
    too_early, too_late = CASE_DATE_MESSAGES[kind]
    if day > today():
        return str(too_late)
    if referral.submitted_at is not None:
        submitted = timezone.localdate(referral.submitted_at)
        if day < submitted:
            return str(too_early) % {"day": f"{submitted:%-d %B %Y}"}
    return None


def lock_panel(*, actor: User, panel_id: UUID | str, chair_only: bool = True) -> Panel:
    panel = panels_visible_to(actor).select_for_update(of=("self",)).filter(pk=panel_id).first()
    if panel is None:
        raise Panel.DoesNotExist
    if chair_only and not is_chair_of_panel(actor, panel):
        raise ActionForbidden
    return panel


def lock_case(*, actor: User, referral_id: UUID | str) -> Referral:
    return referral_lock(channel_cases_visible_to(actor), referral_id=referral_id)


def require_case_work(
    *, actor: User, referral: Referral, states: Iterable[str] | None = None, what: str = ""
) -> None:
    if not is_chair_for(actor, referral):
        raise ActionForbidden
    allowed = states or CHANNEL_STAGES
    if referral.state not in allowed or not may_work_on_case(actor, referral):
        raise TransitionNotAllowed(
            _("%(what)s cannot be recorded for a case in “%(state)s”.")
            % {"what": what or _("This"), "state": State(referral.state).label}
        )


def visible_members(*, actor: User, member_ids: Iterable[UUID | str]) -> list[User]:
    ids = {str(i) for i in (member_ids or []) if str(i).strip()}
    allowed = {
        str(u.pk): u
        for u in users_visible_to(actor).filter(pk__in=parse_uuids(values=ids, field="members"))
    }
    missing = ids - set(allowed)
    if missing:
        raise GuardFailed(
            {
                "members": _(
                    "Invite only people from your local authority or its police force "
                    "(%(count)d not allowed)"
                )
                % {"count": len(missing)}
            }
        )
    return list(allowed.values())


def parse_uuids(*, values: Iterable[UUID | str], field: str) -> list[UUID]:
    out = []
    for value in values:
        try:
            out.append(uuid.UUID(str(value)))
        except ValueError:
            raise GuardFailed({field: _("“%s” is not a valid person id") % value}) from None
    return out
