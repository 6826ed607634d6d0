"""HTML pages for consultations: list (by outcome), record, read, change, link to a referral.

Every page reads through ``consultations.selectors``: someone who works with no
consultations gets 403 on the list and the form, and any one consultation outside the
reader's scope answers 404. Every read is audited; every write goes through the services.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.models import LocalAuthority
from prevent_cms.errors import PreconditionFailed, run_service

from . import selectors, services
from .forms import ConsultationForm, LinkForm
from .models import Consultation, Outcome

PAGE_SIZE = 25


def _require_role(user) -> None:
    if not selectors.may_work_with_consultations(user):
        raise PermissionDenied


def _visible(request, pk) -> Consultation:
    try:
        return selectors.consultation_get_visible(request.user, pk)
    except Consultation.DoesNotExist as error:
        raise Http404 from error


@login_required
def consultation_list(request):
    """Newest first, 25 to a page, filtered by outcome and to those to follow up (GET
    parameters: codes, no names)."""
    user = request.user
    _require_role(user)
    outcome = request.GET.get("outcome", "")
    if outcome not in Outcome.values:
        outcome = ""
    follow_up = request.GET.get("follow_up") == "on"
    rows = selectors.consultations_listed(user, outcome=outcome, follow_up=follow_up)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    services.consultation_list_record_view(
        actor=user, consultation_ids=[str(row.pk) for row in page.object_list], via="page"
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "query": query.urlencode(),
        "outcome": outcome,
        "outcomes": Outcome.choices,
        "follow_up": follow_up,
    }
    return render(request, "consultations/list.html", context)


@login_required
def consultation_new(request):
    user = request.user
    _require_role(user)
    areas = selectors.consultation_local_authorities_for(user)
    form = ConsultationForm(
        request.POST if request.method == "POST" else None, local_authorities=areas
    )
    if request.method == "POST" and form.is_valid():
        consultation = run_service(
            form,
            lambda: services.consultation_record(
                actor=user,
                local_authority=form.cleaned_data["local_authority"],
                data=form.data_for_service(),
            ),
        )
        if consultation is not None:
            messages.success(request, _("Consultation recorded"))
            return redirect("consultations:detail", pk=consultation.pk)
    return render(request, "consultations/form.html", {"form": form, "consultation": None})


@login_required
def consultation_detail(request, pk):
    consultation = _visible(request, pk)
    services.consultation_record_view(actor=request.user, consultation=consultation, via="page")
    return render(request, "consultations/detail.html", {"consultation": consultation})


@login_required
def consultation_edit(request, pk):
    """Change what was recorded; the hidden version stops one edit overwriting another."""
    user = request.user
    consultation = _visible(request, pk)
    form = ConsultationForm(
        request.POST if request.method == "POST" else None,
        local_authorities=LocalAuthority.objects.none(),
        consultation=consultation,
    )
    if request.method == "POST" and form.is_valid():
        try:
            updated = run_service(
                form,
                lambda: services.consultation_update(
                    consultation_id=consultation.pk,
                    actor=user,
                    data=form.data_for_service(),
                    expected_version=form.cleaned_data.get("version"),
                ),
            )
        except PreconditionFailed:
            updated = None
            form.add_error(
                None,
                _(
                    "Someone else changed this consultation since you opened it. Open it "
                    "again to see their change, then make yours."
                ),
            )
        if updated is not None:
            messages.success(request, _("Consultation updated"))
            return redirect("consultations:detail", pk=consultation.pk)
    context = {"form": form, "consultation": consultation}
    return render(request, "consultations/form.html", context)


@login_required
def consultation_link_view(request, pk):
    """Link the consultation to the referral that followed it, by the referral's reference."""
    user = request.user
    consultation = _visible(request, pk)
    form = LinkForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        linked = run_service(
            form,
            lambda: services.consultation_link(
                consultation_id=consultation.pk,
                actor=user,
                reference=form.cleaned_data["referral"],
            ),
        )
        if linked is not None:
            messages.success(request, _("Consultation linked to the referral"))
            return redirect("consultations:detail", pk=consultation.pk)
    return render(request, "consultations/link.html", {"form": form, "consultation": consultation})
