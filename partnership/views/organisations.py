"""Pages for organisations (the register, gap analyses, support, due diligence), community
projects, and the training offer's workshops and briefings."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from .. import selectors
from ..forms import (
    DueDiligenceForm,
    GapAnalysisForm,
    OrganisationForm,
    ProjectForm,
    SupportForm,
    WorkshopForm,
)
from ..services import organisations as services
from .common import form_page


@login_required
def organisations(request):
    """The register: each organisation with its latest gap analysis and its support."""
    user = request.user
    area = selectors.partnership_area_for(user)
    rows = selectors.organisations_visible_to(user).prefetch_related("gap_analyses", "support")
    return render(
        request,
        "partnership/organisations.html",
        {
            "area": area,
            # From the prefetched rows (newest analysis first, by the model's ordering).
            "organisations": [
                (o, next(iter(o.gap_analyses.all()), None), len(o.support.all())) for o in rows
            ],
        },
    )


@login_required
def organisation_new(request):
    form = OrganisationForm(request.POST or None)
    return form_page(
        request,
        form=form,
        title=_("Add an organisation to the register"),
        intro=_(
            "A voluntary, community, charity or faith organisation the partnership works with."
        ),
        button=_("Add organisation"),
        back=reverse("partnership:organisations"),
        call=lambda: services.organisation_create(actor=request.user, **form.cleaned_data),
        done=lambda organisation: reverse("partnership:organisation", args=[organisation.pk]),
    )


@login_required
def organisation_detail(request, pk):
    user = request.user
    organisation = get_object_or_404(selectors.organisations_visible_to(user), pk=pk)
    return render(
        request,
        "partnership/organisation.html",
        {
            "organisation": organisation,
            "analyses": organisation.gap_analyses.all(),
            "support": organisation.support.all(),
            "checks": selectors.due_diligence_visible_to(user).filter(organisation=organisation),
            "projects": selectors.projects_visible_to(user).filter(organisation=organisation),
        },
    )


def _organisation_form(request, pk, *, form, title, button, call, intro=""):
    organisation = get_object_or_404(selectors.organisations_visible_to(request.user), pk=pk)
    return form_page(
        request,
        form=form,
        title=title,
        intro=intro or organisation.name,
        button=button,
        back=reverse("partnership:organisation", args=[organisation.pk]),
        call=lambda: call(organisation),
    )


@login_required
def gap_analysis_new(request, pk):
    form = GapAnalysisForm(request.POST or None)
    return _organisation_form(
        request,
        pk,
        form=form,
        title=_("Record a safeguarding-policy gap analysis"),
        button=_("Save gap analysis"),
        call=lambda organisation: services.gap_analysis_record(
            actor=request.user,
            organisation_id=organisation.pk,
            assessed_on=form.cleaned_data["assessed_on"],
            items=form.items(),
        ),
    )


@login_required
def support_new(request, pk):
    form = SupportForm(request.POST or None)
    return _organisation_form(
        request,
        pk,
        form=form,
        title=_("Record support given"),
        button=_("Save support"),
        call=lambda organisation: services.support_record(
            actor=request.user, organisation_id=organisation.pk, **form.cleaned_data
        ),
    )


@login_required
def due_diligence_new(request, pk):
    form = DueDiligenceForm(request.POST or None)
    return _organisation_form(
        request,
        pk,
        form=form,
        title=_("Record due-diligence checks"),
        button=_("Save checks"),
        call=lambda organisation: services.due_diligence_record(
            actor=request.user, organisation_id=organisation.pk, **form.cleaned_data
        ),
    )


@login_required
def projects(request):
    user = request.user
    selectors.partnership_area_for(user)
    return render(
        request, "partnership/projects.html", {"projects": selectors.projects_visible_to(user)}
    )


@login_required
def project_new(request):
    user = request.user
    organisations = selectors.organisations_visible_to(user)
    initial = {}
    wanted = request.GET.get("organisation")
    if wanted:
        initial["organisation"] = next((o for o in organisations if str(o.pk) == wanted), None)
    form = ProjectForm(request.POST or None, organisations=organisations, initial=initial)

    def call():
        data = dict(form.cleaned_data)
        organisation = data.pop("organisation")
        return services.project_create(actor=user, organisation_id=organisation.pk, **data)

    return form_page(
        request,
        form=form,
        title=_("Record a community project"),
        button=_("Save project"),
        back=reverse("partnership:projects"),
        call=call,
    )


@login_required
def workshops(request):
    user = request.user
    selectors.partnership_area_for(user)
    return render(
        request, "partnership/workshops.html", {"workshops": selectors.workshops_visible_to(user)}
    )


@login_required
def workshop_new(request):
    form = WorkshopForm(request.POST or None)
    return form_page(
        request,
        form=form,
        title=_("Record a workshop or briefing"),
        button=_("Save"),
        back=reverse("partnership:workshops"),
        call=lambda: services.workshop_record(actor=request.user, **form.cleaned_data),
    )
