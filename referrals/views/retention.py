"""Retention review queue, confirmed deletion of personal data, subject access export."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from accounts.models import Role
from prevent_cms.errors import DisclosureRefused, run_service
from prevent_cms.forms import NamedDateField

from .. import services
from ..retention import (
    may_review_retention,
    referral_delete_personal_data,
    referrals_due_for_retention_review,
    retention_years,
    review_due_on,
)
from ..subject_access import subject_access_export


class DeleteForm(forms.Form):
    reason = forms.CharField(
        label=_lazy("Why are you deleting this case’s personal data?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3, "class": "govuk-textarea"}),
    )
    confirmed = forms.BooleanField(
        label=_lazy(
            "I confirm the personal data of this case is to be deleted. This cannot be undone."
        )
    )


class SubjectAccessForm(forms.Form):
    first_name = forms.CharField(label=_lazy("First name"), max_length=100)
    last_name = forms.CharField(label=_lazy("Last name"), max_length=100)
    date_of_birth = NamedDateField(
        label=_lazy("Date of birth"),
        what=_lazy("The date of birth"),
        help_text=_lazy("For example, 27 3 2008"),
    )
    reason = forms.CharField(
        label=_lazy("Request reference or reason"), max_length=200, required=True
    )
    # Two choices: GOV.UK radios, not a select (issue 19).
    format = forms.ChoiceField(
        label=_lazy("Format"),
        choices=[("pdf", "PDF"), ("json", "JSON")],
        initial="pdf",
        widget=forms.RadioSelect,
    )


def _require_reviewer(request) -> None:
    if not may_review_retention(request.user):
        raise PermissionDenied


@login_required
def case_records(request):
    """The page behind the navigation's "Case records": the rarer tools an officer or chair
    uses on case records (opening a case outside their scope, retention review, subject
    access), each with what it is for, so the navigation itself stays one row."""
    user = request.user
    may_open = user.has_role(Role.PREVENT_OFFICER) or user.has_role(Role.CHANNEL_CHAIR)
    may_review = may_review_retention(user)
    if not (may_open or may_review):
        raise PermissionDenied
    return render(
        request,
        "referrals/records.html",
        {"may_open": may_open, "may_review": may_review},
    )


@login_required
def retention_queue(request):
    _require_reviewer(request)
    cases = [
        {"referral": r, "due_on": review_due_on(r)}
        for r in referrals_due_for_retention_review(request.user)[:200]
    ]
    services.referral_list_record_view(
        actor=request.user,
        references=[case["referral"].reference for case in cases],
        via="retention_queue",
    )
    short, long = retention_years()
    return render(
        request,
        "referrals/retention/queue.html",
        {"cases": cases, "short_years": short, "long_years": long},
    )


@login_required
def retention_delete(request, pk):
    _require_reviewer(request)
    referral = referrals_due_for_retention_review(request.user).filter(pk=pk).first()
    if referral is None:
        raise Http404
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        deleted = run_service(
            form,
            lambda: referral_delete_personal_data(
                referral_id=referral.pk,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                confirmed=form.cleaned_data["confirmed"],
            ),
        )
        if deleted is not None:
            messages.success(
                request, _("The personal data of %s has been deleted") % referral.reference
            )
            return redirect("referrals:retention")
    if request.method == "GET":
        services.referral_record_view(actor=request.user, referral=referral, via="retention")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "referrals/retention/delete.html",
        {"referral": referral, "form": form, "due_on": review_due_on(referral)},
        status=status,
    )


@login_required
def subject_access(request):
    _require_reviewer(request)
    # Bound on every POST, even an empty one, so a request sent blank shows its errors.
    form = SubjectAccessForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            body, content_type, _count = subject_access_export(
                actor=request.user,
                first_name=data["first_name"],
                last_name=data["last_name"],
                date_of_birth=data["date_of_birth"],
                fmt=data["format"],
                reason=data["reason"],
            )
        except DisclosureRefused as refused:  # no data-sharing agreement allows it (issue 21)
            form.add_error(None, refused.detail)
            return render(
                request, "referrals/retention/subject_access.html", {"form": form}, status=403
            )
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="subject-access-export.{data["format"]}"'
        )
        response["Cache-Control"] = "no-store"
        return response
    status = 400 if request.method == "POST" else 200
    return render(request, "referrals/retention/subject_access.html", {"form": form}, status=status)
