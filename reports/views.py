"""HTML pages of the reports: statistics with accessible charts and tables."""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from prevent_cms.audit import audit_record
from prevent_cms.errors import InvalidInput

from .compliance import (
    CASE_FIGURE_LABELS,
    channel_case_figures,
    channel_panel_figures,
    consultation_figures,
    suppress_case_figures,
    training_figures,
)
from .exports import CONTENT_TYPES, STATISTICS_WRITERS, WRITERS, statistics_filename
from .forms import ComplianceEntryForm, PlanActionForm, StatisticsPeriodForm
from .models import ToolkitSection
from .partnership import partnership_sections, plan_actions_for_report
from .periods import Period, PeriodError, financial_year_containing, today
from .presentation import area_label, review_rows, statistics_tables, timeliness_rows
from .selectors import (
    ALL_LOCAL_AUTHORITIES,
    compliance_entries_visible_to,
    compliance_local_authority_for,
    plan_actions_visible_to,
    statistics_exact_allowed,
    statistics_for,
    statistics_local_authorities_for,
    statistics_period_get,
    statistics_police_forces_for,
    statistics_scope_get,
    statistics_suppressed_for,
)
from .services import (
    compliance_entry_create,
    export_start,
    plan_action_create,
    plan_action_update,
)
from .suppression import SUPPRESSED_MARK, display, suppress_statistics


@login_required
def statistics(request):
    """Statistics for a period (the current financial year by default) and an area: a local
    authority (``?local_authority=``) or, for a Prevent officer, their whole police force
    (``?police_force=``, or ``?local_authority=all`` from the page's area choice).

    ``?shared=1`` shows the suppressed figures, as they would leave the organisation (a
    borough lead always sees those, over at least a calendar month);
    ``?format=csv`` or ``xlsx`` downloads the same figures (audited as an export).
    """
    try:
        scope = statistics_scope_get(
            request.user,
            local_authority_id=request.GET.get("local_authority"),
            police_force_id=request.GET.get("police_force"),
        )
    except InvalidInput as exc:
        return HttpResponse(exc.detail, status=400, content_type="text/plain")
    period, period_form = _statistics_period(request)
    error = " ".join(str(e) for errors in period_form.errors.values() for e in errors)
    shared = statistics_suppressed_for(request.user, requested=request.GET.get("shared") == "1")
    fmt = request.GET.get("format", "")
    if fmt and (fmt not in STATISTICS_WRITERS or error):
        return HttpResponse(
            error or _("Choose a format: csv or xlsx"), status=400, content_type="text/plain"
        )
    stats = statistics_for(
        period=period, local_authority=scope.local_authority, police_force=scope.police_force
    )
    if shared:
        stats = suppress_statistics(stats)
    if fmt:
        return statistics_download(request, stats=stats, area=scope.area, period=period, fmt=fmt)
    audit_record(
        actor=request.user,
        action="reports.statistics.viewed",
        obj=scope.area,
        detail={**period.as_params(), "suppressed": shared, "via": "page"},
    )
    query = {**period.as_params(), scope.kind: str(scope.area.pk)}
    if shared:
        query["shared"] = "1"
    context = {
        "scope": scope,
        "area_label": area_label(stats),
        "local_authorities": statistics_local_authorities_for(request.user),
        "police_force": statistics_police_forces_for(request.user).first(),
        "all_local_authorities": ALL_LOCAL_AUTHORITIES,
        "period": period,
        "period_form": period_form,
        "error": error,
        "shared": shared,
        "exact_allowed": statistics_exact_allowed(request.user),
        "mark": SUPPRESSED_MARK,
        "total": stats["total_referrals"],
        "total_consultations": stats["total_consultations"],
        "tables": statistics_tables(stats),
        "timeliness_rows": timeliness_rows(stats["timeliness"]),
        "review_rows": review_rows(stats["timeliness"]),
        "download_query": urlencode(query),
    }
    return render(request, "reports/statistics.html", context, status=400 if error else 200)


def _statistics_period(request) -> tuple[Period, StatisticsPeriodForm]:
    """The period asked for and the page's period form, its errors in place.

    The page asks day, month and year (``from_0`` … ``to_2``); the download links and older
    bookmarks give ISO dates (``from``/``to``), read as the API reads them. An invalid or
    unreportable period shows the current financial year beside the errors.
    """
    fallback = financial_year_containing(today())
    if StatisticsPeriodForm.asked_in(request.GET):
        form = StatisticsPeriodForm(request.GET)
        if not form.is_valid():
            return fallback, form
        start, end = form.iso_dates()
    else:
        start, end = request.GET.get("from"), request.GET.get("to")
        form = StatisticsPeriodForm(None)
    try:
        period = statistics_period_get(request.user, start=start, end=end)
    except PeriodError as exc:
        if not form.is_bound:  # ISO dates: shown in the boxes where they are dates at all
            form = StatisticsPeriodForm(_boxes(start=start, end=end))
            form.is_valid()
        form.add_error(None, str(exc))
        return fallback, form
    if not form.is_bound:
        form.initial = {"from": period.start, "to": period.end}
    return period, form


def _boxes(**dates: str | None) -> dict[str, str]:
    boxes = {}
    for name, text in zip(StatisticsPeriodForm.NAMES, dates.values(), strict=True):
        try:
            day = datetime.date.fromisoformat((text or "").strip())
        except ValueError:
            continue
        boxes |= {f"{name}_{n}": str(part) for n, part in enumerate((day.day, day.month, day.year))}
    return boxes


def statistics_download(request, *, stats, area, period, fmt: str) -> HttpResponse:
    """The statistics alone as a CSV or XLSX file; audited with who, what and how shared.

    ``area``: the local authority or police force reported on.
    """
    content = STATISTICS_WRITERS[fmt](stats)
    audit_record(
        actor=request.user,
        action="reports.statistics.exported",
        obj=area,
        detail={**period.as_params(), "format": fmt, "suppressed": bool(stats.get("suppressed"))},
    )
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    name = statistics_filename(stats, fmt)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def compliance(request):
    """The eight toolkit sections: what the system counts and what the borough lead recorded."""
    local_authority = compliance_local_authority_for(request.user)
    period = financial_year_containing(today())
    actions = plan_actions_visible_to(request.user)
    entries = compliance_entries_visible_to(request.user)
    # Suppressed as in the exports and the statistics: exact case counts here would give
    # back the cells the statistics page hides from a borough lead.
    panels = channel_panel_figures(local_authority=local_authority, period=period)
    cases = suppress_case_figures(
        channel_case_figures(local_authority=local_authority, period=period)
    )
    figures = {
        ToolkitSection.CHANNEL_PANEL: [
            (_("Panels scheduled"), panels["panels_scheduled"]),
            (_("Panels held"), panels["panels_held"]),
            (_("Panels held with quorum"), panels["panels_quorate"]),
        ]
        + [(label, display(cases[key])) for key, label in CASE_FIGURE_LABELS.items()],
        ToolkitSection.TRAINING: training_figures(user=request.user),
        ToolkitSection.REFERRAL_PATHWAY: consultation_figures(
            local_authority=local_authority, period=period
        ),
    }
    # Sections 1-4 from the partnership records (issue 21); entries stay beside them.
    for code, lines in partnership_sections(
        local_authority=local_authority, period=period, on=today()
    ).items():
        figures[code] = [*figures.get(code, []), *lines]
    plan_actions = plan_actions_for_report(local_authority=local_authority)
    sections = [
        {
            "code": code,
            "label": label,
            "figures": figures.get(code, []),
            "plan_actions": plan_actions if code == ToolkitSection.PARTNERSHIP_PLAN else [],
            "actions": [a for a in actions if a.section == code],
            "entries": [e for e in entries if e.section == code],
        }
        for code, label in ToolkitSection.choices
    ]
    return render(
        request,
        "reports/compliance.html",
        {
            "local_authority": local_authority,
            "sections": sections,
            "period": period,
        },
    )


def _record_form(request, form_class, service, title: str):
    compliance_local_authority_for(request.user)
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        service(actor=request.user, data=form.cleaned_data)
        messages.success(request, _("Saved"))
        return redirect("reports:compliance")
    return render(request, "reports/record_form.html", {"form": form, "title": title})


@login_required
def plan_action_new(request):
    return _record_form(
        request, PlanActionForm, plan_action_create, _("Add a partnership-plan action")
    )


@login_required
def plan_action_edit(request, pk):
    """Change an action's owner, due date or RAG status; 404 for another borough's action."""
    action = get_object_or_404(plan_actions_visible_to(request.user), pk=pk)
    form = PlanActionForm(request.POST or None, instance=action)
    if request.method == "POST" and form.is_valid():
        plan_action_update(actor=request.user, action_id=action.pk, data=form.cleaned_data)
        messages.success(request, _("Saved"))
        return redirect("reports:compliance")
    title = _("Change a partnership-plan action")
    return render(request, "reports/record_form.html", {"form": form, "title": title})


@login_required
def compliance_entry_new(request):
    return _record_form(
        request, ComplianceEntryForm, compliance_entry_create, _("Record a compliance entry")
    )


@login_required
def compliance_export_start(request):
    """Start a compliance export (POST, no JavaScript needed) and show the job's page."""
    local_authority = compliance_local_authority_for(request.user)
    fmt = request.POST.get("format", "")
    if request.method != "POST" or fmt not in WRITERS:
        return redirect("reports:compliance")
    try:
        period = statistics_period_get(
            request.user, start=request.POST.get("from"), end=request.POST.get("to")
        )
    except PeriodError as exc:
        messages.error(request, str(exc))
        return redirect("reports:compliance")
    job = export_start(actor=request.user, local_authority=local_authority, period=period, fmt=fmt)
    return redirect("job_status", pk=job.pk)
