"""What every meeting the system records shares: who attended, and minutes that lock.

Channel panels and partnership board meetings both record attendance from their members
and have minutes signed off after which the record cannot change. The rules are the same
and their messages must read the same, so they live here once; each kind of meeting keeps
its own quorum rule (a panel needs the local authority and the police; a board a number of
members present).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Protocol, TypeVar

from django.utils.translation import gettext as _

from .errors import GuardFailed, TransitionNotAllowed

M = TypeVar("M")


class Lockable(Protocol):
    @property
    def is_held(self) -> bool: ...

    @property
    def is_locked(self) -> bool: ...


class HeldAndSignedOff:
    """A meeting model's two moments, read the same way by every kind of meeting: held once
    ``held_at`` is set, locked once its minutes are signed off (``signed_off_at``)."""

    held_at: datetime.datetime | None
    signed_off_at: datetime.datetime | None

    @property
    def is_held(self) -> bool:
        return self.held_at is not None

    @property
    def is_locked(self) -> bool:
        return self.signed_off_at is not None


def meeting_attendance(
    *, attended_ids: Iterable[object] | None, members: Mapping[str, M], noun: str
) -> list[M]:
    """The members who attended, from the ids given: at least one, every one a member.

    ``members`` maps each member's id (as a string) to the member; ``noun`` names the
    meeting in the messages ("panel", "meeting").
    """
    ids = {str(i) for i in (attended_ids or [])}
    if not ids:
        raise GuardFailed({"attended": _("Select who attended the %(noun)s") % {"noun": noun}})
    if ids - set(members):
        raise GuardFailed(
            {
                "attended": _("Everyone who attended must be a member of the %(noun)s")
                % {"noun": noun}
            }
        )
    return [members[i] for i in sorted(ids)]


def meeting_require_open(meeting: Lockable) -> None:
    """Refuse a change to a meeting whose minutes are signed off (409)."""
    if meeting.is_locked:
        raise TransitionNotAllowed(_("The minutes of this meeting are signed off and locked"))


def meeting_require_sign_off(meeting: Lockable) -> None:
    """Minutes are signed off once, and only after the meeting is marked held (409)."""
    if not meeting.is_held:
        raise TransitionNotAllowed(_("Mark the meeting held before signing off its minutes"))
    if meeting.is_locked:
        raise TransitionNotAllowed(_("The minutes are already signed off"))
