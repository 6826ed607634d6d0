"""A Channel case: assessments, consent, support plan, reviews and decisions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.selectors import users_visible_to
from prevent_cms.errors import run_service
from referrals import lifecycle
from referrals import services as referral_services
from referrals.choices import SignpostService, State, closure_reasons_for
from referrals.permissions import is_chair_for
from referrals.selectors import Access, referral_access

from .. import selectors
from ..forms import (
    AssessmentForm,
    ClosingReportForm,
    ConsentForm,
    DecisionForm,
    InterventionBriefForm,
    InterventionForm,
    ReviewForm,
    SessionForm,
)
from ..models import AssessmentFramework
from ..services.assessments import vulnerability_assessment_record
from ..services.consent import consent_record
from ..services.interventions import (
    intervention_add,
    intervention_session_record,
    intervention_set_brief,
    support_plan_update,
)
from ..services.reviews import review_record
from .common import bad_request

# The chair's decision buttons, code -> (label, closure reason), as the transitions on
# ``Referral`` declare them; a button with a reason closes the case with it.
DECISIONS = {
    button.code: (button.label, button.reason) for _name, button in lifecycle.buttons("channel")
}


def _case(request, pk):
    return get_object_or_404(selectors.channel_cases_visible_to(request.user), pk=pk)


def _record_read(request, referral) -> None:
    """A page of a case shows it, a form's page included: each GET is an audited read."""
    if request.method == "GET":
        referral_services.referral_record_view(
            actor=request.user, referral=referral, via=f"channel_{request.resolver_match.url_name}"
        )


def _chair_case(request, pk):
    referral = _case(request, pk)
    if not is_chair_for(request.user, referral):
        raise PermissionDenied
    _record_read(request, referral)
    return referral


@login_required
def case_list(request):
    cases = (
        selectors.channel_cases_visible_to(request.user)
        .select_related("subject")
        .order_by("state", "reference")
    )
    cases = list(cases)
    referral_services.referral_list_record_view(
        actor=request.user, references=[case.reference for case in cases], via="channel_cases"
    )
    return render(request, "channel/case_list.html", {"cases": cases})


@login_required
def case_detail(request, pk):
    referral = _case(request, pk)
    user = request.user
    access = referral_access(user, referral)
    referral_services.referral_record_view(actor=user, referral=referral, via="channel_page")
    assessments = selectors.vulnerability_assessments_visible_to(user).filter(referral=referral)
    latest = assessments.first()
    context = {
        "referral": referral,
        "full": access == Access.FULL,
        "is_chair": is_chair_for(user, referral),
        "assessment": latest,
        "changes": selectors.assessment_changes(latest) if latest else [],
        "assessment_count": assessments.count(),
        "consents": selectors.consents_visible_to(user).filter(referral=referral),
        "interventions": selectors.interventions_with_hours(
            selectors.interventions_visible_to(user).filter(referral=referral)
        ),
        "reviews": selectors.reviews_visible_to(user).filter(referral=referral),
        "plan": selectors.support_plans_visible_to(user).filter(referral=referral).first(),
        "updates": selectors.agency_updates_visible_to(user)
        .filter(referral=referral)
        .select_related("author"),
        "items": selectors.agenda_items_visible_to(user).filter(referral=referral),
        "panel_history": selectors.panel_history(user, referral),
        "decisions": [
            (code, label)
            for code, (label, _reason) in DECISIONS.items()
            if _decision_available(referral, user, code)
        ],
    }
    return render(request, "channel/case_detail.html", context)


def _transition_for(code: str) -> str:
    return "close" if DECISIONS[code][1] else code


def _decision_available(referral, user, code) -> bool:
    name = _transition_for(code)
    available = referral_services.available_transitions(referral=referral, actor=user)
    if name != "close":
        return name in available
    return "close" in available and DECISIONS[code][1] in closure_reasons_for(referral.state)


@login_required
def decision(request, pk, code):
    referral = _chair_case(request, pk)
    if code not in DECISIONS:
        raise PermissionDenied
    label, reason = DECISIONS[code]
    form = DecisionForm(request.POST or None, initial={"reason": reason})
    if request.method == "POST" and form.is_valid():
        payload = {"rationale": form.cleaned_data["rationale"]}
        if reason:
            payload["reason"] = reason
        if form.cleaned_data.get("signposted_to"):
            payload["signposted_to"] = form.cleaned_data["signposted_to"]
        if form.cleaned_data.get("reassess_on"):
            payload["reassess_on"] = form.cleaned_data["reassess_on"]
        done = run_service(
            form,
            lambda: referral_services.referral_transition(
                referral_id=referral.pk,
                name=_transition_for(code),
                actor=request.user,
                payload=payload,
            ),
        )
        if done:
            messages.success(request, _("Decision recorded: %s") % label)
            return redirect("channel:case", pk=referral.pk)
    response = render(
        request,
        "channel/decision.html",
        {
            "referral": referral,
            "form": form,
            "label": label,
            "code": code,
            "needs_signpost": reason == "not_adopted",
            "needs_reassess": reason in ("consent_declined", "consent_withdrawn"),
            "signposts": SignpostService.choices,
        },
    )
    return bad_request(response) if form.errors else response


@login_required
def assessment_new(request, pk):
    referral = _chair_case(request, pk)
    framework = get_object_or_404(AssessmentFramework, pk="vaf_2012")
    previous = selectors.latest_assessment(referral)
    initial = {f"rating_{k}": v for k, v in (previous.ratings if previous else {}).items()}
    form = AssessmentForm(request.POST or None, framework=framework, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: vulnerability_assessment_record(
                referral_id=referral.pk,
                actor=request.user,
                framework=framework.code,
                ratings=form.ratings(),
                summary=form.cleaned_data["summary"],
                management_plan=form.cleaned_data["management_plan"],
            ),
        )
        if done:
            messages.success(request, _("Vulnerability assessment recorded"))
            return redirect("channel:case", pk=referral.pk)
    dimensions: dict[str, list] = {}
    for factor, name in form.factor_fields:
        dimensions.setdefault(factor.dimension, []).append(form[name])
    response = render(
        request,
        "channel/assessment_form.html",
        {"referral": referral, "form": form, "dimensions": dimensions},
    )
    return bad_request(response) if form.errors else response


def _simple_form(request, pk, form_class, template, call, success, **form_kwargs):
    referral = _chair_case(request, pk)
    form = form_class(request.POST or None, **form_kwargs)
    if request.method == "POST" and form.is_valid():
        done = run_service(form, lambda: call(referral, form.cleaned_data))
        if done:
            messages.success(request, success)
            return redirect("channel:case", pk=referral.pk)
    response = render(request, template, {"referral": referral, "form": form})
    return bad_request(response) if form.errors else response


@login_required
def consent_new(request, pk):
    return _simple_form(
        request,
        pk,
        ConsentForm,
        "channel/consent_form.html",
        lambda referral, data: consent_record(
            referral_id=referral.pk, actor=request.user, data=data
        ),
        _("Consent recorded"),
    )


@login_required
def intervention_new(request, pk):
    providers = users_visible_to(request.user, role=Role.INTERVENTION_PROVIDER)
    return _simple_form(
        request,
        pk,
        InterventionForm,
        "channel/intervention_form.html",
        lambda referral, data: intervention_add(
            referral_id=referral.pk,
            actor=request.user,
            data={**data, "hours": data.get("hours") or 0},
        ),
        _("Intervention added"),
        providers=providers,
    )


@login_required
def review_new(request, pk):
    return _simple_form(
        request,
        pk,
        ReviewForm,
        "channel/review_form.html",
        lambda referral, data: review_record(
            referral_id=referral.pk, actor=request.user, data=data
        ),
        _("Review recorded"),
    )


@login_required
def provider_list(request):
    interventions = list(selectors.interventions_visible_to(request.user).order_by("start_date"))
    referral_services.referral_list_record_view(
        actor=request.user,
        references=list(dict.fromkeys(item.referral.reference for item in interventions)),
        via="channel_interventions",
    )
    return render(request, "channel/provider_list.html", {"interventions": interventions})


@login_required
def intervention_brief(request, pk):
    """The provider's brief: their own intervention, and nothing else about the case."""
    intervention = get_object_or_404(selectors.intervention_briefs(request.user), pk=pk)
    _record_read(request, intervention.referral)
    return render(
        request,
        "channel/intervention_brief.html",
        {
            "intervention": intervention,
            "person": intervention.referral.subject.full_name,
            "next_review_on": selectors.next_review_on(intervention),
        },
    )


@login_required
def intervention_brief_edit(request, pk):
    """The chair sets what the provider is told: contact route, goals, sessions planned."""
    intervention = get_object_or_404(selectors.interventions_visible_to(request.user), pk=pk)
    referral = _chair_case(request, intervention.referral_id)
    initial = {
        "contact_route": intervention.contact_route,
        "goals": intervention.goals,
        "sessions_planned": intervention.sessions_planned,
    }
    form = InterventionBriefForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: intervention_set_brief(
                intervention_id=intervention.pk, actor=request.user, data=form.cleaned_data
            ),
        )
        if done:
            messages.success(request, _("The provider’s brief is saved"))
            return redirect("channel:case", pk=referral.pk)
    response = render(
        request,
        "channel/intervention_brief_form.html",
        {"referral": referral, "intervention": intervention, "form": form},
    )
    return bad_request(response) if form.errors else response


@login_required
def session_new(request, pk):
    intervention = get_object_or_404(selectors.interventions_visible_to(request.user), pk=pk)
    _record_read(request, intervention.referral)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: intervention_session_record(
                intervention_id=intervention.pk,
                actor=request.user,
                date=form.cleaned_data["date"],
                hours=form.cleaned_data["hours"] or 1,
                notes=form.cleaned_data["notes"],
            ),
        )
        if done:
            messages.success(request, _("Session recorded"))
            return redirect("channel:provider_list")
    sessions = selectors.intervention_sessions_visible_to(request.user).filter(
        intervention=intervention
    )
    response = render(
        request,
        "channel/session_form.html",
        {"intervention": intervention, "form": form, "sessions": sessions},
    )
    return bad_request(response) if form.errors else response


@login_required
def support_plan(request, pk):
    """How, when and by whom consent was sought, and the closing report at exit."""
    referral = _case(request, pk)
    _record_read(request, referral)
    user = request.user
    plan = selectors.support_plans_visible_to(user).filter(referral=referral).first()
    is_chair = is_chair_for(user, referral)
    may_report = is_chair and referral.state in (State.SUPPORT, State.POST_EXIT_REVIEW)
    form = ClosingReportForm(
        request.POST or None, initial={"closing_report": plan.closing_report if plan else ""}
    )
    if request.method == "POST":
        if not is_chair:
            raise PermissionDenied
        if form.is_valid():
            done = run_service(
                form,
                lambda: support_plan_update(
                    referral_id=referral.pk,
                    actor=user,
                    closing_report=form.cleaned_data["closing_report"],
                ),
            )
            if done:
                messages.success(request, _("Closing report saved"))
                return redirect("channel:case", pk=referral.pk)
    consents = (
        selectors.consents_visible_to(user).filter(referral=referral).select_related("recorded_by")
    )
    response = render(
        request,
        "channel/support_plan.html",
        {
            "referral": referral,
            "plan": plan,
            "consents": consents,
            "interventions": selectors.interventions_visible_to(user).filter(referral=referral),
            "form": form,
            "may_report": may_report or bool(form.errors),
        },
    )
    return bad_request(response) if form.errors else response
