"""E-mails of the outreach mailing list (issue 21), given ids only: the one-time link that
confirms an address, and the content-free reminders with each contact's unsubscribe link.
Both leave through ``prevent_cms.notifications``, as every e-mail does."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prevent_cms.jobs import email_task
from prevent_cms.notifications import (
    notification_send_list_mail,
    notification_send_secret_link,
    site_link,
)

from .common import CONFIRM_VALID_FOR, new_token, token_hash
from .models import ContactStatus, MailingContact, MailingSend

CONFIRM_KIND = "mailing_list_confirm"
# A contact has no account, so no language we know: sent in Welsh and English
# (``prevent_cms.notifications.worded_bilingually``, issue 19).
CONFIRM_SUBJECT = _("Confirm you want Prevent news from %(area)s")
CONFIRM_BODY = _(
    "Someone asked to add this e-mail address to the Prevent mailing list of %(area)s, which "
    "tells you when Prevent workshops and briefings are coming up.\n\n"
    "To join, use this link within %(days)s days. It works once:\n\n%(link)s\n\n"
    "If you do not want to join, ignore this e-mail: you will not be added."
)
REMINDER_KIND = "outreach_reminder"
REMINDER_SUBJECT = _("Prevent workshops and briefings in %(area)s")
REMINDER_BODY = _(
    "Prevent workshops and briefings are coming up in %(area)s. %(contact)s\n\n"
    "You get this e-mail because you joined the Prevent mailing list of %(area)s. To stop "
    "getting these e-mails, use this link:\n\n%(link)s"
)
CONTACT_AT = _("To find out more or book a place, contact the Prevent team at %(ways)s.")
CONTACT = _("To find out more or book a place, contact the Prevent team.")
EITHER = _("%(first)s or %(second)s")


@email_task
def send_mailing_confirmation(contact_id: str) -> int:
    """E-mail a contact waiting to join their one-time confirmation link. The token is made
    here, when the mail leaves, and only its hash is kept: no secret sits in the queue. A
    retry sends a new link and the older one stops working. Nothing is sent to a contact no
    longer waiting (confirmed or unsubscribed since)."""
    token = new_token()
    with transaction.atomic():
        contact = (
            MailingContact.objects.select_for_update()
            .select_related("local_authority")
            .filter(pk=contact_id, status=ContactStatus.PENDING)
            .first()
        )
        if contact is None:
            return 0
        contact.confirm_token_hash = token_hash(token)
        contact.confirm_expires_at = timezone.now() + CONFIRM_VALID_FOR
        contact.save(update_fields=["confirm_token_hash", "confirm_expires_at"])
    path = reverse("mailing:confirm", args=[token])
    area = contact.local_authority.name
    return notification_send_secret_link(
        kind=CONFIRM_KIND,
        address=contact.email,
        subject=CONFIRM_SUBJECT,
        body=CONFIRM_BODY,
        values={"area": area, "days": CONFIRM_VALID_FOR.days, "link": site_link(path)},
        path=path,
    )


class _ContactWords:
    """How to reach the area's Prevent team, worded in the language active when the message
    is (``str``), so each language of a bilingual e-mail has its own."""

    def __init__(self, local_authority) -> None:
        self.ways = [
            way for way in (local_authority.prevent_email, local_authority.prevent_phone) if way
        ]

    def __str__(self) -> str:
        if not self.ways:
            return str(CONTACT)
        ways = (
            self.ways[0]
            if len(self.ways) == 1
            else EITHER % dict(zip(("first", "second"), self.ways, strict=True))
        )
        return CONTACT_AT % {"ways": ways}


@email_task
def send_mailing_reminder(send_id: str) -> int:
    """E-mail each confirmed contact of the list the content-free reminder, one message
    each with their own unsubscribe link. Each contact reached is recorded on the send as
    their mail leaves, so a retry or redelivery mails only those the first run missed; a
    contact who unsubscribed in between is not mailed."""
    send = MailingSend.objects.select_related("local_authority").filter(pk=send_id).first()
    if send is None:
        return 0
    area = send.local_authority
    values = {"area": area.name, "contact": _ContactWords(area)}
    sent = 0
    contacts = MailingContact.objects.filter(
        local_authority=area, status=ContactStatus.CONFIRMED
    ).order_by("pk")
    for contact in contacts:
        with transaction.atomic():
            locked = MailingSend.objects.select_for_update().get(pk=send.pk)
            if str(contact.pk) in locked.delivered:
                continue
            path = reverse("mailing:unsubscribe", args=[contact.unsubscribe_token])
            sent += notification_send_list_mail(
                kind=REMINDER_KIND,
                address=contact.email,
                subject=REMINDER_SUBJECT,
                body=REMINDER_BODY,
                values={**values, "link": site_link(path)},
                unsubscribe_path=path,
            )
            locked.delivered = [*locked.delivered, str(contact.pk)]
            locked.save(update_fields=["delivered"])
    return sent
