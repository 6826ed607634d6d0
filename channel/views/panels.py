"""Panels: list, schedule, agenda, attendance and sign-off, packs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.selectors import users_visible_to
from prevent_cms.audit import audit_record
from prevent_cms.models import Job
from referrals.choices import State

from .. import selectors, services
from ..forms import AgendaForm, HoldForm, PanelForm, UpdateForm
from ..permissions import is_chair_of_panel
from .common import bad_request, run_service


def _chair_only(user):
    if not user.has_role(Role.CHANNEL_CHAIR):
        raise PermissionDenied


@login_required
def dashboard(request):
    _chair_only(request.user)
    context = selectors.chair_dashboard(request.user)
    return render(request, "channel/dashboard.html", context)


@login_required
def panel_list(request):
    panels = selectors.panels_visible_to(request.user).order_by("-date")
    return render(
        request,
        "channel/panel_list.html",
        {"panels": panels, "is_chair": request.user.has_role(Role.CHANNEL_CHAIR)},
    )


@login_required
def panel_create(request):
    _chair_only(request.user)
    people = users_visible_to(request.user).exclude(pk=request.user.pk)
    form = PanelForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        panel = run_service(
            form,
            lambda: services.panel_create(
                chair=request.user,
                date=form.cleaned_data["date"],
                location=form.cleaned_data["location"],
                member_ids=form.cleaned_data["members"],
            ),
        )
        if panel:
            messages.success(request, _("Panel scheduled"))
            return redirect("channel:panel", pk=panel.pk)
    response = render(request, "channel/panel_form.html", {"form": form})
    return bad_request(response) if form.errors else response


def _agenda_candidates(user, panel):
    on_agenda = panel.agenda.values("referral_id")
    return (
        selectors.channel_cases_visible_to(user)
        .filter(
            local_authority_id=panel.local_authority_id,
            state__in=[
                State.CHANNEL_PANEL,
                State.AWAITING_CONSENT,
                State.SUPPORT,
                State.POST_EXIT_REVIEW,
            ],
        )
        .exclude(pk__in=on_agenda)
        .order_by("state", "reference")
    )


@login_required
def panel_detail(request, pk):
    panel = get_object_or_404(selectors.panels_visible_to(request.user), pk=pk)
    is_chair = is_chair_of_panel(request.user, panel)
    items = selectors.agenda_items_visible_to(request.user).filter(panel=panel).order_by("order")
    context = {
        "panel": panel,
        "items": items,
        "is_chair": is_chair,
        "members": panel.members.select_related("agency").order_by("last_name"),
        "attended": set(panel.attended.values_list("pk", flat=True)),
        "has_pack": selectors.panel_packs_visible_to(request.user).filter(panel=panel).exists(),
        "latest_job": Job.objects.filter(
            owner=request.user, kind="channel.panel_pack", params__panel=str(panel.pk)
        ).first()
        if is_chair
        else None,
    }
    if is_chair and not panel.is_held:
        context["agenda_form"] = AgendaForm(cases=_agenda_candidates(request.user, panel))
        context["hold_form"] = HoldForm(members=context["members"])
    return render(request, "channel/panel_detail.html", context)


@login_required
@require_POST
def panel_agenda_add(request, pk):
    panel = get_object_or_404(selectors.panels_visible_to(request.user), pk=pk)
    form = AgendaForm(request.POST, cases=_agenda_candidates(request.user, panel))
    form.fields["referral"].choices = [(request.POST.get("referral", ""), "")]
    if form.is_valid() and form.cleaned_data["referral"]:
        item = run_service(
            form,
            lambda: services.panel_add_case(
                panel_id=panel.pk, actor=request.user, referral_id=form.cleaned_data["referral"]
            ),
        )
        if item:
            messages.success(request, _("Case added to the agenda"))
            return redirect("channel:panel", pk=panel.pk)
    elif not form.errors:
        form.add_error("referral", _("Select a case"))
    return _panel_with_errors(request, panel, agenda_form=form)


def _panel_with_errors(request, panel, **forms):
    items = selectors.agenda_items_visible_to(request.user).filter(panel=panel).order_by("order")
    members = panel.members.select_related("agency").order_by("last_name")
    context = {
        "panel": panel,
        "items": items,
        "is_chair": True,
        "members": members,
        "attended": set(),
        "agenda_form": AgendaForm(cases=_agenda_candidates(request.user, panel)),
        "hold_form": HoldForm(members=members),
        **forms,
    }
    if "agenda_form" in forms:
        forms["agenda_form"].fields["referral"].choices = (
            AgendaForm(cases=_agenda_candidates(request.user, panel)).fields["referral"].choices
        )
    context["form"] = next(iter(forms.values()))
    return bad_request(render(request, "channel/panel_detail.html", context))


@login_required
@require_POST
def panel_hold(request, pk):
    panel = get_object_or_404(selectors.panels_visible_to(request.user), pk=pk)
    members = panel.members.select_related("agency")
    form = HoldForm(request.POST, members=members)
    if form.is_valid():
        done = run_service(
            form,
            lambda: services.panel_hold(
                panel_id=panel.pk,
                actor=request.user,
                attended_ids=form.cleaned_data["attended"],
                minutes=form.cleaned_data["minutes"],
                sign_off=bool(request.POST.get("sign_off")),
            ),
        )
        if done:
            messages.success(request, _("Panel marked as held"))
            return redirect("channel:panel", pk=panel.pk)
    return _panel_with_errors(request, panel, hold_form=form)


@login_required
def panel_sign_off(request, pk):
    panel = get_object_or_404(selectors.panels_visible_to(request.user), pk=pk)
    if not is_chair_of_panel(request.user, panel):
        raise PermissionDenied
    form = UpdateForm(request.POST or None)
    if request.method == "POST":
        done = run_service(
            form, lambda: services.panel_sign_off(panel_id=panel.pk, actor=request.user)
        )
        if done:
            messages.success(request, _("Minutes signed off and locked"))
            return redirect("channel:panel", pk=panel.pk)
    return render(request, "channel/confirm_sign_off.html", {"panel": panel, "form": form})


@login_required
def agency_update(request, pk, referral_pk):
    panel = get_object_or_404(selectors.panels_visible_to(request.user), pk=pk)
    item = get_object_or_404(
        selectors.agenda_items_visible_to(request.user), panel=panel, referral_id=referral_pk
    )
    form = UpdateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.agency_update_add(
                panel_id=panel.pk,
                referral_id=item.referral_id,
                author=request.user,
                text=form.cleaned_data["text"],
            ),
        )
        if done:
            messages.success(request, _("Update added"))
            return redirect("channel:case", pk=item.referral_id)
    response = render(
        request, "channel/agency_update.html", {"panel": panel, "item": item, "form": form}
    )
    return bad_request(response) if form.errors else response


@login_required
@require_POST
def panel_pack_generate(request, pk):
    panel = get_object_or_404(selectors.panels_visible_to(request.user), pk=pk)
    form = UpdateForm()
    job = run_service(
        form, lambda: services.panel_pack_request(panel_id=panel.pk, actor=request.user)
    )
    if job is None:
        raise PermissionDenied
    return redirect(reverse("job_status", args=[job.pk]))


@login_required
def panel_pack_download(request, pk):
    panel = get_object_or_404(selectors.panels_visible_to(request.user), pk=pk)
    pack = selectors.panel_packs_visible_to(request.user).filter(panel=panel).first()
    if pack is None:
        raise Http404
    audit_record(
        actor=request.user,
        action="channel.pack.downloaded",
        obj=panel,
        detail={"pack": str(pack.pk), "via": "page"},
    )
    return FileResponse(
        pack.file.open("rb"),
        as_attachment=True,
        filename=f"panel-pack-{panel.date:%Y-%m-%d}.pdf",
        content_type="application/pdf",
    )
