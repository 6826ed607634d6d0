"""HTML pages for training: dashboard, records, certificates, imports, exports, courses.

Every page reads through ``training.selectors`` (out of scope → 404) and writes through the
services; a visible record the person may not change answers 403.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Count, Window
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prevent_cms.audit import audit_record
from prevent_cms.errors import run_service
from prevent_cms.saved_views import saved_views_for
from prevent_cms.searches import search_save, search_term

from . import exports
from .charts import coverage_chart
from .dates import Status, today
from .forms import ImportForm, RecordFilterForm, RecordForm
from .imports.jobs import import_check_start, import_run_start
from .imports.reader import TEMPLATE_HEADERS
from .imports.services import import_batch_cancel, import_batch_confirm, import_batch_create
from .models import ImportBatch, ImportRow
from .permissions import can_record_for, can_record_training, can_view_training
from .selectors import (
    courses_visible_to,
    coverage_for,
    import_batches_visible_to,
    records_filtered,
    records_visible_to,
    staff_due,
    training_agencies_visible_to,
)
from .services import record_create, record_delete, record_update

PAGE_SIZE = 50


def _require_viewer(user) -> None:
    if not can_view_training(user):
        raise PermissionDenied


def _page(request, queryset, *, param: str = "page", per_page: int = PAGE_SIZE):
    return Paginator(queryset, per_page).get_page(request.GET.get(param))


def _counted_page(request, queryset, *, per_page: int = PAGE_SIZE) -> Page:
    """``_page``, with the page's rows and the total in one query (``COUNT(*) OVER ()``), so
    the list's saved views cost no more than its count did. An empty or out-of-range page
    falls back to counting apart."""
    try:
        number = max(int(request.GET.get("page") or 1), 1)
    except ValueError:
        number = 1
    start = (number - 1) * per_page
    rows = list(queryset.annotate(total_rows=Window(Count("pk")))[start : start + per_page])
    if not rows:
        return _page(request, queryset, per_page=per_page)
    paginator = Paginator(queryset, per_page)
    paginator.count = rows[0].total_rows  # the cached property, known already
    return Page(rows, number, paginator)


def _query_without(request, *names: str) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


@login_required
def dashboard(request):
    """Coverage by agency, sector, role, frontline and contractors, and who is due."""
    user = request.user
    _require_viewer(user)
    coverage = coverage_for(user)
    titles = {
        "agency": _("Coverage by agency"),
        "sector": _("Coverage by sector"),
        "role": _("Coverage by role"),
        "frontline": _("Frontline staff"),
        "contractor": _("Contractors"),
        "elected_member": _("Elected members"),
    }
    sections = []
    for key, rows in coverage.breakdowns():
        if key == "agency" and len(rows) < 2:
            continue
        sections.append(
            {
                "key": key,
                "title": titles[key],
                "rows": rows,
                "chart": coverage_chart(f"chart-{key}", titles[key], rows),
            }
        )
    context = {
        "coverage": coverage,
        "sections": sections,
        "expired": _page(request, staff_due(user, Status.EXPIRED), param="expired", per_page=20),
        "expiring": _page(
            request, staff_due(user, Status.EXPIRING_SOON), param="soon", per_page=20
        ),
        "expired_query": _query_without(request, "expired"),
        "expiring_query": _query_without(request, "soon"),
        "can_record": can_record_training(user),
        "agency_count": len(coverage.by_agency),
        "show_agency": len(coverage.by_agency) > 1,
    }
    return render(request, "training/dashboard.html", context)


@login_required
def record_list(request):
    """The records the caller may see, filtered and sorted.

    Filters and the sort are GET parameters, so the list can be bookmarked, saved as a view
    and the back button works (issue 19). The search is not: a name or e-mail address typed
    in is posted, kept server-side (``prevent_cms.searches``) and stands in the address as an
    opaque ``search`` id, so it never reaches URLs or request logs. The filters shown are also
    kept in the session, where the downloads read them.
    """
    user = request.user
    _require_viewer(user)
    agencies = training_agencies_visible_to(user)
    if request.method == "POST":
        return _record_search(request, agencies)
    data = request.GET.copy()
    data["q"] = search_term(request, request.GET.get("search", ""))  # never from the URL
    form = RecordFilterForm(data, agencies=agencies)
    filters = form.filters()
    chosen = {name: value for name, value in filters.items() if value}
    if (request.session.get(FILTERS_KEY) or {}) != chosen:  # written only when they change
        request.session[FILTERS_KEY] = chosen
    sort = request.GET.get("sort", "")
    records = records_filtered(records_visible_to(user), **filters).order_by(
        *RECORD_SORTS.get(sort, RECORD_SORTS["name"])
    )
    query = _query_without(request, "page")
    # The agencies read once, for the filter's choices and whether to show the column.
    agency_list = list(agencies)
    context = {
        "form": form,
        "filtered": any(filters.values()),
        "page": _counted_page(request, records),
        "query": query,
        "can_record": can_record_training(user),
        "show_agency": len(agency_list) > 1,
        "agency_choices": [("", _("All")), *((str(a.pk), a.name) for a in agency_list)],
        "on": today(),
        "saved_views": saved_views_for(user, SAVED_VIEW_PAGE),
        "saved_view_page": SAVED_VIEW_PAGE,
        "saved_view_query": query,
    }
    return render(request, "training/record_list.html", context)


SAVED_VIEW_PAGE = "training:record_list"
# Each column's sort, ascending; "-name" and the like reverse it. Status follows the expiry
# date (it is worked out from it). Every ordering ends on the primary key, so pages are stable.
_RECORD_COLUMNS = {
    "name": ("staff__name",),
    "agency": ("staff__agency__name", "staff__name"),
    "course": ("course__title", "staff__name"),
    "completed": ("completed_on", "staff__name"),
    "expires": ("expires_on", "staff__name"),
    "status": ("expires_on", "staff__name"),
}
RECORD_SORTS = {
    **{key: (*columns, "-completed_on", "pk") for key, columns in _RECORD_COLUMNS.items()},
    **{
        f"-{key}": (*(f"-{c}" for c in columns), "-completed_on", "-pk")
        for key, columns in _RECORD_COLUMNS.items()
    },
}


def _record_search(request, agencies):
    """The filter form, posted: its filters to the address, its search term to the session."""
    if "clear" in request.POST:
        request.session.pop(FILTERS_KEY, None)
        return redirect("training:record_list")
    form = RecordFilterForm(request.POST, agencies=agencies)
    filters = form.filters()
    request.session[FILTERS_KEY] = {name: value for name, value in filters.items() if value}
    term = filters.pop("q", "")
    params = {key: value for key, value in filters.items() if value}
    sort = request.POST.get("sort", "")
    if sort in RECORD_SORTS:
        params["sort"] = sort
    if term:
        params["search"] = search_save(request, term=term)
    url = reverse("training:record_list")
    return redirect(f"{url}?{urlencode(params)}" if params else url)


FILTERS_KEY = "training_record_filters"


def _session_filters(request) -> dict[str, str]:
    saved = request.session.get(FILTERS_KEY) or {}
    return {name: str(saved.get(name, "")) for name in ("q", "agency", "course", "status")}


def _visible_record(request, pk):
    """A record outside the caller's scope (or any record, for other roles) answers 404."""
    return get_object_or_404(records_visible_to(request.user), pk=pk)


@login_required
def record_detail(request, pk):
    record = _visible_record(request, pk)
    others = (
        record.staff.records.exclude(pk=record.pk)
        .select_related("course")
        .order_by("-completed_on")
    )
    context = {
        "record": record,
        "others": others,
        "can_edit": can_record_for(request.user, record.staff.agency),
    }
    return render(request, "training/record_detail.html", context)


def _show_warnings(request, warnings: list[str]) -> None:
    for warning in warnings:
        messages.warning(request, warning)


@login_required
def record_create_view(request):
    user = request.user
    if not can_record_training(user):
        raise PermissionDenied
    form = RecordForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = run_service(
            form,
            lambda: record_create(
                actor=user,
                agency=user.agency,
                person=form.person(),
                course=data["course"],
                completed_on=data["completed_on"],
                delivery_mode=data["delivery_mode"],
                certificate=data.get("certificate"),
            ),
        )
        if result is not None:
            messages.success(request, _("Training record saved"))
            _show_warnings(request, result.warnings)
            return redirect("training:record_detail", pk=result.record.pk)
    return render(request, "training/record_form.html", {"form": form, "record": None})


@login_required
def record_edit(request, pk):
    user = request.user
    record = _visible_record(request, pk)
    if not can_record_for(user, record.staff.agency):
        raise PermissionDenied
    form = RecordForm(request.POST or None, request.FILES or None, record=record)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        result = run_service(
            form,
            lambda: record_update(
                actor=user,
                record_id=record.pk,
                person=form.person(),
                course=data["course"],
                completed_on=data["completed_on"],
                delivery_mode=data["delivery_mode"],
                certificate=data.get("certificate"),
                remove_certificate=data.get("remove_certificate", False),
            ),
        )
        if result is not None:
            messages.success(request, _("Training record updated"))
            _show_warnings(request, result.warnings)
            return redirect("training:record_detail", pk=record.pk)
    return render(request, "training/record_form.html", {"form": form, "record": record})


@login_required
def record_delete_view(request, pk):
    """A confirmation page first: deleting a record cannot be undone."""
    user = request.user
    record = _visible_record(request, pk)
    if not can_record_for(user, record.staff.agency):
        raise PermissionDenied
    if request.method == "POST":
        record_delete(actor=user, record_id=record.pk)
        messages.success(request, _("Training record deleted"))
        return redirect("training:record_list")
    return render(request, "training/record_delete.html", {"record": record})


@login_required
def certificate_download(request, pk):
    record = _visible_record(request, pk)
    if not record.certificate:
        raise Http404
    audit_record(
        actor=request.user,
        action="training.certificate.downloaded",
        obj=record,
        detail={"agency": str(record.staff.agency_id)},
    )
    extension = record.certificate.name.rsplit(".", 1)[-1] if "." in record.certificate.name else ""
    filename = f"certificate-{record.course.code}-{record.completed_on:%Y-%m-%d}.{extension}"
    return FileResponse(
        record.certificate.open("rb"),
        as_attachment=True,
        filename=filename,
        content_type=record.certificate_content_type or "application/octet-stream",
    )


@login_required
def import_upload(request):
    user = request.user
    if not can_record_training(user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        created = run_service(form, lambda: import_batch_create(actor=user, upload=upload))
        if created is not None:
            batch, sheet = created
            import_check_start(actor=user, batch_id=batch.pk, sheet=sheet)
            return redirect("training:import_detail", pk=batch.pk)
    recent = import_batches_visible_to(user).order_by("-created_at")[:5]
    context = {"form": form, "recent": recent, "headers": TEMPLATE_HEADERS}
    return render(request, "training/import_upload.html", context)


@login_required
def import_template(request):
    if not can_record_training(request.user):
        raise PermissionDenied
    response = HttpResponse(
        exports.csv_text(TEMPLATE_HEADERS, []), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="training-import-template.csv"'
    return response


IMPORT_SHOW = {
    "all": None,
    "reject": ImportRow.Action.REJECT,
    "create": ImportRow.Action.CREATE,
    "update": ImportRow.Action.UPDATE,
    "unchanged": ImportRow.Action.UNCHANGED,
}


@login_required
def import_detail(request, pk):
    """Progress while checking or importing; then the row-by-row preview; then the result."""
    batch = get_object_or_404(import_batches_visible_to(request.user).select_related("job"), pk=pk)
    show = request.GET.get("show", "all")
    if show not in IMPORT_SHOW:
        show = "all"
    rows = batch.rows.all()
    if IMPORT_SHOW[show]:
        rows = rows.filter(action=IMPORT_SHOW[show])
    context = {
        "batch": batch,
        "job": batch.job,
        "show": show,
        "page": _page(request, rows.order_by("number"), per_page=100),
        "query": _query_without(request, "page"),
        "working": batch.state in (ImportBatch.State.CHECKING, ImportBatch.State.IMPORTING),
        "filters": [
            ("all", _("All rows"), batch.total_rows),
            ("reject", _("Rejected"), batch.reject_count),
            ("create", _("New"), batch.create_count),
            ("update", _("Updates"), batch.update_count),
            ("unchanged", _("Already recorded"), batch.unchanged_count),
        ],
    }
    return render(request, "training/import_detail.html", context)


@login_required
@require_POST
def import_confirm(request, pk):
    batch = get_object_or_404(import_batches_visible_to(request.user), pk=pk)
    confirmed = run_service(
        None, lambda: import_batch_confirm(actor=request.user, batch_id=batch.pk), request=request
    )
    if confirmed is None:
        return redirect("training:import_detail", pk=pk)
    import_run_start(actor=request.user, batch_id=confirmed.pk)
    return redirect("training:import_detail", pk=pk)


@login_required
@require_POST
def import_cancel(request, pk):
    batch = get_object_or_404(import_batches_visible_to(request.user), pk=pk)
    cancelled = run_service(
        None, lambda: import_batch_cancel(actor=request.user, batch_id=batch.pk), request=request
    )
    if cancelled is None:
        return redirect("training:import_detail", pk=pk)
    messages.success(request, _("Import cancelled. Nothing was imported."))
    return redirect("training:import_upload")


EXPORT_FORMATS = {"csv", "xlsx"}


def _export_response(request, *, what: str, fmt: str, headers, rows, count: int):
    audit_record(
        actor=request.user,
        action="training.export",
        object_type="training.export",
        object_id=what,
        detail={"what": what, "format": fmt, "rows": count},
    )
    stamp = today().isoformat()
    filename = f"training-{what}-{stamp}.{fmt}"
    if fmt == "csv":
        response = StreamingHttpResponse(
            exports.csv_stream(headers, rows), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    handle = exports.xlsx_file(what, headers, rows)
    return FileResponse(
        handle, as_attachment=True, filename=filename, content_type=exports.XLSX_CONTENT_TYPE
    )


@login_required
def records_export(request, fmt: str):
    user = request.user
    _require_viewer(user)
    if fmt not in EXPORT_FORMATS:
        raise Http404
    filters = _session_filters(request)
    records = records_filtered(records_visible_to(user), **filters).order_by(
        "staff__agency__name", "staff__name", "-completed_on", "pk"
    )
    return _export_response(
        request,
        what="records",
        fmt=fmt,
        headers=exports.record_headers(),
        rows=exports.record_rows(records, on=today()),
        count=records.count(),
    )


@login_required
def coverage_export(request, fmt: str):
    user = request.user
    _require_viewer(user)
    if fmt not in EXPORT_FORMATS:
        raise Http404
    coverage = coverage_for(user)
    rows = list(exports.coverage_rows(coverage))
    return _export_response(
        request,
        what="coverage",
        fmt=fmt,
        headers=exports.coverage_headers(),
        rows=rows,
        count=len(rows),
    )


@login_required
def course_list(request):
    _require_viewer(request.user)
    courses = courses_visible_to(request.user)
    return render(request, "training/course_list.html", {"courses": courses})
