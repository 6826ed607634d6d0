"""Case data leaving for another agency, as the partnership's disclosure ledger records it
(issue 21): a case list or subject access export, a break-glass read, a transfer, a MASH copy.

One ledger row per local authority whose cases leave (the agreement that allows it is that
council's), keyed by what left (``source_id``: the job, the grant, the transfer, the case), so
a retry or a second run of the same export is the same disclosure, counted once. Called in the
transaction that lets the data leave: a refusal (no current agreement, where the council
refuses those) is ``DisclosureRefused`` and rolls the disclosure back with it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from uuid import UUID

from django.db.models import Count, QuerySet

from accounts.models import Agency, User
from partnership.services.agreements import disclosure_record

from .models import Referral


def cases_by_area(referrals: QuerySet[Referral] | Iterable[Referral]) -> dict[UUID, int]:
    """How many of ``referrals`` each local authority holds (a queryset is counted in SQL)."""
    if isinstance(referrals, QuerySet):
        rows = (
            Referral.objects.filter(pk__in=referrals.values("pk"))
            .order_by()
            .values_list("local_authority_id")
            .annotate(cases=Count("pk"))
        )
        return dict(rows)
    return dict(Counter(referral.local_authority_id for referral in referrals))


def disclosures_record(
    *,
    actor: User,
    kind: str,
    source_id: UUID | str,
    referrals: QuerySet[Referral] | Iterable[Referral],
    recipient: User | None,
    party: Agency | None = None,
    reason: str = "",
) -> None:
    """Record what ``referrals`` disclose to ``recipient`` (or ``party``), per local
    authority, in the ledger; refused (``DisclosureRefused``) where no agreement allows it."""
    for area, cases in sorted(cases_by_area(referrals).items(), key=lambda item: str(item[0])):
        disclosure_record(
            actor=actor,
            kind=kind,
            local_authority_id=area,
            source_id=source_id,
            case_count=cases,
            recipient=recipient,
            party=party,
            reason=reason,
        )
