"""The case's timeline page: one chronology, newest first, filterable by kind (issue 16)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from referrals import services as referral_services
from referrals.models import Referral
from referrals.selectors import Access
from referrals.timeline import timeline_entries, timeline_kinds

from ..timeline import timeline_reader

PAGE_SIZE = 50


@login_required
def case_timeline(request, pk):
    """Anyone who may read some of the case; reading it is an audited read of the case."""
    try:
        referral, reader = timeline_reader(request.user, pk)
    except Referral.DoesNotExist:
        raise Http404 from None
    referral_services.referral_record_view(actor=request.user, referral=referral, via="timeline")
    kinds = timeline_kinds()
    known = {kind for kind, _label in kinds}
    chosen = [kind for kind in request.GET.getlist("kind") if kind in known]
    entries = timeline_entries(reader, referral, kinds=chosen or None)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    access = reader.accesses[referral.pk]
    return render(
        request,
        "channel/timeline.html",
        {
            "referral": referral,
            "access": access,
            "channel_case": access >= Access.PANEL,
            "kinds": kinds,
            "chosen": chosen,
            "page": page,
            "query": query.urlencode(),
        },
    )
