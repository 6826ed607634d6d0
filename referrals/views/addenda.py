"""The referrer's pages around files and added information: evidence attached to a draft,
and information added to a referral already sent (issue 15)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from prevent_cms.errors import run_service

from .. import services
from ..choices import State
from ..forms.case import AddendumForm, AttachmentForm
from ..permissions import is_referrer_of
from ..selectors import referral_get_visible
from .common import attachment_add_from, conflict


def _own_referral(request, pk):
    """The user's own referral (out of scope 404, someone else's 403), its GET audited."""
    referral = referral_get_visible(request.user, pk)
    if not is_referrer_of(request.user, referral):
        raise PermissionDenied
    if request.method == "GET":
        services.referral_record_view(
            actor=request.user, referral=referral, via=request.resolver_match.url_name
        )
    return referral


def _add_page(request, referral, form, add, *, done, template, context):
    """Both pages' one shape: a valid POST runs ``add`` (the service), says ``done`` and goes
    to the page that shows it; otherwise the form again, 400 when it has errors."""
    if request.method == "POST" and form.is_valid():
        added = run_service(
            form, add, conflict=lambda message: conflict(request, referral, message)
        )
        if isinstance(added, HttpResponse):
            return added
        if added is not None:
            message, next_page = done
            messages.success(request, message)
            return redirect(next_page, pk=referral.pk)
    return render(
        request,
        template,
        {"referral": referral, "form": form, **context},
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def evidence(request, pk):
    """Files the referrer attaches to their draft, sent with it (the officers' upload rules:
    ``services.attachment_add``)."""
    referral = _own_referral(request, pk)
    if referral.state != State.DRAFT:
        return redirect("referrals:detail", pk=referral.pk)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    return _add_page(
        request,
        referral,
        form,
        lambda: attachment_add_from(form, referral=referral, actor=request.user),
        done=(_("File attached"), "referrals:evidence"),
        template="referrals/evidence.html",
        context={"attachments": list(referral.attachments.order_by("created_at", "pk"))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def addendum_add(request, pk):
    """Add information to a referral already sent; the draft's own pages change a draft."""
    referral = _own_referral(request, pk)
    if referral.state == State.DRAFT:
        return redirect("referrals:task_list", pk=referral.pk)
    form = AddendumForm(request.POST or None, request.FILES or None)
    return _add_page(
        request,
        referral,
        form,
        lambda: services.addendum_add(
            referral_id=referral.pk,
            actor=request.user,
            text=form.cleaned_data["text"],
            upload=form.cleaned_data["file"],
            description=form.cleaned_data["description"],
        ),
        done=(_("Information added. The Prevent team has been told."), "referrals:detail"),
        template="referrals/addendum_add.html",
        context={},
    )
