"""The person page, and linking a case to a person from its case page (issue 18)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import LocalAuthority
from prevent_cms.errors import DisclosureRefused, run_service
from referrals import services as referral_services
from referrals.selectors import (
    Access,
    referral_access,
    referral_get_visible,
)

from . import services
from .forms import (
    SAME,
    DeclineTransferForm,
    IdentifierForm,
    LinkForm,
    TransferForm,
    UnlinkForm,
)
from .models import Person
from .permissions import may_link, may_request_transfer
from .selectors import person_get_visible, person_view, transfers_addressed_to


def _linkable_case(request, pk):
    referral = referral_get_visible(request.user, pk)
    if referral_access(request.user, referral) < Access.FULL or not may_link(
        request.user, referral
    ):
        raise PermissionDenied
    if request.method == "GET":
        referral_services.referral_record_view(
            actor=request.user, referral=referral, via=request.resolver_match.url_name
        )
    return referral


@login_required
def detail(request, pk):
    """The person: names, dates of birth and addresses as the cases the reader sees fully
    gave them, and every referral of theirs the reader may see, in time order."""
    try:
        person = person_get_visible(request.user, pk)
    except Person.DoesNotExist as error:
        raise Http404 from error
    view = person_view(request.user, person)
    referral_services.referral_record_views(
        actor=request.user,
        referral_ids=[case.referral.pk for case in view.cases],
        via="person_page",
    )
    return render(request, "persons/person.html", {"view": view})


@login_required
def link(request, pk, person_pk):
    """Is the proposed person the case's person? Yes links the case; no marks the match."""
    referral = _linkable_case(request, pk)
    try:
        person = person_get_visible(request.user, person_pk)
    except Person.DoesNotExist as error:
        raise Http404 from error
    form = LinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        same = form.cleaned_data["decision"] == SAME
        action = services.referral_link_person if same else services.referral_reject_match
        done = run_service(
            form,
            lambda: action(
                referral_id=referral.pk,
                actor=request.user,
                person_id=person.pk,
                reason=form.cleaned_data["reason"],
            ),
        )
        if done is not None:
            messages.success(request, _("Referrals linked") if same else _("Match marked"))
            return redirect("referrals:detail", pk=referral.pk)
    return render(
        request,
        "persons/link.html",
        {"referral": referral, "view": person_view(request.user, person), "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def unlink(request, pk):
    referral = _linkable_case(request, pk)
    form = UnlinkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.referral_unlink_person(
                referral_id=referral.pk, actor=request.user, reason=form.cleaned_data["reason"]
            ),
        )
        if done is not None:
            messages.success(request, _("Referral unlinked"))
            return redirect("referrals:detail", pk=referral.pk)
    return render(
        request,
        "persons/unlink.html",
        {"referral": referral, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def identifier(request, pk):
    """Record an NHS number or a unique pupil number the case gives for its person."""
    referral = _linkable_case(request, pk)
    form = IdentifierForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.person_identifier_record(
                referral_id=referral.pk,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                value=form.cleaned_data["value"],
            ),
        )
        if done is not None:
            messages.success(request, _("Number recorded: %s") % done.get_kind_display())
            return redirect("referrals:detail", pk=referral.pk)
    return render(
        request,
        "persons/identifier.html",
        {"referral": referral, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def transfer(request, pk):
    """Ask another area to take the case over. The case stays here until they accept."""
    referral = referral_get_visible(request.user, pk)
    if referral_access(request.user, referral) < Access.FULL or not may_request_transfer(
        request.user, referral
    ):
        raise PermissionDenied
    if request.method == "GET":
        referral_services.referral_record_view(
            actor=request.user, referral=referral, via=request.resolver_match.url_name
        )
    areas = (
        LocalAuthority.objects.exclude(pk=referral.local_authority_id)
        .select_related("police_force")
        .order_by("name")
    )
    form = TransferForm(request.POST or None, local_authorities=areas)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.referral_transfer(
                referral_id=referral.pk,
                actor=request.user,
                to_local_authority_id=form.cleaned_data["to_local_authority"].pk,
                reason=form.cleaned_data["reason"],
            ),
        )
        if done is not None:
            messages.success(request, _("Transfer requested: the receiving area has been told"))
            return redirect("referrals:detail", pk=referral.pk)
    return render(
        request,
        "persons/transfer.html",
        {"referral": referral, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
def transfers(request):
    """Transfers waiting for the reader's decision: the reference, where from, the reason."""
    waiting = list(
        transfers_addressed_to(request.user)
        .select_related("referral", "from_local_authority", "to_local_authority", "requested_by")
        .order_by("requested_at", "id")
    )
    referral_services.referral_list_record_view(
        actor=request.user,
        references=[transfer.referral.reference for transfer in waiting],
        via="transfers",
    )
    return render(
        request,
        "persons/transfers.html",
        {"waiting": waiting, "form": DeclineTransferForm()},
    )


@login_required
@require_POST
def transfer_accept(request, pk):
    try:
        done = run_service(
            None,
            lambda: services.referral_accept_transfer(referral_id=pk, actor=request.user),
            request=request,
        )
    except DisclosureRefused as refused:  # no data-sharing agreement allows it (issue 21)
        messages.error(request, refused.detail)
        return redirect("persons:transfers")
    if done is None:
        return redirect("persons:transfers")
    messages.success(request, _("Transfer accepted: the case is now in your area"))
    return redirect("referrals:detail", pk=pk)


@login_required
def transfer_decline(request, pk):
    waiting = (
        transfers_addressed_to(request.user)
        .filter(referral_id=pk)
        .select_related("referral")
        .first()
    )
    if waiting is not None:
        case = waiting.referral
    else:  # the sending side withdrawing its own request
        case = referral_get_visible(request.user, pk)
        if referral_access(request.user, case) < Access.FULL or not may_request_transfer(
            request.user, case
        ):
            raise PermissionDenied
    if request.method == "GET":
        referral_services.referral_record_view(
            actor=request.user, referral=case, via=request.resolver_match.url_name
        )
    form = DeclineTransferForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.referral_decline_transfer(
                referral_id=pk, actor=request.user, reason=form.cleaned_data["reason"]
            ),
        )
        if done is not None:
            messages.success(request, _("Transfer declined"))
            if waiting is not None:
                return redirect("persons:transfers")
            return redirect("referrals:detail", pk=pk)
    return render(
        request,
        "persons/transfer_decline.html",
        {"transfer": waiting, "referral_id": pk, "form": form},
        status=400 if form.errors else 200,
    )
