"""Lists: the referrer's (and agency lead's) "My referrals", the officer's queue and its
case-list download."""

from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import urlencode
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import Role, Sector
from prevent_cms.errors import run_service
from prevent_cms.pagination import keyset_page
from prevent_cms.saved_views import saved_views_carried, saved_views_shown
from prevent_cms.searches import search_save, search_term

from .. import services
from ..choices import CoarseStatus, ReceivedVia, ReferrerSector, State, coarse_status
from ..clocks import PageClocks
from ..forms.lists import CaseListExportForm, QueueFilterForm
from ..permissions import may_export_referrals, may_record_on_behalf
from ..selectors import (
    QUEUE_SORTS,
    TRIAGE_STAGES,
    queue_ordering,
    queue_sort_columns,
    referral_queue,
    referrals_visible_to,
)

PAGE_SIZE = 25


@login_required
def my_referrals(request):
    user = request.user
    records = may_record_on_behalf(user)
    # Officers keep to their queue (their unfinished drafts are listed on "Record a referral").
    if not user.has_role(Role.REFERRER, Role.AGENCY_LEAD, Role.PREVENT_LEAD):
        raise PermissionDenied
    mine = Q(referrer=user)
    if user.has_role(Role.AGENCY_LEAD):
        mine |= Q(referrer_agency_id=user.agency_id)
    if user.has_role(Role.PREVENT_LEAD):
        mine |= Q(local_authority_id=user.local_authority_id)
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
    services.referral_list_record_view(
        actor=user, references=[row["referral"].reference for row in rows], via="my_referrals"
    )
    return render(
        request,
        "referrals/my_referrals.html",
        {
            "page": page,
            "rows": rows,
            "agency_lead": user.has_role(Role.AGENCY_LEAD),
            "prevent_lead": user.has_role(Role.PREVENT_LEAD),
            "refers": user.has_role(Role.REFERRER, Role.AGENCY_LEAD),
            "records": records,
        },
    )


# What a queue row shows (and its clock reads), fetched as plain values: the rest of a case
# stays in the database, and 25 rows need no model instances.
QUEUE_COLUMNS = (
    "id",
    "reference",
    "state",
    "urgent",
    "submitted_at",
    "assessment_started_at",
    "channel_entered_at",
    "subject__first_name",
    "subject__last_name",
    "local_authority__name",
    "referrer_agency__name",
    "referrer_agency__sector",
    "received_via",
    "contact_organisation",
    "contact_sector",
)
QUEUE_PAGE = "referrals:queue"  # its saved views' page (``prevent_cms.saved_views``)
# Counting stops here: the figure is for orientation, and an exact count of a national
# table would cost more than the page.
QUEUE_COUNT_LIMIT = 1000


_ANY_ID = str(UUID(int=0))


def _labels(choices) -> dict[str, str]:
    """Labels of a choice enum in the active language, translated once a page, not per row."""
    return {str(value): str(label) for value, label in choices.choices}


def _referred_by(values: dict, labels: dict[str, dict]) -> dict:
    """Who referred, as the queue shows it: the agency and its sector, or for a referral
    recorded on someone's behalf their organisation, their sector and the route."""
    if values["received_via"] == ReceivedVia.ONLINE:
        return {
            "agency": values["referrer_agency__name"],
            "sector": labels["sector"][values["referrer_agency__sector"]],
        }
    sector = labels["sector"].get(values["contact_sector"], "")
    route = labels["route"][values["received_via"]]
    return {
        "agency": values["contact_organisation"] or _("No organisation"),
        "sector": f"{sector} · {route}" if sector else route,
    }


def _queue_row(values: dict, clocks: PageClocks, detail_url: str, labels: dict[str, dict]) -> dict:
    """What one queue row shows, as plain values the template reads with one lookup each."""
    clock = clocks(SimpleNamespace(**values))
    first, last = values["subject__first_name"], values["subject__last_name"]
    return {
        # One ``reverse`` per page, not per row: the case URL with the id swapped in.
        "url": detail_url.replace(_ANY_ID, str(values["id"])),
        "reference": values["reference"],
        "urgent": values["urgent"],
        "person": f"{first} {last}".strip(),
        "local_authority": values["local_authority__name"],
        **_referred_by(values, labels),
        "state": values["state"],
        "state_label": labels["state"][values["state"]],
        "clock_label": clock.label if clock else "",
        "clock_colour": clock.colour if clock else "",
        "clock_overdue": bool(clock and clock.overdue),
    }


@login_required
@require_http_methods(["GET", "POST"])
def queue(request):
    """The officer's triage queue. Filters and the sort are GET parameters; the search is not.

    The filter form is posted: its search term (a reference or a person's name) is kept
    server-side (``prevent_cms.searches``) and the queue redirects to itself with the filters
    and an opaque ``search`` id, so no name reaches a URL. A ``q`` in the query string is
    ignored. Every page read is audited with the references it shows. The queue as shown
    (filters and sort, never the search) can be saved as a named view (issue 19).
    """
    user = request.user
    if not user.has_role(Role.PREVENT_OFFICER):
        raise PermissionDenied
    if request.method == "POST":
        return _queue_search(request)
    term = search_term(request, request.GET.get("search", ""))
    # Unfiltered, the filter panel is the same for every officer of the force and comes from
    # the template's cache: the form is built only if the cache has no copy.
    form = None
    if request.GET:
        data = request.GET.copy()
        data["q"] = term  # never from the URL
        # No ``state`` in the address is the queue's default, the triage stages: the form
        # shows that, so filtering a sorted or paged queue does not widen it to every stage.
        data.setdefault("state", TRIAGE_STAGES)
        form = QueueFilterForm(data, user=user)
    filters = form.cleaned_data if form is not None and form.is_valid() else {}
    # With no stage chosen at all the queue shows the triage stages (issue 17); "Any open
    # stage" is an explicit empty choice.
    state = filters.get("state") or "" if "state" in request.GET else TRIAGE_STAGES
    sort = request.GET.get("sort", "")
    sort = sort if sort in QUEUE_SORTS else ""
    queryset = referral_queue(
        user,
        sort=sort,
        state=state,
        assigned=filters.get("assigned") or "",
        local_authority=filters.get("local_authority"),
        sector=filters.get("sector") or "",
        urgent=bool(filters.get("urgent")),
        overdue=bool(filters.get("overdue")),
        q=filters.get("q") or "",
    )
    page = keyset_page(
        queryset.values(*QUEUE_COLUMNS, *queue_sort_columns(sort)),
        ordering=queue_ordering(sort),
        size=PAGE_SIZE,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        count_limit=QUEUE_COUNT_LIMIT,
        counted=queryset,
        # The person's saved views of the queue ride on the page's query (no query more).
        carried=saved_views_carried(user, QUEUE_PAGE),
    )
    saved_views = saved_views_shown(user, QUEUE_PAGE, page.carried)
    clocks = PageClocks(timezone.localdate())
    detail_url = reverse("referrals:detail", args=[_ANY_ID])
    labels = {
        "state": _labels(State),
        "sector": _labels(ReferrerSector),
        "route": _labels(ReceivedVia),
    }
    rows = [_queue_row(referral, clocks, detail_url, labels) for referral in page]
    services.referral_list_record_view(
        actor=user,
        references=[row["reference"] for row in rows],
        via="queue",
        searched=bool(filters.get("q")),
    )
    params = request.GET.copy()
    for key in ("page", "after", "before", "q"):
        params.pop(key, None)
    query = params.urlencode()
    return render(
        request,
        "referrals/queue.html",
        {
            "form": form,
            "blank_form": SimpleLazyObject(lambda: QueueFilterForm(user=user)),
            "force": user.police_force_id or "",
            "page": page,
            "rows": rows,
            "total": page.total,
            "count_limit": QUEUE_COUNT_LIMIT,
            "count_limit_text": f"{QUEUE_COUNT_LIMIT:,}",
            "query": query,
            "sort": sort,
            "search_lapsed": bool(request.GET.get("search")) and not term,
            "saved_views": saved_views,
            "saved_view_page": QUEUE_PAGE,
            "saved_view_query": query,
        },
    )


def _queue_search(request):
    """The posted filter form: keep its search term server-side, redirect to the queue with
    the filters and the term's id. A filter that does not validate is dropped, as on GET."""
    form = QueueFilterForm(request.POST, user=request.user)
    form.is_valid()
    data = form.cleaned_data
    pairs = []
    for name in (*CaseListExportForm.FILTERS, "assigned"):
        value = data.get(name)
        if name in ("urgent", "overdue"):
            if value:
                pairs.append((name, "on"))
        elif name == "state" and value == TRIAGE_STAGES:
            continue  # the queue's default: no parameter
        elif name == "state" and not value and "state" in request.POST:
            pairs.append((name, ""))  # "Any open stage", chosen
        elif value:
            pairs.append((name, str(getattr(value, "pk", value))))
    if request.POST.get("sort") in QUEUE_SORTS:  # filtering keeps the list's sort
        pairs.append(("sort", request.POST["sort"]))
    term = (data.get("q") or "").strip()
    if term:
        pairs.append(("search", search_save(request, term=term)))
    url = reverse("referrals:queue")
    return redirect(f"{url}?{urlencode(pairs)}" if pairs else url)


@login_required
@require_http_methods(["GET", "POST"])
def queue_export(request):
    """The "Download these cases (CSV)" page: the queue's filters, a reason, then a job.

    Reached from the queue with its filters in the query string; the file is made by
    ``tasks.export_referrals`` and collected from the job's page.
    """
    user = request.user
    if not may_export_referrals(user):
        raise PermissionDenied
    if request.method == "POST":
        form = CaseListExportForm(request.POST, user=user)
        if form.is_valid():
            data = form.cleaned_data
            filters = {name: data.get(name) for name in form.FILTERS}
            filters["include_closed"] = data.get("include_closed")
            job = run_service(
                form,
                lambda: services.referral_export_request(
                    actor=user, filters=filters, reason=data["reason"]
                ),
            )
            if job is not None:
                return redirect("job_status", pk=job.pk)
    else:
        queue_filters = QueueFilterForm(request.GET or None, user=user)
        chosen = queue_filters.cleaned_data if queue_filters.is_valid() else {}
        initial = {name: chosen.get(name) for name in CaseListExportForm.FILTERS}
        form = CaseListExportForm(initial={**initial, "include_closed": True}, user=user)
    return render(
        request,
        "referrals/queue_export.html",
        {
            "form": form,
            "summary": _filter_summary(form),
            "hidden": _hidden_filters(form),
            "any_stage": not form["state"].value(),
            "searched": bool(search_term(request, request.GET.get("search", ""))),
            "queue_query": urlencode(_hidden_filters(form)),
        },
    )


def _hidden_filters(form) -> list[tuple[str, str]]:
    """The filters carried through the form, as (name, value) pairs for hidden inputs."""
    pairs = []
    for name in form.FILTERS:
        value = form[name].value()
        if name in ("urgent", "overdue"):
            if value:
                pairs.append((name, "on"))
        elif value:
            pairs.append((name, str(value)))
    return pairs


def _filter_summary(form) -> list[dict]:
    """What the file will hold, in words, for the summary list on the page."""
    values = {name: form[name].value() for name in form.FILTERS}
    local_authority = None
    if values["local_authority"]:
        try:
            local_authority = form.fields["local_authority"].clean(values["local_authority"])
        except ValidationError:
            local_authority = None
    return [
        {
            "key": _("Stage"),
            "value": dict(form.fields["state"].choices).get(values["state"]) or _("Any stage"),
        },
        {
            "key": _("Local authority"),
            "value": str(local_authority or _("Every local authority in your force area")),
        },
        {
            "key": _("Sector of the referrer"),
            "value": dict(Sector.choices).get(values["sector"]) or _("Any sector"),
        },
        {"key": _("Urgent only"), "value": _("Yes") if values["urgent"] else _("No")},
        {"key": _("Overdue only"), "value": _("Yes") if values["overdue"] else _("No")},
    ]
