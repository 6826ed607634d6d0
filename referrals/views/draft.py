"""The referrer's pages: start, the question pages, the task list, check answers, submit."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import Role
from accounts.selectors import area_contacts_for
from prevent_cms.errors import GuardFailed, StaleEdit, TransitionNotAllowed, run_service

from .. import services
from ..choices import State
from ..forms.draft import FIELD_SECTION, SECTIONS, SECTIONS_BY_SLUG, sections_for
from ..forms.on_behalf import ContactEditForm, RecordOnBehalfForm
from ..guards import missing_referral_fields
from ..permissions import is_referrer_of, may_record_on_behalf
from ..selectors import referral_get_visible, referrals_visible_to
from .common import answer_sections, conflict
from .imports import import_summary, mark_read_fields, mark_read_rows

REFERRER_ROLES = (Role.REFERRER, Role.AGENCY_LEAD)


def _may_refer(user) -> bool:
    return user.has_role(*REFERRER_ROLES) and bool(user.agency_id)


def _own_draft(request, pk):
    """The user's own referral. Out of scope is 404; visible but someone else's is 403."""
    referral = referral_get_visible(request.user, pk)
    if not is_referrer_of(request.user, referral):
        raise PermissionDenied
    return referral


@login_required
@require_http_methods(["GET", "POST"])
def start(request):
    """The start page. "Start now" leads to the first question and makes nothing: a draft
    is made by the first answer saved (``first_question``), so a start left there leaves no
    empty draft behind (issue 19). A POST (an older page's button) is sent on the same way."""
    if not _may_refer(request.user):
        raise PermissionDenied
    if request.method == "POST":
        return redirect("referrals:first_question")
    home = request.user.local_authority
    return render(request, "referrals/start.html", {"contacts": area_contacts_for(home)})


@login_required
@require_http_methods(["GET", "POST"])
def first_question(request):
    """The first question page of a referral not yet saved: its first valid answer makes the
    draft (``referral_create_draft``) and leads to the next question."""
    if not _may_refer(request.user):
        raise PermissionDenied
    form_class = SECTIONS[0]
    form = form_class(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        referral = run_service(
            form,
            lambda: services.referral_create_draft(
                actor=request.user, data=form.to_data(), section=form_class.slug
            ),
        )
        if referral is not None:
            following = sections_for(referral)[1]
            return redirect("referrals:section", pk=referral.pk, slug=following.slug)
    return render(
        request,
        "referrals/section.html",
        {"referral": None, "form": form, "section": form_class, "first": True},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def record(request):
    """A Prevent officer's or Prevent lead's "Record a referral": how and when it reached
    them and who raised it; then the same question pages as any draft."""
    if not may_record_on_behalf(request.user):
        raise PermissionDenied
    form = RecordOnBehalfForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        referral = run_service(
            form,
            lambda: services.referral_start_on_behalf(
                actor=request.user, **form.service_arguments()
            ),
        )
        if referral is not None:
            return redirect("referrals:task_list", pk=referral.pk)
    drafts = list(
        referrals_visible_to(request.user)
        .filter(referrer=request.user, state=State.DRAFT)
        .select_related("subject")
        .order_by("-created_at", "id")[:DRAFTS_LISTED]
    )
    if request.method == "GET":
        services.referral_list_record_view(
            actor=request.user, references=[d.reference for d in drafts], via="record"
        )
    return render(
        request,
        "referrals/record.html",
        {
            "form": form,
            "drafts": drafts,
            "contacts": area_contacts_for(request.user.local_authority),
        },
        status=400 if request.method == "POST" else 200,
    )


# The unfinished referrals "Record a referral" lists, newest first.
DRAFTS_LISTED = 20


def _section_status(referral) -> list[dict]:
    missing = missing_referral_fields(referral)
    needs_work = {FIELD_SECTION.get(field) for field in missing}
    items = []
    for form in sections_for(referral):
        done = form.slug in referral.sections_done
        if done and form.slug not in needs_work:
            status = "complete"
        elif done:
            status = "incomplete"
        else:
            status = "not_started"
        items.append({"slug": form.slug, "title": form.title, "status": status})
    return items


@login_required
def task_list(request, pk):
    referral = _own_draft(request, pk)
    if referral.state != State.DRAFT:
        return redirect("referrals:detail", pk=referral.pk)
    sections = _section_status(referral)
    _read(request, referral)
    return render(
        request,
        "referrals/task_list.html",
        {
            "referral": referral,
            "sections": sections,
            "completed": sum(1 for s in sections if s["status"] == "complete"),
            "ready": not missing_referral_fields(referral),
            "imported": import_summary(referral),
            "attachments": list(referral.attachments.all()),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def delete_draft(request, pk):
    """Delete a draft its referrer no longer means to send, after asking once: the Today
    page's "finish and send it, or delete it" and the task list lead here. Nothing of it
    stays (``referrals.services.referral_delete_draft``); a referral already sent cannot be."""
    referral = _own_draft(request, pk)
    if referral.state != State.DRAFT:
        return redirect("referrals:detail", pk=referral.pk)
    if request.method == "POST":
        reference = referral.reference
        services.referral_delete_draft(referral_id=referral.pk, actor=request.user)
        messages.success(request, _("Draft %(ref)s has been deleted") % {"ref": reference})
        return redirect("home")
    _read(request, referral)  # the page names the draft: a read of it, audited
    return render(request, "referrals/delete_draft.html", {"referral": referral})


def _read(request, referral) -> None:
    """A draft's pages show what the referrer wrote about a person: each GET is a read."""
    if request.method == "GET":
        services.referral_record_view(
            actor=request.user, referral=referral, via=request.resolver_match.url_name
        )


@login_required
@require_http_methods(["GET", "POST"])
def section(request, pk, slug):
    form_class = SECTIONS_BY_SLUG.get(slug)
    if form_class is None:
        raise Http404
    referral = _own_draft(request, pk)
    if form_class not in sections_for(referral):
        raise Http404
    if referral.state != State.DRAFT:
        return redirect("referrals:detail", pk=referral.pk)
    back_to_check = request.GET.get("next") == "check"
    stale_versions = []
    if request.method == "POST":
        form = form_class(request.POST)
        if form.is_valid():
            try:
                expected = int(request.POST.get("version") or 0) or None
            except ValueError:
                expected = None
            try:
                saved = run_service(
                    form,
                    lambda: services.referral_update_draft(
                        referral_id=referral.pk,
                        actor=request.user,
                        data=form.to_data(),
                        section=slug,
                        expected_version=expected,
                    ),
                    conflict=lambda message: conflict(request, referral, message),
                )
            except StaleEdit as error:
                # Someone (or another window) saved first: keep what was typed, show both.
                referral.version = error.current_version
                stale_versions = _both_versions(form, form_class.initial_for(_fresh(referral)))
                form.add_error(
                    None,
                    _(
                        "This referral was changed by someone else since you opened it (or "
                        "changed in another window). Both versions are shown below: check your "
                        "answers and select Continue again to save yours."
                    ),
                )
            else:
                if isinstance(saved, HttpResponse):
                    return saved
                if saved is not None:
                    if slug == "concerns" and saved.immediate_risk:
                        suffix = "?next=check" if back_to_check else ""
                        return redirect(_url("referrals:urgent", saved.pk) + suffix)
                    if back_to_check:
                        return redirect("referrals:check", pk=saved.pk)
                    return redirect("referrals:task_list", pk=saved.pk)
    else:
        form = form_class(initial=form_class.initial_for(referral))
    mark_read_fields(form, referral)
    _read(request, referral)
    return render(
        request,
        "referrals/section.html",
        {
            "referral": referral,
            "form": form,
            "section": form_class,
            "first": form_class is SECTIONS[0],
            "back_to_check": back_to_check,
            "stale_versions": stale_versions,
        },
    )


def _fresh(referral):
    return type(referral).objects.select_related("subject").get(pk=referral.pk)


def _both_versions(form, theirs: dict) -> list[dict]:
    """Each question with the answer saved meanwhile and the one this user typed."""

    def shown(value) -> str:
        if isinstance(value, list | tuple | set):
            return ", ".join(str(v) for v in value)
        return "" if value is None else str(value)

    return [
        {
            "label": field.label,
            "theirs": shown(theirs.get(name)),
            "yours": shown(form.cleaned_data.get(name)),
        }
        for name, field in form.fields.items()
    ]


def _url(name, *args):
    return reverse(name, args=args)


# Required answers asked on a page of their own rather than a question section: where the
# check-answers page links for each.
ANSWER_PAGES = {"contact_sector": "referrals:contact"}


def _answer_url(referral, field: str) -> str:
    if field in ANSWER_PAGES:
        return _url(ANSWER_PAGES[field], referral.pk) + "?next=check"
    return (
        _url("referrals:section", referral.pk, FIELD_SECTION.get(field, "person")) + "?next=check"
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact(request, pk):
    """Correct who raised the concern on a draft recorded on their behalf (issue 15): after
    "Record a referral", or a national form, which does not say its sender's sector."""
    referral = _own_draft(request, pk)
    if referral.state != State.DRAFT:
        return redirect("referrals:detail", pk=referral.pk)
    if not referral.on_behalf:
        raise Http404
    back_to_check = request.GET.get("next") == "check"
    if request.method == "POST":
        form = ContactEditForm(request.POST)
        if form.is_valid():
            try:
                saved = run_service(
                    form,
                    lambda: services.referral_update_contact(
                        referral_id=referral.pk,
                        actor=request.user,
                        referrer_contact=form.contact(),
                        expected_version=form.cleaned_data["version"],
                    ),
                )
            except StaleEdit as error:
                # Saved elsewhere since this page was opened: what was typed stays, and
                # saving again overwrites it knowingly.
                saved = None
                form.data = form.data.copy()
                form.data["version"] = str(error.current_version)
                form.add_error(
                    None,
                    _(
                        "This referral was changed by someone else since you opened it (or "
                        "in another window). Check these details and save them again."
                    ),
                )
            if saved is not None:
                return redirect(
                    "referrals:check" if back_to_check else "referrals:task_list", pk=saved.pk
                )
    else:
        form = ContactEditForm(referral=referral)
    _read(request, referral)
    return render(
        request,
        "referrals/contact_form.html",
        {"referral": referral, "form": form, "back_to_check": back_to_check},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def urgent(request, pk):
    referral = _own_draft(request, pk)
    next_url = (
        _url("referrals:check", referral.pk)
        if request.GET.get("next") == "check"
        else _url("referrals:task_list", referral.pk)
    )
    _read(request, referral)
    return render(
        request,
        "referrals/urgent.html",
        {
            "referral": referral,
            "next_url": next_url,
            "contacts": area_contacts_for(referral.local_authority),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def check(request, pk):
    referral = _own_draft(request, pk)
    if referral.state != State.DRAFT:
        return redirect("referrals:detail", pk=referral.pk)
    errors = missing_referral_fields(referral)
    if request.method == "POST":
        try:
            services.referral_transition(referral_id=referral.pk, name="submit", actor=request.user)
        except TransitionNotAllowed as error:
            return conflict(request, referral, error.message)
        except GuardFailed as error:
            errors = error.errors
        else:
            return redirect("referrals:confirmation", pk=referral.pk)
    error_list = [
        {"message": message, "url": _answer_url(referral, field)}
        for field, message in errors.items()
    ]
    _read(request, referral)
    return render(
        request,
        "referrals/check.html",
        {
            "referral": referral,
            "sections": mark_read_rows(answer_sections(referral), referral),
            "attachments": list(referral.attachments.order_by("created_at", "pk")),
            "errors": error_list,
        },
        status=400 if request.method == "POST" and errors else 200,
    )


@login_required
def confirmation(request, pk):
    referral = _own_draft(request, pk)
    if referral.state == State.DRAFT:
        return redirect("referrals:task_list", pk=referral.pk)
    _read(request, referral)
    return render(
        request,
        "referrals/confirmation.html",
        {"referral": referral, "contacts": area_contacts_for(referral.local_authority)},
    )
