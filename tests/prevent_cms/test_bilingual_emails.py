"""E-mails to addresses with no account (issue 19): their language is not known, so each is
sent in Welsh and English, Welsh first (``prevent_cms.notifications.worded_bilingually``,
docs/frontend.md), subject and body; an account keeps its own language. Still content-free:
no person's name in the subject or body.

One entry per e-mail that goes to a bare address: the receipt and the review to the contact of
a referral recorded on their behalf, the council's MASH copy, and the mailing list's
confirmation and reminder.
"""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from accounts.models import Role
from partnership.models import ContactStatus, MailingContact
from partnership.services import mailing as mailing_services
from partnership.tasks import send_mailing_confirmation
from prevent_cms.notifications import BILINGUAL_BODY_JOIN
from referrals import services
from referrals.tasks import send_referral_email
from tests.referrals import factories as f
from tests.referrals.test_on_behalf import PARENT, on_behalf

pytestmark = pytest.mark.django_db

MASH = "qxmash@northbridge.example.gov.uk"
LIST_ADDRESS = "qxcontact@example.org"
# Words a test subject is never called: finding one in a mail is a leak.
NAMES = {"first_name": "Qxalex", "last_name": "Qxmarsh"}


def _years_ago(years: int) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years, day=min(today.day, 28))


def _on_behalf_referral(world, captured):
    referral = on_behalf(f.officer_for(world), subject=NAMES)
    with captured(execute=True):
        services.referral_transition(
            referral_id=referral.pk, name="submit", actor=referral.referrer
        )
    mail.outbox.clear()
    return referral


def _receipt(world, captured):
    referral = _on_behalf_referral(world, captured)
    send_referral_email(str(referral.pk), "receipt")
    return PARENT["email"], referral.reference


def _reviewed(world, captured):
    referral = _on_behalf_referral(world, captured)
    send_referral_email(str(referral.pk), "reviewed")
    return PARENT["email"], referral.reference


def _mash_copy(world, captured):
    world.la_a.mash_email = MASH
    world.la_a.save()
    referral = f.draft(world, subject={"date_of_birth": _years_ago(14), **NAMES})
    with captured(execute=True):
        services.referral_transition(
            referral_id=referral.pk, name="submit", actor=referral.referrer
        )
    return MASH, referral.reference


def _lead(world):
    return world.user(Role.BOROUGH_LEAD, agency=world.council_a)


def _mailing_confirmation(world, captured):
    with captured(execute=True):
        contact = mailing_services.mailing_contact_add(actor=_lead(world), email=LIST_ADDRESS)
    mail.outbox.clear()
    send_mailing_confirmation(str(contact.pk))
    return LIST_ADDRESS, world.la_a.name


def _mailing_reminder(world, captured):
    lead = _lead(world)
    with captured(execute=True):
        mailing_services.mailing_contact_add(actor=lead, email=LIST_ADDRESS)
    MailingContact.objects.filter(email=LIST_ADDRESS).update(status=ContactStatus.CONFIRMED)
    mail.outbox.clear()
    with captured(execute=True):
        mailing_services.mailing_list_send(actor=lead)
    return LIST_ADDRESS, world.la_a.name


# Each e-mail to a bare address: how it is sent, and a sentence of its subject and of its body
# in Welsh and in English (the catalogue's words, with the reference or area put in).
SENT_TO_AN_ADDRESS = {
    "receipt": (
        _receipt,
        ("Atgyfeiriad Prevent wedi dod i law: {}", "Prevent referral received: {}"),
        ("Diolch. Mae eich atgyfeiriad Prevent {}", "Thank you. Your Prevent referral {}"),
    ),
    "reviewed": (
        _reviewed,
        (
            "Mae eich atgyfeiriad Prevent wedi’i adolygu: {}",
            "Your Prevent referral has been reviewed: {}",
        ),
        (
            "Mae tîm Prevent wedi adolygu eich atgyfeiriad Prevent {}",
            "Your Prevent referral {} has been reviewed",
        ),
    ),
    "council_copy": (
        _mash_copy,
        (
            "Mae atgyfeiriad Prevent ar gyfer eich ardal wedi cyrraedd: {}",
            "A Prevent referral for your area has arrived: {}",
        ),
        (
            "I gael manylion, cysylltwch â thîm Prevent",
            "For details, contact the Prevent team on the number you hold for them.",
        ),
    ),
    "mailing_list_confirm": (
        _mailing_confirmation,
        (
            "Cadarnhewch eich bod eisiau newyddion Prevent gan {}",
            "Confirm you want Prevent news from {}",
        ),
        ("I ymuno, defnyddiwch y ddolen hon", "To join, use this link"),
    ),
    "outreach_reminder": (
        _mailing_reminder,
        (
            "Gweithdai a sesiynau briffio Prevent yn ardal {}",
            "Prevent workshops and briefings in {}",
        ),
        (
            "I gael gwybod mwy neu i archebu lle, cysylltwch â thîm Prevent",
            "To find out more or book a place, contact the Prevent team",
        ),
    ),
}


@pytest.mark.parametrize("kind", list(SENT_TO_AN_ADDRESS))
def test_mail_to_an_address_without_an_account_is_welsh_then_english(
    world, django_capture_on_commit_callbacks, kind
):
    send, subjects, bodies = SENT_TO_AN_ADDRESS[kind]
    address, value = send(world, django_capture_on_commit_callbacks)
    (message,) = [m for m in mail.outbox if m.to == [address]]
    assert message.notify["kind"] == kind
    welsh, english = (words.format(value) for words in subjects)
    assert message.subject == f"{welsh} / {english}"
    welsh, english = (words.format(value) for words in bodies)
    assert welsh in message.body
    assert english in message.body
    first, second = message.body.split(BILINGUAL_BODY_JOIN)
    assert welsh in first  # Welsh first,
    assert english in second  # then English
    assert english not in first
    for name in NAMES.values():
        assert name not in message.subject + message.body, kind


def test_an_account_in_welsh_gets_welsh_only(world):
    referrer = f.referrer_for(world)
    referrer.language = "cy"
    referrer.save(update_fields=["language"])
    referral = f.SubmittedFactory(referrer=referrer)
    send_referral_email(str(referral.pk), "reviewed")
    (message,) = mail.outbox
    assert message.subject == f"Mae eich atgyfeiriad Prevent wedi’i adolygu: {referral.reference}"
    assert message.body.startswith("Mae tîm Prevent wedi adolygu eich atgyfeiriad Prevent")
    assert "Your Prevent referral" not in message.body
    assert BILINGUAL_BODY_JOIN not in message.body


def test_an_account_that_chose_no_language_gets_english_only(world):
    referral = f.SubmittedFactory(referrer=f.referrer_for(world))
    send_referral_email(str(referral.pk), "receipt")
    (message,) = mail.outbox
    assert message.subject == f"Prevent referral received: {referral.reference}"
    assert "Diolch" not in message.body
