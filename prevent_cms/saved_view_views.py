"""The pages of saved views (``prevent_cms.saved_views``): save the list as it is shown,
apply a view (its address), delete one after asking once."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods, require_POST

from .errors import NotFound, run_service
from .saved_views import (
    NAME_LENGTH,
    SAVED_VIEW_PAGES,
    saved_view_delete,
    saved_view_get,
    saved_view_save,
    saved_view_url,
)


class SavedViewForm(forms.Form):
    name = forms.CharField(
        label=_lazy("Name of the view"),
        max_length=NAME_LENGTH,
        error_messages={"required": _lazy("Enter a name for the view")},
    )
    page = forms.CharField(widget=forms.HiddenInput)
    query = forms.CharField(widget=forms.HiddenInput, required=False)


@login_required
@require_POST
def saved_view_create(request: HttpRequest) -> HttpResponse:
    """Save the list the form was on; back to it, showing the view just saved."""
    form = SavedViewForm(request.POST)
    page = request.POST.get("page", "")
    if page not in SAVED_VIEW_PAGES:
        raise NotFound
    if form.is_valid():
        data = form.cleaned_data
        view = run_service(
            form,
            lambda: saved_view_save(
                actor=request.user, page=page, name=data["name"], query=data["query"]
            ),
        )
        if view is not None:
            messages.success(request, _("View “%(name)s” saved") % {"name": view.name})
            return redirect(saved_view_url(view))
    return render(request, "saved_views/save.html", {"form": form, "page": page}, status=400)


@login_required
def saved_view_apply(request: HttpRequest, pk) -> HttpResponse:
    return redirect(saved_view_url(saved_view_get(request.user, pk)))


@login_required
@require_http_methods(["GET", "POST"])
def saved_view_delete_page(request: HttpRequest, pk) -> HttpResponse:
    """Delete one's own view, after asking once (frontend.md: irreversible steps confirm)."""
    view = saved_view_get(request.user, pk)
    back = reverse(view.page)
    if request.method == "POST":
        name = view.name
        saved_view_delete(view_id=view.pk, actor=request.user)
        messages.success(request, _("View “%(name)s” deleted") % {"name": name})
        return redirect(back)
    return render(request, "saved_views/delete.html", {"view": view, "back": back})
