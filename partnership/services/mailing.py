"""The outreach mailing list, double opt-in (issue 21).

A borough lead adds an address; the contact is sent a one-time link (made when the mail
leaves, by ``partnership.tasks``, and kept here only as its hash) and is on the list only
once they follow it within ``CONFIRM_VALID_FOR``. Every message to the list is content-free
(workshops and briefings are coming up: ask the Prevent team) and carries the contact's
unsubscribe link, which works without signing in. The audit trail holds contact ids, never
an address.
"""

from __future__ import annotations

from uuid import UUID

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from prevent_cms.audit import audit_record
from prevent_cms.errors import Conflict, Gone, GuardFailed, NotFound
from prevent_cms.outbox import outbox_enqueue

from .. import tasks
from ..common import area_of, new_token, token_hash
from ..models import ContactStatus, MailingContact, MailingSend
from ..selectors import mailing_contacts_visible_to, mailing_list


@transaction.atomic
def mailing_contact_add(*, actor: User, email: str) -> MailingContact:
    """Add an address to the borough's list, waiting for its owner to confirm: a link is
    e-mailed after commit. An address already waiting is sent a new link (the old one stops
    working); one that unsubscribed may be asked again, and is on the list only if they
    confirm again; one already on the list is a conflict (409)."""
    area = area_of(actor)
    address = (email or "").strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        raise GuardFailed(
            {"email": _("Enter an e-mail address in the right format, like name@example.com")}
        ) from None
    contact = (
        MailingContact.objects.select_for_update()
        .filter(local_authority=area, email=address)
        .first()
    )
    if contact is not None and contact.status == ContactStatus.CONFIRMED:
        raise Conflict(_("That address is already on the mailing list."))
    if contact is None:
        contact = MailingContact.objects.create(
            local_authority=area,
            email=address,
            unsubscribe_token=new_token(),
            added_by=actor,
        )
    else:
        contact.status = ContactStatus.PENDING
        contact.confirm_token_hash = ""
        contact.confirm_expires_at = None
        contact.added_by = actor
        contact.save()
    audit_record(actor=actor, action="partnership.mailing_contact.added", obj=contact)
    outbox_enqueue(tasks.send_mailing_confirmation, str(contact.pk))
    return contact


def _by_confirm_token(token: str) -> MailingContact | None:
    if not token:
        return None
    return (
        MailingContact.objects.select_for_update()
        .filter(confirm_token_hash=token_hash(token))
        .first()
    )


def mailing_contact_for_confirm_token(*, token: str) -> MailingContact:
    """The contact a confirmation link is for, still usable; else ``Gone`` saying why."""
    contact = (
        MailingContact.objects.filter(confirm_token_hash=token_hash(token)).first()
        if token
        else None
    )
    _check_confirmable(contact)
    assert contact is not None  # _check_confirmable raised otherwise
    return contact


def _check_confirmable(contact: MailingContact | None) -> None:
    if contact is None or contact.status != ContactStatus.PENDING:
        raise Gone(
            _(
                "This link has already been used or is not valid. If you are not on the "
                "mailing list, ask the Prevent team to add you again."
            )
        )
    if contact.confirm_expires_at is None or contact.confirm_expires_at <= timezone.now():
        raise Gone(_("This link has expired. Ask the Prevent team to send you a new one."))


@transaction.atomic
def mailing_contact_confirm(*, token: str) -> MailingContact:
    """Put the contact the one-time link was sent to on the list. The link works once and
    until it expires: a used, replaced or expired link is ``Gone`` (410) saying what to do.
    Nobody signs in: the token is the proof that the address's owner asked."""
    contact = _by_confirm_token(token)
    _check_confirmable(contact)
    assert contact is not None  # _check_confirmable raised otherwise
    contact.status = ContactStatus.CONFIRMED
    contact.confirmed_at = timezone.now()
    contact.confirm_token_hash = ""
    contact.confirm_expires_at = None
    contact.save()
    audit_record(actor=None, action="partnership.mailing_contact.confirmed", obj=contact)
    return contact


def mailing_contact_for_unsubscribe_token(*, token: str) -> MailingContact:
    contact = MailingContact.objects.filter(unsubscribe_token=token).first() if token else None
    if contact is None:
        raise NotFound
    return contact


def _take_off_the_list(contact: MailingContact) -> bool:
    """Unsubscribe ``contact`` (an unused confirmation link dies with it); False if they were
    already off the list, so that a second request changes nothing."""
    if contact.status == ContactStatus.UNSUBSCRIBED:
        return False
    contact.status = ContactStatus.UNSUBSCRIBED
    contact.unsubscribed_at = timezone.now()
    contact.confirm_token_hash = ""
    contact.confirm_expires_at = None
    contact.save()
    return True


@transaction.atomic
def mailing_contact_unsubscribe(*, token: str) -> MailingContact:
    """Take the contact off the list, from the link in any message (no sign-in). Following
    it twice is the same as once; a token that matches nobody is ``NotFound`` (404)."""
    contact = (
        MailingContact.objects.select_for_update().filter(unsubscribe_token=token).first()
        if token
        else None
    )
    if contact is None:
        raise NotFound
    if _take_off_the_list(contact):
        audit_record(actor=None, action="partnership.mailing_contact.unsubscribed", obj=contact)
    return contact


@transaction.atomic
def mailing_contact_remove(*, actor: User, contact_id: UUID | str) -> MailingContact:
    """Take a contact off the list at their request by other means (a phone call)."""
    area_of(actor)
    contact = mailing_contacts_visible_to(actor).select_for_update().get(pk=contact_id)
    _take_off_the_list(contact)
    audit_record(actor=actor, action="partnership.mailing_contact.removed", obj=contact)
    return contact


@transaction.atomic
def mailing_list_send(*, actor: User) -> MailingSend:
    """Send the list a content-free reminder that workshops and briefings are coming up
    (who to ask, no details of any), each contact with their own unsubscribe link. Goes to
    confirmed contacts only; with none, there is nothing to send yet (409)."""
    area = area_of(actor)
    if not mailing_list(local_authority_id=area.pk).exists():
        raise Conflict(_("Nobody has confirmed they want to be on the mailing list yet."))
    send = MailingSend.objects.create(local_authority=area, sent_by=actor)
    audit_record(actor=actor, action="partnership.mailing_list.sent", obj=send)
    outbox_enqueue(tasks.send_mailing_reminder, str(send.pk))
    return send
