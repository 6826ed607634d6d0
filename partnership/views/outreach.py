"""Pages for the complaints log and the outreach mailing list (issue 21); the public pages a
mailing-list contact reaches from an e-mail (confirm, unsubscribe) are in ``views.mailing``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from prevent_cms.errors import run_service

from .. import selectors
from ..forms import ComplaintForm, MailingContactForm
from ..models import NATIONAL_COMPLAINTS_ROUTE, ContactStatus
from ..services import complaints as complaint_services
from ..services import mailing as mailing_services
from .common import form_page


@login_required
def complaints(request):
    user = request.user
    selectors.partnership_area_for(user)
    return render(
        request,
        "partnership/complaints.html",
        {
            "complaints": selectors.complaints_visible_to(user),
            "national_route": NATIONAL_COMPLAINTS_ROUTE,
        },
    )


@login_required
def complaint_new(request):
    form = ComplaintForm(request.POST or None)
    return form_page(
        request,
        form=form,
        title=_("Log a complaint"),
        intro=str(NATIONAL_COMPLAINTS_ROUTE),
        button=_("Save complaint"),
        back=reverse("partnership:complaints"),
        call=lambda: complaint_services.complaint_create(
            actor=request.user, data=dict(form.cleaned_data)
        ),
    )


@login_required
def complaint_edit(request, pk):
    user = request.user
    complaint = get_object_or_404(selectors.complaints_visible_to(user), pk=pk)
    initial = {
        name: getattr(complaint, name)
        for name in ("received_on", "channel", "summary", "signposted", "outcome", "closed_on")
    }
    form = ComplaintForm(request.POST or None, initial=initial)
    return form_page(
        request,
        form=form,
        title=_("Record the outcome or change a complaint"),
        intro=str(NATIONAL_COMPLAINTS_ROUTE),
        button=_("Save changes"),
        back=reverse("partnership:complaints"),
        call=lambda: complaint_services.complaint_update(
            actor=user, complaint_id=complaint.pk, data=dict(form.cleaned_data)
        ),
    )


@login_required
def mailing_list(request):
    """The list's contacts by status (addresses: the lead added them) and the reminders sent."""
    user = request.user
    area = selectors.partnership_area_for(user)
    contacts = selectors.mailing_contacts_visible_to(user)
    return render(
        request,
        "partnership/mailing_list.html",
        {
            "area": area,
            "contacts": contacts,
            "confirmed": contacts.filter(status=ContactStatus.CONFIRMED).count(),
            "pending": contacts.filter(status=ContactStatus.PENDING).count(),
            "sends": selectors.mailing_sends_visible_to(user)[:10],
        },
    )


@login_required
def mailing_contact_new(request):
    form = MailingContactForm(request.POST or None)
    return form_page(
        request,
        form=form,
        title=_("Add someone to the mailing list"),
        button=_("Send them a link to confirm"),
        back=reverse("partnership:mailing_list"),
        call=lambda: mailing_services.mailing_contact_add(
            actor=request.user, email=form.cleaned_data["email"]
        ),
    )


@login_required
def mailing_contact_remove(request, pk):
    """Take someone off the list at their request (POST only; a GET goes back to the list)."""
    user = request.user
    contact = get_object_or_404(selectors.mailing_contacts_visible_to(user), pk=pk)
    if request.method == "POST":
        mailing_services.mailing_contact_remove(actor=user, contact_id=contact.pk)
        messages.success(request, _("Taken off the mailing list"))
    return redirect("partnership:mailing_list")


@login_required
def mailing_list_send(request):
    """Send the content-free reminder to everyone on the list (POST only)."""
    user = request.user
    selectors.partnership_area_for(user)
    if request.method == "POST":
        sent = run_service(
            None, lambda: mailing_services.mailing_list_send(actor=user), request=request
        )
        if sent is not None:
            messages.success(request, _("The reminder is on its way to everyone on the list"))
    return redirect("partnership:mailing_list")
