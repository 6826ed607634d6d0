"""Channel's kinds of timeline entry (``referrals.timeline``), and who may read a timeline.

Each source reads its rows through this app's visibility selector for the reader, so a
panel member gets the panel's parts (never the police side, which ``referrals.timeline``
keeps behind full access), and an intervention provider only the entries of their own
interventions: the selectors already say so, and nothing here says it a second time.
"""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

from django.db.models import Prefetch
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from referrals.models import Referral
from referrals.selectors import Access, referral_access, referrals_visible_to
from referrals.timeline import (
    Reader,
    TimelineEntry,
    choice_label,
    timeline_entries,
    timeline_source,
    timelines,
)

from . import selectors
from .choices import (
    ConsentDecision,
    GivenBy,
    InterventionStatus,
    InterventionType,
    ReviewKind,
    RiskChange,
)
from .labels import rating_label
from .models import AgendaItem, AssessmentFactor, Panel


def timeline_reader(user: User, referral_id: UUID | str) -> tuple[Referral, Reader]:
    """The case and how ``user`` reads its timeline; ``Referral.DoesNotExist`` (404) when
    they may read none of it.

    Anyone who sees the case (``referrals_visible_to``) reads it at their access; an
    intervention provider who does not, only through an intervention allocated to them
    (``interventions_visible_to``), which gives them that intervention's entries alone.
    """
    related = ("subject", "referrer", "referrer_agency")
    referral = (
        referrals_visible_to(user, by_id=True)
        .select_related(*related)
        .filter(pk=referral_id)
        .first()
    )
    if referral is not None:
        access = referral_access(user, referral)
        if access > Access.NONE:
            return referral, Reader(user=user, accesses={referral.pk: access})
    if not selectors.interventions_visible_to(user).filter(referral_id=referral_id).exists():
        raise Referral.DoesNotExist
    referral = Referral.objects.select_related(*related).get(pk=referral_id)
    return referral, Reader(user=user, accesses={referral.pk: Access.NONE})


def since_last_panel(reader: Reader, item: AgendaItem) -> tuple[Panel | None, list[TimelineEntry]]:
    """What changed on the item's case since the previous held panel that discussed it.

    "Previous": held, and dated before this item's panel; none means the case's first
    panel, and then its whole timeline is new to the panel. Built from the timeline, so it
    shows only what ``reader`` may see.
    """
    previous = previous_panels(item.panel, [item.referral_id]).get(item.referral_id)
    since = previous.held_at if previous else None
    return previous, timeline_entries(reader, item.referral, since=since)


def previous_panels(panel: Panel, referral_ids: list) -> dict[Any, Panel]:
    """For each case, the last held panel before ``panel`` that had it on its agenda; one
    query for a whole agenda."""
    rows = (
        AgendaItem.objects.filter(
            referral_id__in=referral_ids, panel__held_at__isnull=False, panel__date__lt=panel.date
        )
        .exclude(panel_id=panel.pk)
        .select_related("panel")
        .order_by("-panel__date", "-panel__held_at")
    )
    # The first row of each case is its latest (a case has met a few panels; ``DISTINCT ON``
    # would do this in the database, but only PostgreSQL's, and make run serves on SQLite).
    found: dict[Any, Panel] = {}
    for row in rows:
        found.setdefault(row.referral_id, row.panel)
    return found


def agenda_since_last_panel(
    user: User, panel: Panel, accesses: dict[Any, Access]
) -> dict[Any, tuple[Panel | None, list[TimelineEntry]]]:
    """``since_last_panel`` for every case of an agenda at once (the panel pack): a fixed
    number of queries however many cases. ``accesses``: the reader's, per case."""
    previous = previous_panels(panel, list(accesses))
    since = {pk: (previous[pk].held_at if pk in previous else None) for pk in accesses}
    found = timelines(Reader(user=user, accesses=accesses), since=since)
    return {pk: (previous.get(pk), found.get(pk, [])) for pk in accesses}


def _day(value: datetime.date | None) -> str:
    return date_format(value, "j F Y") if value else ""


@timeline_source("panel", _("Panel discussions, decisions and actions"), order=60)
def _panels(reader: Reader) -> list[TimelineEntry]:
    entries = []
    items = (
        selectors.agenda_items_visible_to(reader.user)
        .filter(referral_id__in=reader.referral_ids)
        .select_related("panel__chair")
    )
    for item in items:
        panel = item.panel
        if panel.held_at:
            details: list[tuple[Any, Any]] = [(_("Panel"), _day(panel.date))]
            if item.discussion:
                details.append((_("Discussion"), item.discussion))
            if item.decision:
                details.append((_("Decision"), item.decision))
            if item.rationale:
                details.append((_("Rationale"), item.rationale))
            entries.append(
                TimelineEntry.of(
                    "panel",
                    item,
                    at=panel.held_at,
                    actor=panel.chair,
                    summary=_("Discussed at the panel of %(date)s") % {"date": _day(panel.date)},
                    details=details,
                )
            )
        else:
            entries.append(
                TimelineEntry.of(
                    "panel",
                    item,
                    at=item.added_at,
                    actor=panel.chair,
                    summary=_("Added to the agenda of the panel of %(date)s")
                    % {"date": _day(panel.date)},
                    details=[(_("Why"), item.get_kind_display())],
                )
            )
    actions = (
        selectors.panel_actions_visible_to(reader.user)
        .filter(referral_id__in=reader.referral_ids)
        .select_related("panel__chair", "owner")
    )
    for action in actions:
        owner = action.owner.display_name if action.owner else action.owner_name
        entries.append(
            TimelineEntry.of(
                "panel",
                action,
                at=action.created_at,
                actor=action.panel.chair,
                summary=_("Action agreed: %(what)s") % {"what": action.description},
                details=[
                    (_("Owner"), owner),
                    (_("Due"), _day(action.due_date)),
                    (_("Done"), _("Yes") if action.done else _("No")),
                ],
            )
        )
    updates = (
        selectors.agency_updates_visible_to(reader.user)
        .filter(referral_id__in=reader.referral_ids)
        .select_related("author__agency")
    )
    for update in updates:
        entries.append(
            TimelineEntry.of(
                "panel",
                update,
                at=update.created_at,
                actor=update.author,
                summary=_("Update from %(agency)s") % {"agency": update.author.agency},
                details=[(_("Update"), update.text)],
            )
        )
    return entries


@timeline_source("vulnerability_assessment", _("Vulnerability assessments"), order=70)
def _assessments(reader: Reader) -> list[TimelineEntry]:
    assessments = list(
        selectors.vulnerability_assessments_visible_to(reader.user)
        .filter(referral_id__in=reader.referral_ids)
        .prefetch_related(
            Prefetch("framework__factors", queryset=AssessmentFactor.objects.order_by("order"))
        )
        .order_by("-date", "-created_at")
    )
    entries = []
    for assessment in assessments:
        same_case = [row for row in assessments if row.referral_id == assessment.referral_id]
        previous = selectors.previous_assessment_in(assessment, same_case)
        rows = selectors.assessment_compare(assessment, previous)
        details: list[tuple[Any, Any]] = [(_("Date"), _day(assessment.date))]
        if previous is None:
            details.append((_("What changed"), _("First assessment")))
        else:
            changed = [
                f"{row['label']}: {rating_label(row['previous']) or '–'}"
                f" → {rating_label(row['current']) or '–'}"
                for row in rows
                if row["changed"]
            ]
            details.append((_("What changed"), "; ".join(changed) or _("No rating changed")))
        details.append((_("Summary"), assessment.summary))
        entries.append(
            TimelineEntry.of(
                "vulnerability_assessment",
                assessment,
                at=assessment.created_at,
                actor=assessment.assessor,
                summary=_("Vulnerability assessment (%(framework)s)")
                % {"framework": assessment.framework.title},
                details=details,
            )
        )
    return entries


@timeline_source("consent", _("Consent"), order=80)
def _consents(reader: Reader) -> list[TimelineEntry]:
    rows = (
        selectors.consents_visible_to(reader.user)
        .filter(referral_id__in=reader.referral_ids)
        .select_related("recorded_by")
    )
    entries = []
    for consent in rows:
        details: list[tuple[Any, Any]] = [
            (_("Date"), _day(consent.date)),
            (_("Given by"), choice_label(GivenBy, consent.given_by)),
        ]
        if consent.given_by_name:
            details.append((_("Name"), consent.given_by_name))
        if consent.relationship:
            details.append((_("Relationship"), consent.relationship))
        if consent.child_view:
            details.append((_("The child’s view"), consent.child_view))
        entries.append(
            TimelineEntry.of(
                "consent",
                consent,
                at=consent.created_at,
                actor=consent.recorded_by,
                summary=_("Consent %(decision)s")
                % {"decision": str(choice_label(ConsentDecision, consent.decision)).lower()},
                details=details,
            )
        )
    return entries


@timeline_source("intervention", _("Interventions and sessions"), order=90)
def _interventions(reader: Reader) -> list[TimelineEntry]:
    visible = selectors.interventions_visible_to(reader.user).filter(
        referral_id__in=reader.referral_ids
    )
    entries = [
        TimelineEntry.of(
            "intervention",
            intervention,
            at=intervention.created_at,
            actor=None,
            summary=_("Intervention planned: %(type)s")
            % {"type": choice_label(InterventionType, intervention.type)},
            details=[
                (_("Provider"), intervention.provider_name),
                (_("Start"), _day(intervention.start_date)),
                (_("Hours agreed"), intervention.hours),
                (_("Status"), choice_label(InterventionStatus, intervention.status)),
            ],
        )
        for intervention in visible
    ]
    sessions = (
        selectors.intervention_sessions_visible_to(reader.user)
        .filter(intervention__referral_id__in=reader.referral_ids)
        .select_related("intervention", "recorded_by")
    )
    for session in sessions:
        details: list[tuple[Any, Any]] = [
            (_("Date"), _day(session.date)),
            (_("Hours"), session.hours),
        ]
        if session.notes:
            details.append((_("Notes"), session.notes))
        entries.append(
            TimelineEntry(
                kind="intervention",
                referral_id=session.intervention.referral_id,
                at=session.created_at,
                actor=session.recorded_by,
                summary=_("Session: %(type)s")
                % {"type": choice_label(InterventionType, session.intervention.type)},
                ref=str(session.pk),
                details=details,
            )
        )
    return entries


@timeline_source("review", _("Reviews"), order=100)
def _reviews(reader: Reader) -> list[TimelineEntry]:
    rows = (
        selectors.reviews_visible_to(reader.user)
        .filter(referral_id__in=reader.referral_ids)
        .select_related("recorded_by")
    )
    return [
        TimelineEntry.of(
            "review",
            review,
            at=review.created_at,
            actor=review.recorded_by,
            summary=choice_label(ReviewKind, review.kind),
            details=[
                (_("Date"), _day(review.date)),
                (_("Risk"), choice_label(RiskChange, review.risk_change)),
                (_("Recommends exit"), _("Yes") if review.recommend_exit else _("No")),
                *([(_("Notes"), review.notes)] if review.notes else []),
            ],
        )
        for review in rows
    ]
