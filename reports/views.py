"""HTML pages of the reports: statistics with accessible charts and tables."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from prevent_cms.audit import audit_record

from .periods import PeriodError, financial_year_containing, period_from_params, today
from .presentation import statistics_tables
from .selectors import (
    statistics_for,
    statistics_local_authorities_for,
    statistics_local_authority_get,
)
from .suppression import SUPPRESSED_MARK, suppress_statistics


@login_required
def statistics(request):
    """Statistics for a period (the current financial year by default) and a local authority.

    ``?shared=1`` shows the suppressed figures, as they would leave the organisation.
    """
    local_authority = statistics_local_authority_get(
        request.user, request.GET.get("local_authority")
    )
    error = ""
    try:
        period = period_from_params(request.GET.get("from"), request.GET.get("to"))
    except PeriodError as exc:
        error = str(exc)
        period = financial_year_containing(today())
    shared = request.GET.get("shared") == "1"
    stats = statistics_for(local_authority=local_authority, period=period)
    if shared:
        stats = suppress_statistics(stats)
    audit_record(
        actor=request.user,
        action="reports.statistics.viewed",
        obj=local_authority,
        detail={**period.as_params(), "suppressed": shared, "via": "page"},
    )
    context = {
        "local_authority": local_authority,
        "local_authorities": statistics_local_authorities_for(request.user),
        "period": period,
        "values": {
            "from": request.GET.get("from", period.start.isoformat()),
            "to": request.GET.get("to", period.end.isoformat()),
        },
        "error": error,
        "shared": shared,
        "mark": SUPPRESSED_MARK,
        "total": stats["total_referrals"],
        "tables": statistics_tables(stats),
    }
    return render(request, "reports/statistics.html", context, status=400 if error else 200)
