"""The person index's entries in a case's timeline (issue 18): links, unlinks and "not the
same person", and transfers between areas, for those who see the case fully."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from referrals.selectors import Access
from referrals.timeline import Reader, TimelineEntry, choice_label, timeline_source

from .models import LinkAction, TransferStatus
from .selectors import person_links_visible_to, transfers_visible_to


@timeline_source("person_link", _("Links to a person"), order=95)
def _person_links(reader: Reader) -> list[TimelineEntry]:
    ids = reader.ids_with(Access.FULL)
    if not ids:
        return []
    rows = person_links_visible_to(reader.user).filter(referral_id__in=ids).select_related("actor")
    return [
        TimelineEntry(
            kind="person_link",
            referral_id=row.referral_id,
            at=row.at,
            actor=row.actor,
            summary=choice_label(LinkAction, row.action),
            ref=f"person-link-{row.pk}",
            details=[(_("Reason"), row.reason)],
        )
        for row in rows
    ]


@timeline_source("transfer", _("Transfers between areas"), order=96)
def _transfers(reader: Reader) -> list[TimelineEntry]:
    ids = reader.ids_with(Access.FULL)
    if not ids:
        return []
    rows = (
        transfers_visible_to(reader.user)
        .filter(referral_id__in=ids)
        .select_related("requested_by", "decided_by", "from_local_authority", "to_local_authority")
    )
    entries = []
    for row in rows:
        details = [
            (_("From"), str(row.from_local_authority)),
            (_("To"), str(row.to_local_authority)),
            (_("Reason"), row.reason),
        ]
        entries.append(
            TimelineEntry(
                kind="transfer",
                referral_id=row.referral_id,
                at=row.requested_at,
                actor=row.requested_by,
                summary=_("Transfer requested"),
                ref=f"transfer-{row.pk}",
                details=details,
            )
        )
        if row.decided_at:
            decided = [(_("Reason"), row.decline_reason)] if row.decline_reason else []
            entries.append(
                TimelineEntry(
                    kind="transfer",
                    referral_id=row.referral_id,
                    at=row.decided_at,
                    actor=row.decided_by,
                    summary=choice_label(TransferStatus, row.status),
                    ref=f"transfer-{row.pk}-decided",
                    details=decided,
                )
            )
    return entries
