"""The pages a mailing-list contact reaches from an e-mail, without signing in (issue 21):
confirming they want to join (the one-time link) and unsubscribing (the link in every
message). Each GET shows a button and changes nothing — a mail program that opens links to
scan them must not confirm or unsubscribe anyone — and the POST does it. The token in the
URL is the only thing that says who; the pages never show the address."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.cache import never_cache

from prevent_cms.errors import Gone

from ..services import mailing as services


@never_cache
def confirm(request, token: str):
    try:
        if request.method == "POST":
            contact = services.mailing_contact_confirm(token=token)
            return render(request, "partnership/mailing/confirmed.html", {"contact": contact})
        contact = services.mailing_contact_for_confirm_token(token=token)
    except Gone as gone:
        return render(
            request, "partnership/mailing/gone.html", {"message": gone.detail}, status=410
        )
    return render(request, "partnership/mailing/confirm.html", {"contact": contact})


@never_cache
def unsubscribe(request, token: str):
    if request.method == "POST":
        contact = services.mailing_contact_unsubscribe(token=token)
        return render(request, "partnership/mailing/unsubscribed.html", {"contact": contact})
    contact = services.mailing_contact_for_unsubscribe_token(token=token)
    return render(request, "partnership/mailing/unsubscribe.html", {"contact": contact})
