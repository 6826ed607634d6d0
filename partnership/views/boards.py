"""Pages for boards: the partnership overview, a board (members, terms of reference,
meetings, actions), a meeting (attendance, minutes, sign-off) and actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.models import Agency, LocalAuthority
from prevent_cms.audit import audit_record
from prevent_cms.errors import run_service

from .. import selectors
from ..common import today
from ..forms import (
    ActionEditForm,
    ActionForm,
    BoardForm,
    HoldForm,
    MeetingForm,
    MemberForm,
    TermsForm,
)
from ..models import Rag
from ..services import boards as board_services
from .common import form_page


@login_required
def home(request):
    """The borough lead's partnership work at a glance."""
    user = request.user
    area = selectors.partnership_area_for(user)
    on = today()
    actions = selectors.actions_visible_to(user).filter(completed_on__isnull=True)
    context = {
        "area": area,
        "boards": selectors.boards_visible_to(user).prefetch_related("meetings"),
        "assessment": selectors.risk_assessment_current(user),
        "assessments": selectors.risk_assessments_visible_to(user).order_by("-version"),
        "briefings": selectors.ctlp_briefings_visible_to(user),
        "plans": selectors.plans_visible_to(user),
        "agreements": selectors.agreements_visible_to(user).prefetch_related("parties"),
        "due_for_review": selectors.agreements_due_for_review(user, on=on),
        "red_actions": actions.filter(rag=Rag.RED),
        "today": on,
    }
    audit_record(actor=user, action="partnership.overview.viewed", obj=area)
    return render(request, "partnership/home.html", context)


@login_required
def board_new(request):
    user = request.user
    area = selectors.partnership_area_for(user)
    others = LocalAuthority.objects.filter(police_force_id=area.police_force_id).exclude(pk=area.pk)
    form = BoardForm(request.POST or None, local_authorities=others)
    return form_page(
        request,
        form=form,
        title=_("Set up a partnership board"),
        button=_("Set up board"),
        back=reverse("partnership:home"),
        call=lambda: board_services.board_create(
            actor=user,
            name=form.cleaned_data["name"],
            kind=form.cleaned_data["kind"],
            quorum=form.cleaned_data["quorum"],
            local_authorities=form.cleaned_data.get("local_authorities") or [],
        ),
        done=lambda board: reverse("partnership:board", args=[board.pk]),
    )


@login_required
def board_detail(request, pk):
    board = get_object_or_404(selectors.boards_visible_to(request.user), pk=pk)
    context = {
        "board": board,
        "members": board.members.select_related("agency"),
        "terms": board.terms.all(),
        "meetings": board.meetings.all(),
        "actions": selectors.actions_visible_to(request.user).filter(board=board),
    }
    return render(request, "partnership/board.html", context)


def _agencies(user):
    area = selectors.partnership_area_for(user)
    return Agency.objects.filter(local_authority__police_force_id=area.police_force_id).order_by(
        "name"
    )


@login_required
def member_new(request, pk):
    board = get_object_or_404(selectors.boards_visible_to(request.user), pk=pk)
    form = MemberForm(request.POST or None, agencies=_agencies(request.user))
    back = reverse("partnership:board", args=[board.pk])
    return form_page(
        request,
        form=form,
        title=_("Add a board member"),
        button=_("Add member"),
        back=back,
        call=lambda: board_services.board_member_add(
            actor=request.user, board_id=board.pk, **form.cleaned_data
        ),
    )


@login_required
def terms_new(request, pk):
    board = get_object_or_404(selectors.boards_visible_to(request.user), pk=pk)
    form = TermsForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form=form,
        title=_("Upload terms of reference"),
        intro=_("A new version: earlier versions are kept."),
        button=_("Upload"),
        back=reverse("partnership:board", args=[board.pk]),
        upload=True,
        call=lambda: board_services.terms_upload(
            actor=request.user,
            board_id=board.pk,
            upload=form.cleaned_data["file"],
            approved_on=form.cleaned_data["approved_on"],
        ),
    )


@login_required
@require_safe
def terms_download(request, pk):
    terms = get_object_or_404(selectors.terms_visible_to(request.user), pk=pk)
    audit_record(actor=request.user, action="partnership.terms.downloaded", obj=terms.board)
    extension = terms.original_name.rsplit(".", 1)[-1][:5] if "." in terms.original_name else "bin"
    response = FileResponse(
        terms.file.open("rb"),
        as_attachment=True,
        filename=f"terms-of-reference-v{terms.version}.{extension}",
        content_type=terms.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@login_required
def meeting_new(request, pk):
    board = get_object_or_404(selectors.boards_visible_to(request.user), pk=pk)
    form = MeetingForm(request.POST or None)
    return form_page(
        request,
        form=form,
        title=_("Schedule a board meeting"),
        button=_("Schedule meeting"),
        back=reverse("partnership:board", args=[board.pk]),
        call=lambda: board_services.meeting_schedule(
            actor=request.user, board_id=board.pk, **form.cleaned_data
        ),
        done=lambda meeting: reverse("partnership:meeting", args=[meeting.pk]),
    )


@login_required
def meeting_detail(request, pk):
    meeting = get_object_or_404(selectors.meetings_visible_to(request.user), pk=pk)
    context = {
        "meeting": meeting,
        "board": meeting.board,
        "attended": meeting.attended.all(),
        "actions": selectors.actions_visible_to(request.user).filter(meeting=meeting),
    }
    return render(request, "partnership/meeting.html", context)


@login_required
def meeting_hold(request, pk):
    meeting = get_object_or_404(selectors.meetings_visible_to(request.user), pk=pk)
    members = meeting.board.members.select_related("agency")
    initial = {"attended": [str(m.pk) for m in meeting.attended.all()], "minutes": meeting.minutes}
    form = HoldForm(request.POST or None, members=members, initial=initial)
    back = reverse("partnership:meeting", args=[meeting.pk])
    return form_page(
        request,
        form=form,
        title=_("Record attendance and minutes"),
        intro=_("The meeting is quorate when at least %(n)d members attend.")
        % {"n": meeting.board.quorum},
        button=_("Save attendance and minutes"),
        back=back,
        call=lambda: board_services.meeting_hold(
            actor=request.user,
            meeting_id=meeting.pk,
            attended_ids=form.cleaned_data["attended"],
            minutes=form.cleaned_data["minutes"],
        ),
    )


@login_required
def meeting_sign_off(request, pk):
    """A confirmation page: signing off locks the minutes for good."""
    meeting = get_object_or_404(selectors.meetings_visible_to(request.user), pk=pk)
    selectors.partnership_area_for(request.user)
    if request.method == "POST":
        done = run_service(
            None,
            lambda: board_services.meeting_sign_off(actor=request.user, meeting_id=meeting.pk),
            request=request,
        )
        if done is not None:
            messages.success(request, _("Minutes signed off"))
        return redirect("partnership:meeting", pk=meeting.pk)
    return render(request, "partnership/sign_off.html", {"meeting": meeting})


@login_required
def action_new(request):
    """An action for a meeting (``?meeting=``) or the partnership plan (``?plan=``)."""
    user = request.user
    selectors.partnership_area_for(user)
    meeting = plan = None
    if request.GET.get("meeting"):
        meeting = get_object_or_404(selectors.meetings_visible_to(user), pk=request.GET["meeting"])
    if request.GET.get("plan"):
        plan = get_object_or_404(selectors.plans_visible_to(user), pk=request.GET["plan"])
    if meeting is None and plan is None:
        raise Http404
    assessment = selectors.risk_assessment_current(user) if plan else None
    risks = list(assessment.risks.all()) if assessment else []
    form = ActionForm(request.POST or None, risks=risks)
    back = (
        reverse("partnership:meeting", args=[meeting.pk])
        if meeting
        else reverse("partnership:plan", args=[plan.pk])  # type: ignore[union-attr]
    )

    def call():
        data = dict(form.cleaned_data)
        risk_ids = data.pop("risks", [])
        return board_services.action_create(
            actor=user,
            data=data,
            meeting_id=meeting.pk if meeting else None,
            plan_id=plan.pk if plan else None,
            risk_ids=risk_ids,
        )

    return form_page(
        request,
        form=form,
        title=_("Add an action"),
        button=_("Add action"),
        back=back,
        call=call,
    )


@login_required
def action_edit(request, pk):
    action = get_object_or_404(selectors.actions_visible_to(request.user), pk=pk)
    initial = {
        "owner": action.owner,
        "due_date": action.due_date,
        "rag": action.rag,
        "completed_on": action.completed_on,
    }
    form = ActionEditForm(request.POST or None, initial=initial)
    if action.meeting_id:
        back = reverse("partnership:meeting", args=[action.meeting_id])
    elif action.plan_id:
        back = reverse("partnership:plan", args=[action.plan_id])
    else:
        back = reverse("partnership:home")
    return form_page(
        request,
        form=form,
        title=_("Change an action"),
        intro=action.description,
        button=_("Save changes"),
        back=back,
        call=lambda: board_services.action_update(
            actor=request.user, action_id=action.pk, data=dict(form.cleaned_data)
        ),
    )
