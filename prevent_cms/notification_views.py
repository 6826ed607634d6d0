"""The person's own notifications: the list, marking one read, and delivery choices."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .errors import run_service
from .forms import GovFormHelper
from .models import Notification
from .notifications import (
    CHOOSABLE,
    MANDATORY,
    Delivery,
    Kind,
    notification_mark_read,
    notification_preferences_for,
    notification_preferences_set,
    notification_unread_count,
    notifications_visible_to,
)

PAGE_SIZE = 25


@login_required
def notification_list(request):
    """Everything the service told this person, newest first, unread ones marked."""
    page = Paginator(notifications_visible_to(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    labels = dict(Kind.choices)
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "rows": [{"row": row, "label": labels.get(row.kind, row.kind)} for row in page],
            "unread": notification_unread_count(request.user),
        },
    )


@login_required
@require_POST
def notification_read(request, pk):
    try:
        notification_mark_read(notification_id=pk, actor=request.user)
    except Notification.DoesNotExist as error:
        raise Http404 from error
    return redirect("notifications")


class PreferencesForm(forms.Form):
    """One choice per kind; the mandatory kinds are shown, fixed, and not posted."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = GovFormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.legend_size = "s"
        for kind in CHOOSABLE:
            if kind in MANDATORY:
                continue
            self.fields[kind] = forms.ChoiceField(
                label=Kind(kind).label,
                choices=Delivery.choices,
                initial=current[kind],
                widget=forms.RadioSelect,
            )


@login_required
@require_http_methods(["GET", "POST"])
def notification_preferences(request):
    """How each kind reaches this person: e-mail now, a daily digest, or in the app only."""
    current = notification_preferences_for(request.user)
    form = PreferencesForm(request.POST or None, current=current)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            lambda: notification_preferences_set(actor=request.user, choices=form.cleaned_data),
        )
        if saved is not None:
            messages.success(request, _("Your notification choices are saved"))
            return redirect("notifications")
    return render(
        request,
        "notifications/preferences.html",
        {"form": form, "fixed": [Kind(kind).label for kind in CHOOSABLE if kind in MANDATORY]},
        status=400 if form.errors else 200,
    )
