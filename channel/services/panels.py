"""Panels: scheduling, membership, the meeting (attendance, minutes, sign-off), its actions and
the agency updates members bring to it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.selectors import users_visible_to
from prevent_cms.audit import audit_record
from prevent_cms.errors import ActionForbidden, GuardFailed, TransitionNotAllowed
from prevent_cms.meetings import meeting_attendance
from prevent_cms.notifications import Kind
from prevent_cms.outbox import outbox_enqueue
from referrals.models import Referral

from .. import tasks
from ..models import AgencyUpdate, Panel, PanelAction
from ..permissions import is_local_authority_person, is_police_person, sync_case_grants
from .common import lock_case, lock_panel, parse_uuids, today, visible_members


@transaction.atomic
def panel_create(
    *,
    actor: User,
    date: datetime.date,
    location: str,
    member_ids: Iterable[UUID | str] = (),
    online_link: str = "",
) -> Panel:
    """Schedule a panel for the chair's local authority; the chair is always a member."""
    if not actor.has_role(Role.CHANNEL_CHAIR) or not actor.local_authority_id:
        raise ActionForbidden
    errors = {}
    if date is None:
        errors["date"] = _("Enter the date of the panel")
    elif date < today():
        errors["date"] = _("The date of the panel must be today or in the future")
    location = (location or "").strip() or (online_link or "").strip()
    if not location:
        errors["location"] = _("Enter where the panel meets, or its online link")
    if errors:
        raise GuardFailed(errors)
    members = visible_members(actor=actor, member_ids=member_ids)
    panel = Panel.objects.create(
        local_authority_id=actor.local_authority_id, chair=actor, date=date, location=location
    )
    panel.members.set({*members, actor})
    audit_record(
        actor=actor, action="channel.panel.created", obj=panel, detail={"members": len(members)}
    )
    outbox_enqueue(tasks.send_panel_invitation, str(panel.pk), Kind.PANEL_SCHEDULED.value)
    return panel


@transaction.atomic
def panel_reschedule(
    *, panel_id: UUID | str, actor: User, date: datetime.date, location: str = ""
) -> Panel:
    """Move a panel not yet held to another day (or place); every member is sent the moved
    invitation, which replaces the old one in their calendar (a higher SEQUENCE). Moving it
    to the day and place it already has changes nothing and sends nothing."""
    panel = lock_panel(actor=actor, panel_id=panel_id)
    if panel.is_held:
        raise TransitionNotAllowed(_("This panel has been held and cannot move"))
    if date is None:
        raise GuardFailed({"date": _("Enter the date of the panel")})
    if date < today():
        raise GuardFailed({"date": _("The date of the panel must be today or in the future")})
    location = (location or "").strip() or panel.location
    if date == panel.date and location == panel.location:
        return panel
    previous = panel.date
    panel.date = date
    panel.location = location
    panel.sequence += 1
    panel.save(update_fields=["date", "location", "sequence"])
    audit_record(
        actor=actor,
        action="channel.panel.moved",
        obj=panel,
        detail={"from": previous.isoformat(), "to": date.isoformat()},
    )
    outbox_enqueue(tasks.send_panel_invitation, str(panel.pk), Kind.PANEL_MOVED.value)
    return panel


@transaction.atomic
def panel_set_members(
    *, panel_id: UUID | str, actor: User, member_ids: Iterable[UUID | str]
) -> Panel:
    panel = lock_panel(actor=actor, panel_id=panel_id)
    if panel.is_locked:
        raise TransitionNotAllowed(_("The minutes of this panel are signed off"))
    members = visible_members(actor=actor, member_ids=member_ids)
    panel.members.set({*members, panel.chair})
    for item in panel.agenda.select_related("referral"):
        sync_case_grants(item.referral)
    audit_record(actor=actor, action="channel.panel.members_changed", obj=panel)
    return panel


@transaction.atomic
def panel_hold(
    *,
    panel_id: UUID | str,
    actor: User,
    attended_ids: Iterable[UUID | str],
    minutes: str = "",
    sign_off: bool = False,
) -> Panel:
    """Record attendance (quorum: the local authority and the police) and mark it held."""
    panel = lock_panel(actor=actor, panel_id=panel_id)
    if panel.is_locked:
        raise TransitionNotAllowed(_("The minutes of this panel are signed off"))
    if panel.date > today():
        raise GuardFailed({"date": _("A panel can only be marked held on or after its date")})
    members = {str(u.pk): u for u in panel.members.select_related("agency")}
    attended = meeting_attendance(attended_ids=attended_ids, members=members, noun="panel")
    errors = {}
    if not any(is_local_authority_person(u) for u in attended):
        errors["attended"] = _(
            "The panel is not quorate: someone from the local authority must attend"
        )
    elif not any(is_police_person(u) for u in attended):
        errors["attended"] = _("The panel is not quorate: a police officer must attend")
    if errors:
        raise GuardFailed(errors)
    panel.attended.set(attended)
    panel.quorum_met = True
    panel.minutes = minutes or panel.minutes
    panel.held_at = panel.held_at or timezone.now()
    if sign_off:
        panel.signed_off_at = timezone.now()
    panel.save()
    audit_record(
        actor=actor,
        action="channel.panel.held",
        obj=panel,
        detail={"attended": len(attended), "signed_off": bool(sign_off)},
    )
    return panel


@transaction.atomic
def panel_update_minutes(*, panel_id: UUID | str, actor: User, minutes: str) -> Panel:
    panel = lock_panel(actor=actor, panel_id=panel_id)
    if panel.is_locked:
        raise TransitionNotAllowed(_("The minutes of this panel are signed off and locked"))
    panel.minutes = minutes
    panel.save(update_fields=["minutes"])
    audit_record(actor=actor, action="channel.panel.minutes_saved", obj=panel)
    return panel


@transaction.atomic
def panel_sign_off(*, panel_id: UUID | str, actor: User) -> Panel:
    """The chair signs the minutes off: from now on the panel's record cannot change."""
    panel = lock_panel(actor=actor, panel_id=panel_id)
    if not panel.is_held:
        raise TransitionNotAllowed(_("Mark the panel held before signing off its minutes"))
    if panel.is_locked:
        raise TransitionNotAllowed(_("The minutes are already signed off"))
    panel.signed_off_at = timezone.now()
    panel.save(update_fields=["signed_off_at"])
    audit_record(actor=actor, action="channel.panel.signed_off", obj=panel)
    return panel


@transaction.atomic
def panel_action_add(
    *,
    panel_id: UUID | str,
    actor: User,
    description: str,
    owner_id: UUID | str | None = None,
    owner_name: str = "",
    due_date: datetime.date | None = None,
    referral_id: UUID | str | None = None,
) -> PanelAction:
    panel = lock_panel(actor=actor, panel_id=panel_id)
    if panel.is_locked:
        raise TransitionNotAllowed(_("The minutes of this panel are signed off and locked"))
    errors = {}
    if not (description or "").strip():
        errors["description"] = _("Describe the action")
    owner = None
    if owner_id:
        owner = (
            users_visible_to(actor)
            .filter(pk__in=parse_uuids(values=[owner_id], field="owner"))
            .first()
        )
        if owner is None:
            errors["owner"] = _("Select an owner from your local authority")
    elif not (owner_name or "").strip():
        errors["owner"] = _("Say who owns the action")
    if referral_id and not panel.agenda.filter(referral_id=referral_id).exists():
        errors["referral"] = _("The action’s case must be on this panel’s agenda")
    if errors:
        raise GuardFailed(errors)
    action = PanelAction.objects.create(
        panel=panel,
        referral_id=referral_id,
        description=description.strip(),
        owner=owner,
        owner_name=owner_name,
        due_date=due_date,
    )
    audit_record(actor=actor, action="channel.panel.action_added", obj=panel)
    if owner is not None:
        outbox_enqueue(tasks.send_action_assigned, str(action.pk))
    return action


@transaction.atomic
def agency_update_add(
    *, panel_id: UUID | str, referral_id: UUID | str, actor: User, text: str
) -> AgencyUpdate:
    """A panel member's update on a case on their panel's agenda."""
    panel = lock_panel(actor=actor, panel_id=panel_id, chair_only=False)
    if not panel.members.filter(pk=actor.pk).exists():
        raise ActionForbidden
    referral = lock_case(actor=actor, referral_id=referral_id)
    if not panel.agenda.filter(referral=referral).exists():
        raise Referral.DoesNotExist
    if not (text or "").strip():
        raise GuardFailed({"text": _("Enter your agency’s update")})
    update = AgencyUpdate.objects.create(
        referral=referral, panel=panel, author=actor, text=text.strip()
    )
    audit_record(actor=actor, action="channel.agency_update_added", obj=referral)
    return update
