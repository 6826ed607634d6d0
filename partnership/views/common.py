"""What the partnership pages share: the one form page, and the role check."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from prevent_cms.errors import run_service

from ..selectors import partnership_area_for


def form_page(
    request,
    *,
    form,
    title: str,
    button: str,
    back: str,
    call: Callable[[], object],
    done: Callable[[object], str] | None = None,
    intro: str = "",
    upload: bool = False,
    context: dict | None = None,
):
    """Show ``form``; on a valid POST run ``call`` (a service) and go to ``done(result)``
    (or ``back``). Errors the service raises show on the form, as every page shows them."""
    partnership_area_for(request.user)
    if request.method == "POST" and form.is_valid():
        result = run_service(form, call)
        if result is not None:
            messages.success(request, _("Saved"))
            return redirect(done(result) if done else back)
    return render(
        request,
        "partnership/form.html",
        {
            "form": form,
            "title": title,
            "button": button,
            "back": back,
            "intro": intro,
            "upload": upload,
            **(context or {}),
        },
        status=400 if request.method == "POST" else 200,
    )
