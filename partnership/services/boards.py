"""Boards: membership, terms of reference, meetings (attendance, quorum, minutes signed off
and locked) and actions with RAG status.

Attendance and the sign-off lock are the rules every meeting shares
(``prevent_cms.meetings``, as Channel panels use them); a board's own quorum is a number
of members present. A meeting that was not quorate still happened: it is recorded as held,
not quorate, and the compliance report counts it so.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any
from uuid import UUID

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Agency, LocalAuthority, User
from prevent_cms.audit import audit_record
from prevent_cms.errors import GuardFailed
from prevent_cms.meetings import (
    meeting_attendance,
    meeting_require_open,
    meeting_require_sign_off,
)

from ..common import area_of, checked_document, lock_in_scope, today
from ..models import Action, Board, BoardMember, Meeting, Rag, TermsOfReference
from ..selectors import (
    actions_visible_to,
    boards_visible_to,
    meetings_visible_to,
    plans_visible_to,
    risks_visible_to,
)


def _text(value: str | None) -> str:
    return (value or "").strip()


@transaction.atomic
def board_create(
    *,
    actor: User,
    name: str,
    kind: str,
    quorum: int,
    local_authorities: Iterable[LocalAuthority] = (),
) -> Board:
    """Set up a board for the borough lead's authority, shared with any other authorities
    named (a county board): each of their borough leads then keeps it too."""
    area = area_of(actor)
    errors = {}
    if not _text(name):
        errors["name"] = _("Enter the name of the board")
    if not quorum or quorum < 1:
        errors["quorum"] = _("The quorum must be at least 1 member")
    if errors:
        raise GuardFailed(errors)
    board = Board.objects.create(name=_text(name), kind=kind, quorum=quorum, created_by=actor)
    board.local_authorities.set({area, *local_authorities})
    audit_record(
        actor=actor,
        action="partnership.board.created",
        obj=board,
        detail={"local_authorities": board.local_authorities.count()},
    )
    return board


@transaction.atomic
def board_member_add(
    *,
    actor: User,
    board_id: UUID | str,
    name: str,
    role_title: str = "",
    agency: Agency | None = None,
    organisation_name: str = "",
    is_chair: bool = False,
    joined_on: datetime.date | None = None,
) -> BoardMember:
    """Add a member for an agency (one of the system's, or another organisation by name)."""
    board = lock_in_scope(boards_visible_to(actor), board_id)
    errors = {}
    if not _text(name):
        errors["name"] = _("Enter the member’s name")
    if agency is None and not _text(organisation_name):
        errors["agency"] = _("Select the member’s agency, or name their organisation")
    if errors:
        raise GuardFailed(errors)
    member = BoardMember.objects.create(
        board=board,
        name=_text(name),
        role_title=_text(role_title),
        agency=agency,
        organisation_name="" if agency else _text(organisation_name),
        is_chair=is_chair,
        joined_on=joined_on or today(),
    )
    audit_record(actor=actor, action="partnership.board.member_added", obj=board)
    return member


@transaction.atomic
def board_member_leave(
    *, actor: User, member_id: UUID | str, left_on: datetime.date | None = None
) -> BoardMember:
    """A member leaves: kept, with the date, so past attendance still reads true."""
    member = BoardMember.objects.select_for_update().get(
        pk=member_id, board__in=boards_visible_to(actor)
    )
    member.left_on = left_on or today()
    member.save(update_fields=["left_on"])
    audit_record(actor=actor, action="partnership.board.member_left", obj=member.board)
    return member


@transaction.atomic
def terms_upload(
    *, actor: User, board_id: UUID | str, upload: UploadedFile, approved_on: datetime.date
) -> TermsOfReference:
    """A new version of the board's terms of reference; earlier versions are kept.

    The file is checked as a case attachment is (its type from its content, its size) and
    kept under an opaque name."""
    board = lock_in_scope(boards_visible_to(actor), board_id)
    if approved_on is None:
        raise GuardFailed({"approved_on": _("Enter the date the terms were approved")})
    content_type, name, size = checked_document(upload=upload)
    version = (board.terms.aggregate(v=Max("version"))["v"] or 0) + 1
    terms = TermsOfReference(
        board=board,
        version=version,
        approved_on=approved_on,
        original_name=name,
        content_type=content_type,
        size=size,
        uploaded_by=actor,
    )
    terms.file.save(name, upload, save=False)
    terms.save()
    audit_record(
        actor=actor, action="partnership.terms.uploaded", obj=board, detail={"version": version}
    )
    return terms


@transaction.atomic
def meeting_schedule(
    *, actor: User, board_id: UUID | str, date: datetime.date, location: str, agenda: str = ""
) -> Meeting:
    """Schedule a board meeting with its agenda (a past date records one already held)."""
    board = lock_in_scope(boards_visible_to(actor), board_id)
    errors = {}
    if date is None:
        errors["date"] = _("Enter the date of the meeting")
    if not _text(location):
        errors["location"] = _("Enter where the meeting is held, or its online link")
    if errors:
        raise GuardFailed(errors)
    meeting = Meeting.objects.create(
        board=board, date=date, location=_text(location), agenda=_text(agenda)
    )
    audit_record(actor=actor, action="partnership.meeting.scheduled", obj=meeting)
    return meeting


@transaction.atomic
def meeting_hold(
    *,
    actor: User,
    meeting_id: UUID | str,
    attended_ids: Iterable[UUID | str],
    minutes: str = "",
) -> Meeting:
    """Record who attended and mark the meeting held; quorate when at least the board's
    quorum of members attended. Until sign-off it may be recorded again (a correction)."""
    meeting = lock_in_scope(meetings_visible_to(actor), meeting_id)
    meeting_require_open(meeting)
    if meeting.date > today():
        raise GuardFailed({"date": _("A meeting can only be marked held on or after its date")})
    members = {str(m.pk): m for m in meeting.board.members.all()}
    attended = meeting_attendance(attended_ids=attended_ids, members=members, noun="meeting")
    meeting.attended.set(attended)
    meeting.quorum_met = len(attended) >= meeting.board.quorum
    meeting.minutes = _text(minutes) or meeting.minutes
    meeting.held_at = meeting.held_at or timezone.now()
    meeting.save()
    audit_record(
        actor=actor,
        action="partnership.meeting.held",
        obj=meeting,
        detail={"attended": len(attended), "quorate": meeting.quorum_met},
    )
    return meeting


@transaction.atomic
def meeting_sign_off(*, actor: User, meeting_id: UUID | str) -> Meeting:
    """Sign the minutes off: from now on the meeting's record and its actions' link to it
    cannot change."""
    meeting = lock_in_scope(meetings_visible_to(actor), meeting_id)
    meeting_require_sign_off(meeting)
    if not meeting.minutes:
        raise GuardFailed({"minutes": _("Write the minutes before signing them off")})
    meeting.signed_off_at = timezone.now()
    meeting.signed_off_by = actor
    meeting.save(update_fields=["signed_off_at", "signed_off_by"])
    audit_record(actor=actor, action="partnership.meeting.signed_off", obj=meeting)
    return meeting


ACTION_FIELDS = {"description", "owner", "due_date", "rag", "completed_on"}


def _check_action(data: dict[str, Any]) -> None:
    errors = {}
    if "description" in data and not _text(data["description"]):
        errors["description"] = _("Describe the action")
    if "owner" in data and not _text(data["owner"]):
        errors["owner"] = _("Say who owns the action")
    if "due_date" in data and data["due_date"] is None:
        errors["due_date"] = _("Enter the date the action is due")
    if "rag" in data and data["rag"] not in Rag.values:
        errors["rag"] = _("Select red, amber or green")
    if errors:
        raise GuardFailed(errors)


@transaction.atomic
def action_create(
    *,
    actor: User,
    data: dict[str, Any],
    meeting_id: UUID | str | None = None,
    plan_id: UUID | str | None = None,
    risk_ids: Iterable[UUID | str] = (),
) -> Action:
    """An action agreed at a board meeting (not once its minutes are signed off), or of the
    partnership plan answering some of the risk assessment's risks, or both."""
    area = area_of(actor)
    unknown = set(data) - ACTION_FIELDS
    if unknown:
        raise GuardFailed({name: _("Unknown field") for name in sorted(unknown)})
    for required in ("description", "owner", "due_date"):
        data.setdefault(required, None if required == "due_date" else "")
    _check_action(data)
    meeting = plan = None
    if meeting_id:
        meeting = lock_in_scope(meetings_visible_to(actor), meeting_id)
        meeting_require_open(meeting)
    if plan_id:
        plan = plans_visible_to(actor).get(pk=plan_id)
    risk_ids = list(risk_ids or [])
    risks = list(risks_visible_to(actor).filter(pk__in=risk_ids)) if risk_ids else []
    if len(risks) != len(set(map(str, risk_ids))):
        raise GuardFailed({"risks": _("Select risks of your local authority’s assessment")})
    if risks and plan is None:
        raise GuardFailed({"risks": _("Only an action of the partnership plan answers risks")})
    action = Action.objects.create(
        local_authority=area,
        board=meeting.board if meeting else None,
        meeting=meeting,
        plan=plan,
        created_by=actor,
        description=_text(data["description"]),
        owner=_text(data["owner"]),
        due_date=data["due_date"],
        rag=data.get("rag") or Rag.AMBER,
        completed_on=data.get("completed_on"),
    )
    action.risks.set(risks)
    audit_record(
        actor=actor,
        action="partnership.action.created",
        obj=action,
        detail={"rag": action.rag, "meeting": bool(meeting), "plan": bool(plan)},
    )
    return action


@transaction.atomic
def action_update(*, actor: User, action_id: UUID | str, data: dict[str, Any]) -> Action:
    """Change an action's owner, due date, RAG status or completion (the audit says which
    fields and the RAG moved from and to, never what the text said)."""
    area_of(actor)
    action = lock_in_scope(actions_visible_to(actor), action_id)
    unknown = set(data) - ACTION_FIELDS
    if unknown:
        raise GuardFailed({name: _("Unknown field") for name in sorted(unknown)})
    _check_action(data)
    before = action.rag
    changed = sorted(name for name, value in data.items() if getattr(action, name) != value)
    for name in changed:
        value = data[name]
        setattr(action, name, _text(value) if name in {"description", "owner"} else value)
    action.save()
    audit_record(
        actor=actor,
        action="partnership.action.updated",
        obj=action,
        detail={"fields": changed, "rag_from": before, "rag_to": action.rag},
    )
    return action
