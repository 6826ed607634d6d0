"""Pages for the risk assessment, CTLP briefings and the partnership plan."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .. import selectors
from ..forms import CtlpForm, PlanForm, RiskAssessmentForm
from ..models import CtlpBriefing
from ..services import risk as risk_services
from ..watermark import watermarked_for
from .common import form_page


@login_required
def assessment_new(request):
    selectors.partnership_area_for(request.user)
    form = RiskAssessmentForm(request.POST or None)
    return form_page(
        request,
        form=form,
        title=_("Record the local risk assessment"),
        intro=_("This becomes a new version; earlier versions are kept."),
        button=_("Save risk assessment"),
        back=reverse("partnership:home"),
        call=lambda: risk_services.risk_assessment_create(
            actor=request.user,
            assessed_on=form.cleaned_data["assessed_on"],
            review_by=form.cleaned_data["review_by"],
            summary=form.cleaned_data["summary"],
            risks=form.risks(),
        ),
        done=lambda assessment: reverse("partnership:assessment", args=[assessment.pk]),
    )


@login_required
def assessment_detail(request, pk):
    assessment = get_object_or_404(selectors.risk_assessments_visible_to(request.user), pk=pk)
    risks = assessment.risks.prefetch_related("actions")
    return render(
        request, "partnership/assessment.html", {"assessment": assessment, "risks": risks}
    )


@login_required
def ctlp_new(request):
    user = request.user
    selectors.partnership_area_for(user)
    people = selectors.ctlp_reader_candidates(user)
    form = CtlpForm(request.POST or None, request.FILES or None, people=people)
    return form_page(
        request,
        form=form,
        title=_("Upload a CTLP briefing"),
        intro=_(
            "Counter-Terrorism Local Profile briefings are OFFICIAL-SENSITIVE. Each named "
            "reader downloads their own copy, marked with their name; every read is recorded."
        ),
        button=_("Upload briefing"),
        back=reverse("partnership:home"),
        upload=True,
        call=lambda: risk_services.ctlp_briefing_upload(
            actor=user,
            title=form.cleaned_data["title"],
            received_on=form.cleaned_data["received_on"],
            upload=form.cleaned_data["file"],
            reader_ids=form.cleaned_data["readers"],
        ),
    )


def ctlp_response(*, user, pk, via: str) -> HttpResponse:
    """The reader's watermarked copy, audited; 404 (audited as a refusal) for anyone not
    named, exactly as for a briefing that does not exist."""
    briefing = selectors.ctlp_briefings_visible_to(user).filter(pk=pk).first()
    if briefing is None:
        risk_services.ctlp_briefing_record_refusal(actor=user, briefing_id=pk, via=via)
        raise CtlpBriefing.DoesNotExist
    content = watermarked_for(briefing, reader_name=user.get_full_name() or user.username)
    risk_services.ctlp_briefing_record_read(actor=user, briefing=briefing, via=via)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="ctlp-briefing-{briefing.received_on:%Y-%m-%d}.pdf"'
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_safe
def ctlp_download(request, pk):
    try:
        return ctlp_response(user=request.user, pk=pk, via="page")
    except CtlpBriefing.DoesNotExist:
        raise Http404 from None


@login_required
def plan_new(request):
    selectors.partnership_area_for(request.user)
    form = PlanForm(request.POST or None)
    return form_page(
        request,
        form=form,
        title=_("Start a partnership plan"),
        button=_("Start plan"),
        back=reverse("partnership:home"),
        call=lambda: risk_services.plan_create(actor=request.user, **form.cleaned_data),
        done=lambda plan: reverse("partnership:plan", args=[plan.pk]),
    )


@login_required
def plan_detail(request, pk):
    plan = get_object_or_404(selectors.plans_visible_to(request.user), pk=pk)
    actions = selectors.actions_visible_to(request.user).filter(plan=plan).prefetch_related("risks")
    return render(request, "partnership/plan.html", {"plan": plan, "actions": actions})
