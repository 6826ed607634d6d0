"""Every read of a referral goes through here, already scoped to the caller.

``referrals_visible_to`` is the one visibility rule for referrals: HTML pages, the API,
exports and PDFs all take their rows from it, so they cannot disagree (DESIGN.md §3).
"""

from __future__ import annotations

import datetime
import enum
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypedDict, Unpack
from uuid import UUID

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, NullIf
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.functional import Promise

from accounts.models import Role, User
from persons import matching
from persons.index import identities_of, identity_of_subject, person_candidates, rejected_person_ids
from prevent_cms.clocks import forecast_row
from prevent_cms.models import AuditEvent, AuditTally

from .choices import CoarseStatus, ReceivedVia, State, coarse_status
from .clocks import CASE_CLOCKS, overdue_cutoffs
from .models import (
    Addendum,
    BreakGlassGrant,
    Referral,
    ReferralAssignment,
    ReferralUserObjectPermission,
)
from .permissions import is_chair_for, is_officer_for, may_break_glass, may_export_referrals

PANEL_PERMISSION = "view_case_as_panel_member"


def referrer_sector() -> Coalesce:
    """The referrer's sector, as statistics, the queue and exports count it: the sector the
    contact gave for a referral recorded on their behalf, else the referring agency's."""
    return Coalesce(
        NullIf(F("contact_sector"), Value("")),
        F("referrer_agency__sector"),
        output_field=CharField(),
    )


class Access(enum.IntEnum):
    """How much of a visible case this user may see."""

    NONE = 0
    COARSE = 1  # referrer or agency lead: what they submitted and a coarse status
    PANEL = 2  # panel member: what the panel needs, while the case is on their agenda
    FULL = 3  # Prevent officer of the force, Channel chair of the local authority


def _panel_grant(user) -> Exists:
    return Exists(
        ReferralUserObjectPermission.objects.filter(
            content_object=OuterRef("pk"), user=user, permission__codename=PANEL_PERMISSION
        )
    )


def _break_glass_ids(user) -> QuerySet:
    """Cases this user opened by break-glass whose 24 hours have not run out."""
    return BreakGlassGrant.objects.filter(user=user, expires_at__gt=timezone.now()).values(
        "referral_id"
    )


def referral_scope(user, *, own_force: bool = False, by_id: bool = False) -> Q | None:
    """The Q that selects the referrals ``user`` may see, or None for none at all.

    ``own_force``: the caller keeps only cases of the user's own force area (the triage queue,
    the case-list export). A Prevent officer's break-glass grants are then not read: they are
    only ever for non-draft cases of the officer's own force (``may_break_glass``), which the
    officer clause below already selects. Narrow that clause and this shortcut must go.
    ``by_id``: the caller looks one case up by its id (``_fine_clauses``).
    """
    if not user.is_authenticated or not user.is_active or not user.agency_id:
        return None
    return any_of(
        _coarse_clauses(user, own_force=own_force)
        + _fine_clauses(user, own_force=own_force, by_id=by_id)
    )


def referral_fine_scope(user) -> Q | None:
    """The Q of the visible referrals ``user`` sees FULL or PANEL, whose real state they may
    read; the other visible rows they see only COARSE (a referrer's or agency lead's).

    The same clauses as ``referral_scope``, so a filter built on it agrees with
    ``referral_access`` row by row. Needs the ``panel_grant`` annotation that
    ``referrals_visible_to`` adds for panel members.
    """
    if not user.is_authenticated or not user.is_active or not user.agency_id:
        return None
    return any_of(_fine_clauses(user, own_force=False))


def referral_lock(queryset: QuerySet[Referral], *, referral_id: UUID | str) -> Referral:
    """The case ``referral_id`` of ``queryset`` (a visibility selector), its row locked for the
    caller's transaction; ``Referral.DoesNotExist`` (404) when the queryset does not hold it."""
    referral = (
        queryset.select_for_update(of=("self",))
        .select_related("subject")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise Referral.DoesNotExist
    return referral


def any_of(clauses: list[Q]) -> Q | None:
    """The clauses OR-ed into one, or None when there are none (the caller shows nothing)."""
    if not clauses:
        return None
    scope = clauses[0]
    for clause in clauses[1:]:
        scope |= clause
    return scope


# Roles that start referrals, whose own referrals (drafts included) they see as referrers.
STARTING_ROLES = frozenset(
    {Role.REFERRER, Role.AGENCY_LEAD, Role.PREVENT_OFFICER, Role.PREVENT_LEAD}
)


def _coarse_clauses(user, *, own_force: bool = False) -> list[Q]:
    """Cases seen as their referrer or agency lead sees them: what was sent, a coarse status.

    A Prevent officer or Prevent lead who records a referral on someone's behalf is its
    ``referrer`` and sees it so (their draft above all). A Prevent lead sees the cases of
    their local authority as coarsely as an agency lead, until the case reaches Channel (the
    chair's from then on). An agency lead's agency clause covers only its staff's own online
    referrals: one keyed by an officer of that agency was not the agency's referral.
    ``own_force`` lists (the queue, the case-list export) never hold drafts: an officer's own
    clause is left out there, so their queue reads its index as before.
    """
    roles = user.roles
    clauses: list[Q] = []
    if roles & STARTING_ROLES and not (own_force and Role.PREVENT_OFFICER in roles):
        clauses.append(Q(referrer=user))
    if Role.AGENCY_LEAD in roles:
        clauses.append(
            Q(referrer_agency_id=user.agency_id, received_via=ReceivedVia.ONLINE)
            & ~Q(state=State.DRAFT)
        )
    if Role.PREVENT_LEAD in roles:
        clauses.append(
            Q(local_authority_id=user.local_authority_id, channel_entered_at__isnull=True)
            & ~Q(state=State.DRAFT)
        )
    return clauses


def _fine_clauses(user, *, own_force: bool, by_id: bool = False) -> list[Q]:
    """Cases seen with their real state: officer, chair, panel member, break-glass.

    A list reads the live break-glass grants first (see below); a look-up of one case by its
    id (``by_id``) asks for them inside its own query instead, where the primary key decides
    the plan: one round trip fewer on every case page, case API call and 404.
    """
    roles = user.roles
    clauses: list[Q] = []
    if Role.PREVENT_OFFICER in roles:
        clauses.append(Q(police_force_id=user.police_force_id) & ~Q(state=State.DRAFT))
    if Role.CHANNEL_CHAIR in roles:
        clauses.append(
            Q(local_authority_id=user.local_authority_id, channel_entered_at__isnull=False)
        )
    if Role.PANEL_MEMBER in roles:
        clauses.append(Q(panel_grant=True) & ~Q(state__in=[State.DRAFT, State.CLOSED]))
    glass_needed = not (own_force and Role.PREVENT_OFFICER in roles)
    if glass_needed and (Role.PREVENT_OFFICER in roles or Role.CHANNEL_CHAIR in roles):
        if by_id:
            clauses.append(Q(pk__in=_break_glass_ids(user)) & ~Q(state=State.DRAFT))
            return clauses
        # Read the (few, usually no) live grants first: an ``IN (subquery)`` OR-ed into every
        # list stops PostgreSQL reading the queue's index in order (1 s at 1M referrals).
        granted = list(_break_glass_ids(user).values_list("referral_id", flat=True))
        if granted:
            clauses.append(Q(pk__in=granted) & ~Q(state=State.DRAFT))
    return clauses


def referrals_visible_to(
    user, *, own_force: bool = False, by_id: bool = False
) -> QuerySet[Referral]:
    """The referrals ``user`` may see at all. Anything else answers 404.

    ``own_force``: only those of the user's own force area (lists of a force's work).
    ``by_id``: the caller filters it to one case by its id (a case page, a transition), for
    which the scope is built as one query (``_fine_clauses``); a list must leave it False.
    """
    scope = referral_scope(user, own_force=own_force, by_id=by_id)
    if scope is None:
        return Referral.objects.none()
    queryset = Referral.objects.all()
    if user.has_role(Role.PANEL_MEMBER):
        queryset = queryset.annotate(panel_grant=_panel_grant(user))
    if own_force:
        queryset = queryset.filter(police_force_id=user.police_force_id)
    return queryset.filter(scope)


def referrals_in_state(queryset: QuerySet[Referral], user, value: str) -> QuerySet[Referral]:
    """Narrow ``queryset`` (from ``referrals_visible_to(user)``) to a state or coarse status,
    reading on each row only what ``user`` may see there.

    A state matches the real state of the rows the user sees FULL or PANEL, and only the
    coarse status it belongs to on the rows they see COARSE: someone who is both a referrer
    and a panel member cannot single out a police decision on a case they referred. A coarse
    status (received, being assessed, closed) matches every row by its coarse status.
    """
    coarse = coarse_status(value) if value in State.values else value
    by_status = Q(state__in=[s for s in State.values if coarse_status(s) == coarse])
    if value not in State.values:
        return queryset.filter(by_status)
    fine = referral_fine_scope(user)
    if fine is None:
        return queryset.filter(by_status)
    if not _coarse_clauses(user):  # every row they see, they see fully
        return queryset.filter(state=value)
    seen_fully = Case(
        When(fine, then=Value(True)), default=Value(False), output_field=BooleanField()
    )
    return queryset.annotate(seen_fully=seen_fully).filter(
        Q(seen_fully=True, state=value) | (Q(seen_fully=False) & by_status)
    )


# What ``models.new_reference`` makes (PRV-2026-012345), and other prefixes seeded data
# uses; a name never ends in digits, so nothing else passes as a reference.
# ASCII only (``[0-9]``, not ``\d``, which takes any script's digits): the API's schema states
# the same pattern (``referrals.api.views.REFERENCE_QUERY``).
REFERENCE_PATTERN = re.compile(r"PRV-[0-9A-Z]{1,8}-[0-9]{1,10}", re.IGNORECASE | re.ASCII)
SEARCH_WORDS = 4


def is_reference(value: str) -> bool:
    """Whether ``value`` is a case reference (may go in a URL) rather than, say, a name."""
    return bool(REFERENCE_PATTERN.fullmatch((value or "").strip()))


def referrals_matching(queryset: QuerySet[Referral], q: str) -> QuerySet[Referral]:
    """Narrow ``queryset`` to a case reference or the person's name (each word in the first
    or last name). Both are shown on every row a list returns, to whoever may see the row.

    ``q`` may be a person's name: callers keep it out of URLs, logs and audit payloads.
    """
    q = (q or "").replace("\x00", "").strip()
    if not q:
        return queryset
    name = Q()
    for word in q.split()[:SEARCH_WORDS]:
        name &= Q(subject__first_name__icontains=word) | Q(subject__last_name__icontains=word)
    return queryset.filter(Q(reference__iexact=q) | name)


def referral_get_visible(user, pk) -> Referral:
    """One referral the user may see, with what its pages need, or 404."""
    return get_object_or_404(
        referrals_visible_to(user, by_id=True).select_related(
            "subject",
            "referrer",
            "referrer_agency",
            "local_authority",
            "police_force",
            "assigned_officer",
        ),
        pk=pk,
    )


def referral_access(user, referral: Referral) -> Access:
    """The most this user may see of a case already known to be visible to them."""
    return _access(
        user,
        referral,
        glass=lambda: _break_glass_ids(user).filter(referral_id=referral.pk).exists(),
        granted=lambda: ReferralUserObjectPermission.objects.filter(
            content_object=referral, user=user, permission__codename=PANEL_PERMISSION
        ).exists(),
    )


def referral_accesses(user, referrals: Iterable[Referral]) -> dict[Any, Access]:
    """``referral_access`` for many cases (a panel pack's agenda) in at most two queries.

    The same rule as one case at a time; only the break-glass and panel-grant lookups are
    read once for all the cases, and only if some case needs them.
    """
    referrals = list(referrals)
    ids = [referral.pk for referral in referrals]

    @functools.cache
    def glass_ids() -> frozenset:
        rows = _break_glass_ids(user).filter(referral_id__in=ids)
        return frozenset(rows.values_list("referral_id", flat=True))

    @functools.cache
    def granted_ids() -> frozenset:
        rows = ReferralUserObjectPermission.objects.filter(
            content_object_id__in=ids, user=user, permission__codename=PANEL_PERMISSION
        )
        return frozenset(rows.values_list("content_object_id", flat=True))

    return {
        referral.pk: _access(
            user,
            referral,
            glass=_asks(referral.pk, glass_ids),
            granted=_asks(referral.pk, granted_ids),
        )
        for referral in referrals
    }


def _asks(pk: Any, ids: Callable[[], frozenset]) -> Callable[[], bool]:
    """Whether ``pk`` is among ``ids()``, asked only when called (``ids`` runs one query)."""
    return lambda: pk in ids()


def _access(
    user, referral: Referral, *, glass: Callable[[], bool], granted: Callable[[], bool]
) -> Access:
    """The access rule; ``glass`` and ``granted`` are asked only when the rule reaches them."""
    if referral.state != State.DRAFT and is_officer_for(user, referral):
        return Access.FULL
    if referral.channel_entered_at and is_chair_for(user, referral):
        return Access.FULL
    if (
        referral.state != State.DRAFT
        and user.is_active
        and (user.has_role(Role.PREVENT_OFFICER) or user.has_role(Role.CHANNEL_CHAIR))
        and glass()
    ):
        return Access.FULL
    if (
        user.has_role(Role.PANEL_MEMBER)
        and referral.state not in (State.DRAFT, State.CLOSED)
        and granted()
    ):
        return Access.PANEL
    if referral.referrer_id == user.pk:
        return Access.COARSE
    if (
        user.has_role(Role.AGENCY_LEAD)
        and referral.referrer_agency_id == user.agency_id
        and referral.received_via == ReceivedVia.ONLINE
    ):
        return Access.COARSE
    if (
        user.has_role(Role.PREVENT_LEAD)
        and referral.state != State.DRAFT
        and referral.channel_entered_at is None
        and referral.local_authority_id == user.local_authority_id
    ):
        return Access.COARSE
    return Access.NONE


def referral_id_for_break_glass(user, reference: str):
    """The id of the case ``reference`` names if ``user`` may break glass for it, else None.

    Used only by the "open a case by reference" page, which answers the same neutral message
    whether the case does not exist or is not theirs to open.
    """
    reference = (reference or "").strip()
    if not reference:
        return None
    referral = Referral.objects.filter(reference__iexact=reference).first()
    if referral is None or not may_break_glass(user, referral):
        return None
    return referral.pk


def referral_access_events(referral: Referral) -> QuerySet[AuditEvent]:
    """Every audit event about the case (viewed, exported, changed), in no order."""
    return AuditEvent.objects.filter(
        object_type=Referral._meta.label_lower, object_id=str(referral.pk)
    )


def referral_access_log(referral: Referral, *, limit: int | None = 200) -> QuerySet[AuditEvent]:
    """Who viewed, exported or changed the case, newest first: for those with FULL access.

    ``limit=None`` gives the whole log, for a paginated page or API list.
    """
    events = referral_access_events(referral).select_related("actor").order_by("-at", "-id")
    return events if limit is None else events[:limit]


@dataclass(frozen=True)
class AccessSummary:
    """Who has seen a case, in a size that does not grow with each read (issue 25).

    ``people``: one row per person (``None`` for the system) with their agency, how many
    events and the last one's time, most recent first; ``agencies``: the same counts per
    agency; ``total``: every event. The case page shows this and the last few events, and
    links to the paginated log: its cost stays flat however often the case is read.
    """

    people: list[dict]
    agencies: list[dict]
    total: int


def referral_access_summary(referral: Referral) -> AccessSummary:
    """One query of a row per person (``AuditTally``, kept with each audit event), never
    a scan of the case's events: the same cost at 5 events and at 5,000."""
    rows = (
        AuditTally.objects.filter(
            object_type=Referral._meta.label_lower, object_id=str(referral.pk)
        )
        .select_related("actor__agency")
        .order_by("-last_at", "actor_key")
    )
    people: list[dict[str, Any]] = []
    agencies: dict[str, dict[str, Any]] = {}
    for row in rows:
        agency = str(row.actor.agency) if row.actor and row.actor.agency else ""
        people.append(
            {
                "actor_id": row.actor_id,
                "name": row.actor.display_name if row.actor else "",
                "agency": agency,
                "events": row.events,
                "last_at": row.last_at,
            }
        )
        if row.actor_id is not None:
            seen = agencies.setdefault(agency, {"agency": agency, "people": 0, "events": 0})
            seen["people"] += 1
            seen["events"] += row.events
    return AccessSummary(
        people=people,
        agencies=sorted(agencies.values(), key=lambda a: (-a["events"], a["agency"])),
        total=sum(person["events"] for person in people),
    )


def referral_history(referral: Referral):
    return referral.history.select_related("actor").order_by("at", "id")


def referral_addenda(referral: Referral) -> QuerySet[Addendum]:
    """The information its referrer added after sending it, newest first: shown to everyone
    who sees what was submitted (any access to the case); the caller audits the read."""
    return referral.addenda.select_related("author", "attachment").order_by("-created_at", "-id")


@dataclass(frozen=True)
class DuplicateMatch:
    """A possible earlier referral the reader may open, with the stage they may see, and how
    alike its person is (``score`` out of 100, ``reasons`` as ``persons.matching`` codes)."""

    referral: Referral
    stage: str | Promise
    score: int = 0
    reasons: tuple[str, ...] = ()
    person_id: Any = None
    rejected: bool = False

    @property
    def reason_labels(self) -> list[str]:
        return [str(matching.REASONS[code]) for code in self.reasons]


@dataclass(frozen=True)
class PossibleDuplicates:
    """What the case page may say about earlier referrals of (probably) the same person.

    ``matches``: cases the reader may open. ``other_areas``: for a Prevent officer, the
    names of the forces holding a match the reader may not open — only that one exists and
    whom to ask, nothing that identifies it (an empty name: a case with no force area).
    """

    matches: list[DuplicateMatch] = field(default_factory=list)
    other_areas: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.matches or self.other_areas)


def referral_identity(referral: Referral) -> matching.Identity:
    """Who the case's person is, as the index knows them: every name, date of birth,
    address and number its linked referrals gave, or, before it is indexed, its subject's."""
    if referral.person_id:
        identity = identities_of([referral.person_id])[referral.person_id]
        if identity.names:
            return identity
    return identity_of_subject(referral.subject)


def referral_possible_duplicates(
    user, referral: Referral, *, limit: int = 10
) -> PossibleDuplicates:
    """Other referrals of people who may be this case's person (issue 18), best match first.

    Candidates come from the person index (``persons.index.person_candidates``: phonetic and
    edit-distance name matching, aliases, date of birth exact, swapped or a year apart,
    address, identifiers), each with its score and reasons; referrals already linked to the
    case's person are its history, not candidates. Only matches in
    ``referrals_visible_to(user)`` are named, with the stage the reader may see on that row;
    a case the reader cannot open is never described (its existence is sensitive, DESIGN.md
    §3). A Prevent officer, who deconflicts across forces, is told only which force to ask
    about a match elsewhere. A person the officer said is not this one stays listed, marked,
    so the decision can be undone by linking.
    """
    exclude = [referral.person_id] if referral.person_id else []
    scores: dict[Any, matching.Score] = dict(
        person_candidates(referral_identity(referral), exclude=exclude)
    )
    if not scores:
        return PossibleDuplicates()
    rows = (
        Referral.objects.filter(person_id__in=list(scores))
        .exclude(pk=referral.pk)
        .exclude(state=State.DRAFT)
        .values_list("pk", "person_id", "police_force__name")
    )
    close = {pk: (person_id, force or "") for pk, person_id, force in rows}
    if not close:
        return PossibleDuplicates()
    # Every visible match, read once: named (the best ``limit``) and, for an officer, told
    # apart from the matches elsewhere.
    opened = list(referrals_visible_to(user).filter(pk__in=list(close)).select_related("subject"))
    visible = sorted(
        opened,
        key=lambda match: (
            -scores[match.person_id].value,
            -(match.submitted_at.timestamp() if match.submitted_at else 0),
            str(match.pk),
        ),
    )[:limit]
    rejected = rejected_person_ids(referral) if visible else set()
    accesses = referral_accesses(user, visible)
    matches = [
        DuplicateMatch(
            referral=match,
            stage=(
                match.state_label
                if accesses[match.pk] >= Access.PANEL
                else CoarseStatus(coarse_status(match.state)).label
            ),
            score=scores[match.person_id].value,
            reasons=scores[match.person_id].reasons,
            person_id=match.person_id,
            rejected=match.person_id in rejected,
        )
        for match in visible
    ]
    other_areas: list[str] = []
    if user.has_role(Role.PREVENT_OFFICER):
        seen = {match.pk for match in opened}
        hidden = (force for pk, (_person, force) in close.items() if pk not in seen)
        other_areas = sorted(set(hidden))
    return PossibleDuplicates(matches=matches, other_areas=other_areas)


def referral_linked_referrals(user, referral: Referral) -> QuerySet[Referral]:
    """The other referrals of the case's person that ``user`` may see, oldest first: the
    person's history as far as this reader may know it (issue 18)."""
    if not referral.person_id:
        return Referral.objects.none()
    return (
        referrals_visible_to(user)
        .filter(person_id=referral.person_id)
        .exclude(pk=referral.pk)
        .select_related("subject", "local_authority")
        .order_by("submitted_at", "id")
    )


# The queue's default stage filter: the stages where the police triage and assess a case.
TRIAGE_STAGES = "triage"
ASSIGNED_ME = "me"
ASSIGNED_NONE = "none"


def _queue_filters(
    queryset: QuerySet[Referral],
    user,
    *,
    state: str = "",
    assigned: str = "",
    local_authority=None,
    sector: str = "",
    urgent: bool = False,
    overdue: bool = False,
) -> QuerySet[Referral]:
    """The officer queue's filters, shared by the queue and the case-list export.

    An empty ``state`` means any stage; whether that includes closed cases is the caller's.
    The stage is matched as ``referrals_in_state`` does for every list: on the real state only
    where ``user`` may see it (for an officer's own force, every row).
    """
    if state == TRIAGE_STAGES:
        queryset = queryset.filter(state__in=[State.SUBMITTED, State.POLICE_ASSESSMENT])
    elif state:
        queryset = referrals_in_state(queryset, user, state)
    if assigned == ASSIGNED_ME:
        queryset = queryset.filter(assigned_officer=user)
    elif assigned == ASSIGNED_NONE:
        queryset = queryset.filter(assigned_officer__isnull=True)
    if local_authority:
        queryset = queryset.filter(local_authority=local_authority)
    if sector:
        queryset = queryset.alias(sector=referrer_sector()).filter(sector=sector)
    if urgent:
        queryset = queryset.filter(urgent=True)
    if overdue:
        cutoffs = overdue_cutoffs()
        queryset = queryset.filter(
            Q(state=State.SUBMITTED, submitted_at__lt=cutoffs[State.SUBMITTED])
            | Q(
                state=State.POLICE_ASSESSMENT,
                assessment_started_at__lt=cutoffs[State.POLICE_ASSESSMENT],
            )
            | Q(state=State.CHANNEL_PANEL, channel_entered_at__lt=cutoffs[State.CHANNEL_PANEL])
        )
    return queryset


class QueueFilters(TypedDict, total=False):
    """The officer queue's filters, taken by the queue and the case-list export alike."""

    state: str
    assigned: str
    local_authority: Any
    sector: str
    urgent: bool
    overdue: bool


# The triage queue's order when its address names no sort: urgent first, then oldest.
QUEUE_DEFAULT_ORDER = ("-urgent", "submitted_at", "id")
# Each column the queue can be sorted by (issue 19), ascending, as the columns (or the
# annotations of ``_QUEUE_SORT_VALUES``) it orders by; "-key" is the other way. Every
# ordering ends on the submission time and the primary key, so it is total and stable and
# keyset pages neither repeat nor skip a row. All are NOT NULL, as ``keyset_page`` needs.
_QUEUE_SORT_COLUMNS = {
    "reference": ("reference",),
    # Not by the person's name: a keyset page's cursor carries its sort's values in the
    # address (``?after=``), and a name must never be in a URL or a server's access log.
    "local_authority": ("local_authority__name",),
    "referred_by": ("queue_referred_by",),
    "stage": ("queue_stage",),
    # By the days the clock shows: fewest first, the other way most first; cases with no
    # clock running come last both ways.
    "clock": ("queue_no_clock", "-queue_clock_started"),
}
# Columns that keep their direction when a sort is reversed.
_FIXED_DIRECTION = frozenset({"queue_no_clock"})


def _flip(column: str) -> str:
    if column.lstrip("-") in _FIXED_DIRECTION:
        return column
    return column[1:] if column.startswith("-") else f"-{column}"


QUEUE_SORTS: dict[str, tuple[str, ...]] = {
    **{key: (*columns, "submitted_at", "id") for key, columns in _QUEUE_SORT_COLUMNS.items()},
    **{
        f"-{key}": tuple(_flip(c) for c in (*columns, "submitted_at", "id"))
        for key, columns in _QUEUE_SORT_COLUMNS.items()
    },
}
# The earliest moment a database holds, standing in for a clock that does not run (those
# rows are ordered by ``queue_no_clock`` first, so it only keeps the column NOT NULL).
_NO_CLOCK_START = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def _queue_sort_values() -> dict[str, Any]:
    """The worked-out values the queue can be sorted by, as SQL expressions over the row's
    own columns (sorting stays in the database: no row is read to be sorted in Python)."""
    clock_started = Q(pk__in=[])
    started = []
    for state, (_rule, field_name) in CASE_CLOCKS.items():
        clock_started |= Q(state=state, **{f"{field_name}__isnull": False})
        started.append(When(state=state, then=Coalesce(F(field_name), Value(_NO_CLOCK_START))))
    return {
        # What the "Referred by" column shows first: the agency, or the organisation of a
        # referrer with no account (``views.lists._referred_by``).
        "queue_referred_by": Case(
            When(received_via=ReceivedVia.ONLINE, then=F("referrer_agency__name")),
            default=F("contact_organisation"),
            output_field=CharField(),
        ),
        # The stages in the order of the lifecycle, not of their codes.
        "queue_stage": Case(
            *(When(state=value, then=Value(n)) for n, value in enumerate(State.values)),
            default=Value(len(State.values)),
            output_field=IntegerField(),
        ),
        "queue_no_clock": Case(
            When(clock_started, then=Value(0)), default=Value(1), output_field=IntegerField()
        ),
        "queue_clock_started": Case(
            *started, default=Value(_NO_CLOCK_START), output_field=DateTimeField()
        ),
    }


def queue_ordering(sort: str) -> tuple[str, ...]:
    """The queue's ordering for its ``sort`` parameter; the default for anything else (a
    sort is a whitelisted key, never a column name taken from the address)."""
    return QUEUE_SORTS.get(sort, QUEUE_DEFAULT_ORDER)


def queue_sort_columns(sort: str) -> tuple[str, ...]:
    """The worked-out values ``sort`` orders by (for the queue's ``.values()`` and cursors)."""
    return tuple(
        name for name in (c.lstrip("-") for c in queue_ordering(sort)) if name.startswith("queue_")
    )


def referral_queue(
    user, *, q: str = "", sort: str = "", **filters: Unpack[QueueFilters]
) -> QuerySet[Referral]:
    """The officer's triage queue: visible submitted cases of their force, urgent first, then
    oldest, or in the order of ``sort`` (``QUEUE_SORTS``). Cases they see for another reason
    (one they referred elsewhere, one opened by break-glass) are not their force's work and
    stay off it, as in the case-list export.

    One query whatever its length: everything a row shows is joined, and clocks are
    computed from the row's own timestamps (``referrals.clocks``). A sort by a worked-out
    value (the stage's place in the lifecycle, the clock) is an annotation ordered in SQL,
    added only when that sort is asked for.
    """
    hidden = [State.DRAFT] if filters.get("state") else [State.DRAFT, State.CLOSED]
    queryset = (
        referrals_visible_to(user, own_force=True)
        .exclude(state__in=hidden)
        .select_related("subject", "local_authority", "referrer_agency")
    )
    queryset = _queue_filters(queryset, user, **filters)
    queryset = referrals_matching(queryset, q)
    needed = queue_sort_columns(sort)
    if needed:
        values = _queue_sort_values()
        queryset = queryset.annotate(**{name: values[name] for name in needed})
    return queryset.order_by(*queue_ordering(sort))


def referrals_for_export(
    user, *, include_closed: bool = True, **filters: Unpack[QueueFilters]
) -> QuerySet[Referral]:
    """The cases an officer's case-list export holds, oldest first.

    Every submitted case of the officer's own force that ``referrals_visible_to`` gives them,
    narrowed by the queue's filters. Unlike the queue, "any stage" may include closed cases
    (a performance return counts them). Cases the officer sees for another reason (one they
    referred elsewhere as a referrer) are never part of their force's list. The queue's name
    search is not a filter here: it may be a person's name, and the export's filters are
    stored on the job and in the audit trail.
    """
    if not may_export_referrals(user):
        return Referral.objects.none()
    queryset = referrals_visible_to(user, own_force=True).exclude(state=State.DRAFT)
    if not filters.get("state") and not include_closed:
        queryset = queryset.exclude(state=State.CLOSED)
    queryset = _queue_filters(queryset, user, **filters)
    return queryset.order_by("submitted_at", "id")


def referral_assignable_people(*, referral: Referral, role: str) -> QuerySet[User]:
    """Whom a case may be assigned to: the active Prevent officers of its force, or for its
    case lead the active Channel chairs of its local authority. The page offers this list and
    ``services.referral_assign`` accepts only someone on it."""
    people = User.objects.filter(is_active=True)
    if role == ReferralAssignment.AssignmentRole.OFFICER:
        people = people.filter(
            role_grants__role=Role.PREVENT_OFFICER,
            agency__local_authority__police_force_id=referral.police_force_id,
        )
    else:
        people = people.filter(
            role_grants__role=Role.CHANNEL_CHAIR,
            agency__local_authority_id=referral.local_authority_id,
        )
    return people.distinct().order_by("last_name", "first_name", "username")


def referral_assignments(referral: Referral) -> QuerySet[ReferralAssignment]:
    """The case's assignment history, oldest first, with the people named."""
    return referral.assignments.select_related("assignee", "previous", "actor").order_by("at", "id")


def clock_forecast(
    user, *, days: int, today: datetime.date | None = None, mine: bool = False
) -> list[dict]:
    """The triage and assessment clocks of the caller's cases that will run out within
    ``days`` calendar days (after today, up to and including the horizon) if nothing happens
    (``prevent_cms.clocks.clock_forecast`` gathers these with every other app's clocks)."""
    today = today or timezone.localdate()
    until = today + datetime.timedelta(days=days)
    return sorted(
        referral_clock_forecast(user, today=today, until=until, mine=mine),
        key=lambda r: (r["breaches_on"], r["reference"]),
    )


def referral_clock_forecast(
    user, *, today: datetime.date, until: datetime.date, mine: bool = False
) -> list[dict]:
    """An officer's force's triage and assessment clocks running out after ``today`` and by
    ``until`` (``mine``: only the cases assigned to them); anyone else has no such clocks.
    One query; each row's day is computed from its own timestamp by the clock's rule."""
    if not user.has_role(Role.PREVENT_OFFICER):
        return []
    filters = Q(pk__in=[])
    for state, (rule, start) in CASE_CLOCKS.items():
        if state == State.CHANNEL_PANEL:
            continue  # the time-to-panel clock is Channel's, forecast for its chair
        filters |= Q(
            state=state,
            **{f"{start}__gte": rule.start_cutoff(today), f"{start}__lt": rule.start_cutoff(until)},
        )
    queryset = referral_queue(user).filter(filters)
    if mine:
        queryset = queryset.filter(assigned_officer=user)
    rows = []
    for row in queryset.values(
        "id", "reference", "state", "submitted_at", "assessment_started_at", "assigned_officer_id"
    ):
        rule, _start = CASE_CLOCKS[row["state"]]
        started = row["submitted_at"] if row["state"] == State.SUBMITTED else None
        started = started or row["assessment_started_at"]
        rows.append(
            forecast_row(
                clock=rule,
                id=row["id"],
                reference=row["reference"],
                breaches_on=rule.due(timezone.localdate(started)),
                assigned_to_me=row["assigned_officer_id"] == user.pk,
            )
        )
    return rows
