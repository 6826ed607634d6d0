"""Lists: the referrer's (and agency lead's) "My referrals", and the officer's queue."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils import timezone

from accounts.models import Role

from ..choices import CoarseStatus, coarse_status
from ..clocks import clock_for
from ..forms import QueueFilterForm
from ..selectors import referral_queue, referrals_visible_to

PAGE_SIZE = 25


@login_required
def my_referrals(request):
    user = request.user
    if not user.has_role(Role.REFERRER, Role.AGENCY_LEAD):
        raise PermissionDenied
    mine = Q(referrer=user)
    if user.has_role(Role.AGENCY_LEAD):
        mine |= Q(referrer_agency_id=user.agency_id)
    queryset = (
        referrals_visible_to(user)
        .filter(mine)
        .select_related("subject", "referrer")
        .order_by("-created_at", "id")
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "referral": referral,
            "status": CoarseStatus(coarse_status(referral.state)),
            "own": referral.referrer_id == user.pk,
        }
        for referral in page
    ]
    return render(
        request,
        "referrals/my_referrals.html",
        {"page": page, "rows": rows, "agency_lead": user.has_role(Role.AGENCY_LEAD)},
    )


@login_required
def queue(request):
    user = request.user
    if not user.has_role(Role.PREVENT_OFFICER):
        raise PermissionDenied
    form = QueueFilterForm(request.GET or None, user=user)
    filters = form.cleaned_data if form.is_valid() else {}
    queryset = referral_queue(
        user,
        state=filters.get("state") or "",
        local_authority=filters.get("local_authority"),
        sector=filters.get("sector") or "",
        urgent=bool(filters.get("urgent")),
        overdue=bool(filters.get("overdue")),
        q=filters.get("q") or "",
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [{"referral": referral, "clock": clock_for(referral, today)} for referral in page]
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "referrals/queue.html",
        {"form": form, "page": page, "rows": rows, "query": params.urlencode()},
    )
