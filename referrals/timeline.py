"""One chronology of a case (issue 16): every kind of event, newest first, as the reader may see it.

Each kind of event has ONE source, registered here with ``@timeline_source(kind, label)``: a
function ``(reader, referral) -> list[TimelineEntry]`` that reads its rows through the
owning app's visibility selector (or, for the police side, behind ``Access``) and names only
what ``reader`` may see. A new kind — an addendum, a transfer — is one more function. The
apps owning the data register theirs (``referrals`` below, ``channel.timeline``); this
module never imports them, keeping the import direction of DESIGN.md §2.

Every source reads a fixed number of queries whatever the number of rows, so the timeline
of a long case costs what a short one does (``tests/referrals/test_timeline.py``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from accounts.models import User

from . import lifecycle
from .choices import ClosureReason, Deconfliction, NoteKind, Screening, SignpostService, State
from .models import Referral
from .selectors import Access


@dataclass(frozen=True)
class Reader:
    """Who reads the timeline and how much of the case they see (``referral_access``).

    ``access`` is ``Access.NONE`` for someone who reaches the case only through an
    intervention allocated to them: the Channel sources' selectors give them just that.
    """

    user: User
    access: Access


@dataclass(frozen=True)
class TimelineEntry:
    """One event: what kind, when, who, a one-line summary and labelled details.

    ``ref`` is the id of the row it comes from (stable across reads, the tie-breaker of the
    order). ``details`` are (label, value) pairs, both already as the reader may read them.
    """

    kind: str
    at: datetime.datetime
    actor: User | None
    summary: Any
    ref: str
    details: list[tuple[Any, Any]] = field(default_factory=list)

    @property
    def who(self) -> str:
        return self.actor.display_name if self.actor else ""

    @property
    def kind_label(self) -> Any:
        return _sources[self.kind].label


Source = Callable[[Reader, Referral], Iterable[TimelineEntry]]


@dataclass(frozen=True)
class _Registered:
    label: Any
    source: Source
    order: int


_sources: dict[str, _Registered] = {}


def timeline_source(kind: str, label: Any, *, order: int = 100) -> Callable[[Source], Source]:
    """Register ``source`` as the one source of ``kind`` entries (``order``: the filter list's)."""

    def register(source: Source) -> Source:
        if kind in _sources and _sources[kind].source is not source:
            raise ValueError(f"Timeline kind {kind!r} already has a source.")
        _sources[kind] = _Registered(label, source, order)
        return source

    return register


def timeline_kinds() -> list[tuple[str, Any]]:
    """Every registered kind with its label, in the order the filter shows them."""
    ordered = sorted(_sources.items(), key=lambda pair: (pair[1].order, pair[0]))
    return [(kind, registered.label) for kind, registered in ordered]


def timeline_entries(
    reader: Reader,
    referral: Referral,
    *,
    kinds: Iterable[str] | None = None,
    since: datetime.datetime | None = None,
) -> list[TimelineEntry]:
    """The case's events ``reader`` may see, newest first; only ``kinds`` if given, only
    after ``since`` if given. Unknown kinds select nothing (callers validate them)."""
    wanted = set(kinds) if kinds else set(_sources)
    entries: list[TimelineEntry] = []
    for kind, registered in _sources.items():
        if kind in wanted:
            entries.extend(registered.source(reader, referral))
    if since is not None:
        entries = [entry for entry in entries if entry.at > since]
    entries.sort(key=lambda entry: (entry.at, entry.kind, entry.ref), reverse=True)
    return entries


def choice_label(choices, value) -> Any:
    """A stored code's label (people read labels, never codes); the code if unknown."""
    try:
        return choices(value).label
    except ValueError:
        return value


# --- The referrals app's own kinds ---------------------------------------------------------
# The submission is seen by everyone who sees the case at all; the police side (transitions
# and their rationale, the gateway assessment, notes, files, break-glass openings) only with
# full access, as the case page shows it (``referrals.views.case``).


@timeline_source("submission", _("Referral submitted"), order=10)
def _submission(reader: Reader, referral: Referral) -> list[TimelineEntry]:
    if reader.access < Access.COARSE or referral.submitted_at is None:
        return []
    return [
        TimelineEntry(
            kind="submission",
            at=referral.submitted_at,
            actor=referral.referrer,
            summary=_("Referral submitted"),
            ref=str(referral.pk),
            details=[(_("Referring agency"), str(referral.referrer_agency))],
        )
    ]


@timeline_source("transition", _("Decisions and changes of stage"), order=20)
def _transitions(reader: Reader, referral: Referral) -> list[TimelineEntry]:
    if reader.access < Access.FULL:
        return []
    entries = []
    rows = referral.history.exclude(name="submit").select_related("actor").order_by("at", "id")
    for row in rows:  # the submission is its own entry, seen more widely
        payload = row.payload or {}
        details: list[tuple[Any, Any]] = [
            (_("From"), choice_label(State, row.from_state)),
            (_("To"), choice_label(State, row.to_state)),
        ]
        if payload.get("reason"):
            details.append((_("Reason"), choice_label(ClosureReason, payload["reason"])))
        if payload.get("signposted_to"):
            details.append(
                (_("Signposted to"), choice_label(SignpostService, payload["signposted_to"]))
            )
        if payload.get("reassess_on"):
            details.append((_("Reassess on"), payload["reassess_on"]))
        if payload.get("rationale"):
            details.append((_("Rationale"), payload["rationale"]))
        entries.append(
            TimelineEntry(
                kind="transition",
                at=row.at,
                actor=row.actor,
                summary=lifecycle.label(row.name),
                ref=str(row.pk),
                details=details,
            )
        )
    return entries


@timeline_source("police_assessment", _("Police gateway assessments"), order=30)
def _police_assessments(reader: Reader, referral: Referral) -> list[TimelineEntry]:
    if reader.access < Access.FULL:
        return []
    return [
        TimelineEntry(
            kind="police_assessment",
            at=row.created_at,
            actor=row.officer,
            summary=_("Gateway assessment recorded"),
            ref=str(row.pk),
            details=[
                (_("Deconfliction"), choice_label(Deconfliction, row.deconfliction)),
                (_("Type of concern"), row.concern_type.label),
                (_("Screening"), choice_label(Screening, row.screening)),
                (_("Vulnerabilities"), ", ".join(row.vulnerabilities or [])),
                (_("Risk summary"), row.risk_summary),
            ],
        )
        for row in referral.assessments.select_related("officer", "concern_type")
    ]


@timeline_source("note", _("Notes"), order=40)
def _notes(reader: Reader, referral: Referral) -> list[TimelineEntry]:
    if reader.access < Access.FULL:
        return []
    return [
        TimelineEntry(
            kind="note",
            at=row.created_at,
            actor=row.author,
            summary=_("Note (%(kind)s)") % {"kind": choice_label(NoteKind, row.kind)},
            ref=str(row.pk),
            details=[
                (_("Fact or opinion"), choice_label(NoteKind, row.kind)),
                (_("Note"), row.text),
            ],
        )
        for row in referral.notes.select_related("author")
    ]


@timeline_source("attachment", _("Attachments"), order=50)
def _attachments(reader: Reader, referral: Referral) -> list[TimelineEntry]:
    if reader.access < Access.FULL:
        return []
    return [
        TimelineEntry(
            kind="attachment",
            at=row.created_at,
            actor=row.uploaded_by,
            summary=_("File attached"),
            ref=str(row.pk),
            details=[(_("Description"), row.description), (_("Type"), row.content_type)],
        )
        for row in referral.attachments.select_related("uploaded_by")
    ]


@timeline_source("break_glass", _("Break-glass openings"), order=200)
def _break_glass(reader: Reader, referral: Referral) -> list[TimelineEntry]:
    if reader.access < Access.FULL:
        return []
    return [
        TimelineEntry(
            kind="break_glass",
            at=row.granted_at,
            actor=row.user,
            summary=_("Opened by break-glass"),
            ref=str(row.pk),
            details=[(_("Reason"), row.reason), (_("Access until"), row.expires_at)],
        )
        for row in referral.break_glass_grants.select_related("user")
    ]
