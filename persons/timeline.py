"""The person index's entries in a case's timeline (issue 18): links, unlinks and "not the
same person", for those who see the case fully."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from referrals.selectors import Access
from referrals.timeline import Reader, TimelineEntry, choice_label, timeline_source

from .models import LinkAction
from .selectors import person_links_visible_to


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
