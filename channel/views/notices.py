"""Pages the chair uses to tell a panel's members something (issue 17): move the panel (its
members get the new date with an updated calendar invitation) and ask an agency for its
update on a case before the panel. Thin: the services decide and notify."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from prevent_cms.errors import run_service
from referrals import services as referral_services

from .. import selectors
from ..forms import PanelMoveForm, UpdateRequestForm
from ..services.panels import panel_reschedule
from ..services.update_requests import panel_update_request
from .common import bad_request
from .panels import _chair_panel


@login_required
def panel_move(request, pk):
    """Move a panel not yet held to another day (and place): the chair only."""
    panel = _chair_panel(request, pk)
    form = PanelMoveForm(request.POST or None)
    if request.method == "POST" and not panel.is_held and form.is_valid():
        done = run_service(
            form,
            lambda: panel_reschedule(
                panel_id=panel.pk,
                actor=request.user,
                date=form.cleaned_data["date"],
                location=form.cleaned_data["location"],
            ),
        )
        if done:
            messages.success(
                request,
                _("Panel moved to %(day)s. Every member has been sent the new date.")
                % {"day": f"{done.date:%-d %B %Y}"},
            )
            return redirect("channel:panel", pk=panel.pk)
    response = render(request, "channel/panel_move.html", {"panel": panel, "form": form})
    return bad_request(response) if form.errors else response


@login_required
def panel_update_requests(request, pk):
    """Ask a member agency for its update on a case on the agenda; see who still owes one."""
    panel = _chair_panel(request, pk)
    items = selectors.agenda_items_visible_to(request.user).filter(panel=panel).order_by("order")
    agencies = {
        member.agency_id: member.agency.name
        for member in panel.members.filter(is_active=True, agency__isnull=False)
        .exclude(pk=request.user.pk)
        .select_related("agency")
    }
    form = UpdateRequestForm(
        request.POST or None,
        cases=[(str(item.referral_id), item.referral.reference) for item in items],
        agencies=sorted(((str(pk), name) for pk, name in agencies.items()), key=lambda c: c[1]),
    )
    if request.method == "POST" and not panel.is_held and form.is_valid():
        done = run_service(
            form,
            lambda: panel_update_request(
                panel_id=panel.pk,
                referral_id=form.cleaned_data["referral"],
                agency_id=form.cleaned_data["agency"],
                actor=request.user,
            ),
        )
        if done:
            messages.success(request, _("The agency’s members on this panel have been asked"))
            return redirect("channel:panel_update_requests", pk=panel.pk)
    requests = selectors.update_requests_visible_to(request.user).filter(panel=panel)
    # The page names the agenda's cases (the choices and the requests): a read of each.
    referral_services.referral_record_views(
        actor=request.user,
        referral_ids=[item.referral_id for item in items],
        via="panel_update_requests",
    )
    response = render(
        request,
        "channel/panel_update_requests.html",
        {"panel": panel, "form": form, "requests": requests.order_by("requested_at")},
    )
    return bad_request(response) if form.errors else response
