"""One chronology of a case (issue 16): every kind of event, newest first, as the reader may see it.

Each kind of event has ONE source, registered here with ``@timeline_source(kind, label)``: a
function ``(reader, referral_ids) -> list[TimelineEntry]`` that reads its rows through the
owning app's visibility selector (or, for the police side, behind ``Access``) and names only
what ``reader`` may see. A new kind — an addendum, a transfer — is one more function. The
apps owning the data register theirs (``referrals`` below, ``channel.timeline``); this
module never imports them, keeping the import direction of DESIGN.md §2.

Every source reads a fixed number of queries whatever the number of rows or cases, so the
timeline of a long case costs what a short one does, and a panel pack reads "since the last
panel" for its whole agenda at once (``tests/channel/test_timeline.py``).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from . import lifecycle
from .choices import ClosureReason, Deconfliction, NoteKind, Screening, SignpostService, State
from .models import (
    Attachment,
    BreakGlassGrant,
    CaseNote,
    PoliceAssessment,
    Referral,
    ReferralTransition,
)
from .selectors import Access


@dataclass(frozen=True)
class Reader:
    """Who reads and how much of each case they see (``referral_access``), by case id.

    ``Access.NONE`` is someone who reaches a case only through an intervention allocated to
    them: the Channel sources' selectors give them just that.
    """

    user: User
    accesses: Mapping[Any, Access]

    @property
    def referral_ids(self) -> list:
        return list(self.accesses)

    def ids_with(self, at_least: Access) -> list:
        """The cases this reader sees at ``at_least`` or more."""
        return [pk for pk, access in self.accesses.items() if access >= at_least]


@dataclass(frozen=True)
class TimelineEntry:
    """One event: what kind, when, who, a one-line summary and labelled details.

    ``ref`` is the id of the row it comes from (stable across reads, the tie-breaker of the
    order). ``details`` are (label, value) pairs, both already as the reader may read them.
    """

    kind: str
    referral_id: Any
    at: datetime.datetime
    actor: User | None
    summary: Any
    ref: str
    details: list[tuple[Any, Any]] = field(default_factory=list)

    @classmethod
    def of(
        cls,
        kind: str,
        row: Any,
        *,
        at: datetime.datetime,
        actor: User | None,
        summary: Any,
        details: list[tuple[Any, Any]] | None = None,
    ) -> TimelineEntry:
        """The entry for one row of a table that belongs to a case (``row.referral_id``):
        the shape every source of both apps shares, the row's id as its ``ref``."""
        return cls(
            kind=kind,
            referral_id=row.referral_id,
            at=at,
            actor=actor,
            summary=summary,
            ref=str(row.pk),
            details=details if details is not None else [],
        )

    @property
    def who(self) -> str:
        return self.actor.display_name if self.actor else ""

    @property
    def kind_label(self) -> Any:
        return _sources[self.kind].label


Source = Callable[[Reader], Iterable[TimelineEntry]]


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
    return timelines(reader, kinds=kinds, since={referral.pk: since}).get(referral.pk, [])


def timelines(
    reader: Reader,
    *,
    kinds: Iterable[str] | None = None,
    since: Mapping[Any, datetime.datetime | None] | None = None,
) -> dict[Any, list[TimelineEntry]]:
    """Every case of ``reader.accesses``' timeline, newest first, read for all at once.

    ``since`` maps a case to the moment its entries start (exclusive; None: from the first).
    """
    wanted = set(kinds) if kinds else set(_sources)
    found: dict[Any, list[TimelineEntry]] = {pk: [] for pk in reader.accesses}
    for kind, registered in _sources.items():
        if kind in wanted:
            for entry in registered.source(reader):
                found.setdefault(entry.referral_id, []).append(entry)
    since = since or {}
    for pk, entries in found.items():
        start = since.get(pk)
        if start is not None:
            entries[:] = [entry for entry in entries if entry.at > start]
        entries.sort(key=lambda entry: (entry.at, entry.kind, entry.ref), reverse=True)
    return found


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


def _sees_referrer(reader: Reader, referral: Referral) -> bool:
    return reader.accesses[referral.pk] >= Access.FULL or referral.referrer_id == reader.user.pk


@timeline_source("submission", _("Referral submitted"), order=10)
def _submission(reader: Reader) -> list[TimelineEntry]:
    ids = reader.ids_with(Access.COARSE)
    if not ids:
        return []
    rows = Referral.objects.filter(pk__in=ids, submitted_at__isnull=False).select_related(
        "referrer", "referrer_agency"
    )
    return [
        TimelineEntry(
            kind="submission",
            referral_id=row.pk,
            at=row.submitted_at or row.created_at,
            # Who referred is for full access and the referrer; others see the agency only,
            # as the case's panel and coarse views do (``referrals.api.serializers``).
            actor=row.referrer if _sees_referrer(reader, row) else None,
            summary=_("Referral submitted"),
            ref=str(row.pk),
            details=[(_("Referring agency"), str(row.referrer_agency))],
        )
        for row in rows
    ]


@timeline_source("transition", _("Decisions and changes of stage"), order=20)
def _transitions(reader: Reader) -> list[TimelineEntry]:
    ids = reader.ids_with(Access.FULL)
    if not ids:
        return []
    rows = (
        ReferralTransition.objects.filter(referral_id__in=ids)
        .exclude(name="submit")  # the submission is its own entry, seen more widely
        .select_related("actor")
    )
    entries = []
    for row in rows:
        payload = row.payload or {}
        details: list[tuple[Any, Any]] = [
            (_("From"), choice_label(State, row.from_state)),
            (_("To"), choice_label(State, row.to_state)),
        ]
        if payload.get("reason"):
            details.append((_("Reason"), choice_label(ClosureReason, payload["reason"])))
        if payload.get("signposted_to"):
            signposted = choice_label(SignpostService, payload["signposted_to"])
            details.append((_("Signposted to"), signposted))
        if payload.get("reassess_on"):
            details.append((_("Reassess on"), payload["reassess_on"]))
        if payload.get("rationale"):
            details.append((_("Rationale"), payload["rationale"]))
        entries.append(
            TimelineEntry.of(
                "transition",
                row,
                at=row.at,
                actor=row.actor,
                summary=lifecycle.label(row.name),
                details=details,
            )
        )
    return entries


@timeline_source("police_assessment", _("Police gateway assessments"), order=30)
def _police_assessments(reader: Reader) -> list[TimelineEntry]:
    ids = reader.ids_with(Access.FULL)
    if not ids:
        return []
    rows = PoliceAssessment.objects.filter(referral_id__in=ids).select_related(
        "officer", "concern_type"
    )
    return [
        TimelineEntry.of(
            "police_assessment",
            row,
            at=row.created_at,
            actor=row.officer,
            summary=_("Gateway assessment recorded"),
            details=[
                (_("Deconfliction"), choice_label(Deconfliction, row.deconfliction)),
                (_("Type of concern"), str(row.concern_type)),
                (_("Screening"), choice_label(Screening, row.screening)),
                (_("Vulnerabilities"), ", ".join(row.vulnerabilities or [])),
                (_("Risk summary"), row.risk_summary),
            ],
        )
        for row in rows
    ]


@timeline_source("note", _("Notes"), order=40)
def _notes(reader: Reader) -> list[TimelineEntry]:
    ids = reader.ids_with(Access.FULL)
    if not ids:
        return []
    rows = CaseNote.objects.filter(referral_id__in=ids).select_related("author")
    return [
        TimelineEntry.of(
            "note",
            row,
            at=row.created_at,
            actor=row.author,
            summary=_("Note (%(kind)s)") % {"kind": choice_label(NoteKind, row.kind)},
            details=[
                (_("Fact or opinion"), choice_label(NoteKind, row.kind)),
                (_("Note"), row.text),
            ],
        )
        for row in rows
    ]


@timeline_source("attachment", _("Attachments"), order=50)
def _attachments(reader: Reader) -> list[TimelineEntry]:
    ids = reader.ids_with(Access.FULL)
    if not ids:
        return []
    rows = Attachment.objects.filter(referral_id__in=ids).select_related("uploaded_by")
    return [
        TimelineEntry.of(
            "attachment",
            row,
            at=row.created_at,
            actor=row.uploaded_by,
            summary=_("File attached"),
            details=[(_("Description"), row.description), (_("Type"), row.content_type)],
        )
        for row in rows
    ]


@timeline_source("break_glass", _("Break-glass openings"), order=200)
def _break_glass(reader: Reader) -> list[TimelineEntry]:
    ids = reader.ids_with(Access.FULL)
    if not ids:
        return []
    rows = BreakGlassGrant.objects.filter(referral_id__in=ids).select_related("user")
    return [
        TimelineEntry.of(
            "break_glass",
            row,
            at=row.granted_at,
            actor=row.user,
            summary=_("Opened by break-glass"),
            details=[
                (_("Reason"), row.reason),
                (_("Access until"), date_format(localtime(row.expires_at), "j F Y, H:i")),
            ],
        )
        for row in rows
    ]
