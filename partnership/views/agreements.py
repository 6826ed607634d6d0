"""Pages for data-sharing agreements, the disclosure policy and the ledger (counts only)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from prevent_cms.audit import audit_record

from .. import selectors
from ..common import today
from ..forms import AgreementForm
from ..models import DisclosureKind, DisclosurePolicy
from ..services import agreements as agreement_services
from .common import form_page


@login_required
def agreements(request):
    user = request.user
    area = selectors.partnership_area_for(user)
    on = today()
    rows = selectors.agreements_visible_to(user).prefetch_related("parties")
    policy = DisclosurePolicy.objects.filter(local_authority=area).first()
    context = {
        "agreements": [(a, selectors.agreement_is_current(a, on=on)) for a in rows],
        "due_for_review": selectors.agreements_due_for_review(user, on=on),
        "refusing": bool(policy and policy.refuse_without_agreement),
        "today": on,
    }
    return render(request, "partnership/agreements.html", context)


@login_required
def agreement_new(request):
    user = request.user
    form = AgreementForm(request.POST or None, agencies=selectors.agencies_for_agreements(user))
    return form_page(
        request,
        form=form,
        title=_("Register a data-sharing agreement"),
        button=_("Register agreement"),
        back=reverse("partnership:agreements"),
        call=lambda: agreement_services.agreement_create(
            actor=user,
            data=form.data_for_service(),
            party_ids=[a.pk for a in form.cleaned_data["parties"]],
        ),
    )


@login_required
def agreement_edit(request, pk):
    user = request.user
    agreement = get_object_or_404(selectors.agreements_visible_to(user), pk=pk)
    initial = {
        name: getattr(agreement, name)
        for name in (
            "title",
            "kind",
            "purpose",
            "lawful_basis",
            "starts_on",
            "review_on",
            "ends_on",
            "status",
        )
    }
    initial["parties"] = list(agreement.parties.all())
    form = AgreementForm(
        request.POST or None, agencies=selectors.agencies_for_agreements(user), initial=initial
    )
    return form_page(
        request,
        form=form,
        title=_("Review or change an agreement"),
        button=_("Save changes"),
        back=reverse("partnership:agreements"),
        call=lambda: agreement_services.agreement_update(
            actor=user,
            agreement_id=agreement.pk,
            data=form.data_for_service(),
            party_ids=[a.pk for a in form.cleaned_data["parties"]],
        ),
    )


@login_required
def disclosure_policy(request):
    """Turn refusal of disclosures with no current agreement on or off (POST only)."""
    selectors.partnership_area_for(request.user)
    if request.method == "POST":
        refuse = request.POST.get("refuse") == "yes"
        agreement_services.disclosure_policy_set(
            actor=request.user, refuse_without_agreement=refuse
        )
        messages.success(
            request,
            _("Disclosures with no current agreement are now refused")
            if refuse
            else _("Disclosures with no current agreement are now recorded, not refused"),
        )
    return redirect("partnership:agreements")


def _date(value: str | None) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except ValueError:
        return None


@login_required
def ledger(request):
    """Disclosures by party, agreement and kind for a period: counts, never cases."""
    user = request.user
    area = selectors.partnership_area_for(user)
    start, end = _date(request.GET.get("from")), _date(request.GET.get("to"))
    agreement = None
    if request.GET.get("agreement"):
        agreement = get_object_or_404(
            selectors.agreements_visible_to(user), pk=request.GET["agreement"]
        )
    rows = selectors.disclosure_counts(
        user, start=start, end=end, agreement_id=agreement.pk if agreement else None
    )
    kinds = dict(DisclosureKind.choices)
    audit_record(actor=user, action="partnership.ledger.viewed", obj=area)
    return render(
        request,
        "partnership/ledger.html",
        {
            "rows": [{**row, "kind_label": kinds.get(row["kind"], row["kind"])} for row in rows],
            "start": start,
            "end": end,
            "agreement": agreement,
            "agreements": selectors.agreements_visible_to(user),
        },
    )
