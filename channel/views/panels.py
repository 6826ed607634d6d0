"""Panels: list, schedule, agenda, attendance and sign-off, packs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from accounts.models import Role
from accounts.selectors import users_visible_to
from prevent_cms.errors import Gone, GuardFailed, run_service
from prevent_cms.job_views import gone_page
from prevent_cms.models import Job
from referrals import services as referral_services
from referrals.choices import CHANNEL_STAGES
from referrals.selectors import referral_access
from referrals.timeline import Reader

from .. import selectors
from ..agenda_rules import decisions_for_state
from ..choices import AgendaKind
from ..forms import (
    AgendaForm,
    AgendaItemForm,
    HoldForm,
    MembersForm,
    PackAttestationForm,
    PanelDecisionForm,
    PanelForm,
    UpdateForm,
)
from ..models import AgendaDecision, PanelPack
from ..packs import pack_gone_message, pack_link_spent_message
from ..permissions import is_chair_of_panel
from ..services import packs as pack_services
from ..services import panels as panel_services
from ..services.agenda import agenda_item_record, panel_add_case, panel_add_reassessment
from ..services.decisions import agenda_item_decide
from ..services.packs import panel_pack_request
from ..timeline import since_last_panel
from .common import bad_request


def _chair_only(user):
    if not user.has_role(Role.CHANNEL_CHAIR):
        raise PermissionDenied


@login_required
def dashboard(request):
    _chair_only(request.user)
    context = selectors.chair_dashboard(request.user)
    shown = [
        *context["awaiting_panel"],
        *context["open_cases"],
        *context["consent_reassessments"],
        *context["reviews_due"],
        *(referral for referral, _kind, _when in context["post_exit_due"]),
    ]
    referral_services.referral_list_record_view(
        actor=request.user,
        references=list(dict.fromkeys(referral.reference for referral in shown)),
        via="channel_dashboard",
    )
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
            lambda: panel_services.panel_create(
                actor=request.user,
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
            state__in=CHANNEL_STAGES,
        )
        .exclude(pk__in=on_agenda)
        .order_by("state", "reference")
    )


@login_required
def panel_detail(request, pk):
    panel = get_object_or_404(selectors.panels_visible_to(request.user), pk=pk)
    is_chair = is_chair_of_panel(request.user, panel)
    items = list(
        selectors.agenda_items_visible_to(request.user).filter(panel=panel).order_by("order")
    )
    # The agenda shows each case on it: one read of each, as a pack download records.
    referral_services.referral_record_views(
        actor=request.user, referral_ids=[item.referral_id for item in items], via="panel"
    )
    context = {
        "panel": panel,
        "items": items,
        "is_chair": is_chair,
        "members": panel.members.select_related("agency").order_by("last_name"),
        "attended": set(panel.attended.values_list("pk", flat=True)),
        "pack": _pack_state(request.user, panel),
        "attestations": selectors.panel_pack_attestations(request.user, panel),
        # The chair's readiness, as their Today line says it: copies made and sent.
        "pack_readiness": selectors.panel_pack_readiness(panel) if is_chair else None,
        "latest_job": Job.objects.filter(
            owner=request.user, kind="channel.panel_pack", params__panel=str(panel.pk)
        ).first()
        if is_chair
        else None,
    }
    if is_chair and not panel.is_held:
        context["agenda_form"] = AgendaForm(cases=_agenda_candidates(request.user, panel))
        context["hold_form"] = HoldForm(members=context["members"])
        context["suggested"] = selectors.panel_suggested_cases(request.user, panel)
    return render(request, "channel/panel_detail.html", context)


def _pack_state(user, panel) -> dict:
    """The reader's latest copy: ready to download, or gone and why (asked when shown)."""
    pack = selectors.panel_packs_visible_to(user).filter(panel=panel).first()
    if pack is None:
        return {}
    # After the panel, each recipient says what became of their copy (issue 16).
    attest = {"may_attest": panel.date <= timezone.localdate(), "attested": pack.attestation}
    if not selectors.panel_pack_readable_by(user, pack):
        return {"gone": pack_gone_message(pack), **attest}
    spent = pack_link_spent_message(pack)
    if spent:
        return {"gone": spent, **attest}
    return {"ready": True, **attest}


@login_required
@require_POST
def panel_agenda_add(request, pk):
    panel = get_object_or_404(selectors.panels_visible_to(request.user), pk=pk)
    form = AgendaForm(request.POST, cases=_agenda_candidates(request.user, panel))
    form.fields["referral"].choices = [(request.POST.get("referral", ""), "")]
    kind = request.POST.get("kind", "")
    if form.is_valid() and form.cleaned_data["referral"]:
        referral_id = form.cleaned_data["referral"]
        if kind == AgendaKind.CONSENT_REASSESSMENT:
            item = run_service(
                form,
                lambda: panel_add_reassessment(
                    panel_id=panel.pk, actor=request.user, referral_id=referral_id
                ),
            )
        else:
            item = run_service(
                form,
                lambda: panel_add_case(
                    panel_id=panel.pk,
                    actor=request.user,
                    referral_id=referral_id,
                    kind=kind if kind in AgendaKind.values else "",
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
        "suggested": selectors.panel_suggested_cases(request.user, panel),
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
            lambda: panel_services.panel_hold(
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
            form, lambda: panel_services.panel_sign_off(panel_id=panel.pk, actor=request.user)
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
    _record_item_read(request, item)
    form = UpdateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: panel_services.agency_update_add(
                panel_id=panel.pk,
                referral_id=item.referral_id,
                actor=request.user,
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
    job = run_service(form, lambda: panel_pack_request(panel_id=panel.pk, actor=request.user))
    if job is None:
        raise PermissionDenied
    return redirect(reverse("job_status", args=[job.pk]))


@login_required
def panel_pack_download(request, pk):
    """The reader's latest copy of the panel's pack, from the panel page: the same single-use
    copy as their e-mailed link (issue 16), so it too works once and then answers 410."""
    panel = get_object_or_404(selectors.panels_visible_to(request.user), pk=pk)
    pack = selectors.panel_packs_visible_to(request.user).filter(panel=panel).first()
    if pack is None:
        raise Http404
    return _spend_copy(request, pack_id=pack.pk, via="page")


@login_required
def pack_link(request, pk):
    """A recipient's single-use, expiring download link of their copy (issue 16)."""
    return _spend_copy(request, pack_id=pk, via="link")


def _spend_copy(request, *, pack_id, via: str):
    try:
        pack = pack_services.panel_pack_use_link(pack_id=pack_id, actor=request.user, via=via)
    except PanelPack.DoesNotExist:
        raise Http404 from None
    except Gone as refused:
        return gone_page(
            request, title=_("This pack is no longer available"), message=refused.detail
        )
    return FileResponse(
        pack.file.open("rb"),
        as_attachment=True,
        filename=f"panel-pack-{pack.panel.date:%Y-%m-%d}.pdf",
        content_type="application/pdf",
    )


@login_required
def pack_attest(request, pk):
    """After the panel, a recipient says what became of their copy of the pack."""
    panel = get_object_or_404(selectors.panels_visible_to(request.user), pk=pk)
    if not selectors.panel_packs_visible_to(request.user).filter(panel=panel).exists():
        raise Http404
    form = PackAttestationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: pack_services.panel_pack_attest(
                panel_id=panel.pk,
                actor=request.user,
                attestation=form.cleaned_data["attestation"],
                reason=form.cleaned_data["reason"],
            ),
        )
        if done:
            messages.success(request, _("Thank you: what became of your copy is recorded"))
            return redirect("channel:panel", pk=panel.pk)
    response = render(request, "channel/pack_attest.html", {"panel": panel, "form": form})
    return bad_request(response) if form.errors else response


def _record_item_read(request, item) -> None:
    """An agenda item's page shows its case (the discussion, decision and actions)."""
    if request.method == "GET":
        referral_services.referral_record_view(
            actor=request.user,
            referral=item.referral,
            via=f"channel_{request.resolver_match.url_name}",
        )


def _chair_panel(request, pk):
    panel = get_object_or_404(selectors.panels_visible_to(request.user), pk=pk)
    if not is_chair_of_panel(request.user, panel):
        raise PermissionDenied
    return panel


def _since_last_panel(user, item) -> dict:
    """What changed on the case since the last panel that discussed it, as ``user`` sees it."""
    access = referral_access(user, item.referral)
    previous, entries = since_last_panel(
        Reader(user=user, accesses={item.referral_id: access}), item
    )
    return {"previous": previous, "entries": entries}


@login_required
def agenda_item(request, pk, item_pk):
    """The chair minutes one case: discussion, decision, rationale and an action."""
    panel = _chair_panel(request, pk)
    item = get_object_or_404(
        selectors.agenda_items_visible_to(request.user).filter(panel=panel), pk=item_pk
    )
    _record_item_read(request, item)
    members = list(panel.members.select_related("agency").order_by("last_name", "first_name"))
    others = users_visible_to(request.user)
    initial = {"discussion": item.discussion, "decision": item.decision}
    initial["rationale"] = item.rationale
    form = AgendaItemForm(request.POST or None, initial=initial, members=members, others=others)
    if request.method == "POST" and panel.is_locked:
        form.is_valid()
        form.add_error(None, _("The minutes of this panel are signed off and locked"))
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        @transaction.atomic
        def record():
            agenda_item_record(
                item_id=item.pk,
                actor=request.user,
                discussion=data["discussion"],
                decision=data["decision"],
                rationale=data["rationale"],
            )
            if (data["action"] or "").strip():
                panel_services.panel_action_add(
                    panel_id=panel.pk,
                    actor=request.user,
                    description=data["action"],
                    owner_id=data["owner"],
                    due_date=data["due_date"],
                    referral_id=item.referral_id,
                )
            return True

        if run_service(form, record):
            messages.success(request, _("Discussion recorded"))
            return redirect("channel:panel", pk=panel.pk)
    return _agenda_item_page(request, panel, item, form=form)


def _agenda_item_page(request, panel, item, *, form=None, decision_form=None, missing=()):
    """The item's page: the minute form, and the decision form (or the decision taken)."""
    if form is None:
        initial = {"discussion": item.discussion, "decision": item.decision}
        initial["rationale"] = item.rationale
        form = AgendaItemForm(
            initial=initial,
            members=list(panel.members.select_related("agency")),
            others=users_visible_to(request.user),
        )
    actions = (
        selectors.panel_actions_visible_to(request.user)
        .filter(panel=panel, referral_id=item.referral_id)
        .select_related("owner")
    )
    outcome = AgendaDecision.objects.filter(item=item).first()
    if decision_form is None and outcome is None and not panel.is_locked:
        decision_form = _decision_form(panel, item)
    response = render(
        request,
        "channel/agenda_item.html",
        {
            "panel": panel,
            "item": item,
            "form": form,
            "actions": actions,
            "outcome": outcome,
            "decision_form": decision_form,
            "fixes": _fix_links(panel, item, missing),
            "since": _since_last_panel(request.user, item),
        },
    )
    failed = form.errors or (decision_form is not None and decision_form.errors)
    return bad_request(response) if failed else response


def _decision_form(panel, item, data=None) -> PanelDecisionForm:
    agencies = sorted(
        {m.agency.name for m in panel.members.select_related("agency") if m.agency_id}
    )
    # Prefixed: the minute form on the same page has its own decision and rationale fields.
    return PanelDecisionForm(
        data,
        prefix="outcome",
        decisions=decisions_for_state(item.referral.state),
        agencies=agencies,
    )


# What a decision's guard found missing -> where the chair records it (label, URL name).
FIX_LINKS = {
    "vulnerability_assessment": (_lazy("Record a vulnerability assessment"), "assessment_new"),
    "consent": (_lazy("Record consent"), "consent_new"),
    "support_plan": (_lazy("Add an intervention to the support plan"), "intervention_new"),
    "review": (_lazy("Record a review that recommends exit"), "review_new"),
    "post_exit_6_months": (_lazy("Record the 6-month post-exit review"), "review_new"),
    "post_exit_12_months": (_lazy("Record the 12-month post-exit review"), "review_new"),
}


def _fix_links(panel, item, missing) -> list[tuple[str, str]]:
    links = [
        (str(label), reverse(f"channel:{name}", args=[item.referral_id]))
        for key, (label, name) in FIX_LINKS.items()
        if key in missing
    ]
    if "panel" in missing:
        links.append(
            (str(_lazy("Record who attended the panel")), reverse("channel:panel", args=[panel.pk]))
        )
    return links


@login_required
@require_POST
def agenda_item_decision(request, pk, item_pk):
    """The chair records the panel's decision on one item: its lifecycle step runs now."""
    panel = _chair_panel(request, pk)
    item = get_object_or_404(
        selectors.agenda_items_visible_to(request.user).filter(panel=panel), pk=item_pk
    )
    form = _decision_form(panel, item, request.POST)
    missing: set[str] = set()
    if form.is_valid():
        data = form.cleaned_data

        def decide():
            try:
                return agenda_item_decide(
                    panel_id=panel.pk,
                    item_id=item.pk,
                    actor=request.user,
                    decision=data["decision"],
                    reached_by=data["reached_by"],
                    rationale=data["rationale"],
                    dissent=form.dissent(),
                    signposted_to=data["signposted_to"],
                )
            except GuardFailed as error:
                missing.update(error.errors)
                raise

        outcome = run_service(form, decide)
        if outcome:
            item.referral.refresh_from_db()
            messages.success(
                request,
                _("Decision recorded for %(ref)s: %(decision)s. The case is now “%(state)s”.")
                % {
                    "ref": item.referral.reference,
                    "decision": outcome.get_decision_display(),
                    "state": item.referral.state_label,
                },
            )
            return redirect("channel:panel", pk=panel.pk)
    return _agenda_item_page(request, panel, item, decision_form=form, missing=missing)


@login_required
def panel_members(request, pk):
    """Add or remove members after scheduling; the chair always stays."""
    panel = _chair_panel(request, pk)
    people = users_visible_to(request.user).exclude(pk=panel.chair_id)
    current = [str(i) for i in panel.members.values_list("pk", flat=True)]
    form = MembersForm(request.POST or None, initial={"members": current}, people=people)
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: panel_services.panel_set_members(
                panel_id=panel.pk, actor=request.user, member_ids=form.cleaned_data["members"]
            ),
        )
        if done:
            messages.success(request, _("Panel members updated"))
            return redirect("channel:panel", pk=panel.pk)
    response = render(request, "channel/panel_members.html", {"panel": panel, "form": form})
    return bad_request(response) if form.errors else response
