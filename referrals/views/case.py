"""The case page and what officers do from it: assessment, decisions, notes, files."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django_fsm import can_proceed

from persons.permissions import may_link, may_request_transfer
from persons.selectors import referral_transfer_steps
from prevent_cms.errors import run_service
from prevent_cms.pagination import keyset_page

from .. import lifecycle, services
from ..choices import ClosureReason, CoarseStatus, SignpostService, State, coarse_status
from ..clocks import clock_for
from ..forms.case import AssessmentForm, AssignForm, AttachmentForm, DecisionForm, NoteForm
from ..permissions import (
    is_referrer_of,
    may_add_addendum,
    may_add_attachment,
    may_add_note,
    may_assess,
    may_assign,
)
from ..selectors import (
    Access,
    referral_access,
    referral_access_log,
    referral_access_summary,
    referral_addenda,
    referral_assignable_people,
    referral_assignments,
    referral_get_visible,
    referral_history,
    referral_linked_referrals,
    referral_possible_duplicates,
)
from .common import answer_sections, attachment_add_from, attachment_file_response, conflict

# The officer's decision buttons, as the transitions on ``Referral`` declare them.
DECISIONS = {button.code: button.label for _name, button in lifecycle.buttons("case")}


ACCESS_LOG_RECENT = 5
ACCESS_LOG_PAGE_SIZE = 50


def _full_case(request, pk):
    referral = referral_get_visible(request.user, pk)
    if referral_access(request.user, referral) < Access.FULL:
        raise PermissionDenied
    if request.method == "GET":
        # Every page of a case shows it, the forms included: each is an audited read.
        services.referral_record_view(
            actor=request.user, referral=referral, via=request.resolver_match.url_name
        )
    return referral


def _case_context(request, referral, **extra) -> dict:
    user = request.user
    context = {
        "referral": referral,
        "sections": answer_sections(referral),
        "clock": clock_for(referral),
        "duplicates": referral_possible_duplicates(user, referral),
        "linked": list(referral_linked_referrals(user, referral)),
        "may_link": may_link(user, referral),
        "may_transfer": may_request_transfer(user, referral),
        "pending_transfer": referral.transfers.filter(status="pending").first(),
        # The transfer steps of the case's available transitions (accept for the receiving
        # side when it sees the case: another local authority of the same force).
        "transfer_steps": referral_transfer_steps(user, referral),
        "history": list(referral_history(referral)),
        "assignments": list(referral_assignments(referral)),
        # A summary and the last few events, never the whole log: the page's cost must not
        # grow with each read (issue 25); the full log is the paginated access_log page.
        "access_log": list(referral_access_log(referral, limit=ACCESS_LOG_RECENT)),
        "access_summary": referral_access_summary(referral),
        "assessments": list(referral.assessments.select_related("officer", "concern_type")),
        "notes": list(referral.notes.select_related("author")),
        "attachments": list(referral.attachments.select_related("uploaded_by")),
        "addenda": list(referral_addenda(referral)),
        "decisions": [
            {"name": name, "label": label}
            for name, label in DECISIONS.items()
            if _may_try(name, referral, user)
        ],
        "may_assess": may_assess(user, referral),
        "assign_role": _assign_role(user, referral),
        "may_add_note": may_add_note(user, referral),
        "may_add_attachment": may_add_attachment(user, referral),
        "note_form": NoteForm(),
        "attachment_form": AttachmentForm(),
        "closure_labels": dict(ClosureReason.choices),
        "signpost_labels": dict(SignpostService.choices),
    }
    context.update(extra)
    return context


def _may_try(name, referral, user) -> bool:
    """A step the case's state allows and this user may take (its guard is checked on POST)."""
    method = getattr(referral, name)
    return can_proceed(method, check_conditions=False) and lifecycle.may_run(name, referral, user)


@login_required
def detail(request, pk):
    user = request.user
    referral = referral_get_visible(user, pk)
    access = referral_access(user, referral)
    if referral.state == State.DRAFT and is_referrer_of(user, referral):
        return redirect("referrals:task_list", pk=referral.pk)
    services.referral_record_view(actor=user, referral=referral, via="page")
    if access >= Access.FULL:
        return render(request, "referrals/case.html", _case_context(request, referral))
    if access == Access.NONE:
        raise Http404
    return render(
        request,
        "referrals/summary.html",
        {
            "referral": referral,
            "sections": answer_sections(referral, show_contact=is_referrer_of(user, referral)),
            "status": CoarseStatus(coarse_status(referral.state)),
            "access": access,
            "addenda": list(referral_addenda(referral)),
            "may_add_addendum": may_add_addendum(user, referral),
        },
    )


@login_required
def access_log(request, pk):
    """Who has seen this case: every audit event on it, newest first, a page at a time.

    FULL access only, as the summary on the case page; reading it is itself a read of the
    case and audited as one.
    """
    referral = _full_case(request, pk)
    page = keyset_page(
        referral_access_log(referral, limit=None).select_related("actor__agency"),
        ordering=("-at", "-id"),
        size=ACCESS_LOG_PAGE_SIZE,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
    )
    return render(request, "referrals/access_log.html", {"referral": referral, "page": page})


@login_required
@require_http_methods(["GET", "POST"])
def assessment(request, pk):
    referral = _full_case(request, pk)
    if referral.state != State.POLICE_ASSESSMENT:
        return conflict(request, referral, _("Start the assessment before recording it."))
    if not may_assess(request.user, referral):
        raise PermissionDenied
    form = AssessmentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.assessment_record(
                referral_id=referral.pk, actor=request.user, data=form.to_data()
            ),
            conflict=lambda message: conflict(request, referral, message),
        )
        if isinstance(done, HttpResponse):
            return done
        if done is not None:
            messages.success(request, _("Gateway assessment recorded"))
            return redirect("referrals:detail", pk=referral.pk)
    return render(request, "referrals/assessment.html", {"referral": referral, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def decide(request, pk, name):
    if name not in DECISIONS:
        raise Http404
    referral = _full_case(request, pk)
    if not can_proceed(getattr(referral, name), check_conditions=False):
        return conflict(
            request,
            referral,
            _("A case at the stage “%(state)s” cannot take this step.")
            % {"state": State(referral.state).label},
        )
    form = DecisionForm(
        request.POST if request.method == "POST" else None, name=name, state=referral.state
    )
    if request.method == "POST" and form.is_valid():
        payload = {k: v for k, v in form.cleaned_data.items() if v}
        done = run_service(
            form,
            lambda: services.referral_transition(
                referral_id=referral.pk, name=name, actor=request.user, payload=payload
            ),
            conflict=lambda message: conflict(request, referral, message),
        )
        if isinstance(done, HttpResponse):
            return done
        if done is not None:
            messages.success(request, _("Decision recorded: %(step)s") % {"step": DECISIONS[name]})
            return redirect("referrals:detail", pk=referral.pk)
    return render(
        request,
        "referrals/decide.html",
        {"referral": referral, "form": form, "name": name, "title": DECISIONS[name]},
    )


@login_required
@require_POST
def note_add(request, pk):
    referral = _full_case(request, pk)
    form = NoteForm(request.POST)
    if form.is_valid():
        added = run_service(
            form,
            lambda: services.note_add(
                referral_id=referral.pk,
                actor=request.user,
                text=form.cleaned_data["text"],
                kind=form.cleaned_data["kind"],
            ),
        )
        if added is not None:
            messages.success(request, _("Note added"))
            return redirect("referrals:detail", pk=referral.pk)
    services.referral_record_view(actor=request.user, referral=referral, via="page")
    return render(
        request,
        "referrals/case.html",
        _case_context(request, referral, note_form=form, form=form),
        status=400,
    )


@login_required
@require_POST
def attachment_upload(request, pk):
    referral = _full_case(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        added = run_service(
            form,
            lambda: attachment_add_from(form, referral=referral, actor=request.user),
        )
        if added is not None:
            messages.success(request, _("File uploaded"))
            return redirect("referrals:detail", pk=referral.pk)
    services.referral_record_view(actor=request.user, referral=referral, via="page")
    return render(
        request,
        "referrals/case.html",
        _case_context(request, referral, attachment_form=form, form=form),
        status=400,
    )


@login_required
def attachment_download(request, pk, attachment_id):
    """Served only here, as a download, after the same visibility check as the case."""
    user = request.user
    referral = referral_get_visible(user, pk)
    attachment = get_object_or_404(referral.attachments, pk=attachment_id)
    access = referral_access(user, referral)
    if access < Access.FULL and attachment.uploaded_by_id != user.pk:
        raise PermissionDenied
    services.referral_record_view(actor=user, referral=referral, via="attachment")
    return attachment_file_response(attachment)


def _assign_role(user, referral) -> str:
    """Which assignment this user may change on this case now ("" for none)."""
    for role in ("officer", "case_lead"):
        if may_assign(user, referral, role):
            return role
    return ""


@login_required
@require_http_methods(["GET", "POST"])
def assign(request, pk):
    """Assign the case to an officer of the force (or, in Channel, name its case lead).

    "Assign to me" on the case page posts here with the user's own id; this page offers
    everyone eligible for a colleague or a reassignment.
    """
    referral = _full_case(request, pk)
    role = _assign_role(request.user, referral)
    if not role:
        raise PermissionDenied
    people = list(referral_assignable_people(referral=referral, role=role))
    form = AssignForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.referral_assign(
                referral_id=referral.pk,
                actor=request.user,
                assignee_id=form.cleaned_data["assignee"],
                role=role,
            ),
        )
        if done is not None:
            messages.success(request, _("Case assigned"))
            return redirect("referrals:detail", pk=referral.pk)
    current = referral.assigned_officer_id if role == "officer" else referral.case_lead_id
    if request.method == "GET" and current:
        form.initial["assignee"] = str(current)
    return render(
        request,
        "referrals/assign.html",
        {"referral": referral, "form": form, "role": role},
        status=400 if form.errors else 200,
    )
