"""The pages a mailing-list contact reaches from an e-mail, without signing in (issue 21):
confirming they want to join (the one-time link) and unsubscribing (the link in every
message). Each GET shows a button and changes nothing — a mail program that opens links to
scan them must not confirm or unsubscribe anyone — and the POST does it. The token in the
URL is the only thing that says who; the pages never show the address.

A link that does not work (used, replaced, expired, unknown) shows a page saying so and what
to do, as the password-reset link's page does (200 on GET); the POST that would have used it
answers 410 (confirm) or 404 (unsubscribe)."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from prevent_cms.errors import Gone, NotFound

from ..services import mailing as services

GONE = "partnership/mailing/gone.html"


@never_cache
def confirm(request, token: str):
    try:
        if request.method == "POST":
            contact = services.mailing_contact_confirm(token=token)
            return render(request, "partnership/mailing/confirmed.html", {"contact": contact})
        contact = services.mailing_contact_for_confirm_token(token=token)
    except Gone as gone:
        status = 410 if request.method == "POST" else 200
        return render(request, GONE, {"message": gone.detail}, status=status)
    return render(request, "partnership/mailing/confirm.html", {"contact": contact})


@never_cache
def unsubscribe(request, token: str):
    try:
        if request.method == "POST":
            contact = services.mailing_contact_unsubscribe(token=token)
            return render(request, "partnership/mailing/unsubscribed.html", {"contact": contact})
        contact = services.mailing_contact_for_unsubscribe_token(token=token)
    except NotFound:
        message = _("This unsubscribe link is not valid. Use the link in the latest e-mail.")
        status = 404 if request.method == "POST" else 200
        return render(request, GONE, {"message": message}, status=status)
    return render(request, "partnership/mailing/unsubscribe.html", {"contact": contact})
